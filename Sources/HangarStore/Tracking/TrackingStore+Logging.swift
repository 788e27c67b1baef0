import Foundation
import HangarCore
import SQLKit

extension TrackingStore {
    /// Logs metrics, params and tags to an active run in one transaction (MLflow's log-batch).
    public func logBatch(runId: String, metrics: [Metric], params: [Param], tags: [Tag]) async throws {
        try Self.validateBatch(metrics: metrics, params: params, tags: tags)
        try await database.write { db in
            try await Self.requireActiveRun(runId, db: db)
            try await Self.insertParams(runId: runId, params, db: db)
            try await Self.insertMetrics(runId: runId, metrics, db: db)
            for tag in tags { try await Self.upsertTag(runId: runId, tag, db: db) }
            if !metrics.isEmpty {
                // Versions waiting on quality gates are judged again when their run's metrics arrive.
                let modelIds = Array(Set(metrics.compactMap { $0.modelId }.filter { !$0.isEmpty }))
                try await RegistryStore.metricsArrived(runId: runId, modelIds: modelIds, db: db, kind: database.kind)
            }
        }
    }

    /// Removes a run tag; a missing one is RESOURCE_DOES_NOT_EXIST.
    public func deleteTag(runId: String, key: String) async throws {
        try await database.write { db in
            try await Self.requireActiveRun(runId, db: db)
            guard try await db.raw("SELECT 1 AS x FROM tags WHERE run_id = \(bind: runId) AND key = \(bind: key)").first() != nil else {
                throw HangarError.notFound("No tag with name: \(key) in run with id \(runId)")
            }
            try await db.raw("DELETE FROM tags WHERE run_id = \(bind: runId) AND key = \(bind: key)").run()
        }
    }

    /// Every value a metric took in a run, ordered by step and time, a page at a time.
    public func metricHistory(runId: String, key: String, maxResults: Int?, pageToken: String?) async throws
        -> (metrics: [Metric], nextPageToken: String?)
    {
        let limit = try PageToken.limit(maxResults, default: Limits.maxHistoryResults, max: Limits.maxHistoryResults * 40)
        let offset = try PageToken.decode(pageToken)
        return try await database.read { db in
            guard try await db.raw("SELECT 1 AS x FROM runs WHERE run_id = \(bind: runId)").first() != nil else {
                throw HangarError.notFound("Run with id=\(runId) not found")
            }
            let rows = try await db.raw("""
                SELECT key, value, is_nan, timestamp, step FROM metrics WHERE run_id = \(bind: runId) AND key = \(bind: key)
                ORDER BY step, timestamp, value LIMIT \(bind: limit + 1) OFFSET \(bind: offset)
                """).all()
            let metrics = try rows.prefix(limit).map { try Self.metric(from: $0) }
            return (metrics, PageToken.next(offset: offset, limit: limit, fetched: rows.count))
        }
    }

    /// Records the datasets (and logged models) a run used.
    public func logInputs(runId: String, datasets: [DatasetInput], models: [ModelInput]) async throws {
        for input in datasets where input.dataset.name.isEmpty || input.dataset.digest.isEmpty {
            throw HangarError.invalid("Missing value for required parameter 'datasets[].dataset.name' or 'digest'")
        }
        for input in datasets { try Self.validateDatasetInput(input) }
        let encoder = JSONCoding.encoder
        let rows = try datasets.map { input in
            (input, String(decoding: try encoder.encode(input.tags), as: UTF8.self),
             input.tags.first { $0.key == "mlflow.data.context" }?.value ?? "")
        }
        try await database.write { db in
            try await Self.requireActiveRun(runId, db: db)
            for (input, tagsJSON, context) in rows {
                let d = input.dataset
                try await db.raw("""
                    INSERT INTO run_datasets (run_id, name, digest, source_type, source, schema_json, profile, context, tags_json)
                    VALUES (\(bind: runId), \(bind: d.name), \(bind: d.digest), \(bind: d.sourceType), \(bind: d.source),
                            \(bind: d.schema), \(bind: d.profile), \(bind: context), \(bind: tagsJSON))
                    ON CONFLICT (run_id, name, digest, context) DO NOTHING
                    """).run()
            }
            for model in models {
                try await Self.linkModel(runId: runId, modelId: model.modelId, direction: "input", step: 0, db: db)
            }
        }
    }

    /// MLflow's size limits on a dataset and its input tags (`mlflow/utils/validation.py`), in characters.
    static func validateDatasetInput(_ input: DatasetInput) throws(HangarError) {
        let d = input.dataset
        let limits: [(String, String?, Int)] = [
            ("name", d.name, 500), ("digest", d.digest, 36), ("source", d.source, 65_535),
            ("schema", d.schema, 1_048_575), ("profile", d.profile, 16_777_215),
        ]
        for (field, value, limit) in limits where (value?.count ?? 0) > limit {
            throw .invalid("'\(field)' exceeds the maximum length of \(limit) characters")
        }
        for tag in input.tags {
            if tag.key.count > 255 { throw .invalid("'key' exceeds the maximum length of 255 characters") }
            if tag.value.count > 500 { throw .invalid("'value' exceeds the maximum length of 500 characters") }
        }
    }

