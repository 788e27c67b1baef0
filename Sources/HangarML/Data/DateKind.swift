/// What a date column holds: calendar days, or instants with a time of day.
///
/// Date columns store their values as seconds since 1970-01-01T00:00:00 in a numeric column (`NaN` missing), so
/// every numeric code path (splits, digests, profiles) reads them unchanged; `Column.dateKind` marks them.
public enum DateKind: String, Sendable, Codable, Equatable {
    /// ISO 8601 calendar dates (`2024-03-01`), stored at midnight.
    case date
    /// ISO 8601 date and time (`2024-03-01T08:30:00`, `2024-03-01 08:30:00.250+02:00`).
    case dateTime
}
