import HangarCore
import SQLKit

extension TrackingStore {
    static let runSearchSchema = SearchSchema(
        idColumn: "r.run_id",
        textAttributes: [
            "run_id": "r.run_id", "run_name": "r.run_name", "status": "r.status", "user_id": "r.user_id",
            "artifact_uri": "r.artifact_uri", "lifecycle_stage": "r.lifecycle_stage",
        ],
        numericAttributes: ["start_time": "r.start_time", "end_time": "r.end_time", "created": "r.start_time"],
        keyValueTables: [.param: KeyValueTable("params", "run_id", "r.run_id"), .tag: KeyValueTable("tags", "run_id", "r.run_id")],
        metricTable: ("latest_metrics", "run_id"),
        datasetTable: ("run_datasets", "run_id"),
        noun: "run")

    /// One page of runs from these experiments that match an MLflow filter, in the requested order.
    public func searchRuns(
        experimentIds: [String], filter: String?, viewType: ViewType, maxResults: Int?, orderBy: [String], pageToken: String?
    ) async throws -> (runs: [Run], nextPageToken: String?) {
        let numericIds = try experimentIds.map { (id) throws(HangarError) in try Self.experimentNumber(id) }
        let sql = SearchSQL(schema: Self.runSearchSchema)
        let conditions = try sql.conditions(try SearchFilter.parse(filter))
        let (joins, orderTerms) = try sql.ordering(try orderBy.map { (text) throws(HangarError) in try SearchOrder.parse(text) })
        let limit = try PageToken.limit(maxResults, default: 1000, max: Limits.maxSearchResults)
        let offset = try PageToken.decode(pageToken)
        guard !numericIds.isEmpty else { return ([], nil) }
        var query: SQLQueryString = """
            SELECT r.run_id FROM runs r\(joins) WHERE r.experiment_id IN (\(binds: numericIds)) \
            AND r.lifecycle_stage IN (\(binds: viewType.stages.map(\.rawValue)))
            """
        if let conditions { query += " AND \(conditions)" }
        let order = orderTerms + ["r.start_time DESC", "r.run_id ASC"]
        query += " ORDER BY \(order.joined(separator: ", ")) LIMIT \(bind: limit + 1) OFFSET \(bind: offset)"
        let finalQuery = query
        return try await database.read { db in
            let rows = try await db.raw(finalQuery).all()
            let ids = try rows.prefix(limit).map { try $0.string("run_id") }
            let runs = try await Self.loadRuns(ids: ids, db: db)
            return (runs, PageToken.next(offset: offset, limit: limit, fetched: rows.count))
        }
    }
}
