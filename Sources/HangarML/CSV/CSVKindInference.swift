extension CSVReader {
    /// Chooses each column's kind from the first rows: numbers, true/false, ISO 8601 dates, or text.
    ///
    /// Columns with only missing values in the sample start as numeric; a later value that does not fit
    /// demotes a column to categorical, and the file is parsed again.
    static func inferKinds(scanner: CSVFieldScanner, from start: Int, names: [String], options: CSVReadOptions)
        throws(CSVFault) -> [CSVFieldKind]
    {
        let missing = Set(options.missingValues)
        var couldBeNumber = Array(repeating: true, count: names.count)
        var couldBeBoolean = Array(repeating: true, count: names.count)
        var couldBeDate = Array(repeating: true, count: names.count)
        var sawValue = Array(repeating: false, count: names.count)
        var pos = start
        var rows = 0
        while pos < scanner.end, rows < options.inferenceRows {
            if scanner.isBlankLine(at: pos) {
                scanner.skipBlankLine(at: &pos)
                continue
            }
            let (texts, recordStart) = try scanner.readRecord(at: &pos)
            guard texts.count == names.count else {
                throw CSVFault(kind: .raggedRow(expected: names.count, found: texts.count), offset: recordStart,
                               field: 0)
            }
            for (column, text) in texts.enumerated() where !missing.contains(text) {
                sawValue[column] = true
                if couldBeNumber[column], NumberParser.parseLenient(text) == nil { couldBeNumber[column] = false }
                if couldBeBoolean[column], !["true", "True", "TRUE", "false", "False", "FALSE"].contains(text) {
                    couldBeBoolean[column] = false
                }
                if couldBeDate[column], ISODate.parse(text) == nil { couldBeDate[column] = false }
            }
            rows += 1
        }
        return names.indices.map { column in
            if options.dateColumns.contains(names[column]) { return .date }
            if let kind = options.columnKinds[names[column]] { return CSVFieldKind(kind) }
            if !sawValue[column] || couldBeNumber[column] { return .numeric }
            if couldBeBoolean[column] { return .boolean }
            return couldBeDate[column] ? .date : .categorical
        }
    }
}
