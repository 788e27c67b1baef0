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
        // Whole numbers; below 1e15 the conversion to Int64 is exact (and NaN fails the first test).
        if magnitude < 1e15, Double(Int64(self)) == self {
            if self < 0 { out.append(UInt8(ascii: "-")) }
            Self.appendDigits(UInt64(magnitude), to: &out)
            return
        }
        if magnitude >= 1e-4, magnitude < 1e6 {
            // Below 1e6, `magnitude * 1e9` is under 2^50, so it rounds to the exact integer `m * 10^(9-k)` whenever
            // the number has a spelling `m / 10^k` with k <= 9 decimals: one test finds whether it has one, and the
            // trailing zeros of that integer give the fewest decimals.
            let m = Self.roundedHalfUp(magnitude * 1e9)
            if m / 1e9 == magnitude {
                var digits = UInt64(m)
                var k = 9
                while digits % 10 == 0 {
                    digits /= 10
                    k -= 1
                }
                if self < 0 { out.append(UInt8(ascii: "-")) }
                Self.appendFixed(digits, decimals: k, to: &out)
                return
            }
        } else if magnitude >= 1e-4, magnitude < 1e15 {
            for k in 1...9 {
                let scale = Self.decimalScales[k]
                let m = Self.roundedHalfUp(magnitude * scale)
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

    /// `x.rounded()` for `0 <= x < 2^63` without a call into libm: below 2^52 adding a half is exact, from 2^52 on
    /// every double is whole.
    @inline(__always)
    private static func roundedHalfUp(_ x: Double) -> Double {
        x >= 4_503_599_627_370_496 ? x : Double(UInt64(x + 0.5))
    }

    /// `value`'s decimal digits, left-padded with zeros to `width` (at most 20).
    private static func appendDigits(_ value: UInt64, width: Int = 1, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var v = value
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
                v /= 10
            } while v > 0
            while 20 - i < width {
                i -= 1
                digits[i] = UInt8(ascii: "0")
            }
            // A few bytes: appended one by one, cheaper than a copy call.
            for j in i..<20 { out.append(digits[j]) }
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
