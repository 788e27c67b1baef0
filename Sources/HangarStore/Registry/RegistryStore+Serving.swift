import Foundation
import HangarCore
import SQLKit

extension RegistryStore {
    /// Where an alias of a model points, as serving needs it.
    public struct AliasTarget: Sendable, Equatable {
        public var model: String
        public var alias: String
        public var version: String
    }

    /// Every model that has `alias`, with the version it points at.
    public func aliasTargets(alias: String) async throws -> [AliasTarget] {
        try await database.read { db in
            try await db.raw("SELECT name, version FROM model_aliases WHERE alias = \(bind: alias) ORDER BY name").all().map { row in
                AliasTarget(model: try row.string("name"), alias: alias, version: String(try row.int64("version")))
            }
        }
    }

    /// The version `alias` points at, or nil when the model or alias does not exist.
    public func aliasedVersion(name: String, alias: String) async throws -> ModelVersion? {
        let number = try await database.read { db in
            try await db.raw("SELECT version FROM model_aliases WHERE name = \(bind: name) AND alias = \(bind: alias)").first()
                .map { try $0.int64("version") }
        }
        guard let number else { return nil }
        do {
            return try await modelVersion(name: name, version: String(number))
        } catch let error as HangarError where error.code == .resourceDoesNotExist {
            return nil  // deleted between the two reads
        }
    }

    /// Sets a model's traffic policy (validated); serving processes follow it through the event log.
    public func setServingPolicy(name: String, policy: TrafficPolicy, user: String?) async throws {
        try policy.validate()
        for alias in policy.aliases { try Self.validateAlias(alias) }
        let json = String(decoding: try JSONEncoder().encode(policy), as: UTF8.self)
        try await write { db in
            _ = try await lockModel(name, db: db)
            // A route to an alias that points nowhere would take the model's traffic offline.
            let existing = Set(try await db.raw("SELECT alias FROM model_aliases WHERE name = \(bind: name)").all().map { try $0.string("alias") })
            let absent = policy.aliases.filter { !existing.contains($0) }
            guard absent.isEmpty else {
                throw HangarError.invalid(
                    "Registered model '\(name)' has no alias \(absent.map { "'\($0)'" }.joined(separator: ", ")); "
                        + "set the alias before routing traffic to it")
            }
            try await db.raw("""
                INSERT INTO serving_policies (name, policy_json, user_id, last_updated_timestamp)
                VALUES (\(bind: name), \(bind: json), \(bind: user), \(bind: nowMillis()))
                ON CONFLICT (name) DO UPDATE SET policy_json = excluded.policy_json, user_id = excluded.user_id,
                    last_updated_timestamp = excluded.last_updated_timestamp
                """).run()
            try await append(RegistryEventType.servingPolicySet, model: name, user: user, payload: ["policy": json], db: db)
        }
    }

    /// Removes a model's traffic policy, so it is served from the serving alias alone.
    public func deleteServingPolicy(name: String, user: String?) async throws {
        try await write { db in
            _ = try await lockModel(name, db: db)
            try await db.raw("DELETE FROM serving_policies WHERE name = \(bind: name)").run()
            try await append(RegistryEventType.servingPolicyDeleted, model: name, user: user, db: db)
        }
    }

    /// A model's traffic policy, nil when it has none.
    public func servingPolicy(name: String) async throws -> TrafficPolicy? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT policy_json FROM serving_policies WHERE name = \(bind: name)").first() else {
                return nil
            }
            return try JSONDecoder().decode(TrafficPolicy.self, from: Data(try row.string("policy_json").utf8))
        }
    }

    /// Names of the models that have a traffic policy.
    public func modelsWithServingPolicy() async throws -> [String] {
        try await database.read { db in
            try await db.raw("SELECT name FROM serving_policies ORDER BY name").all().map { try $0.string("name") }
        }
    }

    /// Records what a serving process did or could not do (a swap, a version that failed to load).
    public func recordServingEvent(
        _ type: String, model: String, version: String?, alias: String, payload: [String: String]
    ) async throws {
        try await write { db in
            try await append(type, model: model, version: version.flatMap { Int64($0) }, alias: alias, user: nil, payload: payload, db: db)
        }
    }
}
