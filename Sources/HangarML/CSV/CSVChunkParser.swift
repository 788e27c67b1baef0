/// The columns parsed from one chunk of a CSV file, before chunks are joined.
struct CSVChunk {
    var rows = 0
    /// Values of the numeric columns.
    var numbers: NumericStore
    /// Per column; only boolean columns fill theirs.
    var booleans: [[Bool?]]
    /// Per column; only categorical columns fill theirs (codes into `levels`, -1 missing).
    var codes: [[Int32]]
    var levels: [[String]]
    /// Per column; set for date columns when a value here had a time of day.
    var hasTime: [Bool]
    /// Columns whose inferred kind did not fit a value here, with the kind they should be read as.
    var demotions: [Int: CSVFieldKind] = [:]

    init(kinds: [CSVFieldKind], estimatedRows: Int) {
        let columns = kinds.count
        numbers = NumericStore(kinds: kinds, capacity: estimatedRows)
        booleans = Array(repeating: [], count: columns)
        codes = Array(repeating: [], count: columns)
        levels = Array(repeating: [], count: columns)
        hasTime = Array(repeating: false, count: columns)
    }
}

/// Parses the records in one byte range into typed columns.
struct CSVChunkParser {
    let scanner: CSVFieldScanner
    let kinds: [CSVFieldKind]
    /// Columns whose kind the caller forced: a value that does not fit is an error, not a demotion.
    let forced: [Bool]
    let missingTokens: [[UInt8]]
    let estimatedRows: Int
    /// Bit `n` set when some missing token is `n` bytes long (tokens of 64 bytes or more set no bit).
    let missingLengths: UInt64

    init(scanner: CSVFieldScanner, kinds: [CSVFieldKind], forced: [Bool], missingTokens: [[UInt8]],
         estimatedRows: Int)
    {
        self.scanner = scanner
        self.kinds = kinds
        self.forced = forced
        self.missingTokens = missingTokens
        self.estimatedRows = estimatedRows
        missingLengths = missingTokens.reduce(0) { $1.count < 64 ? $0 | 1 << UInt64($1.count) : $0 }
    }

    private static let trueTokens: [[UInt8]] = ["true", "True", "TRUE"].map { Array($0.utf8) }
    private static let falseTokens: [[UInt8]] = ["false", "False", "FALSE"].map { Array($0.utf8) }

    /// Parses every record that starts in `[start, end)`; the range must begin at a record start.
    func parse(from start: Int, to end: Int) throws(CSVFault) -> CSVChunk {
        let columnCount = kinds.count
        var chunk = CSVChunk(kinds: kinds, estimatedRows: estimatedRows)
        var dictionaries = Array(repeating: CategoryDictionary(), count: columnCount)
        for c in 0..<columnCount {
            switch kinds[c] {
            case .numeric, .date: break
            case .boolean: chunk.booleans[c].reserveCapacity(estimatedRows)
            case .categorical: chunk.codes[c].reserveCapacity(estimatedRows)
            }
        }
        let store = chunk.numbers
        var numbers = store.bases
        let kindsBuffer = kinds
        let fileEnd = scanner.end
        let bytes = scanner.bytes
        let delimiter = scanner.delimiter
        var pos = start
        while pos < end {
            if scanner.isBlankLine(at: pos) {
                scanner.skipBlankLine(at: &pos)
                continue
            }
            let recordStart = pos
            let row = chunk.rows
            if row == store.capacity {
                store.grow(keeping: row)
                numbers = store.bases
            }
            var column = 0
            while true {
                guard column < columnCount else {
                    throw raggedFault(recordStart: recordStart, expected: columnCount)
                }
                switch kindsBuffer[column] {
                case .numeric:
                    // Fast path: an unquoted number parsed in place, then its terminator checked.
                    if let (value, stop) = NumberParser.scan(bytes, pos, fileEnd),
                       stop == fileEnd || bytes[stop] == delimiter || bytes[stop] == CSVFieldScanner.newline
                        || (bytes[stop] == CSVFieldScanner.carriageReturn
                            && (stop + 1 == fileEnd || bytes[stop + 1] == CSVFieldScanner.newline))
                    {
                        numbers[column][row] = value
                        pos = stop == fileEnd || bytes[stop] != CSVFieldScanner.carriageReturn ? stop : stop + 1
                    } else {
                        let field = try scanner.scanField(at: &pos, field: column)
                        numbers[column][row] = try slowNumber(field, column: column, chunk: &chunk)
                    }
                case .date:
                    let field = try scanner.scanField(at: &pos, field: column)
                    numbers[column][row] = try date(field, column: column, chunk: &chunk)
                case .boolean:
                    let field = try scanner.scanField(at: &pos, field: column)
                    chunk.booleans[column].append(try boolean(field, column: column, chunk: &chunk))
                case .categorical:
                    let field = try scanner.scanField(at: &pos, field: column)
                    if isMissing(field) {
                        chunk.codes[column].append(-1)
                    } else {
                        let code: Int32?
                        if field.hasEscapedQuotes {
                            let content = scanner.contentBytes(field)
                            code = content.withUnsafeBufferPointer {
                                dictionaries[column].code($0.baseAddress!, count: $0.count)
                            }
                        } else {
                            code = dictionaries[column].code(bytes + field.start, count: field.end - field.start)
                        }
                        guard let code else {
                            throw CSVFault(kind: .invalidUTF8, offset: field.start, field: column)
                        }
                        chunk.codes[column].append(code)
                    }
                }
                if pos < fileEnd, bytes[pos] == delimiter {
                    pos += 1
                    column += 1
                    continue
                }
                if pos < fileEnd { pos += 1 }
                break
            }
            guard column == columnCount - 1 else {
                throw CSVFault(kind: .raggedRow(expected: columnCount, found: column + 1), offset: recordStart,
                               field: 0)
            }
            chunk.rows += 1
        }
        for c in 0..<columnCount where kinds[c] == .categorical { chunk.levels[c] = dictionaries[c].levels }
        return chunk
    }

