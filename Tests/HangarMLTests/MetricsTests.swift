import Testing
import HangarML

@Test func rocAUCOfHandMadeRankings() throws {
    #expect(try RankingMetrics.rocAUC(labels: [false, false, true, true], scores: [0.1, 0.4, 0.35, 0.8]) == 0.75)
    #expect(try RankingMetrics.rocAUC(labels: [false, true], scores: [0.2, 0.9]) == 1)
    #expect(try RankingMetrics.rocAUC(labels: [true, false], scores: [0.2, 0.9]) == 0)
    // All scores tied: every pair counts one half.
    #expect(try RankingMetrics.rocAUC(labels: [true, false, true, false], scores: [0.5, 0.5, 0.5, 0.5]) == 0.5)
}

@Test func rocAUCNeedsBothClasses() {
    #expect(throws: MetricError.singleClass) { try RankingMetrics.rocAUC(labels: [true, true], scores: [0.1, 0.2]) }
    #expect(throws: MetricError.lengthMismatch(labels: 2, predictions: 1)) {
        try RankingMetrics.rocAUC(labels: [true, false], scores: [0.1])
    }
}

@Test func prAUCMatchesAveragePrecisionByHand() throws {
    // scikit-learn: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333...
    let ap = try RankingMetrics.prAUC(labels: [false, false, true, true], scores: [0.1, 0.4, 0.35, 0.8])
    #expect(abs(ap - 5.0 / 6.0) < 1e-12)
    #expect(try RankingMetrics.prAUC(labels: [true, false], scores: [0.9, 0.1]) == 1)
}

@Test func accuracyPrecisionRecallAndF1ByHand() throws {
    let labels = [1, 1, 1, 0, 0, 0, 0, 1]
    let predicted = [1, 1, 0, 0, 0, 1, 0, 1]
    #expect(try ClassificationMetrics.accuracy(labels: labels, predicted: predicted) == 0.75)
    let binary = try ClassificationMetrics.precisionRecall(labels: labels, predicted: predicted)
    #expect(binary.precision == 0.75 && binary.recall == 0.75 && binary.f1 == 0.75)
    let macro = try ClassificationMetrics.macroPrecisionRecall(labels: [0, 1, 2, 2], predicted: [0, 2, 2, 2])
    // class 0: p=1 r=1 f=1; class 1: 0 0 0; class 2: p=2/3 r=1 f=0.8
    #expect(abs(macro.precision - (1 + 0 + 2.0 / 3) / 3) < 1e-12)
    #expect(abs(macro.recall - 2.0 / 3) < 1e-12)
    #expect(abs(macro.f1 - 1.8 / 3) < 1e-12)
}

@Test func logLossByHand() throws {
    let loss = try ClassificationMetrics.logLoss(labels: [true, false], positiveProbabilities: [0.8, 0.4])
    #expect(abs(loss - (-(log(0.8) + log(0.6)) / 2)) < 1e-12)
    let multi = try ClassificationMetrics.logLoss(labels: [2, 0], probabilities: [[0.2, 0.3, 0.5], [0.9, 0.05, 0.05]])
    #expect(abs(multi - (-(log(0.5) + log(0.9)) / 2)) < 1e-12)
}

@Test func regressionMetricsByHand() throws {
    let targets = [3.0, -0.5, 2, 7]
    let predictions = [2.5, 0.0, 2, 8]
    #expect(try RegressionMetrics.rmse(targets: targets, predictions: predictions) == (1.5 / 4).squareRoot())
    #expect(try RegressionMetrics.mae(targets: targets, predictions: predictions) == 0.5)
    // scikit-learn r2_score on this example: 0.948608...
    #expect(abs(try RegressionMetrics.r2(targets: targets, predictions: predictions) - 0.9486081370449679) < 1e-12)
    #expect(abs(try RegressionMetrics.mape(targets: [2, 4], predictions: [1, 5]) - 0.375) < 1e-12)
    #expect(throws: MetricError.self) { try RegressionMetrics.mape(targets: [0], predictions: [1]) }
}

import Foundation

/// A model that outputs NaN (e.g. from infinite inputs) still gets a score back instead of a hung tie loop.
@Test func rankingMetricsFinishOnNaNScores() throws {
    let labels = [true, false, true, false]
    let scores = [0.9, .nan, .nan, 0.1]
    let auc = try RankingMetrics.rocAUC(labels: labels, scores: scores)
    #expect(auc.isFinite)
    _ = try RankingMetrics.prAUC(labels: labels, scores: scores)
}
