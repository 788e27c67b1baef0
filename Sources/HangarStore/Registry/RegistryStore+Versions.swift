import Foundation
import HangarCore
import SQLKit

extension RegistryStore {
    /// Adds the next version of a model; it starts `pending` (or is approved at once when the model's gates pass).
    public func createModelVersion(
        name: String, source: String, runId: String?, tags: [Tag], runLink: String?, description: String?,
        modelId: String?, user: String?
    ) async throws -> ModelVersion {
        guard !source.isEmpty else { throw HangarError.invalid("Missing value for required parameter 'source'") }
        for tag in tags { try EntityKey.check(tag.key) }
        if let modelId, !modelId.isEmpty, source.hasPrefix("models:/m-"), source != "models:/\(modelId)" {
            throw HangarError.invalid(
                "Invalid model version source: '\(source)'. The model_id request parameter must identify the resource that contains the source.")
        }
        let number = try await write { db -> Int64 in
            _ = try await lockModel(name, db: db)
            let row = try await db.raw("SELECT COALESCE(MAX(version), 0) AS v FROM model_versions WHERE name = \(bind: name)").first()
            let number = (try row?.int64("v") ?? 0) + 1
            let now = nowMillis()
            var runId = try await Self.checkSource(source, runId: runId, modelId: modelId, db: db).flatMap { $0.isEmpty ? nil : $0 }
            if runId == nil, let modelId, !modelId.isEmpty {
                // MLflow 3 clients send only the logged model; its source run is the version's run.
                runId = try await db.raw("SELECT source_run_id FROM logged_models WHERE model_id = \(bind: modelId)").first()?
                    .optionalString("source_run_id")
            }
            try await db.raw("""
                INSERT INTO model_versions (name, version, source, run_id, run_link, model_id, description, user_id,
                    creation_timestamp, last_updated_timestamp)
                VALUES (\(bind: name), \(bind: number), \(bind: source), \(bind: runId),
                    \(bind: runLink), \(bind: modelId.flatMap { $0.isEmpty ? nil : $0 }), \(bind: description), \(bind: user), \(bind: now), \(bind: now))
                """).run()
            for tag in tags { try await Self.upsertVersionTag(name, number, tag, db: db) }
            try await db.raw("UPDATE registered_models SET last_updated_timestamp = \(bind: now) WHERE name = \(bind: name)").run()
            try await append(
                RegistryEventType.versionCreated, model: name, version: number, user: user,
                payload: ["source": source, "run_id": runId ?? "", "model_id": modelId ?? ""], db: db)
            try await Self.evaluateGates(name: name, version: number, db: db, kind: database.kind)
            return number
        }
        return try await modelVersion(name: name, version: String(number))
    }

    /// One version with its tags, aliases, approval and gate evaluation.
    public func modelVersion(name: String, version: String) async throws -> ModelVersion {
        let number = try Self.versionNumber(version)
        return try await database.read { db in
            guard let found = try await Self.loadVersions(name: name, numbers: [number], db: db).first else {
                throw HangarError.notFound("Model Version (name=\(name), version=\(version)) not found")
            }
            return found
        }
    }

    /// Changes a version's description.
    public func updateModelVersion(name: String, version: String, description: String?) async throws -> ModelVersion {
        let number = try Self.versionNumber(version)
        try await write { db in
            _ = try await Self.requireVersion(name, number, db: db)
            try await db.raw("""
                UPDATE model_versions SET description = \(bind: description), last_updated_timestamp = \(bind: nowMillis())
                WHERE name = \(bind: name) AND version = \(bind: number)
                """).run()
        }
        return try await modelVersion(name: name, version: version)
    }

