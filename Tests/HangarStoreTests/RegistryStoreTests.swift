import HangarCore
import HangarStore
import SQLKit
import Testing

/// A registry with one model and a run whose metrics its versions are judged on.
struct RegistryFixture {
    let db: any MetadataDatabase
    let tracking: TrackingStore
    let registry: RegistryStore

    init(_ backend: Backend, requireApproval: Bool = false) async throws {
        db = try await backend.openFresh()
        tracking = TrackingStore(database: db)
        registry = RegistryStore(database: db, events: EventLog(database: db), requireApprovalByDefault: requireApproval)
    }

    /// A run with these metrics, registered as a new version of `name`.
    func version(of name: String, metrics: [String: Double] = [:]) async throws -> ModelVersion {
        let run = try await tracking.createRun(experimentId: "0", userId: "ana", runName: nil, startTime: nil, tags: [])
        let logged = metrics.map { Metric(key: $0.key, value: $0.value, timestamp: 1, step: 0) }
        try await tracking.logBatch(runId: run.info.runId, metrics: logged, params: [], tags: [])
        return try await registry.createModelVersion(
            name: name, source: "runs:/\(run.info.runId)/model", runId: run.info.runId, tags: [], runLink: nil,
            description: nil, modelId: nil, user: "ana")
    }

    func eventTypes(after: Int64 = 0) async throws -> [String] {
        try await registry.events.events(after: after).map(\.type)
    }
}

