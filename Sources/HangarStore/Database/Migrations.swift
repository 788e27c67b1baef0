import SQLKit

/// One step of the schema; steps run in order, each in its own transaction, and are never edited once released.
struct Migration: Sendable {
    let version: Int
    let statements: @Sendable (DatabaseKind) -> [String]
}

/// Brings a database to the schema this binary expects, and refuses one written by a newer binary.
public enum Migrator {
    /// The newest schema version this binary knows.
    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    static let migrations: [Migration] = [
        Migration(version: 1, statements: TrackingSchema.version1),
        Migration(version: 2, statements: RegistrySchema.version2),
        Migration(version: 3, statements: WebhookSchema.version3),
        Migration(version: 4, statements: ServingSchema.version4),
        Migration(version: 5, statements: MetricsWithoutRowidSchema.version5),
        Migration(version: 6, statements: KeyTablesWithoutRowidSchema.version6),
    ]

    /// Applies every migration the database lacks, up to `target` (the latest when nil); returns the version it ends
    /// at.
    @discardableResult
    public static func migrate(_ database: any MetadataDatabase, upTo target: Int? = nil) async throws -> Int {
        try await database.write { db in
            try await db.raw("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)").run()
        }
        for migration in migrations where migration.version <= (target ?? latestVersion) {
            let applied = try await database.write { db -> Bool in
                if database.kind == .postgres {
                    // Several servers may start at once; one migrates, the others wait and then see it done.
                    try await db.raw("SELECT pg_advisory_xact_lock(7466171)").run()
                }
                let current = try await currentVersion(db)
                if current > latestVersion { throw StoreError.schemaTooNew(found: current, supported: latestVersion) }
                guard current < migration.version else { return false }
                for statement in migration.statements(database.kind) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.raw("DELETE FROM schema_version").run()
                try await db.raw("INSERT INTO schema_version (version) VALUES (\(bind: migration.version))").run()
                return true
            }
            _ = applied
        }
        let final = try await database.read { try await currentVersion($0) }
        if final > latestVersion { throw StoreError.schemaTooNew(found: final, supported: latestVersion) }
        return final
    }

    static func currentVersion(_ db: any SQLDatabase) async throws -> Int {
        let row = try await db.raw("SELECT MAX(version) AS v FROM schema_version").first()
        return try row?.decodeNil(column: "v") == false ? Int(try row!.decode(column: "v", as: Int64.self)) : 0
    }
}
