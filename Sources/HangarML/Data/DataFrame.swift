/// Why a data frame could not be built or queried.
public enum DataFrameError: Error, Equatable, CustomStringConvertible {
    /// Two columns have different lengths.
    case lengthMismatch(column: String, expected: Int, found: Int)
    /// Two columns share a name.
    case duplicateColumn(String)
    /// A column the caller asked for does not exist.
    case missingColumn(String)

    public var description: String {
        switch self {
        case .lengthMismatch(let column, let expected, let found):
            "column '\(column)' has \(found) rows, expected \(expected)"
        case .duplicateColumn(let name): "column '\(name)' appears more than once"
        case .missingColumn(let name): "no column named '\(name)'"
        }
    }
}

/// A table of named, typed columns of equal length, stored column by column.
public struct DataFrame: Sendable, Equatable {
    /// The columns in file order.
    public private(set) var columns: [Column]
    /// The number of rows.
    public private(set) var rowCount: Int
    private var indexByName: [String: Int]

    /// Creates a frame; all columns must have the same length and distinct names.
    public init(columns: [Column]) throws(DataFrameError) {
        let rows = columns.first?.count ?? 0
        var index: [String: Int] = [:]
        for (i, column) in columns.enumerated() {
            guard column.count == rows else {
                throw .lengthMismatch(column: column.name, expected: rows, found: column.count)
            }
            guard index.updateValue(i, forKey: column.name) == nil else { throw .duplicateColumn(column.name) }
        }
        self.columns = columns
        self.rowCount = rows
        self.indexByName = index
    }

    /// The column names in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The column with this name, if any.
    public subscript(name: String) -> Column? {
        indexByName[name].map { columns[$0] }
    }

    /// The column with this name, or a typed error naming it.
    public func column(named name: String) throws(DataFrameError) -> Column {
        guard let i = indexByName[name] else { throw .missingColumn(name) }
        return columns[i]
    }

    /// A frame with the given rows, in the given order.
    public func selecting(rows: [Int]) -> DataFrame {
        var copy = self
        copy.columns = columns.map { $0.selecting(rows: rows) }
        copy.rowCount = rows.count
        return copy
    }

    /// A frame without the named column (unchanged when it is absent).
    public func dropping(column name: String) -> DataFrame {
        guard let i = indexByName[name] else { return self }
        var kept = columns
        kept.remove(at: i)
        // Names stay distinct and lengths equal, so this cannot fail.
        return (try? DataFrame(columns: kept)) ?? self
    }
}