    /// Records the logged models a run produced (MLflow 3's runs/outputs).
    public func logOutputs(runId: String, models: [ModelOutput]) async throws {
        try await database.write { db in
            try await Self.requireActiveRun(runId, db: db)
            for model in models {
                try await Self.linkModel(runId: runId, modelId: model.modelId, direction: "output", step: model.step, db: db)
            }
        }
    }

    static func linkModel(runId: String, modelId: String, direction: String, step: Int64, db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO run_model_io (run_id, model_id, direction, step) VALUES (\(bind: runId), \(bind: modelId), \(bind: direction), \(bind: step))
            ON CONFLICT (run_id, model_id, direction) DO UPDATE SET step = excluded.step
            """).run()
    }

    static func validateBatch(metrics: [Metric], params: [Param], tags: [Tag]) throws(HangarError) {
        if metrics.count > Limits.batchMetrics {
            throw .invalid("A batch logging request can contain at most \(Limits.batchMetrics) metrics. Got \(metrics.count) metrics.")
        }
        if params.count > Limits.batchParams {
            throw .invalid("A batch logging request can contain at most \(Limits.batchParams) params. Got \(params.count) params.")
        }
        if tags.count > Limits.batchTags {
            throw .invalid("A batch logging request can contain at most \(Limits.batchTags) tags. Got \(tags.count) tags.")
        }
        for metric in metrics { try validateKey(metric.key, kind: "Metric") }
        var seen: [String: String] = [:]
        for param in params {
            try validateKey(param.key, kind: "Param")
            guard param.value.fits(limit: Limits.paramValueLength) else {
                throw .invalid("Param value for '\(param.key)' had length \(param.value.codePointCount), which exceeded length limit of \(Limits.paramValueLength)")
            }
            if let earlier = seen[param.key], earlier != param.value {
                throw .invalid("Duplicate parameter keys have been submitted: '\(param.key)' with values '\(earlier)' and '\(param.value)'")
            }
            seen[param.key] = param.value
        }
        for tag in tags { try validateKey(tag.key, kind: "Tag") }
    }

    static func insertParams(runId: String, _ params: [Param], db: any SQLDatabase) async throws {
        guard !params.isEmpty else { return }
        var existing: [String: String] = [:]
        for row in try await db.raw("""
            SELECT key, value FROM params WHERE run_id = \(bind: runId) AND key IN (\(binds: params.map(\.key)))
            """).all() {
            existing[try row.string("key")] = try row.string("value")
        }
        var fresh: [Param] = []
        for param in params {
            if let value = existing[param.key] {
                guard value == param.value else {
                    throw HangarError.invalid("""
                        Changing param values is not allowed. Param with key='\(param.key)' was already logged with \
                        value='\(value)' for run ID='\(runId)'. Attempted logging new value '\(param.value)'.
                        """)
                }
                continue
            }
            existing[param.key] = param.value
            fresh.append(param)
        }
        guard !fresh.isEmpty else { return }
        let values = SQLValueRows(rows: fresh.map { [runId, $0.key, $0.value] })
        try await db.raw("INSERT INTO params (run_id, key, value) VALUES \(values)").run()
    }

    static func insertMetrics(runId: String, _ metrics: [Metric], db: any SQLDatabase) async throws {
        guard !metrics.isEmpty else { return }
        // One multi-row INSERT per chunk keeps a 1000-metric batch to a handful of statements. Rows go in grouped by
        // key (each key's in the order sent): the primary key starts (run, key), so consecutive inserts land on the
        // same leaf instead of hopping between one leaf per key; a batch of 10 keys x 100 steps inserts ~15% faster.
        let ordered = metrics.count > 1 ? Dictionary(grouping: metrics, by: \.key).sorted { $0.key < $1.key }.flatMap(\.value) : metrics
        for chunk in chunks(ordered, size: 100) {
            let values = SQLValueRows(rows: chunk.map { m in
                [runId, m.key, m.value.isNaN ? 0 : m.value, m.value.isNaN ? 1 : 0, m.timestamp, m.step, m.modelId ?? "",
                 m.datasetName ?? "", m.datasetDigest ?? ""]
            })
            try await db.raw("""
                INSERT INTO metrics (run_id, key, value, is_nan, timestamp, step, model_id, dataset_name, dataset_digest)
                VALUES \(values) ON CONFLICT DO NOTHING
                """).run()
        }
        // The latest value per key: highest step, then latest timestamp, then highest value (MLflow's rule).
        var latest: [String: Metric] = [:]
        for m in metrics {
            if let current = latest[m.key], !Self.isNewer(m, than: current) { continue }
            latest[m.key] = m
        }
        for chunk in chunks(Array(latest.values), size: 100) {
            let values = SQLValueRows(rows: chunk.map { m in
                [runId, m.key, m.value.isNaN ? 0 : m.value, m.value.isNaN ? 1 : 0, m.timestamp, m.step]
            })
            try await db.raw("""
                INSERT INTO latest_metrics (run_id, key, value, is_nan, timestamp, step)
                VALUES \(values)
                ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan,
                    timestamp = excluded.timestamp, step = excluded.step
                WHERE excluded.step > latest_metrics.step
                   OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
                   OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp
                       AND excluded.value >= latest_metrics.value)
                """).run()
        }
    }

    static func isNewer(_ a: Metric, than b: Metric) -> Bool {
        if a.step != b.step { return a.step > b.step }
        if a.timestamp != b.timestamp { return a.timestamp > b.timestamp }
        return a.value.isNaN || a.value >= b.value
    }
}
