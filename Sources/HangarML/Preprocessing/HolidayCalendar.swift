import Foundation

/// The days a user calls holidays, for the holiday flag of date features; saved in the model file as ISO dates.
public struct HolidayCalendar: Sendable, Equatable, Codable {
    /// Holidays as days since 1970-01-01, sorted, without repeats.
    public private(set) var days: [Int]

    /// A calendar of the given days (days since 1970-01-01).
    public init(days: [Int]) {
        self.days = Array(Set(days)).sorted()
    }

    /// A calendar of ISO 8601 dates (`2024-12-25`; a date-time counts for its day).
    public init(dates: [String]) throws(PreprocessingError) {
        var days: [Int] = []
        for (i, text) in dates.enumerated() {
            guard let day = Self.day(of: text) else { throw .invalidHoliday(line: i + 1, value: text) }
            days.append(day)
        }
        self.init(days: days)
    }

    /// Reads a calendar file: one date per line, or a CSV whose first field is the date. Blank lines, lines
    /// starting with `#`, and a first line that is not a date (a header) are skipped.
    public static func read(fileAt path: String) throws(PreprocessingError) -> HolidayCalendar {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableCalendar(path: path, reason: error.localizedDescription)
        }
        return try parse(text)
    }

    /// Parses calendar text laid out as `read(fileAt:)` expects.
    public static func parse(_ text: String) throws(PreprocessingError) -> HolidayCalendar {
        var days: [Int] = []
        for (i, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let field = rawLine.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let value = String(field).trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}\" \r\t"))
            if value.isEmpty || value.hasPrefix("#") { continue }
            guard let day = day(of: value) else {
                if i == 0 { continue }
                throw .invalidHoliday(line: i + 1, value: value)
            }
            days.append(day)
        }
        return HolidayCalendar(days: days)
    }

    /// Whether `day` (days since 1970-01-01) is a holiday.
    public func contains(day: Int) -> Bool {
        var low = 0
        var high = days.count
        while low < high {
            let mid = (low + high) / 2
            if days[mid] < day { low = mid + 1 } else { high = mid }
        }
        return low < days.count && days[low] == day
    }

    private static func day(of text: String) -> Int? {
        ISODate.parse(text).map { Int(($0.seconds / ISODate.secondsPerDay).rounded(.down)) }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let dates = try container.decode([String].self)
        do {
            try self.init(dates: dates)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(days.map { ISODate.format(seconds: Double($0) * ISODate.secondsPerDay, kind: .date) })
    }
}
