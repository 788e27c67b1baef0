import Foundation
import Testing
import HangarML

@Test func leastSquaresMatchesTheClosedFormOnATinySet() throws {
    // x = 1...4, y = 2, 3, 5, 4: slope = 4 / 5 = 0.8, intercept = 3.5 - 0.8 * 2.5 = 1.5.
    let frame = try DataFrame(columns: [
        Column(name: "x", values: .double([1, 2, 3, 4])), Column(name: "y", values: .double([2, 3, 5, 4])),
    ])
    let model = try LinearRegressionTrainer().train(frame, target: "y")
    #expect(abs(try model.predict(row: [0])[0] - 1.5) < 1e-12)
    #expect(abs(try model.predict(row: [10])[0] - 9.5) < 1e-12)
}

@Test func leastSquaresRecoversAnExactLinearFunction() throws {
    var random = TestRandom(seed: 8)
    var x1: [Double] = [], x2: [Double] = [], group: [Int32] = [], y: [Double] = []
    for _ in 0..<60 {
        let a = random.uniform(-5, 5), b = random.uniform(0, 10), g = Int32(random.int(below: 3))
        x1.append(a)
        x2.append(b)
        group.append(g)
        y.append(2 + 3 * a - 1.5 * b + [0, 4, -2][Int(g)])
    }
    let frame = try DataFrame(columns: [
        Column(name: "x1", values: .double(x1)), Column(name: "x2", values: .double(x2)),
        Column(name: "group", values: .categorical(codes: group, levels: ["a", "b", "c"])),
        Column(name: "y", values: .double(y)),
    ])
    let model = try LinearRegressionTrainer().train(frame, target: "y")
    let predicted = try model.predict(frame).values
    // Feature values reach models as Float32 (as in LightGBM and XGBoost), hence 1e-5 rather than 1e-12.
    #expect(zip(predicted, y).allSatisfy { abs($0 - $1) < 1e-5 })
    // Level "b" (index 1) adds 4 to level "a".
    #expect(abs(try model.predict(row: [0, 0, 1])[0] - (try model.predict(row: [0, 0, 0])[0]) - 4) < 1e-6)
}

@Test func ridgeShrinksTheSlopeTowardsZero() throws {
    let frame = try DataFrame(columns: [
        Column(name: "x", values: .double([1, 2, 3, 4])), Column(name: "y", values: .double([2, 3, 5, 4])),
    ])
    var config = LinearRegressionConfig()
    config.l2 = 10
    let ridge = try LinearRegressionTrainer(config: config).train(frame, target: "y")
    let atTen = try ridge.predict(row: [10])[0]
    #expect(atTen > 3.5 && atTen < 9.5)
}

@Test func missingNumbersAreImputedWithTheTrainingMean() throws {
    let frame = try DataFrame(columns: [
        Column(name: "x", values: .double([1, 2, 3, 4])), Column(name: "y", values: .double([2, 3, 5, 4])),
    ])
    let model = try LinearRegressionTrainer().train(frame, target: "y")
    #expect(abs(try model.predict(row: [.nan])[0] - 3.5) < 1e-12)
}

/// A linear logistic problem: logit = 0.5 + 2 x0 - 3 x1.
private func linearLogistic(rows: Int, seed: UInt64) -> DataFrame {
    var random = TestRandom(seed: seed)
    var x0: [Double] = [], x1: [Double] = [], y: [Int32] = []
    for _ in 0..<rows {
        let a = random.normal(), b = random.normal()
        x0.append(a)
        x1.append(b)
        y.append(random.uniform() < 1 / (1 + exp(-(0.5 + 2 * a - 3 * b))) ? 1 : 0)
    }
    return try! DataFrame(columns: [
        Column(name: "x0", values: .double(x0)), Column(name: "x1", values: .double(x1)),
        Column(name: "churned", values: .categorical(codes: y, levels: ["no", "yes"])),
    ])
}

@Test func logisticRegressionRanksALinearProblemWell() throws {
    let (train, test) = SyntheticData.split(linearLogistic(rows: 3000, seed: 9), at: 2000)
    let model = try LogisticRegressionTrainer().train(train, target: "churned")
    #expect(model.target.classLabels == ["no", "yes"])
    let labels = (0..<test.rowCount).map { test["churned"]!.text(at: $0) == "yes" }
    let auc = try RankingMetrics.rocAUC(labels: labels, scores: try model.predict(test).positiveProbabilities!)
    #expect(auc > 0.9)
}

@Test func unpenalizedLogisticRegressionMatchesTheBaseRate() throws {
    // At the optimum with an intercept, predicted probabilities sum to the number of positives.
    let frame = linearLogistic(rows: 1000, seed: 10)
    var config = LogisticRegressionConfig()
    config.l2 = 0
    let model = try LogisticRegressionTrainer(config: config).train(frame, target: "churned")
    let probabilities = try model.predict(frame).positiveProbabilities!
    let positives = (0..<frame.rowCount).filter { frame["churned"]!.text(at: $0) == "yes" }.count
    #expect(abs(probabilities.reduce(0, +) - Double(positives)) < 1e-2)
}

@Test func multinomialLogisticRegressionSeparatesThreeClasses() throws {
    let (train, test) = SyntheticData.split(SyntheticData.multiclass(rows: 3000, seed: 11), at: 2000)
    let model = try LogisticRegressionTrainer().train(train, target: "species")
    let predictions = try model.predict(test)
    let truth = (0..<test.rowCount).map { model.target.classLabels.firstIndex(of: test["species"]!.text(at: $0)!)! }
    #expect(try ClassificationMetrics.accuracy(labels: truth, predicted: predictions.predictedClasses!) > 0.75)
    for r in 0..<5 { #expect(abs(predictions.row(r).reduce(0, +) - 1) < 1e-9) }
}

/// Infinite feature values are refused before any learner sees them, naming the column and the first row.
@Test(arguments: [TabularModel.Family.logisticRegression, .gradientBoostedTrees, .randomForest])
func infiniteFeatureValuesAreRefusedNamingTheColumn(family: TabularModel.Family) throws {
    var x = (0..<40).map { Double($0) }
    x[5] = .infinity
    let frame = try DataFrame(columns: [
        Column(name: "x", values: .double(x)),
        Column(name: "label", values: .double((0..<40).map { Double($0 % 2) })),
    ])
    #expect {
        try SingleLearner.run(frame, target: "label", family: family, parameters: ParameterSet([:]))
    } throws: { error in
        "\(error)".contains("column 'x' is infinite in 1 row (the first is data row 6)")
    }
}
