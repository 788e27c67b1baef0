import Testing
@testable import HangarML

@Test func autoMLPicksAndRefitsABinaryClassifierByRocAUC() throws {
    let frame = SyntheticData.binary(rows: 500, seed: 31)
    var seen: [AutoMLProgress] = []
    let result = try AutoML.run(frame, target: "label", budget: SearchBudget(trials: 8), folds: 3, seed: 5) {
        seen.append($0)
    }
    #expect(result.task == .binaryClassification)
    #expect(result.metric == .rocAUC)
    #expect(seen.map(\.finished) == Array(1...result.trials.count))
    #expect(result.trials.count <= 8)
    #expect(Set(result.trials.map(\.family)) == [.logisticRegression, .randomForest, .gradientBoostedTrees])
    let means = result.leaderboard.map(\.mean)
    #expect(means == means.sorted(by: >))
    let best = try #require(result.leaderboard.first)
    #expect(best.mean > 0.8)
    #expect(result.model.family == best.family)
    #expect(result.model.metrics["cv_roc_auc_mean"] == best.mean)
    #expect(result.model.trainingDataDigest == TrainingDataDigest.digest(of: frame))
    // Same file format as a single learner.
    #expect(try ModelFile.decode(ModelFile.encode(result.model)) == result.model)
}

@Test func autoMLIsReproducibleForASeedAndTrialBudget() throws {
    let frame = SyntheticData.multiclass(rows: 300, seed: 8)
    let first = try AutoML.run(frame, target: "species", budget: SearchBudget(trials: 5), folds: 3, seed: 1)
    let second = try AutoML.run(frame, target: "species", budget: SearchBudget(trials: 5), folds: 3, seed: 1)
    #expect(first.task == .multiclassClassification && first.metric == .logLoss)
    #expect(first.trials.map(\.foldScores) == second.trials.map(\.foldScores))
    #expect(first.model == second.model)
}

@Test func autoMLDetectsRegressionAndRanksByRMSE() throws {
    let frame = SyntheticData.regression(rows: 400, seed: 12)
    let result = try AutoML.run(frame, target: "y", budget: SearchBudget(trials: 6), folds: 3, seed: 2)
    #expect(result.task == .regression && result.metric == .rmse)
    #expect(result.trials.contains { $0.family == .linearRegression })
    let means = result.leaderboard.map(\.mean)
    #expect(means == means.sorted())
    #expect(result.model.family != .linearRegression) // the target is non-linear
}

@Test func autoMLWithATimeColumnValidatesOnLaterDaysAndDropsTheColumn() throws {
    var frame = SyntheticData.regression(rows: 240, seed: 4)
    let days = (0..<240).map { String(format: "2026-01-%02d", 1 + $0 / 8) }
    var levels: [String] = []
    var codes: [Int32] = []
    for day in days {
        if levels.last != day { levels.append(day) }
        codes.append(Int32(levels.count - 1))
    }
    frame = try DataFrame(columns: frame.columns + [Column(name: "day", values: .categorical(codes: codes,
                                                                                             levels: levels))])
    let result = try AutoML.run(frame, target: "y", timeColumn: "day", budget: SearchBudget(trials: 3), folds: 3)
    #expect(!result.model.schema.features.contains { $0.name == "day" })
    #expect(result.trials.allSatisfy { $0.foldScores.count == 3 })
}

@Test func autoMLRefusesUnusableInput() {
    let frame = SyntheticData.binary(rows: 100, seed: 1)
    #expect(throws: AutoMLError.training(.missingTarget("nope"))) {
        try AutoML.run(frame, target: "nope", budget: SearchBudget(trials: 5))
    }
    #expect(throws: AutoMLError.budgetTooSmall(trials: 2, needed: 3)) {
        try AutoML.run(frame, target: "label", budget: SearchBudget(trials: 2))
    }
    #expect(throws: AutoMLError.unusableColumn(name: "when", reason: "not in the data")) {
        try AutoML.run(frame, target: "label", timeColumn: "when", budget: SearchBudget(trials: 5))
    }
}

