/// The column a model predicts and how its values map to classes.
public struct TargetSpec: Sendable, Codable, Equatable {
    /// The target column name.
    public var name: String
    /// What is predicted.
    public var task: TaskKind
    /// Class names in class-index order (classification only), as they read in the data file.
    public var classLabels: [String]

    /// Creates a target description.
    public init(name: String, task: TaskKind, classLabels: [String] = []) {
        self.name = name
        self.task = task
        self.classLabels = classLabels
    }
}

/// A target column turned into numbers a learner reads: class indices or regression values.
struct EncodedTarget: Sendable {
    var spec: TargetSpec
    /// Class index (classification) or value (regression) per row.
    var values: [Double]

    var classCount: Int { spec.classLabels.count }

    /// Encodes `name` of `frame`; with no task given, text, true/false and few whole numbers mean classification.
    static func encode(frame: DataFrame, name: String, task: TaskKind?) throws(TrainingError) -> EncodedTarget {
        guard let column = frame[name] else { throw .missingTarget(name) }
        let missing = column.missingCount
        guard missing == 0 else { throw .missingTargetValues(column: name, rows: missing) }
        guard frame.rowCount > 0 else { throw .notEnoughRows(0) }
        let texts: [String]
        switch column.values {
        case .double(let v):
            if task == .regression || (task == nil && !looksLikeClasses(v)) {
                return try regression(name: name, values: v)
            }
            return try classes(name: name, numbers: v)
        case .float(let v):
            let doubles = v.map(Double.init)
            if task == .regression || (task == nil && !looksLikeClasses(doubles)) {
                return try regression(name: name, values: doubles)
            }
            return try classes(name: name, numbers: doubles)
        case .categorical, .boolean:
            guard task != .regression else { throw .nonNumericRegressionTarget(name) }
            texts = (0..<column.count).map { column.text(at: $0) ?? "" }
        }
        return try classes(name: name, texts: texts, sortedLabels: Set(texts).sorted())
    }

    private static func regression(name: String, values: [Double]) throws(TrainingError) -> EncodedTarget {
        let infinite = values.reduce(0) { $0 + ($1.isInfinite ? 1 : 0) }
        guard infinite == 0 else { throw .infiniteTargetValues(column: name, rows: infinite) }
        guard let first = values.first, values.contains(where: { $0 != first }) else { throw .constantTarget(name) }
        return EncodedTarget(spec: TargetSpec(name: name, task: .regression), values: values)
    }

    /// Whole numbers with at most 20 distinct values read as classes when no task is given.
    private static func looksLikeClasses(_ values: [Double]) -> Bool {
        var distinct = Set<Double>()
        for v in values {
            guard v == v.rounded() else { return false }
            distinct.insert(v)
            if distinct.count > 20 { return false }
        }
        return true
    }

    private static func classes(name: String, numbers: [Double]) throws(TrainingError) -> EncodedTarget {
        let sorted = Set(numbers).sorted()
        let label = { (v: Double) in v.compactText }
        return try classes(name: name, texts: numbers.map(label), sortedLabels: sorted.map(label))
    }

    private static func classes(name: String, texts: [String], sortedLabels: [String]) throws(TrainingError)
        -> EncodedTarget
    {
        guard sortedLabels.count > 1 else { throw .constantTarget(name) }
        guard sortedLabels.count <= 1_000 else { throw .tooManyClasses(column: name, classes: sortedLabels.count) }
        var index: [String: Double] = [:]
        for (i, label) in sortedLabels.enumerated() { index[label] = Double(i) }
        let task: TaskKind = sortedLabels.count == 2 ? .binaryClassification : .multiclassClassification
        return EncodedTarget(spec: TargetSpec(name: name, task: task, classLabels: sortedLabels),
                             values: texts.map { index[$0]! })
    }
}
