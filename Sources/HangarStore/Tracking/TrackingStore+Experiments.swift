import HangarCore
import SQLKit

extension TrackingStore {
    /// Creates an experiment and returns its id; a taken name is RESOURCE_ALREADY_EXISTS.
    public func createExperiment(name: String, artifactLocation: String?, tags: [Tag]) async throws -> String {
        guard !name.isEmpty else { throw HangarError.invalid("Missing value for required parameter 'name'") }
        try Self.validateExperimentName(name, field: "name")
        for tag in tags { try Self.validateKey(tag.key, kind: "Tag") }
        do {
            return try await database.write { db in
                if try await db.raw("SELECT 1 AS x FROM experiments WHERE name = \(bind: name)").first() != nil {
                    throw HangarError(.resourceAlreadyExists, "Experiment '\(name)' already exists.")
                }
                let now = nowMillis()
                let row = try await db.raw("""
                    INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                    VALUES (\(bind: name), '', 'active', \(bind: now), \(bind: now)) RETURNING experiment_id
                    """).first()
                guard let id = try row?.int64("experiment_id") else { throw StoreError.corrupt("no experiment id returned") }
                let location = artifactLocation.flatMap { $0.isEmpty ? nil : $0 } ?? "mlflow-artifacts:/\(id)"
                try await db.raw("UPDATE experiments SET artifact_location = \(bind: location) WHERE experiment_id = \(bind: id)").run()
                for tag in tags {
                    try await db.raw("""
                        INSERT INTO experiment_tags (experiment_id, key, value) VALUES (\(bind: id), \(bind: tag.key), \(bind: tag.value))
                        ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value
                        """).run()
                }
                return String(id)
            }
        } catch where isUniqueViolation(error) {
            throw HangarError(.resourceAlreadyExists, "Experiment '\(name)' already exists.")
        }
    }

