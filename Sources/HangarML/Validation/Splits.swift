/// Seeded ways to cut rows into training and validation sets; the same seed always gives the same folds.
public enum Splits {
    /// One random split holding out `validationFraction` of the rows; with `labels`, each class keeps its share.
    public static func holdout(rowCount: Int, validationFraction: Double = 0.2, seed: UInt64,
                               stratifyBy labels: [Int]? = nil) throws(SplitError) -> Fold
    {
        guard validationFraction > 0, validationFraction < 1 else { throw .invalidFraction(validationFraction) }
        guard rowCount >= 2 else { throw .tooFewRows(needed: 2, found: rowCount) }
        var generator = SplitMix64(seed: SplitMix64.derive(seed, 0x401D))
        var validation: [Int] = []
        for var rows in strata(rowCount: rowCount, labels: labels) {
            generator.shuffle(&rows)
            let take = Int((Double(rows.count) * validationFraction).rounded())
            validation += rows.prefix(take)
        }
        // Tiny or lopsided inputs can round to an empty side; keep one row on each side.
        if validation.isEmpty { validation = [generator.nextInt(below: rowCount)] }
        if validation.count == rowCount { validation.removeLast() }
        return fold(rowCount: rowCount, validation: validation)
    }

    /// `folds` folds of nearly equal size over shuffled rows; every row is scored exactly once.
    public static func kFold(rowCount: Int, folds: Int, seed: UInt64) throws(SplitError) -> [Fold] {
        try stratifiedKFold(labels: [Int](repeating: 0, count: rowCount), folds: folds, seed: seed)
    }

    /// K-fold where each fold holds each class in about the same share as the whole data.
    ///
    /// Rows of each class are shuffled and dealt to the folds in turn, the turn carrying over from one class to
    /// the next, so fold sizes differ by at most one row.
    public static func stratifiedKFold(labels: [Int], folds: Int, seed: UInt64) throws(SplitError) -> [Fold] {
        guard folds >= 2 else { throw .invalidFoldCount(folds) }
        guard labels.count >= folds else { throw .tooFewRows(needed: folds, found: labels.count) }
        var generator = SplitMix64(seed: SplitMix64.derive(seed, 0xF01D))
        var members = [[Int]](repeating: [], count: folds)
        var turn = 0
        for var rows in strata(rowCount: labels.count, labels: labels) {
            generator.shuffle(&rows)
            for row in rows {
                members[turn].append(row)
                turn = (turn + 1) % folds
            }
        }
        return members.map { fold(rowCount: labels.count, validation: $0) }
    }

    /// `repeats` rounds of k-fold (stratified when `labels` are given), each round shuffled with its own seed.
    public static func repeatedKFold(rowCount: Int, folds: Int, repeats: Int, seed: UInt64,
                                     stratifyBy labels: [Int]? = nil) throws(SplitError) -> [Fold]
    {
        guard repeats >= 1 else { throw .invalidFoldCount(repeats) }
        var all: [Fold] = []
        for round in 0..<repeats {
            let roundSeed = SplitMix64.derive(seed, UInt64(round))
            all += try stratifiedKFold(labels: labels ?? [Int](repeating: 0, count: rowCount), folds: folds,
                                       seed: roundSeed)
        }
        return all
    }

    /// Row indices per class in ascending order, classes in ascending order (one stratum without labels).
    static func strata(rowCount: Int, labels: [Int]?) -> [[Int]] {
        guard let labels else { return [Array(0..<rowCount)] }
        var byLabel: [Int: [Int]] = [:]
        for (row, label) in labels.enumerated() { byLabel[label, default: []].append(row) }
        return byLabel.keys.sorted().map { byLabel[$0]! }
    }

    /// The fold scoring `validation` and training on every other row.
    static func fold(rowCount: Int, validation: [Int]) -> Fold {
        var held = [Bool](repeating: false, count: rowCount)
        for row in validation { held[row] = true }
        return Fold(train: (0..<rowCount).filter { !held[$0] }, validation: (0..<rowCount).filter { held[$0] })
    }
}