    /// A number that the fast path refused: quoted, missing, spaced, infinite, or not a number at all.
    private func slowNumber(_ field: CSVField, column: Int, chunk: inout CSVChunk) throws(CSVFault) -> Double {
        if isMissing(field) { return .nan }
        let text = scanner.text(field) ?? ""
        if let value = NumberParser.parseLenient(text) { return value }
        if forced[column] {
            throw CSVFault(kind: .invalidValue(value: text, expected: .numeric), offset: field.start, field: column)
        }
        chunk.demotions[column] = .categorical
        return .nan
    }

    /// A date as seconds since the epoch; a value that is not one demotes the column to text unless it was forced.
    private func date(_ field: CSVField, column: Int, chunk: inout CSVChunk) throws(CSVFault) -> Double {
        if !field.hasEscapedQuotes,
           let (seconds, hasTime) = ISODate.parse(scanner.bytes + field.start, count: field.end - field.start)
        {
            if hasTime { chunk.hasTime[column] = true }
            return seconds
        }
        if isMissing(field) { return .nan }
        if forced[column] {
            let text = scanner.text(field) ?? ""
            throw CSVFault(kind: .invalidDate(value: text), offset: field.start, field: column)
        }
        chunk.demotions[column] = .categorical
        return .nan
    }

    private func boolean(_ field: CSVField, column: Int, chunk: inout CSVChunk) throws(CSVFault) -> Bool? {
        if Self.trueTokens.contains(where: { scanner.content(field, equals: $0) }) { return true }
        if Self.falseTokens.contains(where: { scanner.content(field, equals: $0) }) { return false }
        if isMissing(field) { return nil }
        if forced[column] {
            let text = scanner.text(field) ?? ""
            throw CSVFault(kind: .invalidValue(value: text, expected: .boolean), offset: field.start, field: column)
        }
        chunk.demotions[column] = .categorical
        return nil
    }

    private func isMissing(_ field: CSVField) -> Bool {
        // Most fields have a length no missing token has: skip the comparisons.
        let length = field.end - field.start
        guard length >= 64 || missingLengths & (1 << UInt64(length)) != 0 || field.hasEscapedQuotes else { return false }
        return missingTokens.contains { scanner.content(field, equals: $0) }
    }

    /// Counts the fields of a record that has too many, for the error message.
    private func raggedFault(recordStart: Int, expected: Int) -> CSVFault {
        var pos = recordStart
        var found = 0
        while true {
            found += 1
            guard (try? scanner.scanField(at: &pos, field: found - 1)) != nil else { break }
            guard pos < scanner.end, scanner.bytes[pos] == scanner.delimiter else { break }
            pos += 1
        }
        return CSVFault(kind: .raggedRow(expected: expected, found: found), offset: recordStart, field: 0)
    }
}
