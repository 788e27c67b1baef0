import Foundation
import HangarCore
import SQLKit

/// Registered models, versions, aliases, approvals, quality gates and the registry's event log.
///
/// Every change appends its event in the same transaction, so an event exists exactly when its change does.
public struct RegistryStore: Sendable {
    let database: any MetadataDatabase
    public let events: EventLog
    /// The server-wide default for models that do not set `require_approval` themselves.
    public let requireApprovalByDefault: Bool

    public init(database: any MetadataDatabase, events: EventLog, requireApprovalByDefault: Bool = false) {
        self.database = database
        self.events = events
        self.requireApprovalByDefault = requireApprovalByDefault
    }

    /// Runs a registry write and wakes event readers once it has committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let value = try await database.write(body)
        events.committed()
        return value
    }

    /// Appends an event inside the current write.
    func append(
        _ type: String, model: String, version: Int64? = nil, alias: String? = nil, user: String?,
        payload: [String: String] = [:], db: any SQLDatabase
    ) async throws {
        try await EventLog.append(type, model: model, version: version, alias: alias, user: user, payload: payload, db: db, kind: database.kind)
    }

    /// Checks a registered model name: non-empty, bounded, no path separators.
    static func validateModelName(_ name: String) throws(HangarError) {
        guard !name.isEmpty else { throw .invalid("Missing value for required parameter 'name'") }
        guard name.count <= 256, !name.contains("/"), !name.contains(":") else {
            throw .invalid("Invalid model name '\(name)': at most 256 characters, without '/' or ':'")
        }
    }

    /// Parses a version number as sent (a decimal string).
    static func versionNumber(_ version: String) throws(HangarError) -> Int64 {
        guard let number = Int64(version), number > 0 else {
            throw .invalid("Invalid model version '\(version)': versions are positive integers")
        }
        return number
    }

    /// Fails unless the model exists.
    static func requireModel(_ name: String, db: any SQLDatabase) async throws -> any SQLRow {
        guard let row = try await db.raw("SELECT * FROM registered_models WHERE name = \(bind: name)").first() else {
            throw HangarError.notFound("Registered Model with name=\(name) not found")
        }
        return row
    }

    /// Fails unless the model exists, and locks its row until the transaction ends, so that concurrent changes of
    /// one model (alias moves, new version numbers) run one after another. SQLite's single writer already does that.
    func lockModel(_ name: String, db: any SQLDatabase) async throws -> any SQLRow {
        let lock: SQLQueryString = database.kind == .postgres ? " FOR UPDATE" : ""
        guard let row = try await db.raw("SELECT * FROM registered_models WHERE name = \(bind: name)\(lock)").first() else {
            throw HangarError.notFound("Registered Model with name=\(name) not found")
        }
        return row
    }

    /// Fails unless the version exists.
    static func requireVersion(_ name: String, _ version: Int64, db: any SQLDatabase) async throws -> any SQLRow {
        guard let row = try await db.raw("SELECT * FROM model_versions WHERE name = \(bind: name) AND version = \(bind: version)").first() else {
            throw HangarError.notFound("Model Version (name=\(name), version=\(version)) not found")
        }
        return row
    }
}
