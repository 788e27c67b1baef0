/// Lags and rolling means of the target per group (e.g. per lounge), in time order, from strictly earlier rows.
///
/// Time is counted in periods: days for date and date-time columns, units for a numeric time column. Lag `k` of a
/// row at time `t` is the group's target at exactly `t - k` periods (missing when there is no such row); the
/// rolling mean over `w` periods averages the group's targets with times in `[t - w, t)`, missing when there are
/// none. A row's own target and anything later never enter its features. The model keeps the last
/// `max(lags, windows)` periods of every group, so prediction can continue a series where training ended; rows to
/// predict that carry a target extend that history for later rows.
public struct TargetHistoryStep: Sendable, Codable, Equatable {
    /// The target whose past values become features.
    public var target: String
    /// The column that orders rows in time.
    public var timeColumn: String
    /// What the time column holds: dates or date-times (periods of one day), or `nil` for plain numbers.
    public var timeKind: DateKind?
    /// The column whose values keep separate series, if any.
    public var groupColumn: String?
    /// Lags in periods, ascending.
    public var lags: [Int]
    /// Rolling-mean windows in periods, ascending.
    public var rollingMeans: [Int]
    /// Group values of the stored history, `nil` for rows without a group value.
    var groups: [String?]
    /// Stored history points, sorted by group then time: index into `groups`, time, target value.
    var pointGroups: PackedArray<Int32>
    var pointTimes: PackedArray<Double>
    var pointValues: PackedArray<Double>

    /// The derived feature names, in order.
    public var outputNames: [String] {
        lags.map { "\(target).lag_\($0)" } + rollingMeans.map { "\(target).rolling_mean_\($0)" }
    }

    /// How many past target values the model keeps for prediction.
    public var historyCount: Int { pointTimes.values.count }

    /// Seconds per period for dates, 1 for numbers.
    var period: Double { timeKind == nil ? 1 : ISODate.secondsPerDay }

    /// Checks the settings and columns of `frame`, and keeps the last periods of each group for prediction.
    static func fit(_ frame: DataFrame, target: String, timeColumn: String, groupColumn: String?, lags: [Int],
                    rollingMeans: [Int]) throws(PreprocessingError) -> TargetHistoryStep
    {
        if let bad = (lags + rollingMeans).first(where: { $0 < 1 }) { throw .invalidWindow(bad) }
        guard let time = frame[timeColumn] else { throw .missingColumn(timeColumn) }
        var timeKind = time.dateKind
        if timeKind == nil {
            switch time.values {
            case .double, .float: break
            case .boolean: throw .unusableTimeColumn(name: timeColumn, reason: "true/false values cannot order rows")
            case .categorical:
                // Text that parses as ISO dates throughout (the reader was told to keep it as text).
                let seconds = try DateValues.seconds(of: frame, column: timeColumn)
                let wholeDays = seconds.allSatisfy { $0.isNaN || $0.truncatingRemainder(dividingBy: 86_400) == 0 }
                timeKind = wholeDays ? .date : .dateTime
            }
        }
        if let groupColumn, frame[groupColumn] == nil { throw .missingColumn(groupColumn) }
        var step = TargetHistoryStep(
            target: target, timeColumn: timeColumn, timeKind: timeKind, groupColumn: groupColumn,
            lags: Array(Set(lags)).sorted(), rollingMeans: Array(Set(rollingMeans)).sorted(), groups: [],
            pointGroups: PackedArray([]), pointTimes: PackedArray([]), pointValues: PackedArray([]))
        guard let targets = try step.targetValues(of: frame) else { throw .missingColumn(target) }
        let times = try step.times(of: frame)
        let (rowGroups, keys) = try step.groupIndices(of: frame)
        var last = [Double](repeating: -.infinity, count: keys.count)
        for r in times.indices where times[r].isFinite && targets[r].isFinite {
            last[rowGroups[r]] = max(last[rowGroups[r]], times[r])
        }
        let span = Double(max(step.lags.last ?? 0, step.rollingMeans.last ?? 0)) * step.period
        let kept = times.indices.filter { r in
            times[r].isFinite && targets[r].isFinite && times[r] >= last[rowGroups[r]] - span
        }.sorted { (rowGroups[$0], times[$0]) < (rowGroups[$1], times[$1]) }
        step.groups = keys
        step.pointGroups = PackedArray(kept.map { Int32(rowGroups[$0]) })
        step.pointTimes = PackedArray(kept.map { times[$0] })
        step.pointValues = PackedArray(kept.map { targets[$0] })
        return step
    }

    /// Checks the stored history after reading a model file.
    func validate() -> String? {
        let count = pointTimes.values.count
        guard pointGroups.values.count == count, pointValues.values.count == count else {
            return "the target history arrays differ in length"
        }
        guard pointGroups.values.allSatisfy({ $0 >= 0 && Int($0) < groups.count }) else {
            return "the target history names an unknown group"
        }
        guard (lags + rollingMeans).allSatisfy({ $0 >= 1 }) else { return "a lag or window is below 1" }
        return nil
    }
}
