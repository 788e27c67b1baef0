import Foundation

/// Precision, recall and F1 of one class or averaged over classes.
public struct PrecisionRecall: Sendable, Equatable {
    /// Share of predicted positives that are positive.
    public var precision: Double
    /// Share of positives that were predicted positive.
    public var recall: Double
    /// Harmonic mean of precision and recall.
    public var f1: Double
}

/// Metrics of predicted classes and probabilities against true classes (classes are 0-based integers).
public enum ClassificationMetrics {
    /// Share of rows whose predicted class is the true class.
    public static func accuracy(labels: [Int], predicted: [Int]) throws(MetricError) -> Double {
        try checkLengths(labels.count, predicted.count)
        let hits = zip(labels, predicted).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(hits) / Double(labels.count)
    }

    /// Precision, recall and F1 of class `positive` (0 when undefined, as scikit-learn's `zero_division=0`).
    public static func precisionRecall(labels: [Int], predicted: [Int], positive: Int = 1) throws(MetricError)
        -> PrecisionRecall
    {
        try checkLengths(labels.count, predicted.count)
        var truePositive = 0, falsePositive = 0, falseNegative = 0
        for (label, guess) in zip(labels, predicted) {
            if guess == positive, label == positive { truePositive += 1 }
            if guess == positive, label != positive { falsePositive += 1 }
            if guess != positive, label == positive { falseNegative += 1 }
        }
        let predictedPositive = truePositive + falsePositive, actualPositive = truePositive + falseNegative
        let precision = predictedPositive == 0 ? 0 : Double(truePositive) / Double(predictedPositive)
        let recall = actualPositive == 0 ? 0 : Double(truePositive) / Double(actualPositive)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return PrecisionRecall(precision: precision, recall: recall, f1: f1)
    }

    /// Unweighted mean over the classes present in labels or predictions of per-class precision, recall and F1.
    public static func macroPrecisionRecall(labels: [Int], predicted: [Int]) throws(MetricError) -> PrecisionRecall {
        try checkLengths(labels.count, predicted.count)
        let classes = Set(labels).union(predicted).sorted()
        var sum = PrecisionRecall(precision: 0, recall: 0, f1: 0)
        for c in classes {
            let scores = try precisionRecall(labels: labels, predicted: predicted, positive: c)
            sum.precision += scores.precision
            sum.recall += scores.recall
            sum.f1 += scores.f1
        }
        let n = Double(classes.count)
        return PrecisionRecall(precision: sum.precision / n, recall: sum.recall / n, f1: sum.f1 / n)
    }

    /// Mean negative log-likelihood of the true class; `probabilities[i][k]` is row i's probability of class k.
    /// Probabilities are clipped to [1e-15, 1 - 1e-15] as scikit-learn does.
    public static func logLoss(labels: [Int], probabilities: [[Double]]) throws(MetricError) -> Double {
        try checkLengths(labels.count, probabilities.count)
        var total = 0.0
        for (label, row) in zip(labels, probabilities) {
            guard label >= 0, label < row.count else { throw .invalidValue("class \(label) has no probability") }
            total -= log(min(max(row[label], 1e-15), 1 - 1e-15))
        }
        return total / Double(labels.count)
    }

    /// Binary log loss from the probability of the positive class.
    public static func logLoss(labels: [Bool], positiveProbabilities: [Double]) throws(MetricError) -> Double {
        try logLoss(labels: labels.map { $0 ? 1 : 0 }, probabilities: positiveProbabilities.map { [1 - $0, $0] })
    }
}
