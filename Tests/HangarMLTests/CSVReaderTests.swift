import Foundation
import Testing
@testable import HangarML

@Test func numericBooleanAndTextColumnsAreInferred() throws {
    let frame = try CSVReader.read("age,member,city\n31,true,Oslo\n45,false,Bergen\n29,TRUE,Oslo\n")
    #expect(frame.rowCount == 3)
    #expect(frame.columnNames == ["age", "member", "city"])
    #expect(frame["age"]?.values == .double([31, 45, 29]))
    #expect(frame["member"]?.values == .boolean([true, false, true]))
    #expect(frame["city"]?.values == .categorical(codes: [0, 1, 0], levels: ["Oslo", "Bergen"]))
}

@Test func missingValuesBecomeNaNMinusOneOrNil() throws {
    let frame = try CSVReader.read("x,flag,name\n1.5,true,a\n,NA,\nNaN,false,b\n")
    guard case .double(let x) = frame["x"]?.values else { Issue.record("x not numeric"); return }
    #expect(x[0] == 1.5 && x[1].isNaN && x[2].isNaN)
    #expect(frame["flag"]?.values == .boolean([true, nil, false]))
    #expect(frame["name"]?.values == .categorical(codes: [0, -1, 1], levels: ["a", "b"]))
    #expect(frame["x"]?.missingCount == 2)
}

@Test func quotedFieldsKeepCommasQuotesAndNewlines() throws {
    let text = "id,comment\r\n1,\"hello, world\"\r\n2,\"she said \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n"
    let frame = try CSVReader.read(text)
    #expect(frame.rowCount == 3)
    #expect(frame["comment"]?.values == .categorical(
        codes: [0, 1, 2], levels: ["hello, world", "she said \"hi\"", "two\nlines"]))
    #expect(frame["id"]?.values == .double([1, 2, 3]))
}

@Test func utf8TextAndByteOrderMarkAreRead() throws {
    let frame = try CSVReader.read("\u{FEFF}stad,n\nTromsø,1\n東京,2\n")
    #expect(frame.columnNames == ["stad", "n"])
    #expect(frame["stad"]?.values == .categorical(codes: [0, 1], levels: ["Tromsø", "東京"]))
}

@Test func numbersInScientificAndSignedFormsParseExactly() throws {
    let frame = try CSVReader.read("v\n-1.25\n+3\n1e3\n2.5E-2\n.5\n7.\n 12 \ninf\n")
    #expect(frame["v"]?.values == .double([-1.25, 3, 1000, 0.025, 0.5, 7, 12, .infinity]))
}

@Test func aLateTextValueDemotesANumericColumnToCategorical() throws {
    var options = CSVReadOptions()
    options.inferenceRows = 2
    let frame = try CSVReader.read("code,v\n1,1\n2,2\nB7,3\n", options: options)
    #expect(frame["code"]?.values == .categorical(codes: [0, 1, 2], levels: ["1", "2", "B7"]))
    #expect(frame["v"]?.kind == .numeric)
}

@Test func headerOnlyFileGivesZeroRows() throws {
    let frame = try CSVReader.read("a,b\n")
    #expect(frame.rowCount == 0)
    #expect(frame.columnNames == ["a", "b"])
}

@Test func fileWithoutHeaderGetsNumberedColumnNames() throws {
    var options = CSVReadOptions()
    options.hasHeader = false
    let frame = try CSVReader.read("1,2\n3,4", options: options)
    #expect(frame.columnNames == ["column1", "column2"])
    #expect(frame["column2"]?.values == .double([2, 4]))
}

@Test func blankLinesAndMissingFinalNewlineAreAccepted() throws {
    let frame = try CSVReader.read("a,b\n\n1,2\n\n3,4")
    #expect(frame["a"]?.values == .double([1, 3]))
}

@Test func emptyFileIsRefused() {
    #expect(throws: CSVError.emptyFile) { try CSVReader.read("") }
    #expect(throws: CSVError.emptyFile) { try CSVReader.read("\n\r\n") }
}

