import HangarML

/// Replays a model's preprocessing (date parts, holiday flags, per-group lags and rolling means) on request rows:
/// callers send the raw columns the model was trained from (`TabularModel.inputColumns`, optionally the target
/// for lags), and this turns them into the feature columns the encoder reads, exactly as `hangar predict` does.
struct DerivedFeatures: Sendable {
    let model: TabularModel
    /// The columns a request must carry.
    let inputColumns: [String]
    /// Columns read as ISO 8601 dates: date-part sources and the time column of lags.
    let dateColumns: Set<String>

    init?(model: TabularModel) {
        guard let preprocessing = model.preprocessing else { return nil }
        self.model = model
        inputColumns = model.inputColumns
        dateColumns = Set(preprocessing.dateParts.map(\.column) + [preprocessing.targetHistory?.timeColumn].compactMap { $0 })
    }

    /// `table`'s rows as the model's feature columns.
    func apply(_ table: InputTable) throws(InputError) -> InputTable {
        let known = Set(inputColumns + [model.target.name])
        let unknown = table.columns.filter { !known.contains($0) }
        if !unknown.isEmpty { throw .unknownColumns(unknown) }
        let present = Set(table.columns)
        let missing = inputColumns.filter { !present.contains($0) }
        if !missing.isEmpty { throw .missingColumns(missing) }
        if let duplicate = table.columns.first(where: { name in table.columns.filter { $0 == name }.count > 1 }) {
            throw .duplicateColumn(duplicate)
        }
        var columns: [Column] = []
        for (c, name) in table.columns.enumerated() {
            let cells = (0..<table.rowCount).map { table.cells[$0 * table.columns.count + c] }
            columns.append(try dateColumns.contains(name) ? Self.dates(cells, name: name) : Self.values(cells, name: name))
        }
        let prepared: DataFrame
        do {
            prepared = try model.prepare(try DataFrame(columns: columns))
        } catch let error as ModelInputError {
            throw .malformed("Cannot derive the model's features: \(error.description)")
        } catch {
            throw .malformed("Cannot derive the model's features: \(error)")
        }
        return Self.table(prepared, features: model.schema.features.map(\.name))
    }

    /// An ISO 8601 date column; every value must be a date.
    static func dates(_ cells: [InputValue], name: String) throws(InputError) -> Column {
        var seconds: [Double] = []
        seconds.reserveCapacity(cells.count)
        var hasTime = false
        for (row, cell) in cells.enumerated() {
            switch cell {
            case .text(let text):
                guard let parsed = ISODate.parse(text) else {
                    throw .wrongType(column: name, row: row, expected: "ISO 8601 date", found: "'\(text)'")
                }
                seconds.append(parsed.seconds)
                hasTime = hasTime || parsed.hasTime
            case .missing:
                throw .missingValues(columns: [name])
            case .number(let number):
                throw .wrongType(column: name, row: row, expected: "ISO 8601 date", found: "number \(number)")
            case .bool(let value):
                throw .wrongType(column: name, row: row, expected: "ISO 8601 date", found: "boolean \(value)")
            }
        }
        return Column(name: name, values: .double(seconds), dateKind: hasTime ? .dateTime : .date)
    }

    /// Numbers (and booleans as 0/1) when every value is one, text categories otherwise.
    static func values(_ cells: [InputValue], name: String) -> Column {
        let numeric = cells.allSatisfy {
            switch $0 {
            case .number, .missing, .bool: true
            case .text: false
            }
        }
        if numeric {
            return Column(name: name, values: .double(cells.map {
                switch $0 {
                case .number(let d): d
                case .bool(let b): b ? 1 : 0
                case .missing, .text: .nan
                }
            }))
        }
        var levels: [String] = []
        var codeOf: [String: Int32] = [:]
        let codes: [Int32] = cells.map { cell in
            let text: String
            switch cell {
            case .text(let s): text = s
            case .number(let d): text = d.compactText
            case .bool(let b): text = b ? "true" : "false"
            case .missing: return -1
            }
            if let code = codeOf[text] { return code }
            let code = Int32(levels.count)
            levels.append(text)
            codeOf[text] = code
            return code
        }
        return Column(name: name, values: .categorical(codes: codes, levels: levels))
    }

    /// The named columns of `frame` as request cells, in `features` order.
    static func table(_ frame: DataFrame, features: [String]) -> InputTable {
        let columns = features.compactMap { frame[$0] }
        var cells: [InputValue] = []
        cells.reserveCapacity(frame.rowCount * columns.count)
        for row in 0..<frame.rowCount {
            for column in columns {
                switch column.values {
                case .double(let v): cells.append(v[row].isNaN ? .missing : .number(v[row]))
                case .float(let v): cells.append(v[row].isNaN ? .missing : .number(Double(v[row])))
                case .categorical(let codes, let levels): cells.append(codes[row] < 0 ? .missing : .text(levels[Int(codes[row])]))
                case .boolean(let v): cells.append(v[row].map(InputValue.bool) ?? .missing)
                }
            }
        }
        return InputTable(columns: columns.map(\.name), cells: cells)
    }
}
