import HangarCore
import SQLKit

extension TrackingStore {
    /// Creates a logged model (status PENDING) whose files live under `<experiment>/models/<id>/artifacts`.
    public func createLoggedModel(
        experimentId: String, name: String?, modelType: String?, sourceRunId: String?, params: [Param], tags: [Tag]
    ) async throws -> LoggedModel {
        let experimentNumber = try Self.experimentNumber(experimentId)
        for tag in tags { try Self.validateKey(tag.key, kind: "Tag", characters: false) }
        for param in params { try Self.validateKey(param.key, kind: "Param", characters: false) }
        let modelId = Ids.newLoggedModelID()
        let modelName = name.flatMap { $0.isEmpty ? nil : $0 } ?? RunNames.generate()
        try await database.write { db in
            guard let experiment = try await db.raw("SELECT artifact_location, lifecycle_stage FROM experiments WHERE experiment_id = \(bind: experimentNumber)").first() else {
                throw HangarError.notFound("No Experiment with id=\(experimentId) exists")
            }
            guard try experiment.string("lifecycle_stage") == LifecycleStage.active.rawValue else {
                throw HangarError.invalid("The experiment \(experimentId) must be in the 'active' state. Current state is deleted.")
            }
            if let sourceRunId, !sourceRunId.isEmpty {
                guard try await db.raw("SELECT 1 AS x FROM runs WHERE run_id = \(bind: sourceRunId)").first() != nil else {
                    throw HangarError.notFound("Run with id=\(sourceRunId) not found")
                }
            }
            let artifactURI = "\(try experiment.string("artifact_location"))/models/\(modelId)/artifacts"
            let now = nowMillis()
            try await db.raw("""
                INSERT INTO logged_models (model_id, experiment_id, name, artifact_uri, status, status_message, model_type,
                    source_run_id, lifecycle_stage, creation_timestamp_ms, last_updated_timestamp_ms)
                VALUES (\(bind: modelId), \(bind: experimentNumber), \(bind: modelName), \(bind: artifactURI),
                    \(bind: LoggedModelStatus.pending.rawValue), NULL, \(bind: modelType), \(bind: sourceRunId.flatMap { $0.isEmpty ? nil : $0 }),
                    'active', \(bind: now), \(bind: now))
                """).run()
            for tag in tags { try await Self.upsertModelTag(modelId: modelId, tag, db: db) }
            for param in params { try await Self.upsertModelParam(modelId: modelId, param, db: db) }
        }
        return try await loggedModel(id: modelId)
    }

    /// The logged model with this id.
    public func loggedModel(id: String) async throws -> LoggedModel {
        try await database.read { db in
            guard let model = try await Self.loadLoggedModels(ids: [id], db: db).first else {
                throw HangarError.notFound("Logged model with ID '\(id)' not found.")
            }
            return model
        }
    }

    /// Marks a logged model READY or UPLOAD_FAILED once its files are uploaded.
    public func finalizeLoggedModel(id: String, status: LoggedModelStatus) async throws -> LoggedModel {
        try await database.write { db in
            try await Self.requireLoggedModel(id, db: db)
            try await db.raw("""
                UPDATE logged_models SET status = \(bind: status.rawValue), last_updated_timestamp_ms = \(bind: nowMillis())
                WHERE model_id = \(bind: id)
                """).run()
        }
        return try await loggedModel(id: id)
    }

    /// Soft-deletes a logged model.
    public func deleteLoggedModel(id: String) async throws {
        try await database.write { db in
            try await Self.requireLoggedModel(id, db: db)
            try await db.raw("UPDATE logged_models SET lifecycle_stage = 'deleted' WHERE model_id = \(bind: id)").run()
        }
    }

    /// Sets tags on a logged model.
    public func setLoggedModelTags(id: String, tags: [Tag]) async throws {
        for tag in tags { try Self.validateKey(tag.key, kind: "Tag", characters: false) }
        try await database.write { db in
            try await Self.requireLoggedModel(id, db: db)
            for tag in tags { try await Self.upsertModelTag(modelId: id, tag, db: db) }
        }
    }