    /// The experiment with this id, deleted or not.
    public func experiment(id: String) async throws -> Experiment {
        let numeric = try Self.experimentNumber(id)
        return try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM experiments WHERE experiment_id = \(bind: numeric)").first() else {
                throw HangarError.notFound("No Experiment with id=\(id) exists")
            }
            return try await Self.experiment(from: row, db: db)
        }
    }

    /// The experiment with this name, deleted or not.
    public func experiment(named name: String) async throws -> Experiment {
        try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM experiments WHERE name = \(bind: name)").first() else {
                throw HangarError.notFound("Could not find experiment with name '\(name)'")
            }
            return try await Self.experiment(from: row, db: db)
        }
    }

    /// Renames an experiment; the new name must be free.
    public func renameExperiment(id: String, newName: String) async throws {
        guard !newName.isEmpty else { throw HangarError.invalid("Missing value for required parameter 'new_name'") }
        try Self.validateExperimentName(newName, field: "new_name")
        let numeric = try Self.experimentNumber(id)
        do {
            try await database.write { db in
                try await Self.requireExperiment(numeric, db: db, active: true)
                if try await db.raw("SELECT 1 AS x FROM experiments WHERE name = \(bind: newName) AND experiment_id <> \(bind: numeric)").first() != nil {
                    throw HangarError(.resourceAlreadyExists, "Experiment '\(newName)' already exists.")
                }
                try await db.raw("UPDATE experiments SET name = \(bind: newName), last_update_time = \(bind: nowMillis()) WHERE experiment_id = \(bind: numeric)").run()
            }
        } catch where isUniqueViolation(error) {
            throw HangarError(.resourceAlreadyExists, "Experiment '\(newName)' already exists.")
        }
    }

    /// Soft-deletes (or restores) an experiment and its runs.
    public func setExperimentLifecycle(id: String, _ stage: LifecycleStage) async throws {
        let numeric = try Self.experimentNumber(id)
        if numeric == 0 && stage == .deleted { throw HangarError.invalid("Cannot delete the default experiment '0'.") }
        try await database.write { db in
            try await Self.requireExperiment(numeric, db: db, active: false)
            let now = nowMillis()
            try await db.raw("""
                UPDATE experiments SET lifecycle_stage = \(bind: stage.rawValue), last_update_time = \(bind: now)
                WHERE experiment_id = \(bind: numeric)
                """).run()
            let deletedTime: Int64? = stage == .deleted ? now : nil
            try await db.raw("""
                UPDATE runs SET lifecycle_stage = \(bind: stage.rawValue), deleted_time = \(bind: deletedTime)
                WHERE experiment_id = \(bind: numeric)
                """).run()
        }
    }

    /// Sets (or with `value == nil`, removes) an experiment tag.
    public func setExperimentTag(id: String, key: String, value: String?) async throws {
        try Self.validateKey(key, kind: "Tag")
        let numeric = try Self.experimentNumber(id)
        try await database.write { db in
            try await Self.requireExperiment(numeric, db: db, active: true)
            if let value {
                try await db.raw("""
                    INSERT INTO experiment_tags (experiment_id, key, value) VALUES (\(bind: numeric), \(bind: key), \(bind: value))
                    ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value
                    """).run()
            } else {
                let existing = try await db.raw(
                    "SELECT 1 AS x FROM experiment_tags WHERE experiment_id = \(bind: numeric) AND key = \(bind: key)").first()
                guard existing != nil else {
                    throw HangarError.notFound("No tag with name: \(key) in experiment with id \(id)")
                }
                try await db.raw("DELETE FROM experiment_tags WHERE experiment_id = \(bind: numeric) AND key = \(bind: key)").run()
            }
            try await db.raw("UPDATE experiments SET last_update_time = \(bind: nowMillis()) WHERE experiment_id = \(bind: numeric)").run()
        }
    }

    /// MLflow's limit on experiment names (`MAX_EXPERIMENT_NAME_LENGTH`), in characters.
    static let maxExperimentNameLength = 500

    static func validateExperimentName(_ name: String, field: String) throws(HangarError) {
        guard name.count <= Self.maxExperimentNameLength else {
            throw .invalid("'\(field)' exceeds the maximum length of \(Self.maxExperimentNameLength) characters")
        }
    }

    static func experimentNumber(_ id: String) throws(HangarError) -> Int64 {
        guard let value = Int64(id), value >= 0 else { throw .invalid("Invalid experiment id '\(id)': experiment ids are integers") }
        return value
    }

    /// Fails unless the experiment exists (and, with `active`, is not deleted).
    static func requireExperiment(_ id: Int64, db: any SQLDatabase, active: Bool) async throws {
        guard let row = try await db.raw("SELECT lifecycle_stage FROM experiments WHERE experiment_id = \(bind: id)").first() else {
            throw HangarError.notFound("No Experiment with id=\(id) exists")
        }
        if active, try row.string("lifecycle_stage") != LifecycleStage.active.rawValue {
            throw HangarError.invalid("The experiment \(id) must be in the 'active' state. Current state is deleted.")
        }
    }

    static func experiment(from row: any SQLRow, db: any SQLDatabase) async throws -> Experiment {
        let id = try row.int64("experiment_id")
        let tags = try await db.raw("SELECT key, value FROM experiment_tags WHERE experiment_id = \(bind: id) ORDER BY key").all()
            .map { Tag(key: try $0.string("key"), value: try $0.string("value")) }
        return try experiment(from: row, tags: tags)
    }

    static func experiment(from row: any SQLRow, tags: [Tag]) throws -> Experiment {
        Experiment(
            experimentId: String(try row.int64("experiment_id")), name: try row.string("name"),
            artifactLocation: try row.string("artifact_location"),
            lifecycleStage: LifecycleStage(rawValue: try row.string("lifecycle_stage")) ?? .active,
            lastUpdateTime: try row.int64("last_update_time"), creationTime: try row.int64("creation_time"), tags: tags)
    }
}
