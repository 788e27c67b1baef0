/// How the reader parses a column: the public `ColumnKind`s plus ISO 8601 dates, which are stored as numbers.
enum CSVFieldKind: Equatable {
    case numeric
    case boolean
    case categorical
    /// Dates and date-times; whether a column is `DateKind.date` or `.dateTime` is known once it is read.
    case date

    init(_ kind: ColumnKind) {
        switch kind {
        case .numeric: self = .numeric
        case .boolean: self = .boolean
        case .categorical: self = .categorical
        }
    }

    /// Whether the values go to the chunk's `NumericStore`.
    var storesNumbers: Bool { self == .numeric || self == .date }
}
