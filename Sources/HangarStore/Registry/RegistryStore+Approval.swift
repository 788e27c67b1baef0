import Foundation
import HangarCore
import SQLKit


extension RegistryStore {
    /// Approves or rejects a version; every decision is appended to the audit trail and the event log.
    public func decide(name: String, version: String, state: ApprovalState, user: String?, comment: String?) async throws -> ModelVersion {
        let number = try Self.versionNumber(version)
        try await write { db in
            _ = try await Self.requireVersion(name, number, db: db)
            try await Self.setApproval(name: name, version: number, state: state, user: user, comment: comment, db: db, kind: database.kind)
        }
        return try await modelVersion(name: name, version: version)
    }

    /// A version's approval decisions, oldest first.
    public func approvalHistory(name: String, version: String) async throws -> [ApprovalRecord] {
        let number = try Self.versionNumber(version)
        return try await database.read { db in
            _ = try await Self.requireVersion(name, number, db: db)
            return try await db.raw("""
                SELECT state, user_id, comment, timestamp FROM approval_audit WHERE name = \(bind: name) AND version = \(bind: number) ORDER BY id
                """).all().map { row in
                ApprovalRecord(
                    state: ApprovalState(rawValue: try row.string("state")) ?? .pending, user: try row.optionalString("user_id"),
                    comment: try row.optionalString("comment"), timestamp: try row.int64("timestamp"))
            }
        }
    }

    static func setApproval(
        name: String, version: Int64, state: ApprovalState, user: String?, comment: String?, db: any SQLDatabase, kind: DatabaseKind
    ) async throws {
        let now = nowMillis()
        try await db.raw("""
            UPDATE model_versions SET approval_state = \(bind: state.rawValue), approval_user = \(bind: user),
                approval_timestamp = \(bind: now), approval_comment = \(bind: comment), last_updated_timestamp = \(bind: now)
            WHERE name = \(bind: name) AND version = \(bind: version)
            """).run()
        try await db.raw("""
            INSERT INTO approval_audit (name, version, state, user_id, comment, timestamp)
            VALUES (\(bind: name), \(bind: version), \(bind: state.rawValue), \(bind: user), \(bind: comment), \(bind: now))
            """).run()
        let type = switch state {
        case .approved: RegistryEventType.versionApproved
        case .rejected: RegistryEventType.versionRejected
        case .pending: RegistryEventType.versionGatesEvaluated
        }
        try await EventLog.append(type, model: name, version: version, user: user, payload: ["comment": comment ?? ""], db: db, kind: kind)
    }

    /// Evaluates the model's gates on a pending version, stores the result, and approves the version when all pass.
    static func evaluateGates(name: String, version: Int64, db: any SQLDatabase, kind: DatabaseKind) async throws {
        guard let model = try await db.raw("SELECT gates_json FROM registered_models WHERE name = \(bind: name)").first() else { return }
        let texts = (try? JSONDecoder().decode([String].self, from: Data(try model.string("gates_json").utf8))) ?? []
        guard !texts.isEmpty else { return }
        let gates = try texts.map { (text) throws(HangarError) in try QualityGate(parsing: text) }
        let row = try await Self.requireVersion(name, version, db: db)
        guard try row.string("approval_state") == ApprovalState.pending.rawValue else { return }
        let metrics = try await Self.sourceMetrics(runId: try row.optionalString("run_id"), modelId: try row.optionalString("model_id"), db: db)
        let evaluation = GateEvaluation.evaluate(gates, metrics: metrics, at: nowMillis())
        let json = String(decoding: try JSONEncoder().encode(evaluation), as: UTF8.self)
        try await db.raw("UPDATE model_versions SET gate_evaluation = \(bind: json) WHERE name = \(bind: name) AND version = \(bind: version)").run()
        if evaluation.passed {
            try await setApproval(
                name: name, version: version, state: .approved, user: "gates",
                comment: "all quality gates passed: " + texts.joined(separator: ", "), db: db, kind: kind)
        } else {
            try await EventLog.append(
                RegistryEventType.versionGatesEvaluated, model: name, version: version, user: "gates",
                payload: ["passed": "false", "reason": evaluation.reason ?? ""], db: db, kind: kind)
        }
    }

    /// The metrics a version is judged on: its logged model's metrics, else its source run's latest metrics.
    static func sourceMetrics(runId: String?, modelId: String?, db: any SQLDatabase) async throws -> [String: Double] {
        var metrics: [String: Double] = [:]
        if let runId {
            for row in try await db.raw("SELECT key, value, is_nan FROM latest_metrics WHERE run_id = \(bind: runId)").all() {
                metrics[try row.string("key")] = try row.int64("is_nan") != 0 ? .nan : try row.double("value")
            }
        }
        if let modelId {
            // Latest value per key among the logged model's metrics (highest step, then timestamp).
            for row in try await db.raw("""
                SELECT key, value, is_nan FROM metrics WHERE model_id = \(bind: modelId) ORDER BY key, step, timestamp
                """).all() {
                metrics[try row.string("key")] = try row.int64("is_nan") != 0 ? .nan : try row.double("value")
            }
        }
        return metrics
    }

    /// Re-evaluates gates of pending versions whose source is this run or logged model; called when metrics arrive.
    static func metricsArrived(runId: String, modelIds: [String], db: any SQLDatabase, kind: DatabaseKind) async throws {
        var query: SQLQueryString = "SELECT name, version FROM model_versions WHERE approval_state = 'pending' AND (run_id = \(bind: runId)"
        if !modelIds.isEmpty { query += " OR model_id IN (\(binds: modelIds))" }
        query += ")"
        let rows = try await db.raw(query).all()
        guard !rows.isEmpty else { return }
        for row in rows {
            try await evaluateGates(name: try row.string("name"), version: try row.int64("version"), db: db, kind: kind)
        }
    }
}
