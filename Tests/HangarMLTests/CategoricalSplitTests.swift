import Foundation
import Testing
@testable import HangarML

/// Eight categories; the target is 1 for a non-contiguous set of them, which no single threshold on codes separates.
private func scatteredCategories(rows: Int) throws -> DataFrame {
    let levels = ["A", "B", "C", "D", "E", "F", "G", "H"]
    let positive: Set<Int32> = [1, 4, 6]
    var random = TestRandom(seed: 21)
    let codes = (0..<rows).map { _ in Int32(random.int(below: levels.count)) }
    return try DataFrame(columns: [
        Column(name: "lounge", values: .categorical(codes: codes, levels: levels)),
        Column(name: "busy", values: .double(codes.map { positive.contains($0) ? 1 : 0 })),
    ])
}

@Test func oneSetSplitSeparatesScatteredCategories() throws {
    let frame = try scatteredCategories(rows: 400)
    var config = GBDTConfig()
    config.task = .regression
    config.trees = 1
    config.numLeaves = 2
    config.learningRate = 1
    config.minDataInLeaf = 1
    let model = try GBDTTrainer(config: config).train(frame, target: "busy")
    guard case .trees(let ensemble) = model.learner else { Issue.record("not trees"); return }
    #expect(ensemble.nodes[0].flags & TreeNode.categorical != 0)
    for (code, expected) in [(0, 0.0), (1, 1), (2, 0), (3, 0), (4, 1), (5, 0), (6, 1), (7, 0)] {
        #expect(abs(try model.predict(row: [Float(code)])[0] - expected) < 1e-6, "category \(code)")
    }
    // Missing and unseen categories go right, with the larger group here.
    let right = try model.predict(row: [0])[0]
    #expect(try model.predict(row: [.nan])[0] == right)
}

@Test func categoricalTreesSurviveTheModelFile() throws {
    let frame = try scatteredCategories(rows: 400)
    var config = GBDTConfig()
    config.trees = 5
    config.minDataInLeaf = 5
    let model = try GBDTTrainer(config: config).train(frame, target: "busy")
    let loaded = try ModelFile.decode(ModelFile.encode(model))
    #expect(loaded == model)
    #expect(try loaded.predict(frame) == (try model.predict(frame)))
}

@Test func unseenCategoriesAtPredictionTimeAreTreatedAsMissing() throws {
    let frame = try scatteredCategories(rows: 400)
    var config = GBDTConfig()
    config.trees = 5
    let model = try GBDTTrainer(config: config).train(frame, target: "busy")
    let fresh = try DataFrame(columns: [
        Column(name: "lounge", values: .categorical(codes: [0, 1], levels: ["Z", "B"])),
    ])
    let predictions = try model.predict(fresh)
    #expect(try predictions.row(0) == model.predict(row: [.nan]))
    #expect(try predictions.row(1) == model.predict(row: [1]))
}
