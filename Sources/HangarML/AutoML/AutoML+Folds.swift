extension AutoML {
    /// Rows from which AutoML, left to choose, scores candidates on one holdout split instead of 5 folds: a fifth
    /// of them (10,000 rows) scores steadily enough, and each candidate costs one training instead of five.
    public static let holdoutRows = 50_000

    /// Folds for the data: time-ordered with a time column, by group with a group column, otherwise k-fold
    /// (stratified for classifiers), or one holdout split when `count` is `nil` and there are `holdoutRows` rows.
    static func folds(frame: DataFrame, target: EncodedTarget, timeColumn: String?, groupColumn: String?,
                      count: Int?, seed: UInt64) throws(AutoMLError) -> [Fold]
    {
        let times = try timeColumn.map { name throws(AutoMLError) in try orderKeys(frame, name) }
        let groups = try groupColumn.map { name throws(AutoMLError) in try groupKeys(frame, name) }
        do throws(SplitError) {
            if let times { return try Splits.timeOrdered(times: times, folds: count ?? 5) }
            if let groups { return try Splits.groupKFold(groups: groups, folds: count ?? 5) }
            let labels = target.spec.task.isClassification ? target.values.map { Int($0) } : nil
            if count == nil, frame.rowCount >= holdoutRows {
                return [try Splits.holdout(rowCount: frame.rowCount, validationFraction: 0.2, seed: seed,
                                           stratifyBy: labels)]
            }
            return try Splits.repeatedKFold(rowCount: frame.rowCount, folds: count ?? 5, repeats: 1, seed: seed,
                                            stratifyBy: labels)
        } catch {
            throw .split(error)
        }
    }

    /// Numbers that order rows in time: numeric values as they are, text (ISO dates and times) by its sort order.
    static func orderKeys(_ frame: DataFrame, _ name: String) throws(AutoMLError) -> [Double] {
        guard let column = frame[name] else { throw .unusableColumn(name: name, reason: "not in the data") }
        switch column.values {
        case .double, .float:
            return (0..<column.count).map { column.numericValue(at: $0) }
        case .categorical(let codes, let levels):
            let order = levels.indices.sorted { levels[$0] < levels[$1] }
            var rank = [Double](repeating: 0, count: levels.count)
            for (position, level) in order.enumerated() { rank[level] = Double(position) }
            return codes.map { $0 < 0 ? .nan : rank[Int($0)] }
        case .boolean:
            throw .unusableColumn(name: name, reason: "true/false values cannot order rows in time")
        }
    }

    /// A group number per row; missing values form a group of their own.
    static func groupKeys(_ frame: DataFrame, _ name: String) throws(AutoMLError) -> [Int] {
        guard let column = frame[name] else { throw .unusableColumn(name: name, reason: "not in the data") }
        var index: [String: Int] = [:]
        return (0..<column.count).map { row in
            let key = column.text(at: row) ?? "\u{0}missing"
            if let group = index[key] { return group }
            index[key] = index.count
            return index.count - 1
        }
    }
}
