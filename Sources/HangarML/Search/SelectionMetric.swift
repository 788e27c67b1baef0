/// The cross-validated score a search or AutoML ranks candidates by.
public enum SelectionMetric: String, Sendable, Codable, CaseIterable {
    /// Area under the ROC curve (binary classification; higher is better).
    case rocAUC = "roc_auc"
    /// Mean negative log-likelihood of the true class (classification; lower is better).
    case logLoss = "log_loss"
    /// Share of rows classified correctly (classification; higher is better).
    case accuracy
    /// Root mean squared error (regression; lower is better).
    case rmse

    /// The metric AutoML uses for a task: ROC AUC for binary, log loss for multiclass, RMSE for regression.
    public static func preferred(for task: TaskKind) -> SelectionMetric {
        switch task {
        case .binaryClassification: .rocAUC
        case .multiclassClassification: .logLoss
        case .regression: .rmse
        }
    }

    /// Whether a larger value is a better model.
    public var higherIsBetter: Bool { self == .rocAUC || self == .accuracy }

    /// Whether the metric can score `task`.
    public func applies(to task: TaskKind) -> Bool {
        switch self {
        case .rocAUC: task == .binaryClassification
        case .logLoss, .accuracy: task.isClassification
        case .rmse: task == .regression
        }
    }

    /// Whether score `a` is strictly better than `b`; `NaN` (a failed trial) is worse than any number.
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return higherIsBetter ? a > b : a < b
    }

    /// Scores `predictions` against the true target of the scored rows.
    ///
    /// Classes are matched by name, so a model trained on rows lacking a class still scores: that class gets
    /// probability 0 (clipped, as scikit-learn clips) and is never predicted.
    func score(_ predictions: Predictions, truth: ScoredTruth) throws(MetricError) -> Double {
        switch self {
        case .rmse:
            return try RegressionMetrics.rmse(targets: truth.values, predictions: predictions.values)
        case .rocAUC, .logLoss, .accuracy:
            var index: [String: Int] = [:]
            for (i, label) in predictions.classLabels.enumerated() { index[label] = i }
            let modelClass = truth.labels.map { index[$0] ?? -1 }
            let n = modelClass.count
            switch self {
            case .rocAUC:
                let positive = index[truth.classLabels.last ?? ""] ?? -1
                let scores = (0..<n).map { positive < 0 ? 0 : predictions.values[$0 * predictions.width + positive] }
                let labels = truth.labels.map { $0 == truth.classLabels.last }
                return try RankingMetrics.rocAUC(labels: labels, scores: scores)
            case .logLoss:
                let probabilities = (0..<n).map { r in
                    modelClass[r] < 0 ? [0.0] : [predictions.values[r * predictions.width + modelClass[r]]]
                }
                return try ClassificationMetrics.logLoss(labels: [Int](repeating: 0, count: n),
                                                         probabilities: probabilities)
            default:
                let predicted = predictions.predictedClasses ?? []
                return try ClassificationMetrics.accuracy(labels: modelClass, predicted: predicted)
            }
        }
    }
}

/// The true target of scored rows: values for regression, class names for classifiers.
struct ScoredTruth {
    /// Regression values.
    var values: [Double]
    /// Class name per row (classification).
    var labels: [String]
    /// All class names of the full data, in class order.
    var classLabels: [String]

    /// The truth of `rows` of an encoded target.
    init(_ target: EncodedTarget, rows: [Int]) {
        classLabels = target.spec.classLabels
        if target.spec.task.isClassification {
            values = []
            labels = rows.map { target.spec.classLabels[Int(target.values[$0])] }
        } else {
            values = rows.map { target.values[$0] }
            labels = []
        }
    }
}
