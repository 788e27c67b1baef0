/// A part of a date that becomes a numeric feature.
public enum DatePart: String, Sendable, Codable, CaseIterable {
    /// The calendar year (2024).
    case year
    /// 1 (January) to 12.
    case month
    /// 1 to 31.
    case dayOfMonth = "day_of_month"
    /// ISO 8601: 1 (Monday) to 7 (Sunday).
    case dayOfWeek = "day_of_week"
    /// 1 (January 1st) to 366.
    case dayOfYear = "day_of_year"
    /// 0 to 23 (date-time columns only).
    case hour
    /// 1 on a day of the holiday calendar, 0 otherwise.
    case holiday

    /// The part of the instant `seconds` (since the epoch), `NaN` when it is missing.
    func value(seconds: Double, holidays: HolidayCalendar?) -> Double {
        guard seconds.isFinite else { return .nan }
        let days = Int((seconds / ISODate.secondsPerDay).rounded(.down))
        switch self {
        case .hour:
            return ((seconds - Double(days) * ISODate.secondsPerDay) / 3600).rounded(.down)
        case .dayOfWeek:
            // 1970-01-01 was a Thursday (4).
            let weekday = (days + 3) % 7
            return Double((weekday < 0 ? weekday + 7 : weekday) + 1)
        case .holiday:
            return holidays?.contains(day: days) == true ? 1 : 0
        case .year, .month, .dayOfMonth, .dayOfYear:
            let (year, month, day) = ISODate.civil(fromDays: days)
            switch self {
            case .year: return Double(year)
            case .month: return Double(month)
            case .dayOfMonth: return Double(day)
            default: return Double(days - ISODate.daysFromCivil(year: year, month: 1, day: 1) + 1)
            }
        }
    }
}

/// Replaces a date column by numeric features of its parts (`visit_date.day_of_week`, ...).
public struct DatePartsStep: Sendable, Codable, Equatable {
    /// The input date column.
    public var column: String
    /// What the column held in training.
    public var kind: DateKind
    /// The parts written, in feature order.
    public var parts: [DatePart]

    /// The parts of a column of `kind`: hour for date-times only, the holiday flag when there is a calendar.
    init(column: String, kind: DateKind, withHolidays: Bool) {
        self.column = column
        self.kind = kind
        parts = DatePart.allCases.filter { part in
            switch part {
            case .hour: kind == .dateTime
            case .holiday: withHolidays
            default: true
            }
        }
    }

    /// The derived feature names, in order.
    public var outputNames: [String] { parts.map { "\(column).\($0.rawValue)" } }

    /// The derived columns for `frame`.
    func columns(of frame: DataFrame, holidays: HolidayCalendar?) throws(PreprocessingError) -> [Column] {
        let seconds = try DateValues.seconds(of: frame, column: column)
        return zip(parts, outputNames).map { part, name in
            Column(name: name, values: .double(seconds.map { part.value(seconds: $0, holidays: holidays) }))
        }
    }
}
