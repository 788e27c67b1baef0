import Foundation
import Testing
@testable import HangarML

private func smallBoostedModel() throws -> (TabularModel, DataFrame) {
    let frame = SyntheticData.multiclass(rows: 600, seed: 17)
    var config = GBDTConfig()
    config.trees = 8
    return (try GBDTTrainer(config: config).train(frame, target: "species"), frame)
}

@Test func boostedModelSurvivesASaveAndLoad() throws {
    let (model, frame) = try smallBoostedModel()
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-\(UUID()).json").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ModelFile.save(model, to: path)
    let loaded = try ModelFile.load(from: path)
    #expect(loaded == model)
    #expect(try loaded.predict(frame) == (try model.predict(frame)))
}

@Test func linearModelsSurviveEncodeAndDecode() throws {
    let frame = SyntheticData.multiclass(rows: 300, seed: 18)
    let logistic = try LogisticRegressionTrainer().train(frame, target: "species")
    #expect(try ModelFile.decode(ModelFile.encode(logistic)) == logistic)
    let linear = try LinearRegressionTrainer().train(frame.dropping(column: "species"), target: "a")
    #expect(try ModelFile.decode(ModelFile.encode(linear)) == linear)
}

@Test func modelFileDescribesItselfInJSON() throws {
    let (model, _) = try smallBoostedModel()
    let object = try JSONSerialization.jsonObject(with: ModelFile.encode(model)) as? [String: Any]
    #expect(object?["format"] as? String == "hangar-model")
    #expect(object?["formatVersion"] as? Int == ModelFile.formatVersion(of: model))
    #expect(object?["family"] as? String == "gbdt")
    let target = object?["target"] as? [String: Any]
    #expect(target?["classLabels"] as? [String] == ["setosa", "versicolor", "virginica"])
}

@Test func newerFormatVersionIsRefusedClearly() throws {
    let (model, _) = try smallBoostedModel()
    var object = try JSONSerialization.jsonObject(with: ModelFile.encode(model)) as! [String: Any]
    object["formatVersion"] = ModelFile.formatVersion + 1
    let data = try JSONSerialization.data(withJSONObject: object)
    let expected = ModelFileError.newerFormat(found: ModelFile.formatVersion + 1, supported: ModelFile.formatVersion)
    #expect(throws: expected) {
        try ModelFile.decode(data)
    }
}

@Test func otherFilesAreNotTakenForModels() {
    #expect(throws: ModelFileError.notAModelFile) { try ModelFile.decode(Data("{\"name\": 1}".utf8)) }
    #expect(throws: ModelFileError.notAModelFile) { try ModelFile.decode(Data([0xFF, 0x00, 0x12])) }
    #expect(throws: ModelFileError.self) { try ModelFile.load(from: "/nonexistent/model.json") }
}

@Test func damagedTreesAreRefusedInsteadOfCrashing() throws {
    let (model, _) = try smallBoostedModel()
    guard case .trees(var ensemble) = model.learner else { Issue.record("not trees"); return }
    ensemble.nodes[0].child = Int32(ensemble.nodes.count + 5)
    var broken = model
    broken.learner = .trees(ensemble)
    #expect(throws: ModelFileError.self) { try ModelFile.decode(ModelFile.encode(broken)) }
}