    /// Deletes a version and every alias that pointed at it.
    public func deleteModelVersion(name: String, version: String, user: String?) async throws {
        let number = try Self.versionNumber(version)
        try await write { db in
            _ = try await lockModel(name, db: db)
            _ = try await Self.requireVersion(name, number, db: db)
            let aliases = try await db.raw("SELECT alias FROM model_aliases WHERE name = \(bind: name) AND version = \(bind: number)").all()
            for row in aliases {
                let alias = try row.string("alias")
                try await removeAlias(name: name, alias: alias, current: number, user: user, db: db)
            }
            try await db.raw("DELETE FROM model_version_tags WHERE name = \(bind: name) AND version = \(bind: number)").run()
            try await db.raw("DELETE FROM model_versions WHERE name = \(bind: name) AND version = \(bind: number)").run()
            try await append(RegistryEventType.versionDeleted, model: name, version: number, user: user, db: db)
        }
    }

    /// Moves a version to a deprecated stage; with `archiveExisting`, the versions in that stage go to Archived.
    public func transitionStage(name: String, version: String, stage: String, archiveExisting: Bool, user: String?) async throws -> ModelVersion {
        let number = try Self.versionNumber(version)
        guard let target = ModelStage(caseInsensitive: stage) else {
            throw HangarError.invalid("Invalid Model Version stage: \(stage). Value must be one of None, Staging, Production, Archived.")
        }
        try await write { db in
            _ = try await Self.requireVersion(name, number, db: db)
            let now = nowMillis()
            if archiveExisting, target == .staging || target == .production {
                try await db.raw("""
                    UPDATE model_versions SET current_stage = 'Archived', last_updated_timestamp = \(bind: now)
                    WHERE name = \(bind: name) AND current_stage = \(bind: target.rawValue) AND version <> \(bind: number)
                    """).run()
            }
            try await db.raw("""
                UPDATE model_versions SET current_stage = \(bind: target.rawValue), last_updated_timestamp = \(bind: now)
                WHERE name = \(bind: name) AND version = \(bind: number)
                """).run()
            try await append(RegistryEventType.versionStageChanged, model: name, version: number, user: user, payload: ["stage": target.rawValue], db: db)
        }
        return try await modelVersion(name: name, version: version)
    }

    /// Sets or (with `value == nil`) removes a version tag.
    public func setModelVersionTag(name: String, version: String, key: String, value: String?, user: String?) async throws {
        guard !key.isEmpty else { throw HangarError.invalid("Missing value for required parameter 'key'") }
        try EntityKey.check(key)
        let number = try Self.versionNumber(version)
        try await write { db in
            _ = try await Self.requireVersion(name, number, db: db)
            if let value {
                try await Self.upsertVersionTag(name, number, Tag(key: key, value: value), db: db)
                try await append(RegistryEventType.versionTagSet, model: name, version: number, user: user, payload: ["key": key, "value": value], db: db)
            } else {
                try await db.raw("DELETE FROM model_version_tags WHERE name = \(bind: name) AND version = \(bind: number) AND key = \(bind: key)").run()
                try await append(RegistryEventType.versionTagDeleted, model: name, version: number, user: user, payload: ["key": key], db: db)
            }
        }
    }

    /// The latest version per requested stage (all stages when none given), as MLflow's deprecated API answers.
    public func latestVersions(name: String, stages: [String]) async throws -> [ModelVersion] {
        let wanted = try stages.map { (raw) throws(HangarError) in
            guard let stage = ModelStage(caseInsensitive: raw) else {
                throw .invalid("Invalid Model Version stage: \(raw). Value must be one of None, Staging, Production, Archived.")
            }
            return stage.rawValue
        }
        return try await database.read { db in
            _ = try await Self.requireModel(name, db: db)
            var query: SQLQueryString = "SELECT current_stage, MAX(version) AS version FROM model_versions WHERE name = \(bind: name)"
            if !wanted.isEmpty { query += " AND current_stage IN (\(binds: wanted))" }
            query += " GROUP BY current_stage"
            let numbers = try await db.raw(query).all().map { try $0.int64("version") }
            return try await Self.loadVersions(name: name, numbers: numbers.sorted(), db: db)
        }
    }

