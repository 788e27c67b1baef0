@testable import HangarServer
import Testing

@Suite struct JSONObjectTests {
    private func object(_ text: String) throws -> JSONObject {
        let value = try Array(text.utf8).withUnsafeBytes { try JSONParser.parse($0) }
        guard case .object(let object) = value else { throw JSONParser.SyntaxError(offset: 0, reason: "not an object") }
        return object
    }

    @Test func aRepeatedKeyReadsAsItsLastValueAndIsListedOnce() throws {
        let o = try object(#"{"a": 1, "b": 2, "a": 3}"#)
        guard case .integer(3)? = o["a"], case .integer(2)? = o["b"] else { Issue.record("wrong values: \(o.fields)"); return }
        #expect(o.keys.sorted() == ["a", "b"])
        #expect(o.count == 2)
        #expect(o["c"] == nil)
    }

    @Test func wideObjectsAreIndexedWithTheSameAnswers() throws {
        let fields = (0..<40).map { #""k\#($0)": \#($0)"# } + [#""k7": "last""#]
        let o = try object("{" + fields.joined(separator: ",") + "}")
        #expect(o.count == 40)
        for i in 0..<40 where i != 7 {
            guard case .integer(let n)? = o["k\(i)"] else { Issue.record("k\(i) missing"); continue }
            #expect(n == Int64(i))
        }
        guard case .string("last")? = o["k7"] else { Issue.record("k7 is not its last value"); return }
        #expect(o["k40"] == nil)
    }

    @Test func anEmptyObjectHasNoFields() throws {
        let o = try object("{}")
        #expect(o.isEmpty)
        #expect(o["a"] == nil)
    }
}
