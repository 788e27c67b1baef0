import HangarCore
import SQLKit

/// Where the searchable fields of one entity (runs, experiments, logged models) live in SQL.
struct SearchSchema: Sendable {
    /// The searched row's id column, e.g. `r.run_id`.
    let idColumn: String
    /// Attribute name → SQL column, for text attributes.
    let textAttributes: [String: String]
    /// Attribute name → SQL column, for numeric (time) attributes.
    let numericAttributes: [String: String]
    /// Key/value tables (tags, params), by entity.
    let keyValueTables: [SearchEntity: KeyValueTable]
    /// `(table, id column, extra condition)` of the numeric metric table, if the entity has metrics.
    let metricTable: (table: String, idColumn: String)?
    /// Table holding dataset inputs, if searchable.
    let datasetTable: (table: String, idColumn: String)?
    /// What the entity is called in messages.
    let noun: String
    /// Registry semantics: `tags.k != 'v'` also matches rows without the tag (MLflow's client relies on it to
    /// exclude prompts from model searches).
    var notEqualMatchesMissing = false
}

/// A key/value table and how its rows join the searched row: pairs of (its column, the searched row's column).
struct KeyValueTable: Sendable {
    let table: String
    let joins: [(column: String, outer: String)]

    init(_ table: String, _ column: String, _ outer: String) {
        self.table = table
        self.joins = [(column, outer)]
    }

    init(_ table: String, joins: [(column: String, outer: String)]) {
        self.table = table
        self.joins = joins
    }

    /// `alias.col = outer AND ...`
    func match(_ alias: String) -> String {
        joins.map { "\(alias).\($0.column) = \($0.outer)" }.joined(separator: " AND ")
    }
}

/// Compiles parsed filters and order-by terms into SQL with bound values.
struct SearchSQL {
    let schema: SearchSchema

    /// `AND`-joined conditions for a filter, or nil when the filter is empty.
    ///
    /// SQLite tests a row's conditions in the order written and stops at the first that fails, so the conditions
    /// that are cheap or usually reject most rows come first (`cost`); the result is the same in any order.
    func conditions(_ filter: SearchFilter) throws(HangarError) -> SQLQueryString? {
        guard !filter.clauses.isEmpty else { return nil }
        let ordered = filter.clauses.enumerated().sorted { a, b in
            (Self.cost(a.element), a.offset) < (Self.cost(b.element), b.offset)
        }
        var parts: [SQLQueryString] = []
        for (_, clause) in ordered { parts.append(try condition(clause)) }
        return parts.joined(separator: " AND ")
    }

    /// The order conditions are tested in: a column of the row itself, then a tag or param equal to a value (one
    /// indexed lookup that keeps few rows), then metric comparisons (a lookup that keeps many), other key/value
    /// comparisons, and last the `NOT EXISTS` forms, which keep most rows.
    static func cost(_ clause: SearchClause) -> Int {
        switch (clause.entity, clause.comparator) {
        case (.attribute, _): 0
        case (.param, .equal), (.tag, .equal), (.param, .in), (.tag, .in): 1
        case (.metric, _): 2
        case (_, .isNull), (_, .notEqual), (_, .notIn): 4
        default: 3
        }
    }

    private func condition(_ clause: SearchClause) throws(HangarError) -> SQLQueryString {
        switch clause.entity {
        case .metric:
            guard let metrics = schema.metricTable else { throw .invalid("Invalid entity type 'metric' for \(schema.noun) search") }
            guard clause.comparator.isNumeric, case .number(let number) = clause.value else {
                throw .invalid("Invalid comparator '\(clause.comparator.rawValue)' or non-numeric value for metric '\(clause.key)'; "
                    + "metrics compare with =, !=, <, <=, >, >= against a number")
            }
            return """
                EXISTS (SELECT 1 FROM \(unsafeRaw: metrics.table) sm WHERE sm.\(unsafeRaw: metrics.idColumn) = \(unsafeRaw: schema.idColumn) \
                AND sm.key = \(bind: clause.key) AND sm.is_nan = 0 AND sm.value \(unsafeRaw: clause.comparator.rawValue) \(bind: number))
                """
        case .param, .tag:
            guard let kv = schema.keyValueTables[clause.entity] else {
                throw .invalid("Invalid entity type '\(clause.entity)' for \(schema.noun) search")
            }
            let exists: SQLQueryString = """
                SELECT 1 FROM \(unsafeRaw: kv.table) sk WHERE \(unsafeRaw: kv.match("sk")) AND sk.key = \(bind: clause.key)
                """
            switch clause.comparator {
            case .isNull: return "NOT EXISTS (\(exists))"
            case .isNotNull: return "EXISTS (\(exists))"
            case .notEqual where schema.notEqualMatchesMissing:
                guard case .string(let s) = clause.value else { throw .invalid("Expected a quoted string value for '\(clause.key)'") }
                return "NOT EXISTS (\(exists) AND sk.value = \(bind: s))"
            default: return "EXISTS (\(exists) AND \(try textComparison("sk.value", clause)))"
            }
        case .attribute:
            if let column = schema.numericAttributes[clause.key] {
                guard clause.comparator.isNumeric, case .number(let number) = clause.value else {
                    throw .invalid("Invalid comparator or value for attribute '\(clause.key)': it compares with =, !=, <, <=, >, >= against a number")
                }
                guard number.isFinite else {
                    throw .invalid("Invalid value for attribute '\(clause.key)': \(number) is not a finite number")
                }
                // A whole number in range compares as the integer it is; anything else (1.5, 1e19) as a double, which
                // both databases compare with an integer column exactly as written.
                if let whole = Int64(exactly: number) {
                    return "\(unsafeRaw: column) \(unsafeRaw: clause.comparator.rawValue) \(bind: whole)"
                }
                return "\(unsafeRaw: column) \(unsafeRaw: clause.comparator.rawValue) \(bind: number)"
            }
            guard let column = schema.textAttributes[clause.key] else {
                let valid = (Array(schema.textAttributes.keys) + Array(schema.numericAttributes.keys)).sorted()
                throw .invalid("Invalid attribute key '\(clause.key)' specified. Valid keys are '\(valid)'")
            }
            return try textComparison(column, clause)
        case .dataset:
            guard let datasets = schema.datasetTable else { throw .invalid("Invalid entity type 'dataset' for \(schema.noun) search") }
            let column: String
            switch clause.key {
            case "name": column = "sd.name"
            case "digest": column = "sd.digest"
            case "context": column = "sd.context"
            default: throw .invalid("Invalid dataset key '\(clause.key)'. Valid keys are ['name', 'digest', 'context']")
            }
            return """
                EXISTS (SELECT 1 FROM \(unsafeRaw: datasets.table) sd WHERE sd.\(unsafeRaw: datasets.idColumn) = \(unsafeRaw: schema.idColumn) \
                AND \(try textComparison(column, clause)))
                """
        }
    }