@Suite struct RegistryStoreTests {
    @Test(arguments: Backend.available)
    func requiringApprovalBlocksPromotionUntilAPersonApproves(backend: Backend) async throws {
        let f = try await RegistryFixture(backend)
        _ = try await f.registry.createRegisteredModel(name: "lounge", description: nil, tags: [], user: "ana")
        _ = try await f.registry.setPolicy(name: "lounge", requireApproval: .some(true), gates: nil, user: "ana")
        let v1 = try await f.version(of: "lounge")
        #expect(v1.approval.state == .pending)
        let error = await #expect(throws: HangarError.self) {
            try await f.registry.setAlias(name: "lounge", alias: "production", version: v1.version, user: "bob")
        }
        #expect(error?.code == .invalidParameterValue)
        #expect(error?.message.contains("require_approval") == true)
        let approved = try await f.registry.decide(name: "lounge", version: v1.version, state: .approved, user: "carol", comment: "metrics ok")
        #expect(approved.approval == Approval(state: .approved, user: "carol", timestamp: approved.approval.timestamp, comment: "metrics ok"))
        try await f.registry.setAlias(name: "lounge", alias: "production", version: v1.version, user: "bob")
        #expect(try await f.registry.version(name: "lounge", alias: "production").version == "1")
        let trail = try await f.registry.approvalHistory(name: "lounge", version: "1")
        #expect(trail.map(\.state) == [.approved])
        await f.db.close()
    }

    @Test(arguments: Backend.available)
    func aliasesMoveFreelyWithoutAPolicy(backend: Backend) async throws {
        let f = try await RegistryFixture(backend)
        _ = try await f.registry.createRegisteredModel(name: "free", description: nil, tags: [], user: nil)
        let v1 = try await f.version(of: "free")
        try await f.registry.setAlias(name: "free", alias: "production", version: v1.version, user: nil)
        #expect(try await f.registry.version(name: "free", alias: "production").approval.state == .pending)
        await f.db.close()
    }

    @Test(arguments: Backend.available)
    func gatesApproveAVersionWhoseMetricsPassAndWaitForMissingOnes(backend: Backend) async throws {
        let f = try await RegistryFixture(backend)
        _ = try await f.registry.createRegisteredModel(name: "churn", description: nil, tags: [], user: nil)
        _ = try await f.registry.setPolicy(name: "churn", requireApproval: .some(true), gates: ["accuracy >= 0.85", "roc_auc >= 0.75"], user: nil)
        let good = try await f.version(of: "churn", metrics: ["accuracy": 0.9, "roc_auc": 0.8])
        #expect(good.approval.state == .approved)
        #expect(good.approval.user == "gates")
        #expect(good.gateEvaluation?.passed == true)
        let bad = try await f.version(of: "churn", metrics: ["accuracy": 0.7, "roc_auc": 0.8])
        #expect(bad.approval.state == .pending)
        #expect(bad.gateEvaluation?.reason?.contains("accuracy >= 0.85") == true)
        let partial = try await f.version(of: "churn", metrics: ["accuracy": 0.9])
        #expect(partial.approval.state == .pending)
        #expect(partial.gateEvaluation?.reason?.contains("missing metric(s): roc_auc") == true)
        // The missing metric arrives later: the gates run again and approve.
        try await f.tracking.logBatch(
            runId: partial.runId!, metrics: [Metric(key: "roc_auc", value: 0.9, timestamp: 2, step: 0)], params: [], tags: [])
        #expect(try await f.registry.modelVersion(name: "churn", version: partial.version).approval.state == .approved)
        await f.db.close()
    }

    @Test(arguments: Backend.available)
    func malformedGatesAreRefusedAndNothingIsStored(backend: Backend) async throws {
        let f = try await RegistryFixture(backend)
        _ = try await f.registry.createRegisteredModel(name: "m", description: nil, tags: [], user: nil)
        for gate in ["accuracy", "accuracy >= high", ">= 0.5", "acc uracy >= 0.5", "accuracy => 0.5"] {
            await #expect(throws: HangarError.self, "gate: \(gate)") {
                _ = try await f.registry.setPolicy(name: "m", requireApproval: nil, gates: ["roc_auc >= 0.7", gate], user: nil)
            }
        }
        #expect(try await f.registry.registeredModel(name: "m").gates == nil)
        await f.db.close()
    }

    @Test(arguments: Backend.available)
    func rollbackRestoresThePreviousVersion(backend: Backend) async throws {
        let f = try await RegistryFixture(backend)
        _ = try await f.registry.createRegisteredModel(name: "r", description: nil, tags: [], user: nil)
        let v1 = try await f.version(of: "r")
        let v2 = try await f.version(of: "r")
        try await f.registry.setAlias(name: "r", alias: "production", version: v1.version, user: "a")
        try await f.registry.setAlias(name: "r", alias: "production", version: v2.version, user: "a")
        let restored = try await f.registry.rollback(name: "r", alias: "production", user: "b")
        #expect(restored.version == "1")
        #expect(try await f.registry.version(name: "r", alias: "production").version == "1")
        let moves = try await f.registry.aliasHistory(name: "r", alias: "production")
        #expect(moves.map(\.action) == ["set", "set", "rollback"])
        #expect(moves.map(\.version) == ["1", "2", "1"])
        #expect(try await f.eventTypes().suffix(2) == [RegistryEventType.aliasCreated, RegistryEventType.aliasRolledBack])
        await f.db.close()
    }

    @Test(arguments: Backend.available)
    func concurrentPromotionsOfOneAliasLeaveAConsistentHistory(backend: Backend) async throws {
        let f = try await RegistryFixture(backend)
        _ = try await f.registry.createRegisteredModel(name: "c", description: nil, tags: [], user: nil)
        for _ in 0..<4 { _ = try await f.version(of: "c") }
        await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<24 {
                group.addTask { try await f.registry.setAlias(name: "c", alias: "production", version: String(i % 4 + 1), user: "u\(i)") }
            }
        }
        let moves = try await f.registry.aliasHistory(name: "c", alias: "production")
        #expect(moves.count == 24)
        // Each move's "previous" is the version the move before it set: one unbroken chain.
        #expect(moves.first?.previousVersion == nil)
        for (before, after) in zip(moves, moves.dropFirst()) { #expect(after.previousVersion == before.version) }
        #expect(try await f.registry.version(name: "c", alias: "production").version == moves.last?.version)
        await f.db.close()
    }

    @Test(arguments: Backend.available)
    func aFailedChangeWritesNoEventAndEachChangeWritesExactlyOne(backend: Backend) async throws {
        let f = try await RegistryFixture(backend)
        _ = try await f.registry.createRegisteredModel(name: "e", description: nil, tags: [], user: nil)
        let v1 = try await f.version(of: "e")
        let before = try await f.registry.events.events(after: 0).last!.id
        _ = try await f.registry.setPolicy(name: "e", requireApproval: .some(true), gates: nil, user: nil)
        let afterPolicy = try await f.registry.events.events(after: 0).last!.id
        #expect(afterPolicy == before)
        await #expect(throws: HangarError.self) {
            try await f.registry.setAlias(name: "e", alias: "production", version: v1.version, user: nil)
        }
        await #expect(throws: HangarError.self) {
            _ = try await f.registry.createRegisteredModel(name: "e", description: nil, tags: [], user: nil)
        }
        #expect(try await f.registry.events.events(after: before).isEmpty)
        _ = try await f.registry.decide(name: "e", version: "1", state: .approved, user: "x", comment: nil)
        try await f.registry.setAlias(name: "e", alias: "production", version: "1", user: nil)
        #expect(try await f.eventTypes(after: before) == [RegistryEventType.versionApproved, RegistryEventType.aliasCreated])
        await f.db.close()
    }

    @Test(arguments: Backend.available)
    func deletingAVersionRemovesItsAliasesWithEvents(backend: Backend) async throws {
        let f = try await RegistryFixture(backend)
        _ = try await f.registry.createRegisteredModel(name: "d", description: nil, tags: [], user: nil)
        let v1 = try await f.version(of: "d")
        try await f.registry.setAlias(name: "d", alias: "champion", version: v1.version, user: nil)
        let before = try await f.registry.events.events(after: 0).last!.id
        try await f.registry.deleteModelVersion(name: "d", version: "1", user: nil)
        #expect(try await f.eventTypes(after: before) == [RegistryEventType.aliasDeleted, RegistryEventType.versionDeleted])
        await #expect(throws: HangarError.self) { _ = try await f.registry.version(name: "d", alias: "champion") }
        #expect(try await f.registry.registeredModel(name: "d").aliases == nil)
        await f.db.close()
    }

    @Test(arguments: Backend.available)
    func reservedAndMalformedAliasesAndUnknownVersionsAreRefused(backend: Backend) async throws {
        let f = try await RegistryFixture(backend)
        _ = try await f.registry.createRegisteredModel(name: "a", description: nil, tags: [], user: nil)
        _ = try await f.version(of: "a")
        for alias in ["latest", "LATEST", "v1", "V12", "has space", "sl/ash", ""] {
            let error = await #expect(throws: HangarError.self, "alias: \(alias)") {
                try await f.registry.setAlias(name: "a", alias: alias, version: "1", user: nil)
            }
            #expect(error?.code == .invalidParameterValue)
        }
        let missingVersion = await #expect(throws: HangarError.self) {
            try await f.registry.setAlias(name: "a", alias: "ok", version: "9", user: nil)
        }
        #expect(missingVersion?.code == .resourceDoesNotExist)
        let missingModel = await #expect(throws: HangarError.self) { _ = try await f.registry.registeredModel(name: "nope") }
        #expect(missingModel?.code == .resourceDoesNotExist)
        let missingAlias = await #expect(throws: HangarError.self) { _ = try await f.registry.version(name: "a", alias: "ghost") }
        #expect(missingAlias?.code == .invalidParameterValue)
        #expect(try await f.registry.registeredModel(name: "a").aliases == nil)
        await f.db.close()
    }

    @Test(arguments: Backend.available)
    func aLongPollReaderIsWokenByANewEvent(backend: Backend) async throws {
        let f = try await RegistryFixture(backend)
        let cursor = try await f.registry.events.events(after: 0).last?.id ?? 0
        async let waited = f.registry.events.waitForEvents(after: cursor, timeout: .seconds(30))
        try await Task.sleep(for: .milliseconds(50))
        _ = try await f.registry.createRegisteredModel(name: "late", description: nil, tags: [], user: nil)
        let events = try await waited
        #expect(events.map(\.type) == [RegistryEventType.modelCreated])
        #expect(events.first?.model == "late")
        await f.db.close()
    }

    /// A cancelled long-poll ends with an error (`CancellationError`, or on PostgreSQL the pool's own cancellation
    /// error when it strikes during a query) instead of querying until its timeout: a service group that cancels its
    /// services, e.g. when the server cannot bind its port, waits for it.
    @Test(arguments: Backend.available)
    func aCancelledLongPollEndsAtOnce(backend: Backend) async throws {
        let f = try await RegistryFixture(backend)
        let events = f.registry.events
        let poll = Task { try await events.waitForEvents(after: Int64.max - 1, timeout: .seconds(3600)) }
        try await Task.sleep(for: .milliseconds(50))
        poll.cancel()
        await #expect(throws: (any Error).self) { _ = try await poll.value }
        await f.db.close()
    }
}

