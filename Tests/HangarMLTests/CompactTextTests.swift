import Testing

@testable import HangarML

/// `appendCompactText` writes short decimals digit by digit; its bytes must be `compactText`'s for every number.
@Suite struct CompactTextTests {
    private func appended(_ value: Double) -> String {
        var out: [UInt8] = Array("x".utf8)
        value.appendCompactText(to: &out)
        return String(decoding: out.dropFirst(), as: UTF8.self)
    }

    @Test func bytesEqualCompactText() {
        let fixed: [Double] = [
            0, -0.0, 1, -1, 3, 1e14, 999_999_999_999_999, 1e15, 1e16, 2.5354, -4.9454, 19.9826, 0.1, 0.2, 0.1 + 0.2,
            0.0001, 0.00012, 0.00001, 1e-4, 123456.123456789, 0.123456789, 0.1234567891, 5e-324, .greatestFiniteMagnitude,
            .infinity, -.infinity, 1.5, 100.25, 99_999_999_999_999.9, 4503599627370495.5, 0.5, 0.05, 0.005,
        ]
        for value in fixed { #expect(appended(value) == value.compactText, "\(value)") }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            // Short decimals, as requests and CSV files spell them...
            let decimals = Int.random(in: 0...10, using: &generator)
            let digits = Int64.random(in: -99_999_999_999...99_999_999_999, using: &generator)
            var scale = 1.0
            for _ in 0..<decimals { scale *= 10 }
            let short = Double(digits) / scale
            #expect(appended(short) == short.compactText, "\(digits) / 10^\(decimals)")
            // ...and any double at all.
            let any = Double(bitPattern: UInt64.random(in: .min ... .max, using: &generator))
            if !any.isNaN { #expect(appended(any) == any.compactText, "\(any)") }
            let unit = Double.random(in: -1000...1000, using: &generator)
            #expect(appended(unit) == unit.compactText, "\(unit)")
        }
    }
}
