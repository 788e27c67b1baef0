import Foundation
import HangarCore
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

    @Test func metricsLoggedBeforeVersion5AreKeptWhenTheTableIsRebuiltWithoutRowid() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = try await SQLiteMetadataDatabase.open(path: dir.path + "/hangar.db", durability: .normal)
        #expect(try await Migrator.migrate(db, upTo: 4) == 4)
        let store = TrackingStore(database: db)
        let run = try await store.createRun(experimentId: "0", userId: "ana", runName: "old", startTime: 1000, tags: [])
        let logged = (0..<30).map { Metric(key: "loss", value: 1 / Double($0 + 1), timestamp: 2000 + Int64($0), step: Int64($0)) }
            + [Metric(key: "loss", value: .nan, timestamp: 3000, step: 30)]
        try await store.logBatch(runId: run.info.runId, metrics: logged, params: [], tags: [])

        #expect(try await Migrator.migrate(db) == Migrator.latestVersion)
        let history = try await store.metricHistory(runId: run.info.runId, key: "loss", maxResults: nil, pageToken: nil)
        #expect(history.metrics.count == 31)
        #expect(history.metrics.prefix(30).map(\.value) == logged.prefix(30).map(\.value))
        #expect(history.metrics.last?.value.isNaN == true)
        // The rebuilt table has no rowid, and new metrics go into it.
        await #expect(throws: (any Error).self) {
            try await db.read { try await $0.raw("SELECT rowid FROM metrics").all() }
        }
        try await store.logBatch(
            runId: run.info.runId, metrics: [Metric(key: "loss", value: 0.01, timestamp: 4000, step: 31)], params: [], tags: [])
        let after = try await store.metricHistory(runId: run.info.runId, key: "loss", maxResults: nil, pageToken: nil)
        #expect(after.metrics.count == 32)
        await db.close()
    }

    @Test func paramsTagsAndLatestMetricsLoggedBeforeVersion6AreKeptWhenRebuiltWithoutRowid() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = try await SQLiteMetadataDatabase.open(path: dir.path + "/hangar.db", durability: .normal)
        #expect(try await Migrator.migrate(db, upTo: 5) == 5)
        let store = TrackingStore(database: db)
        let run = try await store.createRun(
            experimentId: "0", userId: "ana", runName: "old", startTime: 1000, tags: [Tag(key: "team", value: "a")])
        try await store.logBatch(
            runId: run.info.runId,
            metrics: [Metric(key: "loss", value: 0.5, timestamp: 1, step: 0), Metric(key: "loss", value: 0.25, timestamp: 2, step: 1)],
            params: [Param(key: "depth", value: "3")], tags: [Tag(key: "stage", value: "dev")])

        #expect(try await Migrator.migrate(db) == Migrator.latestVersion)
        let loaded = try await store.run(id: run.info.runId)
        #expect(loaded.data.metrics.map(\.value) == [0.25])
        #expect(loaded.data.params.map(\.key) == ["depth"])
        #expect(Set(loaded.data.tags.map(\.key)) == ["team", "stage", "mlflow.runName"])
        for table in ["latest_metrics", "params", "tags"] {
            await #expect(throws: (any Error).self, "\(table) has no rowid") {
                try await db.read { try await $0.raw("SELECT rowid FROM \(unsafeRaw: table)").all() }
            }
        }
        let indexes = try await db.read {
            try await $0.raw("SELECT name FROM sqlite_master WHERE name = 'latest_metrics_by_key'").all()
        }
        #expect(indexes.isEmpty)
        // Writes after the rebuild: a newer latest value replaces the old one, a param stays immutable.
        try await store.logBatch(
            runId: run.info.runId, metrics: [Metric(key: "loss", value: 0.125, timestamp: 3, step: 2)],
            params: [Param(key: "depth", value: "3")], tags: [])
        #expect(try await store.run(id: run.info.runId).data.metrics.map(\.value) == [0.125])
        await #expect(throws: HangarError.self) {
            try await store.logBatch(runId: run.info.runId, metrics: [], params: [Param(key: "depth", value: "4")], tags: [])
        }
        await db.close()
    }
}
