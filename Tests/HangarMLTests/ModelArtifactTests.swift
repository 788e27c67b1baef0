import Foundation
import Testing
@testable import HangarML

@Test func trainedModelsCarryDigestProfileAndLibraryThroughAFile() throws {
    let frame = SyntheticData.multiclass(rows: 400, seed: 2)
    var model = try GBDTTrainer().train(frame, target: "species")
    model.metrics = ["validation_accuracy": 0.91]
    let loaded = try ModelFile.decode(ModelFile.encode(model))
    #expect(loaded == model)
    #expect(loaded.trainingDataDigest == TrainingDataDigest.digest(of: frame))
    #expect(loaded.libraryVersion == ModelFile.libraryVersion)
    #expect(loaded.metrics == ["validation_accuracy": 0.91])
    let profile = try #require(loaded.referenceProfile)
    #expect(profile.features.map(\.name) == ["a", "b", "noise", "colour"])
    #expect(profile.target?.name == "species")
}

@Test func numericProfilesHoldQuantileBinsAndMissingRate() throws {
    let values = (0..<1_000).map { $0 % 10 == 0 ? Double.nan : Double($0) }
    let frame = try DataFrame(columns: [Column(name: "x", values: .double(values))])
    let profile = try #require(ReferenceProfile(frame: frame).features.first)
    #expect(profile.missingRate == 0.1)
    #expect(profile.binEdges.count == 9)
    #expect(profile.binEdges == profile.binEdges.sorted())
    #expect(profile.binCounts.reduce(0, +) == 900)
    #expect(profile.binCounts.allSatisfy { abs($0 - 90) <= 1 })
}

@Test func categoricalProfilesHoldFrequencies() throws {
    let frame = try DataFrame(columns: [
        Column(name: "c", values: .categorical(codes: [0, 0, 1, -1, 0, 1, 1, 1], levels: ["a", "b"])),
        Column(name: "flag", values: .boolean([true, nil, false, true, true, true, true, true])),
    ])
    let profiles = ReferenceProfile(frame: frame).features
    #expect(profiles[0].missingRate == 0.125)
    #expect(profiles[0].categoryCounts == [3, 4])
    #expect(profiles[0].categoryFrequencies == ["a": 3.0 / 7, "b": 4.0 / 7])
    #expect(profiles[1].categories == ["false", "true"] && profiles[1].categoryCounts == [1, 6])
}

@Test func digestDependsOnContentNotStorage() throws {
    let doubles = try DataFrame(columns: [Column(name: "x", values: .double([1.5, .nan, -0.0]))])
    let floats = try DataFrame(columns: [Column(name: "x", values: .float([1.5, .nan, 0]))])
    #expect(TrainingDataDigest.digest(of: doubles) == TrainingDataDigest.digest(of: floats))
    let reordered = try DataFrame(columns: [Column(name: "c", values: .categorical(codes: [1, 0], levels: ["p", "q"]))])
    let original = try DataFrame(columns: [Column(name: "c", values: .categorical(codes: [0, 1], levels: ["q", "p"]))])
    #expect(TrainingDataDigest.digest(of: reordered) == TrainingDataDigest.digest(of: original))
    let changed = try DataFrame(columns: [Column(name: "x", values: .double([1.5, .nan, 1]))])
    #expect(TrainingDataDigest.digest(of: changed) != TrainingDataDigest.digest(of: doubles))
    #expect(TrainingDataDigest.digest(of: doubles).hasPrefix("hx64v1:"))
    #expect(TrainingDataDigest.digest(of: doubles).count == 7 + 16)
}

@Test func versionOneFilesWithoutTheNewKeysStillLoad() throws {
    let frame = SyntheticData.regression(rows: 200, seed: 3)
    let model = try LinearRegressionTrainer().train(frame, target: "y")
    var object = try JSONSerialization.jsonObject(with: ModelFile.encode(model)) as! [String: Any]
    #expect(object["formatVersion"] as? Int == 1)
    #expect(object["trainingDataDigest"] is String && object["referenceProfile"] is [String: Any])
    for key in ["metrics", "trainingDataDigest", "referenceProfile"] { object[key] = nil }
    object["library"] = "HangarML 0.1.0"
    let loaded = try ModelFile.decode(JSONSerialization.data(withJSONObject: object))
    #expect(loaded.trainingDataDigest == nil && loaded.referenceProfile == nil && loaded.metrics.isEmpty)
    #expect(loaded.libraryVersion == "HangarML 0.1.0")
    #expect(try loaded.predict(frame) == (try model.predict(frame)))
}
