import Foundation
import Testing
@testable import HangarML

@Test func forestSeparatesASyntheticBinaryProblem() throws {
    let (train, test) = SyntheticData.split(SyntheticData.binary(rows: 3000, seed: 12), at: 2000)
    var config = RandomForestConfig()
    config.trees = 40
    let model = try RandomForestTrainer(config: config).train(train, target: "label")
    let labels = (0..<test.rowCount).map { test["label"]!.numericValue(at: $0) == 1 }
    let probabilities = try model.predict(test).positiveProbabilities!
    #expect(probabilities.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(try RankingMetrics.rocAUC(labels: labels, scores: probabilities) > 0.88)
}

@Test func forestFitsARegression() throws {
    let (train, test) = SyntheticData.split(SyntheticData.regression(rows: 3000, seed: 13), at: 2000)
    var config = RandomForestConfig()
    config.trees = 40
    let model = try RandomForestTrainer(config: config).train(train, target: "y")
    let truth = (0..<test.rowCount).map { test["y"]!.numericValue(at: $0) }
    #expect(try RegressionMetrics.r2(targets: truth, predictions: model.predict(test).values) > 0.85)
}

@Test func forestPredictsThreeClassesWithProbabilitiesSummingToOne() throws {
    let (train, test) = SyntheticData.split(SyntheticData.multiclass(rows: 3000, seed: 14), at: 2000)
    var config = RandomForestConfig()
    config.trees = 30
    let model = try RandomForestTrainer(config: config).train(train, target: "species")
    let predictions = try model.predict(test)
    let truth = (0..<test.rowCount).map { model.target.classLabels.firstIndex(of: test["species"]!.text(at: $0)!)! }
    #expect(try ClassificationMetrics.accuracy(labels: truth, predicted: predictions.predictedClasses!) > 0.8)
    for r in 0..<5 { #expect(abs(predictions.row(r).reduce(0, +) - 1) < 1e-9) }
}

@Test func forestTreesStayWithinTheLeafCap() throws {
    let frame = SyntheticData.regression(rows: 2000, seed: 15)
    var config = RandomForestConfig()
    config.trees = 5
    config.maxLeaves = 16
    config.minDataInLeaf = 1
    let model = try RandomForestTrainer(config: config).train(frame, target: "y")
    guard case .trees(let ensemble) = model.learner else { Issue.record("not trees"); return }
    #expect(ensemble.treeCount == 5)
    let leaves = ensemble.nodes.filter(\.isLeaf).count
    #expect(leaves == 5 * 16)
}

@Test func forestIsDeterministicForASeed() throws {
    let frame = SyntheticData.binary(rows: 1000, seed: 16)
    var config = RandomForestConfig()
    config.trees = 10
    config.seed = 7
    let first = try RandomForestTrainer(config: config).train(frame, target: "label")
    config.threads = 1
    let second = try RandomForestTrainer(config: config).train(frame, target: "label")
    #expect(first == second)
}