    private func textComparison(_ column: String, _ clause: SearchClause) throws(HangarError) -> SQLQueryString {
        switch (clause.comparator, clause.value) {
        case (.equal, .string(let s)), (.notEqual, .string(let s)):
            return "\(unsafeRaw: column) \(unsafeRaw: clause.comparator.rawValue) \(bind: s)"
        case (.like, .string(let s)):
            return "\(unsafeRaw: column) LIKE \(bind: s)"
        case (.iLike, .string(let s)):
            return "LOWER(\(unsafeRaw: column)) LIKE LOWER(\(bind: s))"
        case (.in, .list(let values)):
            return "\(unsafeRaw: column) IN (\(binds: values))"
        case (.notIn, .list(let values)):
            return "\(unsafeRaw: column) NOT IN (\(binds: values))"
        case (_, .number):
            throw .invalid("Expected a quoted string value for '\(clause.key)' (got a number)")
        default:
            throw .invalid("Invalid comparator '\(clause.comparator.rawValue)' for '\(clause.key)': use =, !=, LIKE, ILIKE, IN or NOT IN")
        }
    }

    /// Joins and ORDER BY terms for order-by clauses; rows lacking the sorted value come last either way.
    func ordering(_ orders: [SearchOrder]) throws(HangarError) -> (joins: SQLQueryString, terms: [SQLQueryString]) {
        var joins: SQLQueryString = ""
        var terms: [SQLQueryString] = []
        for (index, order) in orders.enumerated() {
            let alias = "o\(index)"
            let direction = order.ascending ? "ASC" : "DESC"
            switch order.entity {
            case .metric:
                guard let metrics = schema.metricTable else { throw .invalid("Invalid order_by entity 'metric' for \(schema.noun) search") }
                joins += " LEFT JOIN \(unsafeRaw: metrics.table) \(unsafeRaw: alias) ON \(unsafeRaw: alias).\(unsafeRaw: metrics.idColumn) = \(unsafeRaw: schema.idColumn) AND \(unsafeRaw: alias).key = \(bind: order.key)"
                terms.append("CASE WHEN \(unsafeRaw: alias).value IS NULL THEN 2 WHEN \(unsafeRaw: alias).is_nan = 1 THEN 1 ELSE 0 END")
                terms.append("\(unsafeRaw: alias).value \(unsafeRaw: direction)")
            case .param, .tag:
                guard let kv = schema.keyValueTables[order.entity] else {
                    throw .invalid("Invalid order_by entity '\(order.entity)' for \(schema.noun) search")
                }
                joins += " LEFT JOIN \(unsafeRaw: kv.table) \(unsafeRaw: alias) ON \(unsafeRaw: kv.match(alias)) AND \(unsafeRaw: alias).key = \(bind: order.key)"
                terms.append("CASE WHEN \(unsafeRaw: alias).value IS NULL THEN 1 ELSE 0 END")
                terms.append("\(unsafeRaw: alias).value \(unsafeRaw: direction)")
            case .attribute:
                guard let column = schema.numericAttributes[order.key] ?? schema.textAttributes[order.key] else {
                    throw .invalid("Invalid order_by attribute '\(order.key)' for \(schema.noun) search")
                }
                terms.append("CASE WHEN \(unsafeRaw: column) IS NULL THEN 1 ELSE 0 END")
                terms.append("\(unsafeRaw: column) \(unsafeRaw: direction)")
            case .dataset:
                throw .invalid("Invalid order_by entity 'dataset' for \(schema.noun) search")
            }
        }
        return (joins, terms)
    }
}
