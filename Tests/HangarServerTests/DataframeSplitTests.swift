import HangarServing
import Testing

@testable import HangarServer

/// `dataframe_split` bodies are read straight into a table; every table must equal the general path's, and every
/// other body must be left to the general path.
@Suite struct DataframeSplitTests {
    private func fast(_ body: String) -> InputTable? {
        Array(body.utf8).withUnsafeBytes { JSONParser.dataframeSplit($0) }
    }

    private func general(_ body: String) throws -> InputTable {
        let value = try Array(body.utf8).withUnsafeBytes { try JSONParser.parse($0) }
        return try ScoringInput.table(json: value, featureNames: ["a", "b"])
    }

    @Test(arguments: [
        #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1.5, -2], [3e2, 0.1]]}}"#,
        #"{"dataframe_split":{"data":[[1,2]],"columns":["a","b"]}}"#,
        " \n{ \"dataframe_split\" :\t{ \"columns\" : [ \"a\" , \"b\" ] , \"data\" : [ [ 1 , 2 ] ] } } \r\n",
        #"{"dataframe_split": {"columns": ["x\"y", "caf\u00e9", "é"], "data": [["red", true, null], ["\u0041", false, 12345678901234567890]]}}"#,
        #"{"dataframe_split": {"columns": ["a", "b"], "data": []}}"#,
        #"{"dataframe_split": {"columns": [], "data": []}}"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[1e400], [-0.0], [123456789012345.6]]}}"#,
    ])
    func tablesEqualTheGeneralPaths(body: String) throws {
        let table = try #require(fast(body), "not read: \(body)")
        #expect(table == (try general(body)))
    }

    @Test func columnsSpelledAsExpectedAreTheExpectedArray() throws {
        let expected = ["a", "b", "c\u{e9}"]
        func read(_ body: String) throws -> InputTable {
            try #require(Array(body.utf8).withUnsafeBytes { JSONParser.dataframeSplit($0, expectedColumns: expected) })
        }
        let same = try read(#"{"dataframe_split": {"columns": ["a", "b", "cé"], "data": [[1, 2, 3]]}}"#)
        #expect(same.columns == expected)
        same.columns.withUnsafeBufferPointer { columns in
            expected.withUnsafeBufferPointer { #expect(columns.baseAddress == $0.baseAddress) }
        }
        // Escaped spellings, other orders, fewer or more names: the names as read.
        let bodies = [
            #"{"dataframe_split": {"columns": ["a", "b", "c\u00e9"], "data": [[1, 2, 3]]}}"#,
            #"{"dataframe_split": {"columns": ["b", "a", "cé"], "data": [[1, 2, 3]]}}"#,
            #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]]}}"#,
            #"{"dataframe_split": {"columns": ["a", "b", "cé", "d"], "data": [[1, 2, 3, 4]]}}"#,
            #"{"dataframe_split": {"columns": ["a", "bb", "cé"], "data": [[1, 2, 3]]}}"#,
            #"{"dataframe_split": {"columns": ["a", "b\"", "cé"], "data": [[1, 2, 3]]}}"#,
        ]
        for body in bodies {
            let table = try read(body)
            #expect(table == (try #require(fast(body))), "\(body)")
        }
        #expect(try read(bodies[0]).columns == expected)
        #expect(try read(bodies[3]).columns == ["a", "b", "c\u{e9}", "d"])
    }

    /// Random bodies and random damage to them: whenever the fast reader answers, the general path reads the same
    /// table from the same bytes.
    @Test func randomBodiesAndTheirDamageNeverDisagree() throws {
        var generator = SystemRandomNumberGenerator()
        let scalars = ["1", "-2.5", "3e2", "0.1", "null", "true", "false", #""x""#, #""a\"b""#, #""\u00e9""#, "12345678901234567890", "-0"]
        let spaces = ["", " ", "\n", "\t ", "\r\n"]
        func space() -> String { spaces.randomElement(using: &generator)! }
        var read = 0
        for _ in 0..<3_000 {
            let width = Int.random(in: 0...4, using: &generator)
            let rows = Int.random(in: 0...3, using: &generator)
            let names = (0..<width).map { #""c\#($0)""# }
            let columns = "\(space())\"columns\"\(space()):\(space())[\(names.joined(separator: ",\(space())"))]"
            let data = (0..<rows).map { _ in
                "[" + (0..<width).map { _ in space() + scalars.randomElement(using: &generator)! }.joined(separator: ",") + "]"
            }
            let dataField = "\"data\":\(space())[\(data.joined(separator: ","))]"
            let fields = Bool.random(using: &generator) ? [columns, dataField] : [dataField, columns]
            var body = Array("\(space()){\"dataframe_split\":\(space()){\(fields.joined(separator: ","))}}\(space())".utf8)
            if Bool.random(using: &generator), !body.isEmpty {
                let at = Int.random(in: 0..<body.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: body.removeSubrange(at...)
                case 1: body[at] = Array("[]{},:\"x1 ".utf8).randomElement(using: &generator)!
                default: body.remove(at: at)
                }
            }
            guard let table = body.withUnsafeBytes({ JSONParser.dataframeSplit($0) }) else { continue }
            read += 1
            let value = try body.withUnsafeBytes { try JSONParser.parse($0) }
            #expect(table == (try ScoringInput.table(json: value, featureNames: [])), "\(String(decoding: body, as: UTF8.self))")
        }
        #expect(read > 1_000)
    }

    @Test(arguments: [
        #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]]}, "inputs": [[1, 2]]}"#,
        #"{"dataframe_split": {"columns": ["a", "b"], "columns": ["a", "b"], "data": [[1, 2]]}}"#,
        #"{"dataframe_split": {"columns": ["a", "b"], "index": [0], "data": [[1, 2]]}}"#,
        #"{"dataframe_split": {"data": [[1, 2]]}}"#,
        #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, [2]]]}}"#,
        #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2], [3]]}}"#,
        #"{"dataframe_split": {"columns": ["a", "b"], "data": [[], []]}}"#,
        #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2, 3]]}}"#,
        #"{"dataframe_split": {"columns": ["a", 1], "data": [[1, 2]]}}"#,
        #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]]}} x"#,
        #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2],]}}"#,
        #"{"dataframe_split": {"columns": ["a", "b"], "data": [[01, 2]]}}"#,
        #"{"dataframe_records": [{"a": 1, "b": 2}]}"#,
        #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]]"#,
        "",
    ])
    func otherBodiesAreLeftToTheGeneralPath(body: String) {
        #expect(fast(body) == nil, "read: \(body)")
    }
}