    /// Removes a tag from a logged model.
    public func deleteLoggedModelTag(id: String, key: String) async throws {
        try await database.write { db in
            try await Self.requireLoggedModel(id, db: db)
            try await db.raw("DELETE FROM logged_model_tags WHERE model_id = \(bind: id) AND key = \(bind: key)").run()
        }
    }

    /// Records params on a logged model.
    public func logLoggedModelParams(id: String, params: [Param]) async throws {
        for param in params { try Self.validateKey(param.key, kind: "Param", characters: false) }
        try await database.write { db in
            try await Self.requireLoggedModel(id, db: db)
            for param in params { try await Self.upsertModelParam(modelId: id, param, db: db) }
        }
    }

    static func requireLoggedModel(_ id: String, db: any SQLDatabase) async throws {
        guard try await db.raw("SELECT 1 AS x FROM logged_models WHERE model_id = \(bind: id) AND lifecycle_stage = 'active'").first() != nil else {
            throw HangarError.notFound("Logged model with ID '\(id)' not found.")
        }
    }

    static func upsertModelTag(modelId: String, _ tag: Tag, db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO logged_model_tags (model_id, key, value) VALUES (\(bind: modelId), \(bind: tag.key), \(bind: tag.value))
            ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value
            """).run()
    }

    static func upsertModelParam(modelId: String, _ param: Param, db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO logged_model_params (model_id, key, value) VALUES (\(bind: modelId), \(bind: param.key), \(bind: param.value))
            ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value
            """).run()
    }

    /// Loads logged models with their tags, params and metrics, in the order of `ids`.
    static func loadLoggedModels(ids: [String], db: any SQLDatabase) async throws -> [LoggedModel] {
        guard !ids.isEmpty else { return [] }
        var rows: [String: any SQLRow] = [:]
        var tags: [String: [Tag]] = [:]
        var params: [String: [Param]] = [:]
        var metrics: [String: [Metric]] = [:]
        for chunk in chunks(ids) {
            let binds = Array(chunk)
            for row in try await db.raw("SELECT * FROM logged_models WHERE lifecycle_stage = 'active' AND model_id IN (\(binds: binds))").all() {
                rows[try row.string("model_id")] = row
            }
            for row in try await db.raw("SELECT model_id, key, value FROM logged_model_tags WHERE model_id IN (\(binds: binds)) ORDER BY key").all() {
                tags[try row.string("model_id"), default: []].append(Tag(key: try row.string("key"), value: try row.string("value")))
            }
            for row in try await db.raw("SELECT model_id, key, value FROM logged_model_params WHERE model_id IN (\(binds: binds)) ORDER BY key").all() {
                params[try row.string("model_id"), default: []].append(Param(key: try row.string("key"), value: try row.string("value")))
            }
            for row in try await db.raw("""
                SELECT model_id, run_id, key, value, is_nan, timestamp, step, dataset_name, dataset_digest FROM metrics
                WHERE model_id IN (\(binds: binds)) ORDER BY key, step, timestamp
                """).all() {
                var metric = try metric(from: row)
                metric.runId = try row.string("run_id")
                metric.modelId = try row.string("model_id")
                let datasetName = try row.string("dataset_name")
                let datasetDigest = try row.string("dataset_digest")
                metric.datasetName = datasetName.isEmpty ? nil : datasetName
                metric.datasetDigest = datasetDigest.isEmpty ? nil : datasetDigest
                metrics[metric.modelId!, default: []].append(metric)
            }
        }
        return try ids.compactMap { id in
            guard let row = rows[id] else { return nil }
            let info = LoggedModelInfo(
                modelId: id, experimentId: String(try row.int64("experiment_id")), name: try row.string("name"),
                creationTimestampMs: try row.int64("creation_timestamp_ms"),
                lastUpdatedTimestampMs: try row.int64("last_updated_timestamp_ms"),
                artifactUri: try row.string("artifact_uri"),
                status: LoggedModelStatus(rawValue: try row.string("status")) ?? .pending,
                statusMessage: try row.optionalString("status_message"), modelType: try row.optionalString("model_type"),
                sourceRunId: try row.optionalString("source_run_id"), tags: tags[id] ?? [])
            return LoggedModel(info: info, data: LoggedModelData(params: params[id] ?? [], metrics: metrics[id] ?? []))
        }
    }
}
