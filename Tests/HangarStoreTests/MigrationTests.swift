import Foundation
import HangarStore
import SQLKit
import Testing

@Suite struct MigrationTests {
    @Test(arguments: Backend.available)
    func migratingTwiceIsHarmless(backend: Backend) async throws {
        let db = try await backend.openFresh()
        #expect(try await Migrator.migrate(db) == Migrator.latestVersion)
        #expect(try await Migrator.migrate(db) == Migrator.latestVersion)
        await db.close()
    }

    @Test(arguments: Backend.available)
    func aDatabaseFromANewerBinaryIsRefusedWithAClearMessage(backend: Backend) async throws {
        let db = try await backend.openFresh()
        try await db.write { try await $0.raw("UPDATE schema_version SET version = 999").run() }
        let error = await #expect(throws: StoreError.self) { try await Migrator.migrate(db) }
        #expect("\(error!)".contains("schema version 999, newer than this hangar binary supports"))
        await db.close()
    }
}
