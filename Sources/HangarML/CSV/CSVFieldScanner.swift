/// One field's bytes as found in the file.
struct CSVField {
    /// First byte of the content (after an opening quote).
    var start: Int
    /// One past the last byte of the content (before a closing quote).
    var end: Int
    /// Whether the content holds doubled quotes (`""`) that stand for one quote.
    var hasEscapedQuotes: Bool
    /// Whether the field was quoted.
    var quoted: Bool
}

/// Finds field and record boundaries in RFC 4180 text: quoted fields may hold delimiters, newlines and `""`.
struct CSVFieldScanner {
    let bytes: UnsafePointer<UInt8>
    let end: Int
    let delimiter: UInt8

    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    /// Scans the field starting at `pos`, leaving `pos` on its terminator (delimiter, `\n`, or `end`).
    ///
    /// A `\r` right before `\n` belongs to the line ending, not to the field.
    func scanField(at pos: inout Int, field: Int) throws(CSVFault) -> CSVField {
        let start = pos
        if pos < end, bytes[pos] == Self.quote {
            var i = pos + 1
            var escaped = false
            while true {
                guard i < end else { throw CSVFault(kind: .unterminatedQuote, offset: start, field: field) }
                if bytes[i] == Self.quote {
                    if i + 1 < end, bytes[i + 1] == Self.quote {
                        escaped = true
                        i += 2
                        continue
                    }
                    break
                }
                i += 1
            }
            let closing = i
            pos = i + 1
            if pos < end, bytes[pos] == Self.carriageReturn, pos + 1 == end || bytes[pos + 1] == Self.newline {
                pos += 1
            }
            guard pos == end || bytes[pos] == delimiter || bytes[pos] == Self.newline else {
                throw CSVFault(kind: .unexpectedQuote, offset: closing, field: field)
            }
            return CSVField(start: start + 1, end: closing, hasEscapedQuotes: escaped, quoted: true)
        }
        var i = pos
        while i < end {
            let b = bytes[i]
            if b == delimiter || b == Self.newline { break }
            if b == Self.quote { throw CSVFault(kind: .unexpectedQuote, offset: i, field: field) }
            i += 1
        }
        pos = i
        var fieldEnd = i
        if fieldEnd > start, bytes[fieldEnd - 1] == Self.carriageReturn, i == end || bytes[i] == Self.newline {
            fieldEnd -= 1
        }
        return CSVField(start: start, end: fieldEnd, hasEscapedQuotes: false, quoted: false)
    }

    /// The field's content with `""` turned into `"`, as raw bytes.
    func contentBytes(_ field: CSVField) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(field.end - field.start)
        var i = field.start
        while i < field.end {
            out.append(bytes[i])
            i += (field.hasEscapedQuotes && bytes[i] == Self.quote) ? 2 : 1
        }
        return out
    }

    /// The field's content as text, or `nil` when it is not valid UTF-8.
    func text(_ field: CSVField) -> String? {
        if field.hasEscapedQuotes {
            return String(validating: contentBytes(field), as: UTF8.self)
        }
        return String(validating: UnsafeBufferPointer(start: bytes + field.start, count: field.end - field.start),
                      as: UTF8.self)
    }

    /// Whether the field's content equals `token` byte for byte.
    func content(_ field: CSVField, equals token: [UInt8]) -> Bool {
        if field.hasEscapedQuotes { return contentBytes(field) == token }
        guard field.end - field.start == token.count else { return false }
        for k in 0..<token.count where bytes[field.start + k] != token[k] { return false }
        return true
    }

    /// Whether `pos` starts an empty line (`\n` or `\r\n`), which readers skip.
    func isBlankLine(at pos: Int) -> Bool {
        bytes[pos] == Self.newline
            || (bytes[pos] == Self.carriageReturn && pos + 1 < end && bytes[pos + 1] == Self.newline)
    }

    /// Moves `pos` past a blank line.
    func skipBlankLine(at pos: inout Int) {
        pos += bytes[pos] == Self.newline ? 1 : 2
    }

    /// Reads a whole record as texts starting at `pos` and leaves `pos` after its line ending.
    func readRecord(at pos: inout Int) throws(CSVFault) -> (texts: [String], start: Int) {
        let start = pos
        var texts: [String] = []
        while true {
            let field = try scanField(at: &pos, field: texts.count)
            guard let text = text(field) else {
                throw CSVFault(kind: .invalidUTF8, offset: field.start, field: texts.count)
            }
            texts.append(text)
            if pos < end, bytes[pos] == delimiter {
                pos += 1
                continue
            }
            if pos < end { pos += 1 }
            return (texts, start)
        }
    }
}
