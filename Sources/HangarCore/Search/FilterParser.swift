/// Turns filter tokens into clauses: `identifier comparator value [AND ...]`.
struct FilterParser {
    let tokens: [SearchToken]
    let text: String
    private var index = 0
    private var listValues = 0

    init(tokens: [SearchToken], text: String) {
        self.tokens = tokens
        self.text = text
    }

    /// Most clauses one filter may join: far more than a person writes, and well inside what either database compiles
    /// (SQLite refuses an expression about 1,000 ANDs deep).
    static let maxClauses = 200
    /// Most values all of a filter's IN lists may hold together; each is one bind, and PostgreSQL takes at most
    /// 65,535 per statement.
    static let maxListValues = 10_000

    mutating func parseClauses() throws(HangarError) -> [SearchClause] {
        var clauses: [SearchClause] = [try parseClause()]
        while index < tokens.count {
            guard case .word(let word) = tokens[index], word.uppercased() == "AND" else {
                throw .invalid("Invalid clause(s) in filter string: '\(text)'. Clauses must be joined by AND")
            }
            index += 1
            clauses.append(try parseClause())
            guard clauses.count <= Self.maxClauses else {
                throw .invalid("The filter has more than \(Self.maxClauses) clauses; narrow it or split the search")
            }
        }
        return clauses
    }

    private mutating func next() -> SearchToken? {
        guard index < tokens.count else { return nil }
        defer { index += 1 }
        return tokens[index]
    }

    private mutating func parseClause() throws(HangarError) -> SearchClause {
        guard case .identifier(let raw)? = next() else {
            throw .invalid("Invalid filter '\(text)': expected an identifier such as metrics.<key>")
        }
        let (entity, key) = try splitIdentifier(raw)
        let comparator = try parseComparator()
        let value: SearchValue
        switch comparator {
        case .isNull, .isNotNull:
            value = .none
        case .in, .notIn:
            value = .list(try parseList())
        default:
            switch next() {
            case .string(let s)?: value = .string(s)
            case .number(let n)?: value = .number(n)
            default: throw .invalid("Invalid filter '\(text)': expected a value after '\(comparator.rawValue)'")
            }
        }
        return SearchClause(entity: entity, key: key, comparator: comparator, value: value)
    }

    private mutating func parseComparator() throws(HangarError) -> SearchComparator {
        switch next() {
        case .comparator(let op)?:
            return SearchComparator(rawValue: op)!
        case .word(let w)?:
            switch w.uppercased() {
            case "LIKE": return .like
            case "ILIKE": return .iLike
            case "IN": return .in
            case "NOT":
                if case .word(let w2)? = next(), w2.uppercased() == "IN" { return .notIn }
            case "IS":
                if case .word(let w2)? = next() {
                    if w2.uppercased() == "NULL" { return .isNull }
                    if w2.uppercased() == "NOT", case .word(let w3)? = next(), w3.uppercased() == "NULL" {
                        return .isNotNull
                    }
                }
            default: break
            }
        default: break
        }
        throw .invalid("Invalid comparator in filter '\(text)'")
    }

    private mutating func parseList() throws(HangarError) -> [String] {
        guard next() == .openParen else { throw .invalid("Invalid filter '\(text)': IN expects a list like ('a', 'b')") }
        var values: [String] = []
        while true {
            switch next() {
            case .string(let s)?: values.append(s)
            case .number(let n)?: values.append(Int64(exactly: n).map { String($0) } ?? String(n))
            default: throw .invalid("Invalid filter '\(text)': IN lists hold quoted values")
            }
            listValues += 1
            guard listValues <= Self.maxListValues else {
                throw .invalid("The filter's IN lists hold more than \(Self.maxListValues) values; split the search")
            }
            switch next() {
            case .comma?: continue
            case .closeParen?: return values
            default: throw .invalid("Invalid filter '\(text)': unterminated IN list")
            }
        }
    }
}
