import Foundation
@testable import HangarServer
import Testing

/// Strings are copied in runs between the bytes that need escaping; every string must read back as itself.
@Suite struct JSONWriterTests {
    private func written(_ value: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.array(strings: [value])
        return writer.bytes
    }

    @Test func stringsReadBackAsThemselves() throws {
        var samples = [
            "", "plain", "\"", "\\", "a\"b\\c", "\"quoted\" at both ends\"", "line\nbreak\r\n", "\ttab", "\u{0}",
            "\u{1F}", "\u{7F}", "ünïcödé ✓ 🚀", "trailing backslash\\",
            "mlflow-artifacts:/1/01a2514f84667bf98b9371016d1c7b7c/artifacts",
        ]
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab\"\\\n\r\t\u{0}\u{1}\u{1F} é✓🚀")
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...24, using: &generator)
            samples.append(String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        for sample in samples {
            let bytes = written(sample)
            let decoded = try JSONDecoder().decode([String].self, from: Data(bytes))
            #expect(decoded == [sample], "\(sample.debugDescription) -> \(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test func controlBytesAreWrittenAsShortOrUnicodeEscapes() {
        #expect(String(decoding: written("a\"b\\c\nd\re\tf\u{1}g"), as: UTF8.self) == #"["a\"b\\c\nd\re\tf\u0001g"]"#)
        #expect(String(decoding: written("\u{1F}"), as: UTF8.self) == #"["\u001f"]"#)
    }

    @Test func keysAndFieldsKeepTheirSeparators() {
        var writer = JSONWriter()
        writer.object { w in
            w.field("name", "a\"b")
            w.key("n")
            w.int(3)
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"name":"a\"b","n":3}"#)
    }
}
