import Foundation
import HangarCore
import SQLKit


extension RegistryStore {
    /// Checks an alias name: MLflow reserves `latest` and `v<number>`.
    static func validateAlias(_ alias: String) throws(HangarError) {
        guard !alias.isEmpty else { throw .invalid("Missing value for required parameter 'alias'") }
        guard alias.count <= 255, alias.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) else {
            throw .invalid("Invalid alias name '\(alias)': use at most 255 letters, digits, '_', '-' or '.'")
        }
        if alias.lowercased() == "latest" {
            throw .invalid("'\(alias)' alias name (case insensitive) is reserved.")
        }
        if let first = alias.first, first == "v" || first == "V", alias.count > 1, alias.dropFirst().allSatisfy(\.isNumber) {
            throw .invalid("Version alias name '\(alias)' is reserved.")
        }
    }

    /// Points an alias at a version, recording the move; under an approval policy the version must be approved.
    public func setAlias(name: String, alias: String, version: String, user: String?) async throws {
        try Self.validateAlias(alias)
        let number = try Self.versionNumber(version)
        let requireByDefault = requireApprovalByDefault
        try await write { db in
            let model = try await lockModel(name, db: db)
            let row = try await Self.requireVersion(name, number, db: db)
            let required = try model.optionalInt64("require_approval").map { $0 != 0 } ?? requireByDefault
            try Self.checkPolicy(required: required, state: try row.string("approval_state"), name: name, version: number, alias: alias)
            let current = try await db.raw("SELECT version FROM model_aliases WHERE name = \(bind: name) AND alias = \(bind: alias)").first()
            let previous = try current?.int64("version")
            try await db.raw("""
                INSERT INTO model_aliases (name, alias, version) VALUES (\(bind: name), \(bind: alias), \(bind: number))
                ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version
                """).run()
            try await Self.recordMove(name: name, alias: alias, version: number, previous: previous, action: "set", user: user, db: db)
            try await append(
                RegistryEventType.aliasCreated, model: name, version: number, alias: alias, user: user,
                payload: ["previous_version": previous.map { String($0) } ?? ""], db: db)
        }
    }

    /// Removes an alias (a missing one is fine, as in MLflow).
    public func deleteAlias(name: String, alias: String, user: String?) async throws {
        try await write { db in
            _ = try await lockModel(name, db: db)
            guard let row = try await db.raw("SELECT version FROM model_aliases WHERE name = \(bind: name) AND alias = \(bind: alias)").first() else {
                return
            }
            try await removeAlias(name: name, alias: alias, current: try row.int64("version"), user: user, db: db)
        }
    }

    func removeAlias(name: String, alias: String, current: Int64, user: String?, db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM model_aliases WHERE name = \(bind: name) AND alias = \(bind: alias)").run()
        try await Self.recordMove(name: name, alias: alias, version: nil, previous: current, action: "deleted", user: user, db: db)
        try await append(RegistryEventType.aliasDeleted, model: name, version: current, alias: alias, user: user, db: db)
    }

    /// The version an alias points at; a missing alias is INVALID_PARAMETER_VALUE, as MLflow answers.
    public func version(name: String, alias: String) async throws -> ModelVersion {
        let number = try await database.read { db -> Int64 in
            _ = try await Self.requireModel(name, db: db)
            guard let row = try await db.raw("SELECT version FROM model_aliases WHERE name = \(bind: name) AND alias = \(bind: alias)").first() else {
                throw HangarError.invalid("Registered model alias \(alias) not found.")
            }
            return try row.int64("version")
        }
        return try await modelVersion(name: name, version: String(number))
    }

    /// Every move of an alias, oldest first.
    public func aliasHistory(name: String, alias: String) async throws -> [AliasMove] {
        try await database.read { db in
            _ = try await Self.requireModel(name, db: db)
            return try await db.raw("""
                SELECT * FROM alias_history WHERE name = \(bind: name) AND alias = \(bind: alias) ORDER BY id
                """).all().map { row in
                AliasMove(
                    alias: alias, version: try row.optionalInt64("version").map { String($0) },
                    previousVersion: try row.optionalInt64("previous_version").map { String($0) }, action: try row.string("action"),
                    user: try row.optionalString("user_id"), timestamp: try row.int64("timestamp"))
            }
        }
    }

    /// Moves an alias back to the version it pointed at before its last move, in one step.
    public func rollback(name: String, alias: String, user: String?) async throws -> ModelVersion {
        try Self.validateAlias(alias)
        let requireByDefault = requireApprovalByDefault
        let target = try await write { db -> Int64 in
            let model = try await lockModel(name, db: db)
            guard let last = try await db.raw("""
                SELECT version, previous_version FROM alias_history WHERE name = \(bind: name) AND alias = \(bind: alias)
                ORDER BY id DESC LIMIT 1
                """).first() else {
                throw HangarError.invalid("Alias '\(alias)' of model '\(name)' has never moved: there is nothing to roll back to.")
            }
            guard let previous = try last.optionalInt64("previous_version") else {
                throw HangarError.invalid("Alias '\(alias)' of model '\(name)' had no version before its last move: there is nothing to roll back to.")
            }
            guard let row = try await db.raw("SELECT approval_state FROM model_versions WHERE name = \(bind: name) AND version = \(bind: previous)").first() else {
                throw HangarError.invalid("Cannot roll back alias '\(alias)': its previous version \(previous) has been deleted.")
            }
            let required = try model.optionalInt64("require_approval").map { $0 != 0 } ?? requireByDefault
            try Self.checkPolicy(required: required, state: try row.string("approval_state"), name: name, version: previous, alias: alias)
            let current = try last.optionalInt64("version")
            try await db.raw("""
                INSERT INTO model_aliases (name, alias, version) VALUES (\(bind: name), \(bind: alias), \(bind: previous))
                ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version
                """).run()
            try await Self.recordMove(name: name, alias: alias, version: previous, previous: current, action: "rollback", user: user, db: db)
            try await append(
                RegistryEventType.aliasCreated, model: name, version: previous, alias: alias, user: user,
                payload: ["previous_version": current.map { String($0) } ?? "", "rollback": "true"], db: db)
            try await append(
                RegistryEventType.aliasRolledBack, model: name, version: previous, alias: alias, user: user,
                payload: ["from_version": current.map { String($0) } ?? ""], db: db)
            return previous
        }
        return try await modelVersion(name: name, version: String(target))
    }

    static func checkPolicy(required: Bool, state: String, name: String, version: Int64, alias: String) throws(HangarError) {
        guard required, state != ApprovalState.approved.rawValue else { return }
        throw .invalid("""
            Model '\(name)' requires approval before an alias may point at a version (policy require_approval=true): \
            version \(version) is \(state), so alias '\(alias)' was not moved. Approve it first.
            """)
    }

    static func recordMove(
        name: String, alias: String, version: Int64?, previous: Int64?, action: String, user: String?, db: any SQLDatabase
    ) async throws {
        try await db.raw("""
            INSERT INTO alias_history (name, alias, version, previous_version, action, user_id, timestamp)
            VALUES (\(bind: name), \(bind: alias), \(bind: version), \(bind: previous), \(bind: action), \(bind: user), \(bind: nowMillis()))
            """).run()
    }
}
