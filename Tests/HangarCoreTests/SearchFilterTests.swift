import HangarCore
import Testing

@Suite struct SearchFilterTests {
    @Test func parsesMLflowClausesJoinedByAnd() throws {
        let filter = try SearchFilter.parse("metrics.acc >= 0.9 AND params.`max depth` = \"3\" and tags.team LIKE 'a%'")
        #expect(filter.clauses == [
            SearchClause(entity: .metric, key: "acc", comparator: .greaterOrEqual, value: .number(0.9)),
            SearchClause(entity: .param, key: "max depth", comparator: .equal, value: .string("3")),
            SearchClause(entity: .tag, key: "team", comparator: .like, value: .string("a%")),
        ])
    }

    @Test func parsesTheClauseMLflowAppendsToModelSearches() throws {
        let filter = try SearchFilter.parse("name = 'x' AND tag.`mlflow.prompt.is_prompt` != 'true'")
        #expect(filter.clauses.last == SearchClause(entity: .tag, key: "mlflow.prompt.is_prompt", comparator: .notEqual, value: .string("true")))
        #expect(filter.clauses.first?.entity == .attribute)
    }

    @Test func parsesInListsAndNullChecks() throws {
        let filter = try SearchFilter.parse("attributes.status IN ('FINISHED', 'FAILED') and tags.x IS NULL and params.y is not null")
        #expect(filter.clauses.map(\.comparator) == [.in, .isNull, .isNotNull])
        #expect(filter.clauses[0].value == .list(["FINISHED", "FAILED"]))
    }

    @Test func refusesOrAndGarbage() {
        for text in ["metrics.a > 1 OR metrics.b > 2", "metrics.a >", "metrics.a ~ 1", "'unterminated", "metrics.a IN 1"] {
            #expect(throws: HangarError.self, "filter: \(text)") { try SearchFilter.parse(text) }
        }
    }

    @Test func parsesOrderByTerms() throws {
        #expect(try SearchOrder.parse("metrics.m1 DESC") == SearchOrder(entity: .metric, key: "m1", ascending: false))
        #expect(try SearchOrder.parse("name") == SearchOrder(entity: .attribute, key: "name", ascending: true))
        #expect(throws: HangarError.self) { try SearchOrder.parse("metrics.m1 SIDEWAYS") }
    }

    @Test func refusesFiltersTooLargeForADatabaseToCompile() throws {
        let within = Array(repeating: "metrics.m > 1", count: 200).joined(separator: " AND ")
        #expect(try SearchFilter.parse(within).clauses.count == 200)
        let beyond = Array(repeating: "metrics.m > 1", count: 201).joined(separator: " AND ")
        #expect(throws: HangarError.self) { try SearchFilter.parse(beyond) }
        let values = (0...10_000).map { "'\($0)'" }.joined(separator: ", ")
        #expect(throws: HangarError.self) { try SearchFilter.parse("tags.t IN (\(values))") }
    }

    @Test func keepsNumbersBeyondInt64InInLists() throws {
        let filter = try SearchFilter.parse("tags.t IN (1e19, 2, 2.5)")
        #expect(filter.clauses[0].value == .list(["1e+19", "2", "2.5"]))
    }
}
