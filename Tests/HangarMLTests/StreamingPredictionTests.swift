import Foundation
import Testing
@testable import HangarML

/// `hangar predict`'s block-at-a-time reading: the same rows, predictions and errors as reading the whole file.
@Suite struct StreamingPredictionTests {
    /// 20,000 rows (~0.8 MB, a dozen 64 KB blocks) with quoted fields holding commas, quotes and newlines, and an
    /// unused `note` column that turns from numbers to text after its first thousand rows.
    static func csv(rows: Int = 20_000, bad: Int? = nil) -> String {
        var random = TestRandom(seed: 41)
        var text = "a,b,color,note,label\n"
        for row in 0..<rows {
            let a = random.uniform() * 10
            let b = random.uniform() * 10
            let color = ["red", "\"gr,een\"", "\"bl\"\"ue\"", "\"multi\nline\""][row % 4]
            let note = row < 1500 ? String(row) : "n\(row)"
            let label = a + (row % 4 == 0 ? 3 : 0) > 6 ? "yes" : "no"
            let first = row == bad ? "oops" : String(format: "%.4f", a)
            text += "\(first),\(String(format: "%.4f", b)),\(color),\(note),\(label)\n"
        }
        return text
    }

    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-stream-\(UUID()).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func blocksHoldEveryRowOfTheFileInOrder() throws {
        let path = try Self.file(Self.csv())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try CSVReader.read(fileAt: path)
        var colors: [String?] = []
        var sums: [Double] = []
        var blocks = 0
        try CSVReader.forEachBlock(fileAt: path, blockBytes: 1 << 16) { block, done, total in
            blocks += 1
            #expect(done <= total)
            #expect(block.columns.map(\.name) == ["a", "b", "color", "note", "label"])
            let color = try #require(block["color"])
            let a = try #require(block["a"])
            for row in 0..<block.rowCount {
                colors.append(color.text(at: row))
                sums.append(a.numericValue(at: row))
            }
        }
        #expect(blocks > 5)
        #expect(colors.count == whole.rowCount)
        #expect(colors == (0..<whole.rowCount).map { whole["color"]!.text(at: $0) })
        #expect(sums == (0..<whole.rowCount).map { whole["a"]!.numericValue(at: $0) })
        #expect(colors[3] == "multi\nline" && colors[2] == "bl\"ue")
    }

    @Test func predictionsMatchTheWholeFileRowForRow() throws {
        let text = Self.csv()
        let path = try Self.file(text)
        let output = path + ".out.csv"
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: output)
        }
        let frame = try CSVReader.read(text).dropping(column: "note")
        var config = GBDTConfig()
        config.trees = 8
        let model = try GBDTTrainer(config: config).train(frame, target: "label")
        var reports = 0
        let summary = try CSVPrediction.run(model: model, input: path, output: output, threads: 2, blockBytes: 1 << 16) {
            _, _, _ in reports += 1
        }
        #expect(summary == CSVPrediction.Summary(rows: 20_000, streamed: true))
        #expect(reports > 5)
        let written = try String(contentsOfFile: output, encoding: .utf8)
        #expect(written == PredictionCSV.text(try model.predict(frame)))
        #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
    }

    @Test func aBadValueInALaterBlockNamesItsLineAndLeavesTheOutputAlone() throws {
        let good = try Self.file(Self.csv(rows: 2000))
        let bad = try Self.file(Self.csv(bad: 15_000))
        let output = bad + ".out.csv"
        defer {
            for file in [good, bad, output] { try? FileManager.default.removeItem(atPath: file) }
        }
        let model = try LogisticRegressionTrainer().train(
            try CSVReader.read(fileAt: good).dropping(column: "note"), target: "label")
        try Data("previous\n".utf8).write(to: URL(fileURLWithPath: output))
        #expect {
            try CSVPrediction.run(model: model, input: bad, output: output, blockBytes: 1 << 16)
        } throws: { error in
            // Line 1 is the header, and every fourth row before the bad one spans two lines.
            "\(error)".contains("line \(15_000 + 2 + 3750)") && "\(error)".contains("'a'")
        }
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "previous\n")
        #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
    }
}
