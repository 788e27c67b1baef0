import Foundation
import SQLKit
import HangarStore
import Testing

/// The engines a store test runs on: SQLite always, PostgreSQL when `HANGAR_TEST_POSTGRES_URL` names a server.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// SQLite, plus PostgreSQL when configured (CI always configures it).
    static var available: [Backend] {
        ProcessInfo.processInfo.environment["HANGAR_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    /// Opens a fresh, migrated, empty database of this kind, private to one test.
    func openFresh() async throws -> any MetadataDatabase {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let db = try await SQLiteMetadataDatabase.open(path: dir.path + "/hangar.db", durability: .normal)
            try await Migrator.migrate(db)
            return db
        case .postgres:
            let admin = ProcessInfo.processInfo.environment["HANGAR_TEST_POSTGRES_URL"]!
            let name = "hangar_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let adminDB = try await PostgresMetadataDatabase.open(url: admin)
            try await adminDB.read { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            await adminDB.close()
            var parts = URLComponents(string: admin)!
            parts.path = "/" + name
            let db = try await PostgresMetadataDatabase.open(url: parts.string!)
            try await Migrator.migrate(db)
            return db
        }
    }
}
