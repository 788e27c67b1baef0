/// Why a CSV file could not be read; every data error names the 1-based line and column where it was found.
public enum CSVError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// The file has no bytes, or only a byte-order mark and blank lines.
    case emptyFile
    /// A header field is empty.
    case emptyColumnName(column: Int)
    /// Two header fields have the same name.
    case duplicateColumnName(String, column: Int)
    /// A row has a different number of fields than the header.
    case raggedRow(line: Int, expectedFields: Int, foundFields: Int)
    /// A quoted field is still open at the end of the file.
    case unterminatedQuote(line: Int, column: Int)
    /// A quote appears inside an unquoted field, or a closing quote is followed by something else than a delimiter.
    case unexpectedQuote(line: Int, column: Int)
    /// A text field is not valid UTF-8.
    case invalidUTF8(line: Int, column: Int)
    /// A value does not fit the kind the caller asked for this column.
    case invalidValue(line: Int, column: Int, name: String, value: String, expected: ColumnKind)
    /// A value in a column read as dates is not an ISO 8601 date.
    case invalidDate(line: Int, column: Int, name: String, value: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "cannot read '\(path)': \(reason)"
        case .emptyFile: "the file is empty"
        case .emptyColumnName(let column): "line 1, column \(column): empty column name in header"
        case .duplicateColumnName(let name, let column):
            "line 1, column \(column): column name '\(name)' appears more than once"
        case .raggedRow(let line, let expected, let found):
            "line \(line): expected \(expected) fields as in the header, found \(found)"
        case .unterminatedQuote(let line, let column): "line \(line), column \(column): quoted field is never closed"
        case .unexpectedQuote(let line, let column):
            "line \(line), column \(column): unexpected quote (quote the whole field and double inner quotes)"
        case .invalidUTF8(let line, let column): "line \(line), column \(column): text is not valid UTF-8"
        case .invalidValue(let line, let column, let name, let value, let expected):
            "line \(line), column \(column) ('\(name)'): '\(value)' is not \(expected)"
        case .invalidDate(let line, let column, let name, let value):
            "line \(line), column \(column) ('\(name)'): '\(value)' is not an ISO 8601 date (e.g. 2024-03-01 or "
                + "2024-03-01T08:30:00)"
        }
    }
}

/// An error found while parsing, located by byte offset; turned into a `CSVError` with a line number at the end.
struct CSVFault: Error {
    enum Kind {
        case raggedRow(expected: Int, found: Int)
        case unterminatedQuote
        case unexpectedQuote
        case invalidUTF8
        case invalidValue(value: String, expected: ColumnKind)
        case invalidDate(value: String)
    }

    var kind: Kind
    /// Byte offset of the start of the field (or row) at fault.
    var offset: Int
    /// 0-based field index.
    var field: Int

    /// The user-facing error, with the line counted from the start of the file.
    func error(in bytes: UnsafeBufferPointer<UInt8>, names: [String]) -> CSVError {
        var line = 1
        for i in 0..<min(offset, bytes.count) where bytes[i] == UInt8(ascii: "\n") { line += 1 }
        let column = field + 1
        switch kind {
        case .raggedRow(let expected, let found):
            return .raggedRow(line: line, expectedFields: expected, foundFields: found)
        case .unterminatedQuote: return .unterminatedQuote(line: line, column: column)
        case .unexpectedQuote: return .unexpectedQuote(line: line, column: column)
        case .invalidUTF8: return .invalidUTF8(line: line, column: column)
        case .invalidValue(let value, let expected):
            let name = field < names.count ? names[field] : ""
            return .invalidValue(line: line, column: column, name: name, value: value, expected: expected)
        case .invalidDate(let value):
            let name = field < names.count ? names[field] : ""
            return .invalidDate(line: line, column: column, name: name, value: value)
        }
    }
}