    /// Where a version's files are: a `models:/m-…` source resolves to the logged model's artifact URI.
    public func downloadURI(name: String, version: String) async throws -> String {
        let mv = try await modelVersion(name: name, version: version)
        return try await database.read { db in
            if mv.source.hasPrefix("models:/m-") {
                let id = String(mv.source.dropFirst("models:/".count))
                if let row = try await db.raw("SELECT artifact_uri FROM logged_models WHERE model_id = \(bind: id)").first() {
                    return try row.string("artifact_uri")
                }
            }
            if mv.source.hasPrefix("runs:/") {
                let rest = mv.source.dropFirst("runs:/".count)
                let parts = rest.split(separator: "/", maxSplits: 1).map(String.init)
                if let runId = parts.first,
                   let row = try await db.raw("SELECT artifact_uri FROM runs WHERE run_id = \(bind: runId)").first() {
                    let base = try row.string("artifact_uri")
                    return parts.count > 1 ? base + "/" + parts[1] : base
                }
            }
            return mv.source
        }
    }

    static func upsertVersionTag(_ name: String, _ version: Int64, _ tag: Tag, db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO model_version_tags (name, version, key, value) VALUES (\(bind: name), \(bind: version), \(bind: tag.key), \(bind: tag.value))
            ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value
            """).run()
    }

    /// Loads versions of one model by number, in the given order.
    static func loadVersions(name: String, numbers: [Int64], db: any SQLDatabase) async throws -> [ModelVersion] {
        guard !numbers.isEmpty else { return [] }
        let rows = try await db.raw("SELECT * FROM model_versions WHERE name = \(bind: name) AND version IN (\(binds: numbers))").all()
        let byNumber = try Dictionary(uniqueKeysWithValues: rows.map { (try $0.int64("version"), $0) })
        return try await loadVersions(numbers.compactMap { byNumber[$0] }, db: db)
    }

    /// Builds versions from rows with batched reads of their tags and aliases.
    static func loadVersions(_ rows: [any SQLRow], db: any SQLDatabase) async throws -> [ModelVersion] {
        guard !rows.isEmpty else { return [] }
        let names = Array(Set(try rows.map { try $0.string("name") }))
        struct Key: Hashable { let name: String; let version: Int64 }
        var tags: [Key: [Tag]] = [:]
        var aliases: [Key: [String]] = [:]
        for row in try await db.raw("SELECT name, version, key, value FROM model_version_tags WHERE name IN (\(binds: names)) ORDER BY key").all() {
            tags[Key(name: try row.string("name"), version: try row.int64("version")), default: []]
                .append(Tag(key: try row.string("key"), value: try row.string("value")))
        }
        for row in try await db.raw("SELECT name, version, alias FROM model_aliases WHERE name IN (\(binds: names)) ORDER BY alias").all() {
            aliases[Key(name: try row.string("name"), version: try row.int64("version")), default: []].append(try row.string("alias"))
        }
        let decoder = JSONDecoder()
        return try rows.map { row in
            let name = try row.string("name")
            let number = try row.int64("version")
            let key = Key(name: name, version: number)
            let evaluation = try row.optionalString("gate_evaluation").flatMap { try? decoder.decode(GateEvaluation.self, from: Data($0.utf8)) }
            return ModelVersion(
                name: name, version: String(number), creationTimestamp: try row.int64("creation_timestamp"),
                lastUpdatedTimestamp: try row.int64("last_updated_timestamp"), userId: try row.optionalString("user_id"),
                currentStage: try row.string("current_stage"), description: try row.optionalString("description"),
                source: try row.string("source"), runId: try row.optionalString("run_id"), tags: tags[key],
                runLink: try row.optionalString("run_link"), aliases: aliases[key], modelId: try row.optionalString("model_id"),
                approval: Approval(
                    state: ApprovalState(rawValue: try row.string("approval_state")) ?? .pending, user: try row.optionalString("approval_user"),
                    timestamp: try row.optionalInt64("approval_timestamp"), comment: try row.optionalString("approval_comment")),
                gateEvaluation: evaluation)
        }
    }
}
