extension Splits {
    /// Expanding-window splits for forecasting: rows ordered by `times` are cut into `folds + 1` blocks of
    /// distinct times; fold i trains on blocks 0...i and validates on block i + 1, so no fold sees its future.
    ///
    /// Rows sharing a time (e.g. one day of several lounges) always fall in the same block. `gap` distinct times
    /// right after the training window are left out of validation, for targets that are only known later.
    public static func timeOrdered(times: [Double], folds: Int, gap: Int = 0) throws(SplitError) -> [Fold] {
        guard folds >= 1 else { throw .invalidFoldCount(folds) }
        if let row = times.firstIndex(where: { !$0.isFinite }) { throw .missingTime(row: row) }
        let distinct = Array(Set(times)).sorted()
        let blocks = folds + 1
        guard distinct.count >= blocks else { throw .tooFewRows(needed: blocks, found: distinct.count) }
        var position: [Double: Int] = [:]
        for (i, time) in distinct.enumerated() { position[time] = i }
        // Block boundaries over the distinct times, weighted by rows so blocks hold similar row counts.
        var rowsPerTime = [Int](repeating: 0, count: distinct.count)
        for time in times { rowsPerTime[position[time]!] += 1 }
        var blockOfTime = [Int](repeating: 0, count: distinct.count)
        var seen = 0
        for i in rowsPerTime.indices where i > 0 {
            seen += rowsPerTime[i - 1]
            // Blocks never go back or skip, and enough times are left for the blocks still to come.
            let byRows = seen * blocks / times.count
            let earliest = max(blockOfTime[i - 1], blocks - (distinct.count - i))
            blockOfTime[i] = min(max(byRows, earliest), blockOfTime[i - 1] + 1)
        }
        var result: [Fold] = []
        for k in 0..<folds {
            let lastTrainTime = blockOfTime.lastIndex(of: k)!
            var train: [Int] = [], validation: [Int] = []
            for (row, time) in times.enumerated() {
                let t = position[time]!
                if t <= lastTrainTime {
                    train.append(row)
                } else if blockOfTime[t] == k + 1, t > lastTrainTime + gap {
                    validation.append(row)
                }
            }
            guard !validation.isEmpty else { throw .tooFewRows(needed: blocks * (gap + 1), found: distinct.count) }
            result.append(Fold(train: train, validation: validation))
        }
        return result
    }

    /// K-fold that keeps all rows of a group (a store, a lounge, a customer) in the same fold; groups are dealt
    /// largest first to the fold with the fewest rows, so the split needs no seed.
    public static func groupKFold(groups: [Int], folds: Int) throws(SplitError) -> [Fold] {
        guard folds >= 2 else { throw .invalidFoldCount(folds) }
        var sizes: [Int: Int] = [:]
        for group in groups { sizes[group, default: 0] += 1 }
        guard sizes.count >= folds else { throw .tooFewRows(needed: folds, found: sizes.count) }
        let order = sizes.keys.sorted { (sizes[$0]!, $1) > (sizes[$1]!, $0) }
        var load = [Int](repeating: 0, count: folds)
        var foldOfGroup: [Int: Int] = [:]
        for group in order {
            let lightest = load.indices.min { (load[$0], $0) < (load[$1], $1) }!
            foldOfGroup[group] = lightest
            load[lightest] += sizes[group]!
        }
        return (0..<folds).map { k in
            fold(rowCount: groups.count, validation: groups.indices.filter { foldOfGroup[groups[$0]] == k })
        }
    }
}
