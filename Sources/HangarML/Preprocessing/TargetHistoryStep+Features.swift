extension TargetHistoryStep {
    /// The lag and rolling-mean columns for `frame`, from its own target values (when it has the target column)
    /// and, with `useHistory`, the history kept from training.
    func columns(of frame: DataFrame, useHistory: Bool) throws(PreprocessingError) -> [Column] {
        let rows = frame.rowCount
        let times = try times(of: frame)
        let (rowGroups, keys) = try groupIndices(of: frame)
        var index: [String?: Int] = [:]
        for (g, key) in keys.enumerated() { index[key] = g }
        // Known targets per group and time: the frame's first, then the stored history where the frame has none.
        var known = [[Double: Double]](repeating: [:], count: keys.count)
        if let targets = try targetValues(of: frame) {
            for r in 0..<rows where times[r].isFinite && targets[r].isFinite {
                guard known[rowGroups[r]].updateValue(targets[r], forKey: times[r]) == nil else {
                    throw .duplicateTime(group: keys[rowGroups[r]], time: timeText(times[r]))
                }
            }
        }
        if useHistory {
            for i in pointTimes.values.indices {
                guard let g = index[groups[Int(pointGroups.values[i])]] else { continue }
                if known[g][pointTimes.values[i]] == nil { known[g][pointTimes.values[i]] = pointValues.values[i] }
            }
        }
        // Per group: times ascending and prefix sums of their targets, for window means by two binary searches.
        let series = known.map { points -> (times: [Double], sums: [Double]) in
            let times = points.keys.sorted()
            var sums = [0.0]
            sums.reserveCapacity(times.count + 1)
            for t in times { sums.append(sums[sums.count - 1] + points[t]!) }
            return (times, sums)
        }
        var lagValues = [[Double]](repeating: [Double](repeating: .nan, count: rows), count: lags.count)
        var meanValues = [[Double]](repeating: [Double](repeating: .nan, count: rows), count: rollingMeans.count)
        for r in 0..<rows where times[r].isFinite {
            let g = rowGroups[r]
            let t = times[r]
            for (j, lag) in lags.enumerated() { lagValues[j][r] = known[g][t - Double(lag) * period] ?? .nan }
            let s = series[g]
            let upper = Self.lowerBound(s.times, t)
            for (j, window) in rollingMeans.enumerated() {
                let lower = Self.lowerBound(s.times, t - Double(window) * period)
                if upper > lower { meanValues[j][r] = (s.sums[upper] - s.sums[lower]) / Double(upper - lower) }
            }
        }
        return zip(outputNames, lagValues + meanValues).map { Column(name: $0, values: .double($1)) }
    }

    /// The time of every row (`NaN` missing) in the unit the model was trained with.
    func times(of frame: DataFrame) throws(PreprocessingError) -> [Double] {
        guard let column = frame[timeColumn] else { throw .missingColumn(timeColumn) }
        if timeKind != nil { return try DateValues.seconds(of: frame, column: timeColumn) }
        guard column.kind == .numeric, column.dateKind == nil else {
            let found = column.dateKind == nil ? column.kind.rawValue : "dates"
            throw .unusableTimeColumn(name: timeColumn, reason: "the model was trained on numbers, not \(found)")
        }
        return (0..<column.count).map { column.numericValue(at: $0) }
    }

    /// The target values of `frame` (`NaN` missing), or `nil` when it has no target column.
    func targetValues(of frame: DataFrame) throws(PreprocessingError) -> [Double]? {
        guard let column = frame[target] else { return nil }
        guard column.kind != .categorical else { throw .nonNumericTarget(target) }
        return (0..<column.count).map { column.numericValue(at: $0) }
    }

    /// A group number per row and the group values in order of appearance (one group without a group column).
    func groupIndices(of frame: DataFrame) throws(PreprocessingError) -> (rows: [Int], keys: [String?]) {
        guard let groupColumn else { return ([Int](repeating: 0, count: frame.rowCount), [nil]) }
        guard let column = frame[groupColumn] else { throw .missingColumn(groupColumn) }
        var index: [String?: Int] = [:]
        var keys: [String?] = []
        let rows = (0..<column.count).map { row in
            let key = Self.groupKey(column, row)
            if let g = index[key] { return g }
            index[key] = keys.count
            keys.append(key)
            return keys.count - 1
        }
        return (rows, keys)
    }

    /// A group value as text, the same whether the file read it as a number or as text (`7`, not `7.0`).
    static func groupKey(_ column: Column, _ row: Int) -> String? {
        if column.kind == .numeric, column.dateKind == nil {
            let value = column.numericValue(at: row)
            if value.isNaN { return nil }
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        }
        return column.text(at: row)
    }

    private func timeText(_ time: Double) -> String {
        timeKind.map { ISODate.format(seconds: time, kind: $0) } ?? String(time)
    }

    /// The first index whose time is not below `time`.
    private static func lowerBound(_ times: [Double], _ time: Double) -> Int {
        var low = 0
        var high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] < time { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
