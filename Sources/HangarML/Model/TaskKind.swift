/// What a model predicts.
public enum TaskKind: String, Sendable, Codable, Equatable {
    /// A number.
    case regression
    /// One of two classes, with the probability of the second.
    case binaryClassification
    /// One of three or more classes, with a probability per class.
    case multiclassClassification

    /// Whether predictions are classes.
    public var isClassification: Bool { self != .regression }
}

/// Why a model could not be trained.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The target column is not in the data.
    case missingTarget(String)
    /// The target has a single value, so there is nothing to learn.
    case constantTarget(String)
    /// Regression needs a numeric target.
    case nonNumericRegressionTarget(String)
    /// Some rows have no target value.
    case missingTargetValues(column: String, rows: Int)
    /// A regression target holds infinite values.
    case infiniteTargetValues(column: String, rows: Int)
    /// A numeric feature column holds infinite values (`inf` in a CSV); `firstRow` counts data rows from 1.
    case infiniteFeatureValues(column: String, rows: Int, firstRow: Int)
    /// A classification target has more classes than a classifier can sensibly learn (likely a numeric target).
    case tooManyClasses(column: String, classes: Int)
    /// The data has no rows, or too few for the settings.
    case notEnoughRows(Int)
    /// There is no feature column besides the target.
    case noFeatures
    /// A setting is out of range.
    case invalidSetting(String)
    /// The validation data does not match the training data.
    case validationMismatch(String)

    public var description: String {
        switch self {
        case .missingTarget(let name): "target column '\(name)' is not in the data"
        case .constantTarget(let name): "target column '\(name)' has a single value"
        case .nonNumericRegressionTarget(let name): "regression needs a numeric target, '\(name)' is not numeric"
        case .missingTargetValues(let name, let rows): "target column '\(name)' is missing in \(rows) rows"
        case .infiniteTargetValues(let name, let rows): "target column '\(name)' is infinite in \(rows) rows"
        case .infiniteFeatureValues(let name, let rows, let first):
            "column '\(name)' is infinite in \(rows) row\(rows == 1 ? "" : "s") (the first is data row \(first)); models train on "
                + "finite numbers: leave the field empty for a missing value"
        case .tooManyClasses(let name, let classes):
            "target column '\(name)' has \(classes) classes; is it a regression target?"
        case .notEnoughRows(let rows): "not enough rows to train (\(rows))"
        case .noFeatures: "no feature columns besides the target"
        case .invalidSetting(let reason): "invalid setting: \(reason)"
        case .validationMismatch(let reason): "validation data does not match the training data: \(reason)"
        }
    }
}
