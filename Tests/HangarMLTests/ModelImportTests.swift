import Foundation
import Testing
@testable import HangarML

/// The LightGBM and XGBoost fixtures of `tests/fixtures/imported/` (written by its `make_fixtures.py`).
private enum ImportFixtures {
    static let directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tests/fixtures/imported")

    static func data(_ file: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(file))
    }

    /// The model of fixture `name`, imported from its LightGBM text or XGBoost JSON file.
    static func model(_ name: String) throws -> TabularModel {
        if name.hasPrefix("lgb_") {
            return try LightGBMModelImport.model(fromText: String(decoding: data(name + ".lgb"), as: UTF8.self))
        }
        return try XGBoostModelImport.model(fromJSON: data(name + ".json"))
    }

    static func inputs(_ name: String) throws -> DataFrame {
        try CSVReader.read(fileAt: directory.appendingPathComponent(name + "_input.csv").path)
    }

    /// The library's predictions per row: the positive-class probability, the class probabilities, or the value.
    static func expected(_ name: String) throws -> [[Double]] {
        let text = String(decoding: try data(name + "_expected.csv"), as: UTF8.self)
        return try text.split(separator: "\n").dropFirst().map { line in
            try line.split(separator: ",").map { try #require(Double(String($0))) }
        }
    }

    /// The largest absolute difference between Hangar's predictions and the library's, over every row and output;
    /// also checks the single-row path gives the batch path's numbers.
    static func largestDifference(_ name: String) throws -> Double {
        let model = try model(name)
        let frame = try inputs(name)
        let expected = try expected(name)
        let predictions = try model.predict(frame)
        #expect(predictions.rowCount == expected.count)
        let matrix = FeatureColumn.rowMajor(try FeatureColumn.columns(of: frame, schema: model.schema),
                                            rows: 0..<frame.rowCount)
        let width = model.schema.features.count
        var largest = 0.0
        for (r, library) in expected.enumerated() {
            let hangar = predictions.row(r)
            let compared = model.target.task == .binaryClassification ? [hangar[1]] : hangar
            #expect(compared.count == library.count, "row \(r)")
            for (mine, theirs) in zip(compared, library) { largest = max(largest, abs(mine - theirs)) }
            let single = try model.predict(row: Array(matrix[(r * width)..<((r + 1) * width)]))
            #expect(single == hangar, "row \(r): single-row and batch predictions differ")
        }
        return largest
    }
}

@Test(arguments: ["lgb_binary", "lgb_multiclass", "lgb_regression", "lgb_pandas"])
func lightGBMModelsPredictWhatLightGBMPredicts(fixture: String) throws {
    let difference = try ImportFixtures.largestDifference(fixture)
    #expect(difference <= 1e-6, "\(fixture): largest difference \(difference)")
}

@Test(arguments: ["xgb_binary", "xgb_multiclass", "xgb_regression", "xgb_categorical"])
func xgboostModelsPredictWhatXGBoostPredicts(fixture: String) throws {
    let difference = try ImportFixtures.largestDifference(fixture)
    #expect(difference <= 1e-6, "\(fixture): largest difference \(difference)")
}

