import Foundation
import HangarCore
import SQLKit

extension RegistryStore {
    /// Registers a model name; a taken name is RESOURCE_ALREADY_EXISTS.
    public func createRegisteredModel(name: String, description: String?, tags: [Tag], user: String?) async throws -> RegisteredModel {
        try Self.validateModelName(name)
        for tag in tags { try EntityKey.check(tag.key) }
        do {
            try await write { db in
                if try await db.raw("SELECT 1 AS x FROM registered_models WHERE name = \(bind: name)").first() != nil {
                    throw HangarError(.resourceAlreadyExists, "Registered Model (name=\(name)) already exists.")
                }
                let now = nowMillis()
                try await db.raw("""
                    INSERT INTO registered_models (name, description, creation_timestamp, last_updated_timestamp)
                    VALUES (\(bind: name), \(bind: description), \(bind: now), \(bind: now))
                    """).run()
                for tag in tags { try await Self.upsertModelTag(name, tag, db: db) }
                try await append(RegistryEventType.modelCreated, model: name, user: user, payload: ["description": description ?? ""], db: db)
            }
        } catch where isUniqueViolation(error) {
            throw HangarError(.resourceAlreadyExists, "Registered Model (name=\(name)) already exists.")
        }
        return try await registeredModel(name: name)
    }

    /// The model with its tags, aliases, policy and latest version per stage.
    public func registeredModel(name: String) async throws -> RegisteredModel {
        try await database.read { db in
            let row = try await Self.requireModel(name, db: db)
            return try await Self.loadModels([row], db: db)[0]
        }
    }

    /// Renames a model and everything that names it.
    public func renameRegisteredModel(name: String, newName: String, user: String?) async throws -> RegisteredModel {
        try Self.validateModelName(newName)
        try await write { db in
            _ = try await Self.requireModel(name, db: db)
            if try await db.raw("SELECT 1 AS x FROM registered_models WHERE name = \(bind: newName)").first() != nil {
                throw HangarError(.resourceAlreadyExists, "Registered Model (name=\(newName)) already exists.")
            }
            for table in ["registered_models", "registered_model_tags", "model_versions", "model_version_tags", "model_aliases",
                          "alias_history", "approval_audit", "serving_policies"] {
                try await db.raw("UPDATE \(unsafeRaw: table) SET name = \(bind: newName) WHERE name = \(bind: name)").run()
            }
            try await db.raw("UPDATE registered_models SET last_updated_timestamp = \(bind: nowMillis()) WHERE name = \(bind: newName)").run()
            try await append(RegistryEventType.modelRenamed, model: newName, user: user, payload: ["previous_name": name], db: db)
        }
        return try await registeredModel(name: newName)
    }

    /// Changes a model's description.
    public func updateRegisteredModel(name: String, description: String?) async throws -> RegisteredModel {
        try await write { db in
            _ = try await Self.requireModel(name, db: db)
            try await db.raw("""
                UPDATE registered_models SET description = \(bind: description), last_updated_timestamp = \(bind: nowMillis())
                WHERE name = \(bind: name)
                """).run()
        }
        return try await registeredModel(name: name)
    }

    /// Deletes a model with its versions, tags and aliases.
    public func deleteRegisteredModel(name: String, user: String?) async throws {
        try await write { db in
            _ = try await Self.requireModel(name, db: db)
            for table in ["registered_model_tags", "model_version_tags", "model_aliases", "model_versions", "serving_policies", "registered_models"] {
                try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE name = \(bind: name)").run()
            }
            try await append(RegistryEventType.modelDeleted, model: name, user: user, db: db)
        }
    }

    /// Sets or (with `value == nil`) removes a model tag.
    public func setRegisteredModelTag(name: String, key: String, value: String?) async throws {
        guard !key.isEmpty else { throw HangarError.invalid("Missing value for required parameter 'key'") }
        try EntityKey.check(key)
        try await write { db in
            _ = try await Self.requireModel(name, db: db)
            if let value {
                try await Self.upsertModelTag(name, Tag(key: key, value: value), db: db)
            } else {
                try await db.raw("DELETE FROM registered_model_tags WHERE name = \(bind: name) AND key = \(bind: key)").run()
            }
        }
    }

