import Testing
@testable import HangarML

@Test func numberParserMatchesSwiftsParserOnRandomDecimals() {
    var random = TestRandom(seed: 3)
    for _ in 0..<20_000 {
        let magnitude = random.int(below: 30) - 15
        let value = random.uniform(-1, 1) * pow(10, Double(magnitude))
        for text in [String(value), String(format: "%.4f", value), String(format: "%.17g", value)] {
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer { NumberParser.parse($0.baseAddress!, 0, $0.count) }
            #expect(parsed == Double(text), "\(text)")
        }
    }
}

@Test func numberParserRefusesNonNumbers() {
    for text in ["", "-", ".", "1e", "1.2.3", "abc", "1,5", "--1", "e5"] {
        let bytes = Array(text.utf8) + [0]
        let parsed = bytes.withUnsafeBufferPointer { NumberParser.parse($0.baseAddress!, 0, $0.count - 1) }
        #expect(parsed == nil, "\(text)")
    }
}

@Test func longMantissasAndExtremeExponentsAreCorrectlyRounded() {
    for text in ["12345678901234567890123", "1e300", "4.9e-324", "0.1000000000000000055511151231257827",
                 "17976931348623157" + String(repeating: "0", count: 286)] {
        let bytes = Array(text.utf8)
        let parsed = bytes.withUnsafeBufferPointer { NumberParser.parse($0.baseAddress!, 0, $0.count) }
        #expect(parsed == Double(text), "\(text)")
    }
}

import Foundation