@Suite struct RegistryAtomicityTests {
    /// Makes every event append fail, as a crash or a full disk would between a change's writes and its event.
    private func breakEventLog(_ db: any MetadataDatabase) async throws {
        try await db.write { db in
            if db.dialect.name == "sqlite" {
                try await db.raw("""
                    CREATE TRIGGER refuse_events BEFORE INSERT ON registry_events BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """).run()
            } else {
                try await db.raw("""
                    CREATE FUNCTION refuse_events() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql
                    """).run()
                try await db.raw("""
                    CREATE TRIGGER refuse_events BEFORE INSERT ON registry_events FOR EACH ROW EXECUTE FUNCTION refuse_events()
                    """).run()
            }
        }
    }

    @Test(arguments: Backend.available)
    func aChangeThatFailsAfterItsFirstWritesLeavesNothingBehind(backend: Backend) async throws {
        let f = try await RegistryFixture(backend)
        _ = try await f.registry.createRegisteredModel(name: "half", description: nil, tags: [], user: nil)
        let v1 = try await f.version(of: "half")
        let v2 = try await f.version(of: "half")
        try await f.registry.setAlias(name: "half", alias: "production", version: v1.version, user: nil)
        let eventsBefore = try await f.registry.events.events(after: 0).count
        try await breakEventLog(f.db)
        // The alias row and its history row are written before the event; the event fails, so all must roll back.
        await #expect(throws: (any Error).self) {
            try await f.registry.setAlias(name: "half", alias: "production", version: v2.version, user: nil)
        }
        await #expect(throws: (any Error).self) {
            _ = try await f.registry.decide(name: "half", version: v2.version, state: .approved, user: "x", comment: nil)
        }
        #expect(try await f.registry.version(name: "half", alias: "production").version == v1.version)
        #expect(try await f.registry.aliasHistory(name: "half", alias: "production").count == 1)
        #expect(try await f.registry.modelVersion(name: "half", version: v2.version).approval.state == .pending)
        #expect(try await f.registry.approvalHistory(name: "half", version: v2.version).isEmpty)
        #expect(try await f.registry.events.events(after: 0).count == eventsBefore)
        await f.db.close()
    }
}