    /// Sets a model's approval policy: whether aliases need approved versions, and its quality gates.
    public func setPolicy(name: String, requireApproval: Bool??, gates: [String]?, user: String?) async throws -> RegisteredModel {
        let parsed = try gates.map { try $0.map { (text) throws(HangarError) in try QualityGate(parsing: text) } }
        try await write { db in
            _ = try await Self.requireModel(name, db: db)
            if let requireApproval {
                let stored: Int64? = requireApproval.map { $0 ? 1 : 0 }
                try await db.raw("UPDATE registered_models SET require_approval = \(bind: stored) WHERE name = \(bind: name)").run()
            }
            if let parsed {
                let json = String(decoding: try JSONEncoder().encode(parsed.map(\.description)), as: UTF8.self)
                try await db.raw("UPDATE registered_models SET gates_json = \(bind: json) WHERE name = \(bind: name)").run()
                // New gates apply to versions still waiting for approval.
                let pending = try await db.raw("SELECT version FROM model_versions WHERE name = \(bind: name) AND approval_state = 'pending'").all()
                for row in pending {
                    try await Self.evaluateGates(name: name, version: try row.int64("version"), db: db, kind: database.kind)
                }
            }
            try await db.raw("UPDATE registered_models SET last_updated_timestamp = \(bind: nowMillis()) WHERE name = \(bind: name)").run()
        }
        return try await registeredModel(name: name)
    }

    static func upsertModelTag(_ name: String, _ tag: Tag, db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO registered_model_tags (name, key, value) VALUES (\(bind: name), \(bind: tag.key), \(bind: tag.value))
            ON CONFLICT (name, key) DO UPDATE SET value = excluded.value
            """).run()
    }

    /// Builds whole models from their rows with batched reads of tags, aliases and latest versions.
    static func loadModels(_ rows: [any SQLRow], db: any SQLDatabase) async throws -> [RegisteredModel] {
        let names = try rows.map { try $0.string("name") }
        guard !names.isEmpty else { return [] }
        var tags: [String: [Tag]] = [:]
        var aliases: [String: [ModelAlias]] = [:]
        var latest: [String: [Int64]] = [:]
        for row in try await db.raw("SELECT name, key, value FROM registered_model_tags WHERE name IN (\(binds: names)) ORDER BY key").all() {
            tags[try row.string("name"), default: []].append(Tag(key: try row.string("key"), value: try row.string("value")))
        }
        for row in try await db.raw("SELECT name, alias, version FROM model_aliases WHERE name IN (\(binds: names)) ORDER BY alias").all() {
            aliases[try row.string("name"), default: []].append(ModelAlias(alias: try row.string("alias"), version: String(try row.int64("version"))))
        }
        for row in try await db.raw("""
            SELECT name, current_stage, MAX(version) AS version FROM model_versions WHERE name IN (\(binds: names))
            GROUP BY name, current_stage
            """).all() {
            latest[try row.string("name"), default: []].append(try row.int64("version"))
        }
        var versions: [String: [ModelVersion]] = [:]
        for (name, numbers) in latest {
            versions[name] = try await loadVersions(name: name, numbers: numbers.sorted(), db: db)
        }
        return try rows.map { row in
            let name = try row.string("name")
            let gatesJSON = try row.string("gates_json")
            let gates = (try? JSONDecoder().decode([String].self, from: Data(gatesJSON.utf8))) ?? []
            return RegisteredModel(
                name: name, creationTimestamp: try row.int64("creation_timestamp"),
                lastUpdatedTimestamp: try row.int64("last_updated_timestamp"), description: try row.optionalString("description"),
                latestVersions: versions[name], tags: tags[name], aliases: aliases[name],
                requireApproval: try row.optionalInt64("require_approval").map { $0 != 0 }, gates: gates.isEmpty ? nil : gates)
        }
    }
}
