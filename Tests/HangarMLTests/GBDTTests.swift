import Foundation
import Testing
@testable import HangarML

@Test func aDepthOneTreeFindsTheKnownSplit() throws {
    let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    let y: [Double] = x.map { $0 <= 6 ? 0 : 5 }
    let frame = try DataFrame(columns: [Column(name: "x", values: .double(x)), Column(name: "y", values: .double(y))])
    var config = GBDTConfig()
    config.task = .regression
    config.trees = 1
    config.numLeaves = 2
    config.minDataInLeaf = 1
    config.learningRate = 1
    let model = try GBDTTrainer(config: config).train(frame, target: "y")
    guard case .trees(let ensemble) = model.learner else { Issue.record("not trees"); return }
    #expect(ensemble.nodes[0].feature == 0)
    #expect(ensemble.nodes[0].threshold == 6.5)
    #expect(try model.predict(row: [6.4]) == [0])
    #expect(try model.predict(row: [6.6]) == [5])
    // No missing values in training: a missing value follows the larger side (x <= 6.5, six rows).
    #expect(try model.predict(row: [.nan]) == [0])
}

@Test func boostingSeparatesASyntheticBinaryProblem() throws {
    let (train, test) = SyntheticData.split(SyntheticData.binary(rows: 4000, seed: 1), at: 3000)
    let model = try GBDTTrainer().train(train, target: "label")
    #expect(model.target.task == .binaryClassification)
    #expect(model.target.classLabels == ["0", "1"])
    let predictions = try model.predict(test)
    let labels = (0..<test.rowCount).map { test["label"]!.numericValue(at: $0) == 1 }
    let auc = try RankingMetrics.rocAUC(labels: labels, scores: predictions.positiveProbabilities!)
    #expect(auc > 0.9)
}

