import HangarML
import Testing
@testable import HangarServing

/// A daily per-lounge forecast with date parts, a holiday calendar, lags and rolling means, served from raw
/// request columns exactly as `hangar predict` answers a CSV of the same rows.
@Suite struct DerivedFeatureServingTests {
    let model: TabularModel

    init() throws {
        var lines = ["day,lounge,visitors"]
        for d in 0..<90 {
            let date = ISODate.format(seconds: Double(19_723 + d) * 86_400, kind: .date)
            for (lounge, base) in [("A", 100), ("B", 160)] {
                let weekend = (19_723 + d + 3) % 7 >= 5 ? 40 : 0
                lines.append("\(date),\(lounge),\(base + weekend + (d * 7 + base) % 11)")
            }
        }
        let frame = try CSVReader.read(lines.joined(separator: "\n") + "\n")
        let options = PreprocessingOptions(
            holidays: try HolidayCalendar.parse("2024-01-20\n2024-02-15\n"), lags: [1, 7], rollingMeans: [7])
        model = try SingleLearner.run(
            frame, target: "visitors", task: .regression, family: .gradientBoostedTrees,
            parameters: ParameterSet(["trees": 20, "minDataInLeaf": 5]), timeColumn: "day", groupColumn: "lounge",
            preprocessing: options, threads: 1
        ).model
    }

    @Test func rawColumnsServeTheSamePredictionsAsTheModel() throws {
        let version = served(model)
        #expect(version.encoder.featureNames == ["day", "lounge"])
        let days = ["2024-03-31", "2024-04-01", "2024-04-02"]
        let csv = "day,lounge\n" + days.flatMap { ["\($0),A", "\($0),B"] }.joined(separator: "\n") + "\n"
        let expected = try model.predict(try CSVReader.read(csv)).values
        // Records in any column order, dates as ISO text.
        let table = InputTable(
            columns: ["lounge", "day"], cells: days.flatMap { [.text("A"), .text($0), .text("B"), .text($0)] })
        #expect(try version.predict(table) == expected)
    }

    @Test func badRawInputNamesTheColumn() throws {
        let version = served(model)
        #expect(throws: InputError.missingColumns(["lounge"])) {
            try version.encoder.encode(InputTable(columns: ["day"], cells: [.text("2024-04-01")]))
        }
        #expect(throws: InputError.unknownColumns(["day.month"])) {
            try version.encoder.encode(InputTable(
                columns: ["day", "lounge", "day.month"], cells: [.text("2024-04-01"), .text("A"), .number(4)]))
        }
        let error = #expect(throws: InputError.self) {
            try version.encoder.encode(InputTable(
                columns: ["day", "lounge"], cells: [.text("2024-04-01"), .text("A"), .text("soon"), .text("B")]))
        }
        #expect(error == .wrongType(column: "day", row: 1, expected: "ISO 8601 date", found: "'soon'"))
    }
}
