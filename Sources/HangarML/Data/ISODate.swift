/// Parses and formats ISO 8601 dates and date-times straight from bytes, and converts between days and calendar
/// dates (proleptic Gregorian, UTC).
///
/// Accepted: `YYYY-MM-DD`, then optionally `T`, `t` or a space and `HH:MM`, `:SS`, a fraction of a second
/// (`.` or `,` and up to 9 digits), and `Z` or an offset (`+02:00`, `+0200`, `-05`). A value with an offset is
/// stored as the UTC instant; one without keeps its wall-clock time. Surrounding spaces are ignored.
public enum ISODate {
    /// Seconds in a day.
    public static let secondsPerDay = 86_400.0

    /// The instant in `text` as seconds since the epoch, and whether it had a time of day; `nil` if not ISO 8601.
    public static func parse(_ text: String) -> (seconds: Double, hasTime: Bool)? {
        var text = text
        return text.withUTF8 { parse($0.baseAddress, count: $0.count) }
    }

    /// `parse(_:)` over `count` bytes at `p`.
    static func parse(_ p: UnsafePointer<UInt8>?, count: Int) -> (seconds: Double, hasTime: Bool)? {
        guard let p else { return nil }
        var start = 0
        var end = count
        while start < end, p[start] == 0x20 { start += 1 }
        while end > start, p[end - 1] == 0x20 { end -= 1 }
        guard end - start >= 10 else { return nil }
        var i = start
        /// Reads exactly `n` decimal digits at `i`.
        func digits(_ n: Int) -> Int? {
            guard i + n <= end else { return nil }
            var value = 0
            for k in 0..<n {
                let d = p[i + k] &- 48
                guard d < 10 else { return nil }
                value = value * 10 + Int(d)
            }
            i += n
            return value
        }
        func skip(_ byte: UInt8) -> Bool {
            guard i < end, p[i] == byte else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), skip(0x2D), let month = digits(2), skip(0x2D), let day = digits(2),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        let days = Double(daysFromCivil(year: year, month: month, day: day))
        if i == end { return (days * secondsPerDay, false) }
        guard p[i] == 0x54 || p[i] == 0x74 || p[i] == 0x20 else { return nil }
        i += 1
        guard let hour = digits(2), skip(0x3A), let minute = digits(2), hour < 24, minute < 60 else { return nil }
        var seconds = Double(hour * 3600 + minute * 60)
        if skip(0x3A) {
            guard let second = digits(2), second < 60 else { return nil }
            seconds += Double(second)
            if i < end, p[i] == 0x2E || p[i] == 0x2C {
                i += 1
                var fraction = 0
                var scale = 1
                while i < end, case let d = p[i] &- 48, d < 10 {
                    guard scale < 1_000_000_000 else { return nil }
                    fraction = fraction * 10 + Int(d)
                    scale *= 10
                    i += 1
                }
                guard scale > 1 else { return nil }
                seconds += Double(fraction) / Double(scale)
            }
        }
        if i < end {
            if p[i] == 0x5A || p[i] == 0x7A {
                i += 1
            } else if p[i] == 0x2B || p[i] == 0x2D {
                let sign = p[i] == 0x2D ? -1.0 : 1.0
                i += 1
                guard let offsetHours = digits(2), offsetHours < 24 else { return nil }
                var offsetMinutes = 0
                if i < end {
                    _ = skip(0x3A)
                    guard let m = digits(2), m < 60 else { return nil }
                    offsetMinutes = m
                }
                seconds -= sign * Double(offsetHours * 3600 + offsetMinutes * 60)
            }
        }
        guard i == end else { return nil }
        return (days * secondsPerDay + seconds, true)
    }

    /// `seconds` since the epoch as ISO 8601 text: `2024-03-01` for dates, `2024-03-01T08:30:00` (with a fraction
    /// when there is one) for date-times.
    public static func format(seconds: Double, kind: DateKind) -> String {
        let day = (seconds / secondsPerDay).rounded(.down)
        let (year, month, dayOfMonth) = civil(fromDays: Int(day))
        let date = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(dayOfMonth, 2)
        guard kind == .dateTime else { return date }
        let inDay = seconds - day * secondsPerDay
        let whole = Int(inDay.rounded(.down))
        var text = date + "T" + pad(whole / 3600, 2) + ":" + pad(whole / 60 % 60, 2) + ":" + pad(whole % 60, 2)
        let fraction = inDay - Double(whole)
        if fraction > 0 {
            let nanos = Int((fraction * 1e9).rounded())
            if nanos > 0, nanos < 1_000_000_000 {
                var digits = pad(nanos, 9)
                while digits.last == "0" { digits.removeLast() }
                text += "." + digits
            }
        }
        return text
    }

    /// Days since 1970-01-01 of a calendar date (H. Hinnant's `days_from_civil`).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day number (days since 1970-01-01).
    public static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
