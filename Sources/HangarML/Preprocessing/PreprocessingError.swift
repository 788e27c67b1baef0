/// Why derived features (date parts, holiday flags, lags, rolling means) could not be fitted or replayed.
public enum PreprocessingError: Error, Equatable, CustomStringConvertible {
    /// A column the features are computed from is absent.
    case missingColumn(String)
    /// A value in a date column is not an ISO 8601 date; `row` is 1-based among the data rows.
    case notADate(column: String, row: Int, value: String)
    /// The time column can order rows but not as dates or numbers (e.g. true/false values).
    case unusableTimeColumn(name: String, reason: String)
    /// Lags and rolling means need a time column.
    case needsTimeColumn
    /// Lags and rolling means are computed from a numeric target.
    case nonNumericTarget(String)
    /// A lag or window is not a positive number of periods.
    case invalidWindow(Int)
    /// Two rows of one group have the same time and both a target value, so "the previous value" is ambiguous.
    case duplicateTime(group: String?, time: String)
    /// A derived feature would take the name of an existing column.
    case nameClash(String)
    /// A holiday calendar file could not be read.
    case unreadableCalendar(path: String, reason: String)
    /// A line of a holiday calendar is not an ISO 8601 date.
    case invalidHoliday(line: Int, value: String)

    public var description: String {
        switch self {
        case .missingColumn(let name): "the input lacks column '\(name)' that the model was trained on"
        case .notADate(let column, let row, let value):
            "column '\(column)', row \(row): '\(value)' is not an ISO 8601 date (e.g. 2024-03-01 or "
                + "2024-03-01T08:30:00)"
        case .unusableTimeColumn(let name, let reason): "time column '\(name)' cannot be used: \(reason)"
        case .needsTimeColumn: "lags and rolling means need a time column"
        case .nonNumericTarget(let name): "lags and rolling means need a numeric target, '\(name)' is not"
        case .invalidWindow(let value): "lags and rolling-mean windows must be at least 1, got \(value)"
        case .duplicateTime(let group, let time):
            (group.map { "group '\($0)'" } ?? "the data") + " has two rows at time \(time) with a target; lags need "
                + "one row per group and time (is a group column missing?)"
        case .nameClash(let name): "derived feature '\(name)' would replace a column of the same name"
        case .unreadableCalendar(let path, let reason): "cannot read holiday calendar '\(path)': \(reason)"
        case .invalidHoliday(let line, let value): "holiday calendar line \(line): '\(value)' is not an ISO 8601 date"
        }
    }
}