@Test func autoMLWithAGroupColumnKeepsItAsAFeatureAndFoldsByGroup() throws {
    let base = SyntheticData.binary(rows: 300, seed: 6)
    let lounges = Column(name: "lounge", values: .categorical(codes: (0..<300).map { Int32($0 % 6) },
                                                              levels: ["A", "B", "C", "D", "E", "F"]))
    let frame = try DataFrame(columns: base.columns + [lounges])
    let result = try AutoML.run(frame, target: "label", groupColumn: "lounge", budget: SearchBudget(trials: 3),
                                folds: 3)
    #expect(result.model.schema.features.contains { $0.name == "lounge" })
    #expect(result.trials.allSatisfy { $0.foldScores.count == 3 })
}

@Test func autoMLValidatesLargeDataOnOneHoldoutSplit() throws {
    let large = SyntheticData.binary(rows: AutoML.holdoutRows, seed: 3)
    let target = try EncodedTarget.encode(frame: large, name: "label", task: nil)
    let holdout = try AutoML.folds(frame: large, target: target, timeColumn: nil, groupColumn: nil, count: nil,
                                   seed: 1)
    #expect(holdout.count == 1)
    #expect(holdout[0].validation.count == AutoML.holdoutRows / 5)
    // Each class keeps its share in the validation rows.
    let positives = holdout[0].validation.filter { target.values[$0] > 0.5 }.count
    let share = Double(target.values.filter { $0 > 0.5 }.count) / Double(AutoML.holdoutRows)
    #expect(abs(Double(positives) / Double(holdout[0].validation.count) - share) < 0.001)
    // Folds asked for, or fewer rows, keep k-fold.
    #expect(try AutoML.folds(frame: large, target: target, timeColumn: nil, groupColumn: nil, count: 3, seed: 1)
        .count == 3)
    let small = SyntheticData.binary(rows: 500, seed: 3)
    let smallTarget = try EncodedTarget.encode(frame: small, name: "label", task: nil)
    #expect(try AutoML.folds(frame: small, target: smallTarget, timeColumn: nil, groupColumn: nil, count: nil,
                             seed: 1).count == 5)
}

@Test func aGrownBoostingCandidateHasTwiceTheLeavesAndRoomForTwiceTheTrees() {
    let grown = AutoML.grown(ParameterSet(["numLeaves": 35, "trees": 124, "learningRate": 0.02, "lambdaL2": 1]))
    #expect(grown == ParameterSet(["numLeaves": 70, "trees": 248, "learningRate": 0.1, "lambdaL2": 1]))
    #expect(AutoML.grown(ParameterSet(["numLeaves": 600, "trees": 30, "learningRate": 0.3]))
        == ParameterSet(["numLeaves": 1024, "trees": 100, "learningRate": 0.3]))
    #expect(AutoML.grown(ParameterSet(["numLeaves": 1024])) == nil)
}

@Test func theClimbGrowsTheLeadingBoostingCandidateWhileItImproves() throws {
    let frame = SyntheticData.binary(rows: 3000, seed: 17)
    let labels = (0..<frame.rowCount).map { Int(frame["label"]!.numericValue(at: $0)) }
    let validation = try CrossValidation(frame: frame, target: "label",
                                         folds: Splits.stratifiedKFold(labels: labels, folds: 3, seed: 2))
    let start = ParameterSet(["numLeaves": 2, "trees": 10, "learningRate": 0.1, "minDataInLeaf": 5])
    let leading = validation.evaluate(.gradientBoostedTrees, parameters: start, seed: 1)
    var reported = 0
    let climbed = AutoML.climb(from: leading, validation: validation, budget: SearchBudget(trials: 6), seed: 1) { _ in
        reported += 1
    }
    #expect(reported == climbed.count)
    #expect(!climbed.isEmpty && climbed.count <= 6)
    // Every step but the last improved on the one before; the last either improved too (budget or cap reached)
    // or ended the climb.
    let means = [leading.mean] + climbed.map(\.mean)
    for step in 1..<means.count - 1 { #expect(means[step] > means[step - 1]) }
    #expect(climbed.first?.parameters.values["numLeaves"] == 4)
    #expect(climbed.allSatisfy { $0.resource == 1 && $0.failure == nil && $0.family == .gradientBoostedTrees })
    // A trial budget alone makes the climb reproducible.
    let again = AutoML.climb(from: leading, validation: validation, budget: SearchBudget(trials: 6), seed: 1) { _ in }
    #expect(again.map(\.foldScores) == climbed.map(\.foldScores))
}
