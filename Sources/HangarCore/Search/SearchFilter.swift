/// What a filter clause or an order-by term looks at.
public enum SearchEntity: Sendable, Equatable {
    case metric
    case param
    case tag
    case attribute
    case dataset
}

/// A comparison in a filter clause.
public enum SearchComparator: String, Sendable, Equatable {
    case equal = "="
    case notEqual = "!="
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="
    case like = "LIKE"
    case iLike = "ILIKE"
    case `in` = "IN"
    case notIn = "NOT IN"
    case isNull = "IS NULL"
    case isNotNull = "IS NOT NULL"

    /// Whether the comparator orders numbers or times.
    public var isNumeric: Bool { [.equal, .notEqual, .greater, .greaterOrEqual, .less, .lessOrEqual].contains(self) }
}

/// The right-hand side of a clause.
public enum SearchValue: Sendable, Equatable {
    case number(Double)
    case string(String)
    case list([String])
    case none
}

/// One `entity.key comparator value` clause.
public struct SearchClause: Sendable, Equatable {
    public var entity: SearchEntity
    public var key: String
    public var comparator: SearchComparator
    public var value: SearchValue

    public init(entity: SearchEntity, key: String, comparator: SearchComparator, value: SearchValue) {
        self.entity = entity
        self.key = key
        self.comparator = comparator
        self.value = value
    }
}

/// A parsed MLflow search filter: clauses joined by AND.
public struct SearchFilter: Sendable, Equatable {
    public var clauses: [SearchClause]

    public init(clauses: [SearchClause] = []) { self.clauses = clauses }

    /// Parses MLflow's filter grammar, e.g. `metrics.acc > 0.9 and tags.team = 'a'`.
    public static func parse(_ text: String?) throws(HangarError) -> SearchFilter {
        guard let text, !text.allSatisfy(\.isWhitespace) else { return SearchFilter() }
        var lexer = SearchLexer(text)
        let tokens = try lexer.tokens()
        var parser = FilterParser(tokens: tokens, text: text)
        return SearchFilter(clauses: try parser.parseClauses())
    }
}

/// One `entity.key [ASC|DESC]` term of an `order_by` list.
public struct SearchOrder: Sendable, Equatable {
    public var entity: SearchEntity
    public var key: String
    public var ascending: Bool

    public init(entity: SearchEntity, key: String, ascending: Bool) {
        self.entity = entity
        self.key = key
        self.ascending = ascending
    }

    /// Parses one order-by term, e.g. `metrics.m1 DESC` or `name`.
    public static func parse(_ text: String) throws(HangarError) -> SearchOrder {
        var lexer = SearchLexer(text)
        let tokens = try lexer.tokens()
        guard case .identifier(let raw)? = tokens.first else {
            throw .invalid("Invalid order_by clause '\(text)'")
        }
        let (entity, key) = try splitIdentifier(raw)
        var ascending = true
        if tokens.count == 2, case .word(let word) = tokens[1] {
            switch word.uppercased() {
            case "ASC": ascending = true
            case "DESC": ascending = false
            default: throw .invalid("Invalid order_by clause '\(text)'")
            }
        } else if tokens.count != 1 {
            throw .invalid("Invalid order_by clause '\(text)'")
        }
        return SearchOrder(entity: entity, key: key, ascending: ascending)
    }
}

/// Splits `metrics.key` (or a bare attribute name) into an entity and a key.
func splitIdentifier(_ raw: SearchIdentifier) throws(HangarError) -> (SearchEntity, String) {
    guard let prefix = raw.prefix else { return (.attribute, raw.key) }
    switch prefix.lowercased() {
    case "metric", "metrics": return (.metric, raw.key)
    case "param", "params", "parameter", "parameters": return (.param, raw.key)
    case "tag", "tags": return (.tag, raw.key)
    case "attribute", "attributes", "attr", "run": return (.attribute, raw.key)
    case "dataset", "datasets": return (.dataset, raw.key)
    default:
        throw .invalid(
            "Invalid entity type '\(prefix)'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']")
    }
}
