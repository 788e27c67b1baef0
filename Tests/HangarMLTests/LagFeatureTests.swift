import Foundation
import Testing
@testable import HangarML

/// Two lounges, rows shuffled, lounge A without a row on January 4th.
private let twoLounges = """
    lounge,day,visitors
    B,2024-01-03,3
    A,2024-01-01,10
    A,2024-01-03,30
    B,2024-01-01,1
    A,2024-01-02,20
    B,2024-01-04,4
    A,2024-01-06,60
    B,2024-01-02,2
    A,2024-01-05,50

    """

private let lagOptions = PreprocessingOptions(lags: [2, 1], rollingMeans: [3])

private func fitted(_ frame: DataFrame) throws -> Preprocessing {
    try #require(try Preprocessing.fit(frame, target: "visitors", timeColumn: "day", groupColumn: "lounge",
                                       options: lagOptions))
}

@Test func lagsAndRollingMeansFollowEachGroupInTimeOrder() throws {
    let frame = try CSVReader.read(twoLounges)
    let derived = try fitted(frame).trainingFrame(frame)
    #expect(derived.columnNames.suffix(3) == ["visitors.lag_1", "visitors.lag_2", "visitors.rolling_mean_3"])
    // Rows: B03, A01, A03, B01, A02, B04, A06, B02, A05. Lags count calendar days, so A's missing 4th leaves gaps.
    #expect(numbers(derived, "visitors.lag_1") == [2, nil, 20, nil, 10, 3, 50, 1, nil])
    #expect(numbers(derived, "visitors.lag_2") == [1, nil, 10, nil, nil, 2, nil, nil, 30])
    #expect(numbers(derived, "visitors.rolling_mean_3") == [1.5, nil, 15, nil, 10, 2, 40, 1, 25])
    #expect(numbers(derived, "day.day_of_week") == [3, 1, 3, 1, 2, 4, 6, 2, 5])
}

@Test func changingALaterTargetLeavesEarlierFeaturesAlone() throws {
    let frame = try CSVReader.read(twoLounges)
    let changed = try CSVReader.read(twoLounges.replacingOccurrences(of: "A,2024-01-05,50", with: "A,2024-01-05,500"))
    let preprocessing = try fitted(frame)
    let before = try preprocessing.trainingFrame(frame)
    let after = try preprocessing.trainingFrame(changed)
    for name in ["visitors.lag_1", "visitors.lag_2", "visitors.rolling_mean_3"] {
        let (old, new) = (numbers(before, name), numbers(after, name))
        // Only A's January 6th (row 6) comes after the change; the changed row's own features stay too.
        for row in old.indices where row != 6 { #expect(old[row] == new[row], "\(name) row \(row)") }
    }
    #expect(numbers(after, "visitors.lag_1")[6] == 500)
    #expect(numbers(after, "visitors.rolling_mean_3")[6] == 265)
}

@Test func predictionContinuesFromTheKeptHistoryAndTheTargetsGiven() throws {
    let preprocessing = try fitted(try CSVReader.read(twoLounges))
    // Kept: the last 3 days of each lounge (A: 3rd, 5th, 6th; B: 1st to 4th).
    #expect(preprocessing.targetHistory?.historyCount == 7)
    let future = try CSVReader.read("lounge,day,visitors\nA,2024-01-07,\nA,2024-01-08,\nB,2024-01-05,\nC,2024-01-05,\n")
    let derived = try preprocessing.apply(future)
    #expect(numbers(derived, "visitors.lag_1") == [60, nil, 4, nil])
    #expect(numbers(derived, "visitors.lag_2") == [50, 60, 3, nil])
    #expect(numbers(derived, "visitors.rolling_mean_3") == [55, 55, 3, nil])
    let withTarget = try CSVReader.read("lounge,day,visitors\nA,2024-01-07,70\nA,2024-01-08,\n")
    let continued = try preprocessing.apply(withTarget)
    #expect(numbers(continued, "visitors.lag_1") == [60, 70])
    #expect(numbers(continued, "visitors.rolling_mean_3") == [55, 60])
    let noTarget = try CSVReader.read("lounge,day\nB,2024-01-05\n")
    #expect(numbers(try preprocessing.apply(noTarget), "visitors.lag_1") == [4])
}

@Test func lagsRefuseAmbiguousOrMissingTime() throws {
    let frame = try CSVReader.read(twoLounges)
    #expect(throws: PreprocessingError.needsTimeColumn) {
        try Preprocessing.fit(frame, target: "visitors", options: lagOptions)
    }
    // Without the group column, both lounges' January 3rd collide (the first clash in row order).
    #expect(throws: PreprocessingError.duplicateTime(group: nil, time: "2024-01-03")) {
        try Preprocessing.fit(frame, target: "visitors", timeColumn: "day", options: lagOptions)?.trainingFrame(frame)
    }
    #expect(throws: PreprocessingError.invalidWindow(0)) {
        try Preprocessing.fit(frame, target: "visitors", timeColumn: "day",
                              options: PreprocessingOptions(lags: [0]))
    }
    #expect(throws: PreprocessingError.nonNumericTarget("lounge")) {
        try Preprocessing.fit(frame, target: "lounge", timeColumn: "day", options: lagOptions)
    }
}

