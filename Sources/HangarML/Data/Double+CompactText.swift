extension Double {
    /// The number as files and requests spell it: whole numbers without a fraction (`3`, not `3.0`), other numbers as
    /// Swift prints them. A number read where a category or class name is expected becomes this text, so `3` from a
    /// CSV file and `3` from a JSON request are the same category.
    public var compactText: String {
        self == rounded() && Swift.abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }

    /// Appends `compactText`'s UTF-8 bytes to `out`. Numbers with at most nine decimals (what requests and files
    /// mostly hold) are written digit by digit, without Swift's general shortest-digits conversion: the decimals are
    /// the fewest with which `m / 10^k` is this number again, and since `m` is below 2^53 and `10^k` exact, that
    /// division is the one correctly rounded operation any parser does for the text, so the text reads back as
    /// this number. Others go through `compactText`.
    public func appendCompactText(to out: inout [UInt8]) {
        let magnitude = Swift.abs(self)
        if self == rounded(), magnitude < 1e15 {
            if self < 0 { out.append(UInt8(ascii: "-")) }
            Self.appendDigits(UInt64(magnitude), to: &out)
            return
        }
        if magnitude >= 1e-4, magnitude < 1e15 {
            for k in 1...9 {
                let scale = Self.decimalScales[k]
                let m = (magnitude * scale).rounded()
                guard m < 9_007_199_254_740_992 else { break }
                if m / scale == magnitude {
                    // The fewest decimals never end in 0; should rounding say otherwise, the general path decides.
                    guard UInt64(m) % 10 != 0 else { break }
                    if self < 0 { out.append(UInt8(ascii: "-")) }
                    Self.appendFixed(UInt64(m), decimals: k, to: &out)
                    return
                }
            }
        }
        out += compactText.utf8
    }

    private static let decimalScales: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    /// `value`'s decimal digits, left-padded with zeros to `width`.
    private static func appendDigits(_ value: UInt64, width: Int = 1, to out: inout [UInt8]) {
        var count = 1
        var rest = value / 10
        while rest > 0 { count += 1; rest /= 10 }
        count = max(count, width)
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var v = value
        var i = start + count - 1
        while v > 0 {
            out[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
            i -= 1
        }
    }

    /// `m / 10^decimals` in fixed notation: `0.0025` for (25, 4), `12.5` for (125, 1).
    private static func appendFixed(_ m: UInt64, decimals: Int, to out: inout [UInt8]) {
        let divisor = UInt64(decimalScales[decimals])
        appendDigits(m / divisor, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(m % divisor, width: decimals, to: &out)
    }
}