@Test func servingBenchmarkModelPredictsItsExpectedProbabilities() throws {
    // bench/serving/model: 100 trees of 31 leaves, where double leaf values summed in Float would drift.
    let directory = ImportFixtures.directory.appendingPathComponent("../../../bench/serving/model").standardized
    let text = try String(contentsOf: directory.appendingPathComponent("model.lgb"), encoding: .utf8)
    let model = try LightGBMModelImport.model(fromText: text)
    #expect(model.report.iterations == 100)
    struct Request: Decodable {
        struct Split: Decodable {
            var columns: [String]
            var data: [[Double]]
        }
        var dataframeSplit: Split
    }
    struct Expected: Decodable { var predictions: [Double] }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let request = try decoder.decode(Request.self,
                                     from: Data(contentsOf: directory.appendingPathComponent("requests.json")))
    let expected = try decoder.decode(Expected.self,
                                      from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
    #expect(request.dataframeSplit.columns == model.schema.features.map(\.name))
    #expect(request.dataframeSplit.data.count == expected.predictions.count)
    for (row, probability) in zip(request.dataframeSplit.data, expected.predictions) {
        let predicted = try model.predict(row: row.map { Float($0) })
        #expect(abs(predicted[1] - probability) <= 1e-6)
    }
}

@Test func importedSchemasNameFeaturesAndClassesAsTheSourceModel() throws {
    let binary = try ImportFixtures.model("lgb_binary")
    #expect(binary.family == .lightgbm)
    #expect(binary.schema.features.map(\.name) == ["x0", "x1", "x2", "x3", "x4", "x5", "lounge"])
    #expect(binary.schema.features[6].kind == .categorical)
    #expect(binary.schema.features[6].levels == (0...9).map(String.init))
    #expect(binary.target.classLabels == ["0", "1"])
    #expect(binary.report.iterations == 30)

    let pandas = try ImportFixtures.model("lgb_pandas")
    #expect(pandas.schema.features.map(\.kind) == [.numeric, .categorical, .numeric])
    #expect(pandas.schema.features[1].levels == ["blue", "green", "pink", "red", "teal", "white"])

    let multiclass = try ImportFixtures.model("lgb_multiclass")
    #expect(multiclass.target.task == .multiclassClassification)
    #expect(multiclass.target.classLabels == ["0", "1", "2"])

    let unnamed = try ImportFixtures.model("xgb_regression")
    #expect(unnamed.family == .xgboost)
    #expect(unnamed.schema.features.map(\.name) == (0..<6).map { "f\($0)" })
    #expect(unnamed.target.task == .regression)

    let categorical = try ImportFixtures.model("xgb_categorical")
    #expect(categorical.schema.features.map(\.kind) == [.numeric, .categorical, .categorical])
    #expect(categorical.schema.features[1].levels == ["blue", "green", "pink", "red", "teal", "white"])
    #expect(categorical.schema.features[2].levels == (1...7).map(String.init))
}

@Test(arguments: ["lgb_binary", "lgb_regression", "xgb_regression", "xgb_categorical"])
func importedModelsSurviveTheModelFile(fixture: String) throws {
    let model = try ImportFixtures.model(fixture)
    let data = try ModelFile.encode(model)
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    #expect(object?["family"] as? String == (fixture.hasPrefix("lgb_") ? "lightgbm" : "xgboost"))
    let loaded = try ModelFile.decode(data)
    #expect(loaded == model)
    let frame = try ImportFixtures.inputs(fixture)
    #expect(try loaded.predict(frame) == (try model.predict(frame)))
}

@Test func importedFamiliesAreNotTrainedByHangar() throws {
    #expect(!TabularModel.Family.lightgbm.supports(.regression))
    #expect(!TabularModel.Family.xgboost.supports(.binaryClassification))
    let frame = try ImportFixtures.inputs("xgb_regression")
    #expect(throws: TrainingError.self) {
        try TabularModel.Family.xgboost.train(frame, target: "f0", task: .regression, parameters: ParameterSet())
    }
}

@Test func doubleThresholdsBecomeTheFloatThatKeepsEveryDecision() {
    var random = TestRandom(seed: 5)
    for _ in 0..<10_000 {
        let threshold = (random.uniform() - 0.5) * pow(10, Double(random.int(below: 12)) - 6)
        let float = Float(atOrBelow: threshold)
        for x in [Float(threshold), Float(threshold).nextDown, Float(threshold).nextUp, float, float.nextUp] {
            #expect((x <= float) == (Double(x) <= threshold), "x \(x), threshold \(threshold)")
        }
    }
}

// MARK: - Errors a user sees

private func importError(_ body: () throws -> TabularModel) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return "\(error)"
    }
}

@Test func unsupportedLightGBMObjectiveIsNamed() throws {
    let text = String(decoding: try ImportFixtures.data("lgb_regression.lgb"), as: UTF8.self)
        .replacingOccurrences(of: "objective=regression", with: "objective=poisson")
    let message = importError { try LightGBMModelImport.model(fromText: text) }
    #expect(message == "LightGBM objective 'poisson' is not supported (supported: "
        + LightGBMModelImport.supportedObjectives + ")")
}