@Test func raggedRowErrorNamesItsLine() {
    #expect(throws: CSVError.raggedRow(line: 3, expectedFields: 2, foundFields: 3)) {
        try CSVReader.read("a,b\n1,2\n3,4,5\n")
    }
    #expect(throws: CSVError.raggedRow(line: 5, expectedFields: 2, foundFields: 1)) {
        try CSVReader.read("a,b\n1,2\n\"x\ny\",4\n5\n")
    }
}

@Test func headerProblemsNameTheColumn() {
    #expect(throws: CSVError.duplicateColumnName("a", column: 3)) { try CSVReader.read("a,b,a\n1,2,3\n") }
    #expect(throws: CSVError.emptyColumnName(column: 2)) { try CSVReader.read("a,,c\n1,2,3\n") }
}

@Test func quoteProblemsNameLineAndColumn() {
    #expect(throws: CSVError.unterminatedQuote(line: 3, column: 2)) { try CSVReader.read("a,b\n1,2\n3,\"open\n") }
    #expect(throws: CSVError.unexpectedQuote(line: 2, column: 1)) { try CSVReader.read("a,b\n5'10\",2\n") }
    #expect(throws: CSVError.unexpectedQuote(line: 2, column: 2)) { try CSVReader.read("a,b\n1,\"x\"y\n") }
}

@Test func invalidUTF8IsRefusedWithItsPosition() {
    var bytes = Array("name,n\nok,1\n".utf8)
    bytes += [0xC3, 0x28] + Array(",2\n".utf8)
    #expect(throws: CSVError.invalidUTF8(line: 3, column: 1)) { try CSVReader.read(Data(bytes)) }
}

@Test func forcedKindRefusesValuesThatDoNotFit() {
    var options = CSVReadOptions()
    options.columnKinds = ["price": .numeric]
    #expect(throws: CSVError.invalidValue(line: 3, column: 1, name: "price", value: "cheap", expected: .numeric)) {
        try CSVReader.read("price\n3.5\ncheap\n", options: options)
    }
}

@Test func missingFileIsAnUnreadableFileError() {
    #expect(throws: CSVError.self) { try CSVReader.read(fileAt: "/nonexistent/hangar.csv") }
}

@Test func parallelChunksGiveTheSameFrameAsOneChunk() throws {
    var random = TestRandom(seed: 11)
    var text = "x,y,label,note\n"
    for i in 0..<60_000 {
        let x = (random.uniform(-100, 100) * 1000).rounded() / 1000
        let label = ["red", "green", "blue", "teal"][random.int(below: 4)]
        let note = i % 97 == 0 ? "\"multi\nline, \"\"quoted\"\"\"" : (i % 13 == 0 ? "" : "n\(i % 5)")
        text += "\(x),\(random.int(below: 1000)),\(label),\(note)\n"
    }
    var one = CSVReadOptions()
    one.threads = 1
    var four = CSVReadOptions()
    four.threads = 4
    let sequential = try CSVReader.read(text, options: one)
    let parallel = try CSVReader.read(text, options: four)
    #expect(sequential.rowCount == 60_000)
    #expect(parallel == sequential)
}

@Test func parallelReadReportsTheFirstErrorInFileOrder() {
    var text = "a,b\n"
    for i in 0..<120_000 { text += "\(i),\(i)\n" }
    text += "1,2,3\n"
    var options = CSVReadOptions()
    options.threads = 2
    #expect(throws: CSVError.raggedRow(line: 120_002, expectedFields: 2, foundFields: 3)) {
        try CSVReader.read(text, options: options)
    }
}

@Test func thousandsOfDistinctCategoriesKeepTheirCodes() throws {
    var text = "id,name\n"
    for i in 0..<90_000 { text += "\(i),name-\(i % 5_000)-é\n" }
    var one = CSVReadOptions()
    one.threads = 1
    var two = CSVReadOptions()
    two.threads = 2
    let sequential = try CSVReader.read(text, options: one)
    #expect(try CSVReader.read(text, options: two) == sequential)
    guard case .categorical(let codes, let levels) = sequential["name"]?.values else {
        Issue.record("name is not categorical")
        return
    }
    #expect(levels.count == 5_000)
    #expect(levels[4_999] == "name-4999-é")
    #expect(codes[12_345] == 2_345)
}
