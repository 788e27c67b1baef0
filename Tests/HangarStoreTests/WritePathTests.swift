import Foundation
import HangarCore
@testable import HangarStore
import SQLKit
import Testing

/// The write path under the stores: group commit on SQLite's direct writer (kept statements, savepoints, durability)
/// and the statements the tracking store batches, on every backend.
@Suite struct WritePathTests {
    @Test func writesAcknowledgedWithFullDurabilityAreThereAfterReopening() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.path + "/hangar.db"
        let db = try await SQLiteMetadataDatabase.open(path: path, durability: .full)
        try await Migrator.migrate(db)
        let store = TrackingStore(database: db)
        let run = try await store.createRun(experimentId: "0", userId: "ana", runName: "r", startTime: 1, tags: [])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                group.addTask {
                    try await store.logBatch(
                        runId: run.info.runId, metrics: [Metric(key: "m\(i)", value: Double(i), timestamp: 1, step: 0)],
                        params: [], tags: [])
                }
            }
            try await group.waitForAll()
        }
        await db.close()

        let reopened = try await SQLiteMetadataDatabase.open(path: path, durability: .normal)
        let metrics = try await TrackingStore(database: reopened).run(id: run.info.runId).data.metrics
        #expect(metrics.count == 40)
        #expect(Set(metrics.map(\.key)) == Set((0..<40).map { "m\($0)" }))
        await reopened.close()
    }

    /// The writer appends to the WAL through `BatchedWALFileSystem`, which gathers a transaction's frames: readers
    /// (on SQLite's own VFS) see every commit at once, large transactions that outgrow the buffer, a rolled-back write
    /// and many small commits all read back, from the open database and after reopening it.
    @Test func framesGatheredByTheWritersFileSystemReadBackEverywhere() async throws {
        #expect(BatchedWALFileSystem.isRegistered)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.path + "/hangar.db"
        let db = try await SQLiteMetadataDatabase.open(path: path, durability: .normal)
        try await db.write { db in try await db.raw("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").run() }
        // About 3 MB in one transaction: far more than the 64 KiB the file system gathers before writing.
        let big = String(repeating: "x", count: 3000)
        try await db.write { db in
            for i in 0..<1000 { try await db.raw("INSERT INTO t (id, body) VALUES (\(bind: Int64(i)), \(bind: big))").run() }
        }
        await #expect(throws: (any Error).self) {
            try await db.write { db in
                try await db.raw("UPDATE t SET body = 'lost' WHERE id < 500").run()
                try await db.raw("INSERT INTO t (id, body) VALUES (1, 'duplicate')").run()
            }
        }
        for i in 1000..<1200 {
            try await db.write { db in try await db.raw("INSERT INTO t (id, body) VALUES (\(bind: Int64(i)), 'small')").run() }
        }
        let expected: [Int64] = [1200, 1000, 0, 200]
        let query: SQLQueryString = """
            SELECT COUNT(*) AS n, SUM(body = \(bind: big)) AS big, SUM(body = 'lost') AS lost, SUM(body = 'small') AS small FROM t
            """
        func counts(_ db: some MetadataDatabase) async throws -> [Int64] {
            try await db.read { db in
                let row = try await db.raw(query).first()!
                return try ["n", "big", "lost", "small"].map { try row.decode(column: $0, as: Int64.self) }
            }
        }
        #expect(try await counts(db) == expected)
        await db.close()
        let reopened = try await SQLiteMetadataDatabase.open(path: path, durability: .normal)
        #expect(try await counts(reopened) == expected)
        await reopened.close()
    }

    @Test(arguments: Backend.available)
    func moreStatementShapesThanTheWriterKeepsAllAnswerCorrectly(backend: Backend) async throws {
        let db = try await backend.openFresh()
        // 300 distinct SQL texts (more than the 256 kept statements), then the first ones again, after eviction.
        let answers = try await db.write { db in
            var answers: [Int64] = []
            for round in 0..<2 {
                for i in 0..<(round == 0 ? 300 : 20) {
                    let row = try await db.raw("SELECT \(literal: i) + \(bind: Int64(1000)) AS n").first()
                    answers.append(try row!.decode(column: "n", as: Int64.self))
                }
            }
            return answers
        }
        let expected: [Int64] = (0..<300).map { Int64($0) + 1000 } + (0..<20).map { Int64($0) + 1000 }
        #expect(answers == expected)
        await db.close()
    }

    @Test(arguments: Backend.available)
    func aStatementTooLongToKeepRunsEveryTime(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let values = (0..<3000).map { Int64($0) }
        let counts = try await db.write { db in
            var counts: [Int64] = []
            for _ in 0..<3 {
                let sql: SQLQueryString = "SELECT COUNT(*) AS n FROM runs WHERE start_time IN (\(binds: values))"
                let row = try await db.raw(sql).first()
                counts.append(try row!.decode(column: "n", as: Int64.self))
            }
            return counts
        }
        #expect(counts == [0, 0, 0])
        await db.close()
    }

    @Test(arguments: Backend.available)
    func keptStatementsSeeAColumnAddedLater(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let columns = try await db.write { db in
            try await db.raw("CREATE TABLE shapes (a BIGINT NOT NULL)").run()
            try await db.raw("INSERT INTO shapes (a) VALUES (1)").run()
            let before = try await db.raw("SELECT * FROM shapes").first()!.allColumns
            try await db.raw("ALTER TABLE shapes ADD COLUMN b BIGINT NOT NULL DEFAULT 7").run()
            let after = try await db.raw("SELECT * FROM shapes").first()!
            return (before, after.allColumns, try after.decode(column: "b", as: Int64.self))
        }
        #expect(columns.0 == ["a"])
        #expect(columns.1 == ["a", "b"])
        #expect(columns.2 == 7)
        await db.close()
    }

    @Test(arguments: Backend.available)
    func aDuplicateKeyIsRecognisedAsOneAndRollsBackOnlyItsWrite(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<16 {
                group.addTask {
                    do {
                        try await db.write { db in
                            // Every 4th write inserts the same name as the default experiment and must fail alone.
                            let name = i % 4 == 0 ? "Default" : "exp-\(i)"
                            try await db.raw("""
                                INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                                VALUES (\(bind: name), '', 'active', 0, 0)
                                """).run()
                        }
                        return true
                    } catch {
                        return !isUniqueViolation(error)
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 12)
        let names = try await db.read { db in
            try await db.raw("SELECT name FROM experiments").all()
                .map { try $0.decode(column: "name", as: String.self) }
        }
        #expect(Set(names) == Set(["Default"] + (0..<16).filter { $0 % 4 != 0 }.map { "exp-\($0)" }))
        await db.close()
    }

    @Test(arguments: Backend.available)
    func fullAndPartialBatchesStoreEveryMetricAndTheLatestPerKey(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        let run = try await store.createRun(experimentId: "0", userId: "ana", runName: "r", startTime: 1, tags: [])
        // 1000 metrics (ten full 100-row statements), then 150 (one full, one of 50), as the bench's log-batch sends.
        for (count, firstStep) in [(1000, 0), (150, 100)] {
            let metrics = (0..<count).map { j in
                Metric(
                    key: "m\(j % 10)", value: Double(j) + 0.5, timestamp: 1_700_000_000_000,
                    step: Int64(firstStep + j / 10))
            }
            try await store.logBatch(runId: run.info.runId, metrics: metrics, params: [], tags: [])
        }
        let history = try await store.metricHistory(runId: run.info.runId, key: "m3", maxResults: nil, pageToken: nil)
        #expect(history.metrics.count == 115)
        #expect(history.metrics.map(\.step) == (0..<115).map { Int64($0) })
        let latest = try await store.run(id: run.info.runId).data.metrics
        #expect(latest.count == 10)
        #expect(latest.first { $0.key == "m3" }?.value == 143.5)
        #expect(latest.allSatisfy { $0.step == 114 })
        await db.close()
    }

    @Test(arguments: Backend.available)
    func aNewRunKeepsTheLastValueOfARepeatedTagAndTakesItsNameFromTheNameTag(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        let tags = [
            Tag(key: "team", value: "a"), Tag(key: "team", value: "b"), Tag(key: RunTags.runName, value: "named"),
        ]
        let created = try await store.createRun(experimentId: "0", userId: nil, runName: nil, startTime: 5, tags: tags)
        let stored = try await store.run(id: created.info.runId)
        #expect(stored.info.runName == "named")
        #expect(stored.data.tags == [Tag(key: RunTags.runName, value: "named"), Tag(key: "team", value: "b")])
        #expect(created.data.tags == stored.data.tags)
        let tooLong = Tag(key: "note", value: String(repeating: "x", count: TrackingStore.Limits.tagValueLength + 1))
        let error = await #expect(throws: HangarError.self) {
            _ = try await store.createRun(
                experimentId: "0", userId: nil, runName: "long", startTime: 6, tags: [tooLong])
        }
        #expect(error?.code == .invalidParameterValue)
        let runs = try await db.read { db in
            try await db.raw("SELECT run_name FROM runs").all()
                .map { try $0.decode(column: "run_name", as: String.self) }
        }
        #expect(runs == ["named"])
        await db.close()
    }
}
