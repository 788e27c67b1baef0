import HangarCore
import SQLKit

extension RegistryStore {
    static let modelSearchSchema = SearchSchema(
        idColumn: "rm.name",
        textAttributes: ["name": "rm.name"],
        numericAttributes: [
            "creation_timestamp": "rm.creation_timestamp", "last_updated_timestamp": "rm.last_updated_timestamp",
            "timestamp": "rm.last_updated_timestamp",
        ],
        keyValueTables: [.tag: KeyValueTable("registered_model_tags", "name", "rm.name")],
        metricTable: nil, datasetTable: nil, noun: "registered model", notEqualMatchesMissing: true)

    static let versionSearchSchema = SearchSchema(
        idColumn: "mv.name",
        textAttributes: [
            "name": "mv.name", "run_id": "mv.run_id", "source_path": "mv.source", "source": "mv.source",
            "current_stage": "mv.current_stage", "approval_state": "mv.approval_state", "model_id": "mv.model_id",
        ],
        numericAttributes: [
            "version_number": "mv.version", "creation_timestamp": "mv.creation_timestamp",
            "last_updated_timestamp": "mv.last_updated_timestamp", "timestamp": "mv.last_updated_timestamp",
        ],
        keyValueTables: [.tag: KeyValueTable("model_version_tags", joins: [("name", "mv.name"), ("version", "mv.version")])],
        metricTable: nil, datasetTable: nil, noun: "model version", notEqualMatchesMissing: true)

    /// One page of registered models matching a filter (`name LIKE 'churn%'`, `tags.team = 'a'`).
    public func searchRegisteredModels(filter: String?, orderBy: [String], maxResults: Int?, pageToken: String?) async throws
        -> (models: [RegisteredModel], nextPageToken: String?)
    {
        let sql = SearchSQL(schema: Self.modelSearchSchema)
        let conditions = try sql.conditions(try SearchFilter.parse(filter))
        let (joins, terms) = try sql.ordering(try orderBy.map { (text) throws(HangarError) in try SearchOrder.parse(text) })
        let limit = try PageToken.limit(maxResults, default: 100, max: 1000)
        let offset = try PageToken.decode(pageToken)
        var query: SQLQueryString = "SELECT rm.* FROM registered_models rm\(joins)"
        if let conditions { query += " WHERE \(conditions)" }
        query += " ORDER BY \((terms + ["rm.name ASC"]).joined(separator: ", ")) LIMIT \(bind: limit + 1) OFFSET \(bind: offset)"
        let finalQuery = query
        return try await database.read { db in
            let rows = try await db.raw(finalQuery).all()
            let models = try await Self.loadModels(Array(rows.prefix(limit)), db: db)
            return (models, PageToken.next(offset: offset, limit: limit, fetched: rows.count))
        }
    }

    /// One page of model versions matching a filter (`name = 'churn'`, `run_id = '…'`, `tags.k = 'v'`).
    public func searchModelVersions(filter: String?, orderBy: [String], maxResults: Int?, pageToken: String?) async throws
        -> (versions: [ModelVersion], nextPageToken: String?)
    {
        let sql = SearchSQL(schema: Self.versionSearchSchema)
        let conditions = try sql.conditions(try SearchFilter.parse(filter))
        let (joins, terms) = try sql.ordering(try orderBy.map { (text) throws(HangarError) in try SearchOrder.parse(text) })
        let limit = try PageToken.limit(maxResults, default: 10000, max: 200_000)
        let offset = try PageToken.decode(pageToken)
        var query: SQLQueryString = "SELECT mv.* FROM model_versions mv\(joins)"
        if let conditions { query += " WHERE \(conditions)" }
        let order = terms + ["mv.last_updated_timestamp DESC", "mv.name ASC", "mv.version DESC"]
        query += " ORDER BY \(order.joined(separator: ", ")) LIMIT \(bind: limit + 1) OFFSET \(bind: offset)"
        let finalQuery = query
        return try await database.read { db in
            let rows = try await db.raw(finalQuery).all()
            let versions = try await Self.loadVersions(Array(rows.prefix(limit)), db: db)
            return (versions, PageToken.next(offset: offset, limit: limit, fetched: rows.count))
        }
    }
}