/// 120 days of two lounges: weekends and holidays are busier, lounge B is busier, and each day follows the last.
private func loungeSeries(days: Int, from first: Int = 0) -> String {
    var random = TestRandom(seed: 11)
    var lines = ["day,lounge,visitors"]
    var level = ["A": 100.0, "B": 160.0]
    let holidays: Set<Int> = [19, 45, 80, 101, 130]
    for d in first..<(first + days) {
        let date = ISODate.format(seconds: Double(19_723 + d) * 86_400, kind: .date)
        for lounge in ["A", "B"] {
            let weekday = (19_723 + d + 3) % 7 + 1
            let busy = (weekday >= 6 ? 40.0 : 0) + (holidays.contains(d) ? 60 : 0)
            level[lounge] = 0.7 * level[lounge]! + 0.3 * (lounge == "A" ? 100 : 160) + random.normal() * 5
            lines.append("\(date),\(lounge),\((level[lounge]! + busy).rounded())")
        }
    }
    return lines.joined(separator: "\n") + "\n"
}

private let calendarText = ["2024-01-20", "2024-02-15", "2024-03-21", "2024-04-11", "2024-05-10"]
    .joined(separator: "\n")

@Test func aModelWithDateFeaturesAndLagsPredictsTheSameAfterReload() throws {
    let frame = try CSVReader.read(loungeSeries(days: 120))
    let options = PreprocessingOptions(holidays: try HolidayCalendar.parse(calendarText), lags: [1, 7],
                                       rollingMeans: [7, 28])
    let result = try SingleLearner.run(
        frame, target: "visitors", task: .regression, family: .gradientBoostedTrees,
        parameters: ParameterSet(["trees": 30, "minDataInLeaf": 5]), timeColumn: "day", groupColumn: "lounge",
        preprocessing: options, threads: 2)
    let model = result.model
    #expect(model.inputColumns == ["day", "lounge"])
    #expect(model.schema.features.contains { $0.name == "day.holiday" })
    #expect(model.schema.features.contains { $0.name == "visitors.rolling_mean_28" })
    #expect(!model.schema.features.contains { $0.name == "day" })
    #expect(model.trainingDataDigest == TrainingDataDigest.digest(of: frame))

    let data = try ModelFile.encode(model)
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    #expect(object?["formatVersion"] as? Int == 2)
    let loaded = try ModelFile.decode(data)
    #expect(loaded == model)
    // The week after training, without targets: lags come from the history kept in the model.
    let future = try CSVReader.read(loungeSeries(days: 7, from: 120)).dropping(column: "visitors")
    let predictions = try model.predict(future)
    #expect(try loaded.predict(future) == predictions)
    #expect(predictions.values.allSatisfy { $0.isFinite && $0 > 50 && $0 < 300 })
    let yaml = MLmodelFile.yaml(for: model, modelID: "m-1", modelFile: "model.hangar")
    #expect(yaml.contains("format_version: 2"))
    #expect(yaml.contains(#"{"type": "datetime", "name": "day", "required": true}"#))
}

@Test func badPredictionInputNamesTheColumn() throws {
    let frame = try CSVReader.read(loungeSeries(days: 60))
    let result = try SingleLearner.run(
        frame, target: "visitors", task: .regression, family: .gradientBoostedTrees,
        parameters: ParameterSet(["trees": 5]), timeColumn: "day", groupColumn: "lounge",
        preprocessing: PreprocessingOptions(lags: [1]), threads: 1)
    let badDate = try CSVReader.read("day,lounge\n2024-03-01,A\n2024-03-32,B\n")
    #expect(throws: ModelInputError.preprocessing(.notADate(column: "day", row: 2, value: "2024-03-32"))) {
        try result.model.predict(badDate)
    }
    #expect(throws: ModelInputError.missingColumn("day")) {
        try result.model.predict(try CSVReader.read("lounge\nA\n"))
    }
    #expect(throws: ModelInputError.missingColumn("lounge")) {
        try result.model.predict(try CSVReader.read("day\n2024-03-01\n"))
    }
}

@Test func modelsWithoutDerivedFeaturesStayFormatVersionOne() throws {
    let frame = SyntheticData.regression(rows: 100, seed: 2)
    let model = try LinearRegressionTrainer().train(frame, target: "y")
    #expect(model.preprocessing == nil && ModelFile.formatVersion(of: model) == 1)
    let object = try JSONSerialization.jsonObject(with: ModelFile.encode(model)) as? [String: Any]
    #expect(object?["formatVersion"] as? Int == 1 && object?["preprocessing"] == nil)
}

@Test func autoMLExpandsTheDateTimeColumnAndAddsLags() throws {
    let frame = try CSVReader.read(loungeSeries(days: 90))
    let result = try AutoML.run(frame, target: "visitors", task: .regression, timeColumn: "day",
                                groupColumn: "lounge", preprocessing: PreprocessingOptions(lags: [1, 7]),
                                budget: SearchBudget(trials: 3), folds: 3, threads: 2)
    let names = result.model.schema.features.map(\.name)
    #expect(names.contains("day.day_of_week") && names.contains("visitors.lag_7") && !names.contains("day"))
    #expect(result.model.preprocessing?.targetHistory?.groupColumn == "lounge")
    #expect(throws: AutoMLError.preprocessing(.needsTimeColumn)) {
        try AutoML.run(frame, target: "visitors", preprocessing: PreprocessingOptions(lags: [1]),
                       budget: SearchBudget(trials: 3))
    }
}
