import HangarServing

extension JSONParser {
    /// MLflow's most common scoring body, `{"dataframe_split": {"columns": [...], "data": [[...], ...]}}`, read
    /// straight into a table, without building the body's tree of `JSONValue`s first.
    ///
    /// Strings and numbers are read by the same code as `parse`, so a table read here equals the one the general
    /// path makes of the same body. Anything else (another field, a repeated key, a missing `columns`, a nested
    /// value, rows of different lengths, malformed JSON) gives nil, and the general path reads the body and words
    /// its errors as before. Column names spelled as in `expectedColumns` (the model's, which clients send) are that
    /// array's strings, not new ones; when all are, the table's columns are `expectedColumns` itself.
    static func dataframeSplit(_ bytes: UnsafeRawBufferPointer, expectedColumns: [String] = []) -> InputTable? {
        var parser = JSONParser(bytes)
        return try? parser.splitBody(expectedColumns)
    }

    private mutating func splitBody(_ expectedColumns: [String]) throws(SyntaxError) -> InputTable {
        try expect("{")
        guard try key() == "dataframe_split" else { throw error("not a dataframe_split body") }
        try expect("{")
        var columns: [String]?
        var data: (cells: [InputValue], width: Int)?
        while true {
            switch try key() {
            case "columns" where columns == nil: columns = try names(expected: expectedColumns)
            case "data" where data == nil: data = try rows()
            default: throw error("not a plain dataframe_split body")
            }
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            break
        }
        try expect("}")
        try expect("}")
        skipWhitespace()
        guard index == bytes.count, let columns, let data, data.width < 0 || data.width == columns.count else {
            throw error("not a plain dataframe_split body")
        }
        return InputTable(columns: columns, cells: data.cells)
    }

    private mutating func expect(_ character: Unicode.Scalar) throws(SyntaxError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { throw error("unexpected character") }
        index += 1
    }

    /// `"name":`
    private mutating func key() throws(SyntaxError) -> String {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
        let key = try string()
        try expect(":")
        return key
    }

    /// `["a", "b", ...]`; `expected` itself when the list spells exactly its names.
    private mutating func names(expected: [String]) throws(SyntaxError) -> [String] {
        try expect("[")
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return []
        }
        // Nil while every name so far is the expected one there: nothing is built until one differs.
        var names: [String]?
        var count = 0
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a name") }
            if names == nil, count < expected.count, skipString(spelling: expected[count]) {
                count += 1
            } else {
                if names == nil {
                    names = Array(expected[0..<count])
                    names?.reserveCapacity(32)
                }
                names?.append(try string())
                count += 1
            }
            guard try listGoesOn() else {
                return names ?? (count == expected.count ? expected : Array(expected[0..<count]))
            }
        }
    }

    /// Moves past the string at `index` if its bytes are exactly `name`'s (a name holding a quote, a backslash or a
    /// control character is never matched: in JSON it would be escaped).
    private mutating func skipString(spelling name: String) -> Bool {
        var i = index + 1
        for byte in name.utf8 {
            guard i < bytes.count, bytes[i] == byte, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 else {
                return false
            }
            i += 1
        }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return false }
        index = i + 1
        return true
    }

    /// `[[scalar, ...], ...]`, every row as long as the first; the cells row after row, and the rows' length (-1 for
    /// no rows).
    private mutating func rows() throws(SyntaxError) -> (cells: [InputValue], width: Int) {
        try expect("[")
        var cells: [InputValue] = []
        cells.reserveCapacity(32)
        var width = -1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return (cells, -1)
        }
        while true {
            let start = cells.count
            try expect("[")
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
            } else {
                repeat { cells.append(try scalar()) } while try listGoesOn()
            }
            if width < 0 { width = cells.count - start }
            guard cells.count - start == width else { throw error("rows of different lengths") }
            guard try listGoesOn() else { return (cells, width) }
        }
    }

    /// A cell, read as the general path reads one (`ScoringInput.scalarCell`); a list or an object is not a cell here.
    private mutating func scalar() throws(SyntaxError) -> InputValue {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input") }
        let value: JSONValue
        switch bytes[index] {
        case UInt8(ascii: "\""): value = .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = try number()
        case UInt8(ascii: "t"): try literal("true"); value = .bool(true)
        case UInt8(ascii: "f"): try literal("false"); value = .bool(false)
        case UInt8(ascii: "n"): try literal("null"); value = .null
        default: throw error("not a scalar")
        }
        guard let cell = ScoringInput.scalarCell(value) else { throw error("not a scalar") }
        return cell
    }

    /// After a list item: true past a `,`, false past the closing `]`.
    private mutating func listGoesOn() throws(SyntaxError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: ","): index += 1; return true
        case UInt8(ascii: "]"): index += 1; return false
        default: throw error("expected ',' or ']'")
        }
    }
}