@Test func boostingLearnsThreeClassesWithACategoricalFeature() throws {
    let (train, test) = SyntheticData.split(SyntheticData.multiclass(rows: 3000, seed: 2), at: 2000)
    var config = GBDTConfig()
    config.trees = 60
    let model = try GBDTTrainer(config: config).train(train, target: "species")
    #expect(model.target.task == .multiclassClassification)
    #expect(model.target.classLabels == ["setosa", "versicolor", "virginica"])
    let predictions = try model.predict(test)
    let truth = (0..<test.rowCount).map { model.target.classLabels.firstIndex(of: test["species"]!.text(at: $0)!)! }
    let accuracy = try ClassificationMetrics.accuracy(labels: truth, predicted: predictions.predictedClasses!)
    #expect(accuracy > 0.85)
    for r in 0..<5 { #expect(abs(predictions.row(r).reduce(0, +) - 1) < 1e-9) }
}

@Test func boostingFitsASmoothRegression() throws {
    let (train, test) = SyntheticData.split(SyntheticData.regression(rows: 4000, seed: 3), at: 3000)
    var config = GBDTConfig()
    config.trees = 200
    let model = try GBDTTrainer(config: config).train(train, target: "y")
    #expect(model.target.task == .regression)
    let predicted = try model.predict(test).values
    let truth = (0..<test.rowCount).map { test["y"]!.numericValue(at: $0) }
    #expect(try RegressionMetrics.r2(targets: truth, predictions: predicted) > 0.95)
}

@Test func sameSeedGivesTheSameModelWhateverTheThreadCount() throws {
    let frame = SyntheticData.binary(rows: 40_000, seed: 4)
    var config = GBDTConfig()
    config.trees = 15
    config.baggingFraction = 0.7
    config.featureFraction = 0.8
    config.seed = 42
    config.threads = 1
    let single = try GBDTTrainer(config: config).train(frame, target: "label")
    config.threads = 2
    let first = try GBDTTrainer(config: config).train(frame, target: "label")
    let second = try GBDTTrainer(config: config).train(frame, target: "label")
    #expect(first == second)
    #expect(first == single)
    config.seed = 43
    let other = try GBDTTrainer(config: config).train(frame, target: "label")
    #expect(other != first)
}

@Test func missingValuesLearnTheirOwnDirection() throws {
    // Missing x means the positive class; present x carries no signal.
    var random = TestRandom(seed: 5)
    var x: [Double] = [], y: [Double] = []
    for _ in 0..<2000 {
        let positive = random.uniform() < 0.5
        x.append(positive && random.uniform() < 0.8 ? .nan : random.uniform(0, 1))
        y.append(positive ? 1 : 0)
    }
    let frame = try DataFrame(columns: [Column(name: "x", values: .double(x)), Column(name: "y", values: .double(y))])
    var config = GBDTConfig()
    config.trees = 40
    let model = try GBDTTrainer(config: config).train(frame, target: "y")
    let missing = try model.predict(row: [.nan])[1]
    let present = try model.predict(row: [0.5])[1]
    #expect(missing > 0.9)
    #expect(present < 0.4)
}

/// Settings that overfit fast, so early stopping has something to stop, on 2,000 training and 1,000 validation rows.
private func overfittingSetup() -> (config: GBDTConfig, train: DataFrame, validation: DataFrame) {
    let (train, validation) = SyntheticData.split(SyntheticData.binary(rows: 3000, seed: 6), at: 2000)
    var config = GBDTConfig()
    config.trees = 400
    config.learningRate = 0.3
    config.numLeaves = 63
    config.minDataInLeaf = 2
    config.earlyStoppingRounds = 10
    return (config, train, validation)
}

@Test func earlyStoppingKeepsTheBestIteration() throws {
    let (config, train, validation) = overfittingSetup()
    let model = try GBDTTrainer(config: config).train(train, target: "label", validation: validation)
    let report = model.report
    #expect(report.validationLoss.count < 400)
    #expect(report.iterations == report.bestIteration)
    #expect(report.validationLoss.count == report.bestIteration + 10)
    #expect(report.validationLoss[report.bestIteration - 1] == report.validationLoss.min())
}

@Test func earlyStoppingOnAUCWatchesTheRanking() throws {
    var (config, train, validation) = overfittingSetup()
    config.earlyStoppingMetric = .rocAUC
    let model = try GBDTTrainer(config: config).train(train, target: "label", validation: validation)
    let report = model.report
    #expect(report.iterations == report.bestIteration)
    #expect(report.validationLoss[report.bestIteration - 1] == report.validationLoss.min())
    // The tracked value is 1 - AUC of the kept model on the validation rows.
    let predictions = try model.predict(validation)
    let labels = (0..<validation.rowCount).map { validation["label"]!.numericValue(at: $0) > 0.5 }
    let scores = (0..<validation.rowCount).map { predictions.values[$0 * predictions.width + 1] }
    let auc = try RankingMetrics.rocAUC(labels: labels, scores: scores)
    #expect(abs(1 - report.validationLoss[report.bestIteration - 1] - auc) < 1e-6)

    let regression = SyntheticData.split(SyntheticData.regression(rows: 400, seed: 2), at: 300)
    #expect(throws: TrainingError.invalidSetting("early stopping on roc_auc needs binary classification")) {
        try GBDTTrainer(config: config).train(regression.0, target: "y", validation: regression.1)
    }
}

@Test func trainingRefusesBadTargets() throws {
    let constant = try DataFrame(columns: [
        Column(name: "x", values: .double([1, 2, 3])), Column(name: "y", values: .double([1, 1, 1])),
    ])
    #expect(throws: TrainingError.constantTarget("y")) { try GBDTTrainer().train(constant, target: "y") }
    #expect(throws: TrainingError.missingTarget("z")) { try GBDTTrainer().train(constant, target: "z") }
    let text = try DataFrame(columns: [
        Column(name: "x", values: .double([1, 2])),
        Column(name: "y", values: .categorical(codes: [0, 1], levels: ["a", "b"])),
    ])
    var config = GBDTConfig()
    config.task = .regression
    #expect(throws: TrainingError.nonNumericRegressionTarget("y")) {
        try GBDTTrainer(config: config).train(text, target: "y")
    }
}

