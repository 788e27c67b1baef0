import HangarCore
import SQLKit

extension TrackingStore {
    static let experimentSearchSchema = SearchSchema(
        idColumn: "e.experiment_id",
        textAttributes: ["name": "e.name"],
        numericAttributes: [
            "creation_time": "e.creation_time", "last_update_time": "e.last_update_time",
            "experiment_id": "e.experiment_id",
        ],
        keyValueTables: [.tag: KeyValueTable("experiment_tags", "experiment_id", "e.experiment_id")],
        metricTable: nil, datasetTable: nil, noun: "experiment")

    /// One page of experiments matching a filter, and the token of the next page.
    public func searchExperiments(
        filter: String?, orderBy: [String], maxResults: Int?, pageToken: String?, viewType: ViewType
    ) async throws -> (experiments: [Experiment], nextPageToken: String?) {
        let sql = SearchSQL(schema: Self.experimentSearchSchema)
        let conditions = try sql.conditions(try SearchFilter.parse(filter))
        let (joins, orderTerms) = try sql.ordering(try orderBy.map { (text) throws(HangarError) in try SearchOrder.parse(text) })
        let limit = try PageToken.limit(maxResults, default: 1000, max: Limits.maxSearchResults)
        let offset = try PageToken.decode(pageToken)
        var query: SQLQueryString = "SELECT e.* FROM experiments e\(joins) WHERE e.lifecycle_stage IN (\(binds: viewType.stages.map(\.rawValue)))"
        if let conditions { query += " AND \(conditions)" }
        let order = orderTerms + ["e.creation_time DESC", "e.experiment_id DESC"]
        query += " ORDER BY \(order.joined(separator: ", ")) LIMIT \(bind: limit + 1) OFFSET \(bind: offset)"
        let finalQuery = query
        return try await database.read { db in
            let rows = try await db.raw(finalQuery).all()
            let page = Array(rows.prefix(limit))
            let ids = try page.map { try $0.int64("experiment_id") }
            var tags: [Int64: [Tag]] = [:]
            for chunk in Self.chunks(ids) {
                for row in try await db.raw("SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN (\(binds: Array(chunk))) ORDER BY key").all() {
                    tags[try row.int64("experiment_id"), default: []].append(Tag(key: try row.string("key"), value: try row.string("value")))
                }
            }
            let experiments = try page.map { try Self.experiment(from: $0, tags: tags[try $0.int64("experiment_id")] ?? []) }
            return (experiments, PageToken.next(offset: offset, limit: limit, fetched: rows.count))
        }
    }
}
