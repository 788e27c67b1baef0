/// The rows a model trains on and the rows it is scored on, as row indices of one data frame (ascending).
public struct Fold: Sendable, Equatable {
    /// Rows to train on.
    public var train: [Int]
    /// Rows to score on; never shares a row with `train`.
    public var validation: [Int]

    /// Creates a fold from its two row sets.
    public init(train: [Int], validation: [Int]) {
        self.train = train
        self.validation = validation
    }
}

/// Why rows could not be split.
public enum SplitError: Error, Equatable, CustomStringConvertible {
    /// Fewer than two folds were asked for.
    case invalidFoldCount(Int)
    /// There are fewer rows, groups or distinct times than the split needs.
    case tooFewRows(needed: Int, found: Int)
    /// A share of rows outside (0, 1).
    case invalidFraction(Double)
    /// A time value is missing or not a number.
    case missingTime(row: Int)

    public var description: String {
        switch self {
        case .invalidFoldCount(let folds): "a split needs at least 2 folds, not \(folds)"
        case .tooFewRows(let needed, let found): "the split needs at least \(needed) rows or groups, found \(found)"
        case .invalidFraction(let fraction): "a validation share must be in (0, 1), not \(fraction)"
        case .missingTime(let row): "row \(row) has no time value"
        }
    }
}

extension SplitMix64 {
    /// Shuffles `values` in place with Fisher-Yates; written out so the order never depends on the standard
    /// library's shuffle algorithm, only on the seed.
    mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, nextInt(below: i + 1))
        }
    }
}