@Test func truncatedLightGBMFileIsRefused() throws {
    let text = String(decoding: try ImportFixtures.data("lgb_binary.lgb"), as: UTF8.self)
    let half = String(text.prefix(text.count / 2))
    let message = importError { try LightGBMModelImport.model(fromText: half) }
    #expect(message?.hasPrefix("malformed LightGBM model at end of file: no 'end of trees' line after") == true)
    #expect(message?.hasSuffix("the file is cut short") == true)
    #expect(importError { try LightGBMModelImport.model(fromText: "hello") }
        == "not a LightGBM model: the text does not start with 'tree'")
}

@Test func damagedLightGBMTreeIsNamed() throws {
    let text = String(decoding: try ImportFixtures.data("lgb_multiclass.lgb"), as: UTF8.self)
    guard let range = text.range(of: "\nleft_child=") else { Issue.record("no left_child"); return }
    let damaged = text.replacingCharacters(in: range, with: "\nleft_child=1 ")
    let message = importError { try LightGBMModelImport.model(fromText: damaged) }
    #expect(message?.hasPrefix("malformed LightGBM model at tree 0, key 'left_child': ") == true, "\(message ?? "")")
}

@Test func filesCutAnywhereAreRefusedOrReadNeverCrash() throws {
    let text = String(decoding: try ImportFixtures.data("lgb_binary.lgb"), as: UTF8.self)
    let json = try ImportFixtures.data("xgb_categorical.json")
    for k in 1..<60 {
        // Past 'end of trees' a LightGBM file still reads; before it, and anywhere in JSON, it is refused.
        let cut = String(text.prefix(text.count * k / 60))
        let endsEarly = !cut.contains("end of trees")
        #expect((importError { try LightGBMModelImport.model(fromText: cut) } != nil) == endsEarly, "cut \(k)")
        #expect(importError { try XGBoostModelImport.model(fromJSON: json.prefix(json.count * k / 60)) } != nil)
    }
}

@Test func unsupportedXGBoostObjectiveIsNamed() throws {
    let text = String(decoding: try ImportFixtures.data("xgb_regression.json"), as: UTF8.self)
        .replacingOccurrences(of: "\"reg:squarederror\"", with: "\"count:poisson\"")
    let message = importError { try XGBoostModelImport.model(fromJSON: Data(text.utf8)) }
    #expect(message == "XGBoost objective 'count:poisson' is not supported (supported: "
        + XGBoostModelImport.supportedObjectives + ")")
}

@Test func truncatedOrForeignXGBoostFilesAreRefused() throws {
    let data = try ImportFixtures.data("xgb_binary.json")
    #expect(importError { try XGBoostModelImport.model(fromJSON: data.prefix(data.count / 2)) }
        == "malformed XGBoost model at the file: not valid JSON; the file may be cut short")
    #expect(importError { try XGBoostModelImport.model(fromJSON: Data("{L\u{0}\u{0}".utf8)) }
        == "not a XGBoost model: the file looks like UBJSON, which is not read (save the booster with "
        + "model_format='json')")
    #expect(importError { try XGBoostModelImport.model(fromJSON: Data("{\"tree\": 1}".utf8)) }
        == "not a XGBoost model: no 'learner' object")
}

@Test func missingXGBoostKeyIsNamedWithItsPath() throws {
    var object = try #require(try JSONSerialization.jsonObject(with: ImportFixtures.data("xgb_multiclass.json"))
        as? [String: Any])
    var learner = try #require(object["learner"] as? [String: Any])
    var booster = try #require(learner["gradient_booster"] as? [String: Any])
    var model = try #require(booster["model"] as? [String: Any])
    var trees = try #require(model["trees"] as? [[String: Any]])
    trees[3]["split_conditions"] = nil
    model["trees"] = trees
    booster["model"] = model
    learner["gradient_booster"] = booster
    object["learner"] = learner
    let data = try JSONSerialization.data(withJSONObject: object)
    #expect(importError { try XGBoostModelImport.model(fromJSON: data) }
        == "malformed XGBoost model at learner.gradient_booster.model.trees[3]: no 'split_conditions'")
}
