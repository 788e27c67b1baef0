/// One input cell as a request carried it, before it is checked against a model's schema.
public enum InputValue: Sendable, Equatable {
    case number(Double)
    case text(String)
    case bool(Bool)
    case missing
}

/// Request rows in a protocol-neutral shape: named columns and row-major values.
public struct InputTable: Sendable, Equatable {
    public var columns: [String]
    /// Row-major cells, `columns.count` per row.
    public var cells: [InputValue]

    public init(columns: [String], cells: [InputValue]) {
        self.columns = columns
        self.cells = cells
    }

    public var rowCount: Int { columns.isEmpty ? 0 : cells.count / columns.count }

    /// Row `row`, column `column`.
    @inlinable
    public subscript(row: Int, column: Int) -> InputValue { cells[row * columns.count + column] }
}

/// Why a request's rows do not fit the model: every message names the columns at fault.
public enum InputError: Error, Equatable, CustomStringConvertible {
    case missingColumns([String])
    case unknownColumns([String])
    /// Both at once, said together: an unknown column is often a required one misspelled.
    case mismatchedColumns(missing: [String], unknown: [String])
    case duplicateColumn(String)
    case wrongType(column: String, row: Int, expected: String, found: String)
    case missingValues(columns: [String])
    case raggedRow(row: Int, expected: Int, found: Int)
    case empty
    case malformed(String)

    public var description: String {
        switch self {
        case .missingColumns(let names):
            "The input lacks column\(names.count == 1 ? "" : "s") \(Self.list(names)) that the model requires"
        case .unknownColumns(let names):
            "The input has column\(names.count == 1 ? "" : "s") \(Self.list(names)) that the model does not know"
        case .mismatchedColumns(let missing, let unknown):
            "The input lacks column\(missing.count == 1 ? "" : "s") \(Self.list(missing)) that the model requires, and has "
                + "column\(unknown.count == 1 ? "" : "s") \(Self.list(unknown)) that it does not know"
        case .duplicateColumn(let name): "Column '\(name)' appears more than once"
        case .wrongType(let column, let row, let expected, let found):
            "Column '\(column)' expects \(expected) values but row \(row) has \(found)"
        case .missingValues(let columns):
            "Missing values in column\(columns.count == 1 ? "" : "s") \(Self.list(columns)), which had none in training"
        case .raggedRow(let row, let expected, let found): "Row \(row) has \(found) values; the columns name \(expected)"
        case .empty: "The input has no rows"
        case .malformed(let reason): reason
        }
    }

    public static func list(_ names: [String]) -> String { names.map { "'\($0)'" }.joined(separator: ", ") }
}
