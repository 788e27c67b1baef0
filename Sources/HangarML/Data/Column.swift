/// The values of one column, stored contiguously in the type the column was read as.
///
/// Missing values: `NaN` in numeric columns, code `-1` in categorical columns, `nil` in boolean columns.
public enum ColumnValues: Sendable, Equatable {
    /// 64-bit numbers; `NaN` marks a missing value.
    case double([Double])
    /// 32-bit numbers; `NaN` marks a missing value.
    case float([Float])
    /// Dictionary-encoded text: `codes[i]` indexes `levels`, `-1` marks a missing value.
    case categorical(codes: [Int32], levels: [String])
    /// True/false values; `nil` marks a missing value.
    case boolean([Bool?])
}

/// The kind of a column, as inferred from a CSV file or asked for by the caller.
public enum ColumnKind: String, Sendable, Codable, Equatable {
    /// Numbers (integers and decimals).
    case numeric
    /// Text values treated as categories.
    case categorical
    /// true/false values.
    case boolean
}

/// A named column of a `DataFrame`.
public struct Column: Sendable, Equatable {
    /// The column name as written in the header.
    public var name: String
    /// The stored values.
    public var values: ColumnValues
    /// Set for date columns: their numeric values are seconds since the epoch (see `DateKind`).
    public var dateKind: DateKind?

    /// Creates a column from its name and values; `dateKind` marks numbers as seconds since the epoch.
    public init(name: String, values: ColumnValues, dateKind: DateKind? = nil) {
        self.name = name
        self.values = values
        self.dateKind = dateKind
    }

    /// The number of rows.
    public var count: Int {
        switch values {
        case .double(let v): v.count
        case .float(let v): v.count
        case .categorical(let codes, _): codes.count
        case .boolean(let v): v.count
        }
    }

    /// The column kind (`float` and `double` are both numeric, and so are date columns).
    public var kind: ColumnKind {
        switch values {
        case .double, .float: .numeric
        case .categorical: .categorical
        case .boolean: .boolean
        }
    }

    /// How many values are missing.
    public var missingCount: Int {
        switch values {
        case .double(let v): v.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .float(let v): v.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .categorical(let codes, _): codes.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
        case .boolean(let v): v.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        }
    }

    /// The value at `row` as a number: categorical codes and booleans (0/1) become numbers, missing becomes `NaN`.
    public func numericValue(at row: Int) -> Double {
        switch values {
        case .double(let v): return v[row]
        case .float(let v): return Double(v[row])
        case .categorical(let codes, _): return codes[row] < 0 ? .nan : Double(codes[row])
        case .boolean(let v): return v[row].map { $0 ? 1 : 0 } ?? .nan
        }
    }

    /// The value at `row` as text (ISO 8601 in date columns), `nil` when missing.
    public func text(at row: Int) -> String? {
        if let dateKind {
            let seconds = numericValue(at: row)
            return seconds.isNaN ? nil : ISODate.format(seconds: seconds, kind: dateKind)
        }
        switch values {
        case .double(let v): return v[row].isNaN ? nil : String(v[row])
        case .float(let v): return v[row].isNaN ? nil : String(v[row])
        case .categorical(let codes, let levels): return codes[row] < 0 ? nil : levels[Int(codes[row])]
        case .boolean(let v): return v[row].map { $0 ? "true" : "false" }
        }
    }

    /// The column restricted to the given rows, in the given order.
    public func selecting(rows: [Int]) -> Column {
        var copy = self
        switch values {
        case .double(let v): copy.values = .double(rows.map { v[$0] })
        case .float(let v): copy.values = .float(rows.map { v[$0] })
        case .categorical(let codes, let levels):
            copy.values = .categorical(codes: rows.map { codes[$0] }, levels: levels)
        case .boolean(let v): copy.values = .boolean(rows.map { v[$0] })
        }
        return copy
    }
}
