/// Why a metric could not be computed.
public enum MetricError: Error, Equatable, CustomStringConvertible {
    /// Predictions and labels differ in length.
    case lengthMismatch(labels: Int, predictions: Int)
    /// There is nothing to score.
    case empty
    /// The metric needs both classes among the labels (ROC AUC, PR AUC).
    case singleClass
    /// A value is outside what the metric accepts (e.g. a zero target for MAPE, a probability outside [0, 1]).
    case invalidValue(String)

    public var description: String {
        switch self {
        case .lengthMismatch(let labels, let predictions):
            "\(labels) labels but \(predictions) predictions"
        case .empty: "no rows to score"
        case .singleClass: "the labels hold a single class; the metric needs both"
        case .invalidValue(let reason): reason
        }
    }
}

func checkLengths(_ a: Int, _ b: Int) throws(MetricError) {
    guard a == b else { throw .lengthMismatch(labels: a, predictions: b) }
    guard a > 0 else { throw .empty }
}
