import HangarCore
import HangarServing

/// MLflow's scoring request formats (`/invocations`) read into an `InputTable`.
///
/// JSON bodies carry exactly one of `dataframe_split`, `dataframe_records`, `instances` or `inputs`, as
/// `mlflow models serve` requires; `text/csv` bodies carry a header row. Positional rows (lists without column
/// names) are read in the model's feature order.
enum ScoringInput {
    static let jsonKeys = ["dataframe_split", "dataframe_records", "instances", "inputs"]

    /// Reads a JSON scoring body; `featureNames` orders positional rows.
    static func table(json body: JSONValue, featureNames: [String]) throws(InputError) -> InputTable {
        guard case .object(let fields) = body else {
            throw .malformed("The request body must be a JSON object with one of the fields \(keyList)")
        }
        let present = jsonKeys.filter { fields[$0] != nil }
        guard present.count == 1, let key = present.first, let value = fields[key] else {
            throw .malformed("The JSON body must have exactly one of the fields \(keyList); it has \(present.isEmpty ? "none" : present.joined(separator: ", "))")
        }
        switch key {
        case "dataframe_split":
            guard case .object(let split) = value else { throw .malformed("'dataframe_split' must be an object with 'columns' and 'data'") }
            guard case .array(let data)? = split["data"] else { throw .malformed("'dataframe_split' needs a 'data' list of rows") }
            let columns: [String]
            if let names = split["columns"] {
                columns = try strings(names, field: "dataframe_split.columns")
            } else {
                columns = featureNames
            }
            return try rows(data, columns: columns, field: "dataframe_split.data")
        case "dataframe_records":
            return try records(value, field: key)
        default:
            return try tensorLike(value, field: key, featureNames: featureNames)
        }
    }

    static var keyList: String { jsonKeys.map { "'\($0)'" }.joined(separator: ", ") }

    /// `instances`/`inputs`: a list of records, a list of positional rows, or an object of columns.
    static func tensorLike(_ value: JSONValue, field: String, featureNames: [String]) throws(InputError) -> InputTable {
        switch value {
        case .array(let items):
            if case .object? = items.first { return try records(value, field: field) }
            return try rows(items, columns: featureNames, field: field)
        case .object(let columns):
            return try columnar(columns, field: field)
        default:
            throw .malformed("'\(field)' must be a list of rows or records, or an object of columns")
        }
    }

    /// Row-major lists under `columns`.
    static func rows(_ data: [JSONValue], columns: [String], field: String) throws(InputError) -> InputTable {
        var cells: [InputValue] = []
        cells.reserveCapacity(data.count * columns.count)
        for (r, row) in data.enumerated() {
            guard case .array(let values) = row else {
                // A single positional row given flat (e.g. "instances": [1, 2, 3]) is not a table.
                throw .malformed("'\(field)' row \(r) must be a list of values")
            }
            guard values.count == columns.count else { throw .raggedRow(row: r, expected: columns.count, found: values.count) }
            for (c, value) in values.enumerated() { cells.append(try cell(value, column: columns[c], row: r)) }
        }
        return InputTable(columns: columns, cells: cells)
    }

    /// A list of `{column: value}` objects; columns are the union, absent keys are missing values.
    static func records(_ value: JSONValue, field: String) throws(InputError) -> InputTable {
        guard case .array(let items) = value else { throw .malformed("'\(field)' must be a list of records") }
        var columns: [String] = []
        var index: [String: Int] = [:]
        var objects: [JSONObject] = []
        objects.reserveCapacity(items.count)
        for (r, item) in items.enumerated() {
            guard case .object(let object) = item else { throw .malformed("'\(field)' item \(r) must be an object") }
            for key in object.keys.sorted() where index[key] == nil {
                index[key] = columns.count
                columns.append(key)
            }
            objects.append(object)
        }
        if columns.isEmpty, !objects.isEmpty {
            throw .malformed("'\(field)' holds \(objects.count) record\(objects.count == 1 ? "" : "s") with no fields: each record maps column names to values")
        }
        var cells = [InputValue](repeating: .missing, count: objects.count * columns.count)
        for (r, object) in objects.enumerated() {
            for (key, value) in object { cells[r * columns.count + index[key]!] = try cell(value, column: key, row: r) }
        }
        return InputTable(columns: columns, cells: cells)
    }

