import HangarCore
import SQLKit

extension TrackingStore {
    static let loggedModelSearchSchema = SearchSchema(
        idColumn: "lm.model_id",
        textAttributes: [
            "name": "lm.name", "model_id": "lm.model_id", "model_type": "lm.model_type", "status": "lm.status",
            "source_run_id": "lm.source_run_id",
        ],
        numericAttributes: [
            "creation_timestamp": "lm.creation_timestamp_ms", "creation_time": "lm.creation_timestamp_ms",
            "last_updated_timestamp": "lm.last_updated_timestamp_ms",
        ],
        keyValueTables: [
            .param: KeyValueTable("logged_model_params", "model_id", "lm.model_id"),
            .tag: KeyValueTable("logged_model_tags", "model_id", "lm.model_id"),
        ],
        metricTable: ("metrics", "model_id"),
        datasetTable: nil, noun: "logged model")

    /// One order-by term of a logged-model search (MLflow sends them as objects, not strings).
    public struct LoggedModelOrder: Sendable {
        public var fieldName: String
        public var ascending: Bool

        public init(fieldName: String, ascending: Bool) {
            self.fieldName = fieldName
            self.ascending = ascending
        }
    }

    /// One page of logged models from these experiments that match a filter.
    public func searchLoggedModels(
        experimentIds: [String], filter: String?, orderBy: [LoggedModelOrder], maxResults: Int?, pageToken: String?
    ) async throws -> (models: [LoggedModel], nextPageToken: String?) {
        let numericIds = try experimentIds.map { (id) throws(HangarError) in try Self.experimentNumber(id) }
        guard !numericIds.isEmpty else { throw HangarError.invalid("Missing value for required parameter 'experiment_ids'") }
        let sql = SearchSQL(schema: Self.loggedModelSearchSchema)
        let conditions = try sql.conditions(try SearchFilter.parse(filter))
        let orders = try orderBy.map { (order) throws(HangarError) in
            var parsed = try SearchOrder.parse(order.fieldName)
            parsed.ascending = order.ascending
            return parsed
        }
        let (joins, orderTerms) = try sql.ordering(orders)
        let limit = try PageToken.limit(maxResults, default: 100, max: Limits.maxSearchResults)
        let offset = try PageToken.decode(pageToken)
        var query: SQLQueryString = """
            SELECT lm.model_id FROM logged_models lm\(joins) WHERE lm.experiment_id IN (\(binds: numericIds)) AND lm.lifecycle_stage = 'active'
            """
        if let conditions { query += " AND \(conditions)" }
        let order = orderTerms + ["lm.creation_timestamp_ms DESC", "lm.model_id ASC"]
        query += " ORDER BY \(order.joined(separator: ", ")) LIMIT \(bind: limit + 1) OFFSET \(bind: offset)"
        let finalQuery = query
        return try await database.read { db in
            let rows = try await db.raw(finalQuery).all()
            let ids = try rows.prefix(limit).map { try $0.string("model_id") }
            return (try await Self.loadLoggedModels(ids: ids, db: db), PageToken.next(offset: offset, limit: limit, fetched: rows.count))
        }
    }
}
