/// Reads a column that holds dates as seconds since the epoch, whichever way the input file stored it.
enum DateValues {
    /// Seconds since the epoch per row (`NaN` missing). Date columns are read as they are; text is parsed as
    /// ISO 8601 (so a file whose bad value made the column text fails here, naming the value); a numeric column
    /// without dates is accepted only when it is entirely missing.
    static func seconds(of frame: DataFrame, column name: String) throws(PreprocessingError) -> [Double] {
        guard let column = frame[name] else { throw .missingColumn(name) }
        if column.dateKind != nil { return (0..<column.count).map { column.numericValue(at: $0) } }
        switch column.values {
        case .categorical(let codes, let levels):
            var parsed = [Double](repeating: .nan, count: levels.count)
            var checked = [Bool](repeating: false, count: levels.count)
            var out = [Double](repeating: .nan, count: codes.count)
            for (row, code) in codes.enumerated() where code >= 0 {
                let level = Int(code)
                if !checked[level] {
                    guard let (seconds, _) = ISODate.parse(levels[level]) else {
                        throw .notADate(column: name, row: row + 1, value: levels[level])
                    }
                    parsed[level] = seconds
                    checked[level] = true
                }
                out[row] = parsed[level]
            }
            return out
        case .double, .float, .boolean:
            if let row = (0..<column.count).first(where: { column.text(at: $0) != nil }) {
                throw .notADate(column: name, row: row + 1, value: column.text(at: row) ?? "")
            }
            return [Double](repeating: .nan, count: column.count)
        }
    }
}