    /// `{column: [values...]}`, every list the same length.
    static func columnar(_ object: JSONObject, field: String) throws(InputError) -> InputTable {
        let columns = object.keys.sorted()
        var lists: [[JSONValue]] = []
        for name in columns {
            switch object[name]! {
            case .array(let values): lists.append(values)
            case let scalar: lists.append([scalar])
            }
        }
        let rowCount = lists.first?.count ?? 0
        for (c, list) in lists.enumerated() where list.count != rowCount {
            throw .malformed("'\(field)' column '\(columns[c])' has \(list.count) values; '\(columns[0])' has \(rowCount)")
        }
        var cells: [InputValue] = []
        cells.reserveCapacity(rowCount * columns.count)
        for r in 0..<rowCount {
            for c in columns.indices { cells.append(try cell(lists[c][r], column: columns[c], row: r)) }
        }
        return InputTable(columns: columns, cells: cells)
    }

    static func strings(_ value: JSONValue, field: String) throws(InputError) -> [String] {
        guard case .array(let items) = value else { throw .malformed("'\(field)' must be a list of names") }
        var names: [String] = []
        for item in items {
            guard case .string(let name) = item else { throw .malformed("'\(field)' must hold names (strings), found \(item.display)") }
            names.append(name)
        }
        return names
    }

    @inline(__always)
    static func cell(_ value: JSONValue, column: String, row: Int) throws(InputError) -> InputValue {
        guard let cell = scalarCell(value) else {
            throw .wrongType(column: column, row: row, expected: "scalar", found: value.display)
        }
        return cell
    }

    /// A JSON scalar as a cell (numbers, text, booleans, null as missing); nil for a list or an object.
    @inline(__always)
    static func scalarCell(_ value: JSONValue) -> InputValue? {
        switch value {
        case .integer(let i): .number(Double(i))
        case .number(let d): .number(d)
        case .string(let s): .text(s)
        case .bool(let b): .bool(b)
        case .null: .missing
        case .array, .object: nil
        }
    }

    /// A CSV body with a header row (RFC 4180 quoting); empty fields are missing, numbers are numbers.
    static func table(csv bytes: [UInt8]) throws(InputError) -> InputTable {
        var records = try CSVBodyParser(bytes).records()
        while let last = records.last, last.count == 1, last[0].isEmpty { records.removeLast() }
        guard let header = records.first else { throw .empty }
        guard records.count > 1 else {
            throw .malformed("The CSV body has one line (\(InputError.list(Array(header.prefix(8))))) and no rows: "
                + "the first line names the columns, and each line after it is a row")
        }
        var cells: [InputValue] = []
        cells.reserveCapacity((records.count - 1) * header.count)
        for (r, fields) in records.dropFirst().enumerated() {
            guard fields.count == header.count else { throw .raggedRow(row: r, expected: header.count, found: fields.count) }
            for field in fields {
                if field.isEmpty {
                    cells.append(.missing)
                } else if let number = number(field) {
                    cells.append(.number(number))
                } else {
                    cells.append(.text(field))
                }
            }
        }
        return InputTable(columns: header, cells: cells)
    }

    /// A CSV field read as a number the way pandas reads one: decimal text, or nan/inf spelled out. Anything else
    /// (hexadecimal included, which Swift's `Double` would accept) is text.
    static func number(_ field: String) -> Double? {
        if let number = Double(decimalText: field) { return number }
        switch field.lowercased() {
        case "nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return nil
        }
    }
}

/// Splits a small CSV body into records of fields.
struct CSVBodyParser {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func records() throws(InputError) -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        // A byte-order mark is not part of the first column's name.
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(b)
                }
            } else if b == UInt8(ascii: "\"") {
                quoted = true
            } else if b == UInt8(ascii: ",") {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                if b == UInt8(ascii: "\r"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                records.append(fields)
                fields.removeAll()
            } else {
                field.append(b)
            }
            i += 1
        }
        if quoted {
            throw .malformed("The CSV body ends inside a quoted field of line \(records.count + 1): a closing '\"' is missing")
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(String(decoding: field, as: UTF8.self))
            records.append(fields)
        }
        return records
    }
}
