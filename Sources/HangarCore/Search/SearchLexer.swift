/// An identifier as written: an optional entity prefix and a key (quoted keys may hold dots and spaces).
struct SearchIdentifier: Sendable, Equatable {
    var prefix: String?
    var key: String
}

/// A token of the filter grammar.
enum SearchToken: Equatable {
    case identifier(SearchIdentifier)
    case word(String)
    case string(String)
    case number(Double)
    case comparator(String)
    case openParen
    case closeParen
    case comma
}

/// Splits a filter string into tokens; keywords (AND, LIKE, IN, ...) come out as `.word`.
struct SearchLexer {
    private let chars: [Character]
    private var index = 0
    private let text: String

    init(_ text: String) {
        self.text = text
        self.chars = Array(text)
    }

    private static let keywords: Set<String> = ["AND", "OR", "LIKE", "ILIKE", "IN", "NOT", "IS", "NULL", "ASC", "DESC"]

    mutating func tokens() throws(HangarError) -> [SearchToken] {
        var result: [SearchToken] = []
        while index < chars.count {
            let c = chars[index]
            if c.isWhitespace {
                index += 1
            } else if c == "(" {
                result.append(.openParen); index += 1
            } else if c == ")" {
                result.append(.closeParen); index += 1
            } else if c == "," {
                result.append(.comma); index += 1
            } else if "=!<>".contains(c) {
                result.append(.comparator(try readComparator()))
            } else if c == "'" || c == "\"" {
                result.append(.string(try readQuoted(c)))
            } else if c == "`" {
                result.append(.identifier(SearchIdentifier(prefix: nil, key: try readQuoted("`"))))
            } else if c.isNumber || ((c == "-" || c == "+" || c == ".") && nextIsDigit()) {
                result.append(.number(try readNumber()))
            } else if c.isLetter || c == "_" {
                result.append(try readWordOrIdentifier())
            } else {
                throw .invalid("Invalid character '\(c)' at position \(index) in filter '\(text)'")
            }
        }
        return result
    }

    private func nextIsDigit() -> Bool {
        index + 1 < chars.count && (chars[index + 1].isNumber || chars[index + 1] == ".")
    }

    private mutating func readComparator() throws(HangarError) -> String {
        var op = String(chars[index])
        index += 1
        if index < chars.count, chars[index] == "=" || (op == "<" && chars[index] == ">") {
            op.append(chars[index])
            index += 1
        }
        if op == "<>" { op = "!=" }
        guard ["=", "!=", ">", ">=", "<", "<=", "=="].contains(op) else {
            throw .invalid("Invalid comparator '\(op)' in filter '\(text)'")
        }
        return op == "==" ? "=" : op
    }

    private mutating func readQuoted(_ quote: Character) throws(HangarError) -> String {
        index += 1
        var value = ""
        while index < chars.count {
            let c = chars[index]
            if c == quote {
                if index + 1 < chars.count, chars[index + 1] == quote {
                    value.append(quote)
                    index += 2
                    continue
                }
                index += 1
                return value
            }
            if c == "\\", index + 1 < chars.count, chars[index + 1] == quote {
                value.append(quote)
                index += 2
                continue
            }
            value.append(c)
            index += 1
        }
        throw .invalid("Unterminated quoted text in filter '\(text)'")
    }

    private mutating func readNumber() throws(HangarError) -> Double {
        let start = index
        index += 1
        while index < chars.count, chars[index].isNumber || "eE.+-".contains(chars[index]) {
            if "+-".contains(chars[index]), !"eE".contains(chars[index - 1]) { break }
            index += 1
        }
        let literal = String(chars[start..<index])
        guard let number = Double(literal) else { throw .invalid("Invalid number '\(literal)' in filter '\(text)'") }
        return number
    }

    private mutating func readWordOrIdentifier() throws(HangarError) -> SearchToken {
        let start = index
        while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "_" {
            index += 1
        }
        let word = String(chars[start..<index])
        guard index < chars.count, chars[index] == "." else {
            if Self.keywords.contains(word.uppercased()) { return .word(word) }
            return .identifier(SearchIdentifier(prefix: nil, key: word))
        }
        index += 1
        guard index < chars.count else { throw .invalid("Missing key after '\(word).' in filter '\(text)'") }
        let quote = chars[index]
        if quote == "`" || quote == "\"" {
            return .identifier(SearchIdentifier(prefix: word, key: try readQuoted(quote)))
        }
        let keyStart = index
        while index < chars.count, !chars[index].isWhitespace, !"=!<>(),".contains(chars[index]) {
            index += 1
        }
        guard index > keyStart else { throw .invalid("Missing key after '\(word).' in filter '\(text)'") }
        return .identifier(SearchIdentifier(prefix: word, key: String(chars[keyStart..<index])))
    }
}
