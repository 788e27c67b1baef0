import HangarCore
import SQLKit

extension TrackingStore {
    /// Starts a run in an active experiment; a missing run name is generated, as MLflow does.
    public func createRun(
        experimentId: String, userId: String?, runName: String?, startTime: Int64?, tags: [Tag]
    ) async throws -> Run {
        let experimentNumber = try Self.experimentNumber(experimentId)
        for tag in tags { try Self.validateKey(tag.key, kind: "Tag") }
        if let runName, !runName.isEmpty, let tagged = tags.last(where: { $0.key == RunTags.runName })?.value, tagged != runName {
            throw HangarError.invalid(
                "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values "
                    + "(run_name='\(runName)', mlflow.runName='\(tagged)').")
        }
        let runId = Ids.newRunID()
        let name = runName.flatMap { $0.isEmpty ? nil : $0 }
            ?? tags.first { $0.key == RunTags.runName }?.value
            ?? RunNames.generate()
        let user = userId.flatMap { $0.isEmpty ? nil : $0 } ?? tags.first { $0.key == RunTags.user }?.value ?? ""
        let start = startTime ?? nowMillis()
        var allTags = tags.filter { $0.key != RunTags.runName }
        allTags.append(Tag(key: RunTags.runName, value: name))
        let finalTags = allTags
        let stored = Dictionary(finalTags.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        let storedTags = stored.values.sorted { $0.key < $1.key }
        let artifactURI = try await database.write { db -> String in
            guard let experiment = try await db.raw("SELECT artifact_location, lifecycle_stage FROM experiments WHERE experiment_id = \(bind: experimentNumber)").first() else {
                throw HangarError.notFound("No Experiment with id=\(experimentId) exists")
            }
            guard try experiment.string("lifecycle_stage") == LifecycleStage.active.rawValue else {
                throw HangarError.invalid("The experiment \(experimentId) must be in the 'active' state. Current state is deleted.")
            }
            let artifactURI = "\(try experiment.string("artifact_location"))/\(runId)/artifacts"
            try await db.raw("""
                INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri)
                VALUES (\(bind: runId), \(bind: experimentNumber), \(bind: name), \(bind: user), 'RUNNING', \(bind: start), NULL, 'active', \(bind: artifactURI))
                """).run()
            for tag in finalTags { try Self.validateTagValue(tag) }
            // A new run has no tags yet and its name is already in its row: one INSERT writes them all.
            for chunk in Self.chunks(storedTags, size: 100) {
                let values = SQLValueRows(rows: chunk.map { [runId, $0.key, $0.value] })
                try await db.raw("INSERT INTO tags (run_id, key, value) VALUES \(values)").run()
            }
            return artifactURI
        }
        // Everything a new run holds is known here; answering without reading it back saves a round of queries.
        let info = RunInfo(
            runId: runId, runName: name, experimentId: String(experimentNumber), userId: user, status: .running, startTime: start,
            endTime: nil, artifactUri: artifactURI, lifecycleStage: .active)
        return Run(info: info, data: RunData(tags: storedTags))
    }

    /// The run with this id, with its latest metrics, params, tags, inputs and outputs.
    public func run(id: String) async throws -> Run {
        try await database.read { db in
            guard let run = try await Self.loadRuns(ids: [id], db: db).first else {
                throw HangarError.notFound("Run with id=\(id) not found")
            }
            return run
        }
    }

    /// Updates status, end time and name of an active run; returns the new info.
    public func updateRun(id: String, status: RunStatus?, endTime: Int64?, runName: String?) async throws -> RunInfo {
        try await database.write { db in
            try await Self.requireActiveRun(id, db: db)
            if let status {
                try await db.raw("UPDATE runs SET status = \(bind: status.rawValue) WHERE run_id = \(bind: id)").run()
            }
            if let endTime {
                try await db.raw("UPDATE runs SET end_time = \(bind: endTime) WHERE run_id = \(bind: id)").run()
            }
            if let runName, !runName.isEmpty {
                try await Self.upsertTag(runId: id, Tag(key: RunTags.runName, value: runName), db: db)
            }
        }
        return try await run(id: id).info
    }

    /// Soft-deletes or restores a run.
    public func setRunLifecycle(id: String, _ stage: LifecycleStage) async throws {
        try await database.write { db in
            guard try await db.raw("SELECT 1 AS x FROM runs WHERE run_id = \(bind: id)").first() != nil else {
                throw HangarError.notFound("Run with id=\(id) not found")
            }
            let deletedTime: Int64? = stage == .deleted ? nowMillis() : nil
            try await db.raw("""
                UPDATE runs SET lifecycle_stage = \(bind: stage.rawValue), deleted_time = \(bind: deletedTime) WHERE run_id = \(bind: id)
                """).run()
        }
    }

    /// Fails unless the run exists and is not deleted.
    static func requireActiveRun(_ id: String, db: any SQLDatabase) async throws {
        guard let row = try await db.raw("SELECT lifecycle_stage FROM runs WHERE run_id = \(bind: id)").first() else {
            throw HangarError.notFound("Run with id=\(id) not found")
        }
        guard try row.string("lifecycle_stage") == LifecycleStage.active.rawValue else {
            throw HangarError.invalid("The run \(id) must be in the 'active' state. Current state is deleted.")
        }
    }

    /// Refuses a tag value longer than MLflow allows.
    static func validateTagValue(_ tag: Tag) throws(HangarError) {
        guard tag.value.fits(limit: Limits.tagValueLength) else {
            throw .invalid("Tag value for '\(tag.key)' had length \(tag.value.codePointCount), which exceeded length limit of \(Limits.tagValueLength)")
        }
    }

    /// Writes a tag; `mlflow.runName` also renames the run.
    static func upsertTag(runId: String, _ tag: Tag, db: any SQLDatabase) async throws {
        try validateTagValue(tag)
        try await db.raw("""
            INSERT INTO tags (run_id, key, value) VALUES (\(bind: runId), \(bind: tag.key), \(bind: tag.value))
            ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value
            """).run()
        if tag.key == RunTags.runName {
            try await db.raw("UPDATE runs SET run_name = \(bind: tag.value) WHERE run_id = \(bind: runId)").run()
        }
    }
}

/// Tags MLflow's client and UI give a meaning to.
public enum RunTags {
    public static let runName = "mlflow.runName"
    public static let user = "mlflow.user"
}

/// Friendly generated run names in MLflow's style ("bold-fox-123").
enum RunNames {
    private static let adjectives = [
        "bold", "brave", "bright", "calm", "clever", "crisp", "eager", "fair", "gentle", "glad", "keen", "kind",
        "lively", "loud", "merry", "neat", "nimble", "proud", "quick", "quiet", "sharp", "shy", "swift", "warm",
    ]
    private static let nouns = [
        "ant", "bat", "bear", "bee", "crab", "crow", "deer", "dove", "eel", "elk", "fox", "frog", "goat", "hawk",
        "lark", "lynx", "mole", "moth", "owl", "ray", "seal", "swan", "toad", "wolf",
    ]

    static func generate() -> String {
        var random = PooledSystemRandom()
        let adjective = adjectives.randomElement(using: &random)!
        let noun = nouns.randomElement(using: &random)!
        return "\(adjective)-\(noun)-\(Int.random(in: 100...999, using: &random))"
    }
}