@Test func predictingWithoutATrainedColumnIsRefused() throws {
    let frame = SyntheticData.binary(rows: 200, seed: 7)
    var config = GBDTConfig()
    config.trees = 2
    let model = try GBDTTrainer(config: config).train(frame, target: "label")
    #expect(throws: ModelInputError.missingColumn("x3")) { try model.predict(frame.dropping(column: "x3")) }
}

@Test func featureBinsKeepHeavyTiesTogether() {
    var sample: [Float] = Array(repeating: 0, count: 5000)
    for i in 0..<5000 { sample.append(Float(i)) }
    let bins = FeatureBins(sample: sample, maxBins: 16)
    #expect(bins.valueBinCount <= 16)
    #expect(bins.bin(0) == 0)
    #expect(bins.bin(1) != 0)
    #expect(Int(bins.bin(.nan)) == bins.missingBin)
    // One bin per value when values are few.
    let few = FeatureBins(sample: [1, 2, 2, 3], maxBins: 255)
    #expect(few.upperBounds == [1.5, 2.5])
}

@Test func binningAColumnAgreesWithBinningEachValue() {
    var random = TestRandom(seed: 21)
    for binCount in [2, 3, 16, 100, 255] {
        let sample = (0..<4000).map { _ in Float(random.normal()) }
        let bins = FeatureBins(sample: sample, maxBins: binCount)
        // Values on, between, below and above the bounds, and missing.
        var values = bins.upperBounds + bins.upperBounds.map { $0.nextUp } + bins.upperBounds.map { $0.nextDown }
        values += (0..<2000).map { _ in Float(random.normal() * 2) } + [-.infinity, .infinity, .nan]
        var out = [UInt8](repeating: 0, count: values.count)
        out.withUnsafeMutableBufferPointer { bins.bin(values, into: $0.baseAddress!) }
        #expect(out == values.map { bins.bin($0) })
    }
}

@Test func largeLeavesPartitionedInParallelGiveTheSameTrees() throws {
    // 140k rows: the root and its children exceed the parallel partition and histogram thresholds.
    let frame = SyntheticData.binary(rows: 140_000, seed: 19)
    var config = GBDTConfig()
    config.trees = 3
    config.threads = 1
    let single = try GBDTTrainer(config: config).train(frame, target: "label")
    config.threads = 2
    let parallel = try GBDTTrainer(config: config).train(frame, target: "label")
    #expect(single == parallel)
}

@Test func radixSortAgreesWithSorted() {
    var random = TestRandom(seed: 20)
    let special: [Float] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude]
    let values: [Float] = (0..<5000).map { _ in Float(random.normal() * 1000) } + special
    #expect(FeatureBins.radixSorted(values) == values.sorted())
}

@Test func classifyingAContinuousTargetIsRefused() throws {
    let values = (0..<1500).map { Double($0) * 0.37 }
    let frame = try DataFrame(columns: [
        Column(name: "x", values: .double(values)), Column(name: "price", values: .double(values)),
    ])
    var config = GBDTConfig()
    config.task = .multiclassClassification
    #expect(throws: TrainingError.tooManyClasses(column: "price", classes: 1500)) {
        try GBDTTrainer(config: config).train(frame, target: "price")
    }
    let infinite = try DataFrame(columns: [
        Column(name: "x", values: .double([1, 2, 3])), Column(name: "y", values: .double([1, .infinity, 2.5])),
    ])
    #expect(throws: TrainingError.infiniteTargetValues(column: "y", rows: 1)) {
        try LinearRegressionTrainer().train(infinite, target: "y")
    }
}
