/// One input column a model reads, with what it needs to encode it the way it was trained.
public struct FeatureSpec: Sendable, Codable, Equatable {
    /// The column name.
    public var name: String
    /// The column kind at training time.
    public var kind: ColumnKind
    /// Categories seen in training, in code order (categorical features only).
    public var levels: [String]

    /// Creates a feature description.
    public init(name: String, kind: ColumnKind, levels: [String] = []) {
        self.name = name
        self.kind = kind
        self.levels = levels
    }
}

/// The input columns of a model in the order its learner reads them.
public struct FeatureSchema: Sendable, Codable, Equatable {
    /// The features in model order.
    public var features: [FeatureSpec]

    /// Creates a schema from feature descriptions.
    public init(features: [FeatureSpec]) {
        self.features = features
    }

    /// A schema with every column of `frame` except those named in `excluding`.
    public init(frame: DataFrame, excluding: Set<String>) {
        features = frame.columns.filter { !excluding.contains($0.name) }.map { column in
            if case .categorical(_, let levels) = column.values {
                return FeatureSpec(name: column.name, kind: .categorical, levels: levels)
            }
            return FeatureSpec(name: column.name, kind: column.kind)
        }
    }
}

extension FeatureSchema {
    /// Level counts of categorical features, 0 for the others.
    var categoryCounts: [Int] {
        features.map { $0.kind == .categorical ? $0.levels.count : 0 }
    }
}

/// Why input rows do not fit a model's schema.
public enum ModelInputError: Error, Equatable, CustomStringConvertible {
    /// A column the model was trained on is absent.
    case missingColumn(String)
    /// A column has a kind the model cannot read (e.g. text where a number was trained).
    case kindMismatch(column: String, expected: ColumnKind, found: ColumnKind)
    /// A row has the wrong number of values.
    case wrongFeatureCount(expected: Int, found: Int)
    /// The model's preprocessing cannot derive its features from the input (e.g. a value that is not a date).
    case preprocessing(PreprocessingError)

    public var description: String {
        switch self {
        case .missingColumn(let name): "the input lacks column '\(name)' that the model was trained on"
        case .kindMismatch(let column, let expected, let found):
            "column '\(column)' is \(found) but the model was trained on \(expected) values"
        case .wrongFeatureCount(let expected, let found): "expected \(expected) feature values, got \(found)"
        case .preprocessing(let error): error.description
        }
    }
}
