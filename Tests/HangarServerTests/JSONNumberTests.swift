@testable import HangarServer
import Testing

/// Numbers take a fast path when they fit one exact operation; every answer must equal the standard library's.
@Suite struct JSONNumberTests {
    private func parse(_ text: String) throws -> JSONValue {
        try Array(text.utf8).withUnsafeBytes { try JSONParser.parse($0) }
    }

    private func expectSameAsStrtod(_ text: String) throws {
        let expected = try #require(Double(text), "\(text)")
        switch try parse(text) {
        case .number(let value):
            #expect(value.bitPattern == expected.bitPattern, "\(text): \(value) != \(expected)")
        case .integer(let value):
            #expect(Double(value) == expected, "\(text)")
        default:
            Issue.record("\(text) is not a number")
        }
    }

    @Test func fastAndSlowPathsGiveTheLibrarysDoubles() throws {
        let fixed = [
            "0.1", "-0.1", "2.5354", "-4.9454", "19.9826", "0.000123", "123456789012345.6", "1234567890123456.7",
            "9007199254740993.0", "1e22", "1e23", "1.5e-22", "1.5e-30", "4.35e-5", "-0.0", "0.0", "3.141592653589793",
            "2.2250738585072014e-308", "1.7976931348623157e308", "5e-324", "0.30000000000000004", "1E+2", "1e0001",
            "123.4560000000000000001", "0.1234567890123456789",
        ]
        for text in fixed { try expectSameAsStrtod(text) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...17, using: &generator)
            let mantissa = String(UInt64.random(in: 0..<UInt64(pow10(digits)), using: &generator))
            let point = Int.random(in: 0...mantissa.count, using: &generator)
            var text = point == mantissa.count ? mantissa + ".0" : String(mantissa.prefix(point)) + "." + mantissa.dropFirst(point)
            if text.hasPrefix(".") { text = "0" + text }
            if Bool.random(using: &generator) { text += "e\(Int.random(in: -25...25, using: &generator))" }
            if Bool.random(using: &generator) { text = "-" + text }
            try expectSameAsStrtod(text)
        }
    }

    @Test func integersStayIntegers() throws {
        for (text, value) in [("0", Int64(0)), ("-0", 0), ("42", 42), ("-17", -17), ("1700000000000", 1_700_000_000_000),
                              ("9223372036854775807", .max), ("-9223372036854775808", .min), ("123456789012345678", 123_456_789_012_345_678)] {
            guard case .integer(let parsed) = try parse(text) else { Issue.record("\(text) is not an integer"); continue }
            #expect(parsed == value)
        }
        guard case .number(let big) = try parse("9223372036854775808") else { Issue.record("not a number"); return }
        #expect(big == 9_223_372_036_854_775_808.0)
    }

    private func pow10(_ n: Int) -> Double {
        (0..<n).reduce(1.0) { value, _ in value * 10 }
    }
}
