import HangarCore
import HangarStore
import Testing

@Suite struct RunStoreTests {
    private func makeRun(_ store: TrackingStore, name: String = "r") async throws -> Run {
        try await store.createRun(experimentId: "0", userId: "ana", runName: name, startTime: 1000, tags: [])
    }

    @Test(arguments: Backend.available)
    func aParamCannotBeChangedOnceLogged(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        let run = try await makeRun(store)
        try await store.logBatch(runId: run.info.runId, metrics: [], params: [Param(key: "lr", value: "0.1")], tags: [])
        try await store.logBatch(runId: run.info.runId, metrics: [], params: [Param(key: "lr", value: "0.1")], tags: [])
        let error = await #expect(throws: HangarError.self) {
            try await store.logBatch(runId: run.info.runId, metrics: [], params: [Param(key: "lr", value: "0.2")], tags: [])
        }
        #expect(error?.code == .invalidParameterValue)
        #expect(try await store.run(id: run.info.runId).data.params == [Param(key: "lr", value: "0.1")])
        await db.close()
    }

    @Test(arguments: Backend.available)
    func theLatestMetricIsTheHighestStepAndNaNAndInfinityRoundTrip(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        let run = try await makeRun(store)
        let values: [Metric] = [
            Metric(key: "loss", value: 0.9, timestamp: 10, step: 0),
            Metric(key: "loss", value: .nan, timestamp: 11, step: 2),
            Metric(key: "loss", value: 0.5, timestamp: 12, step: 1),
            Metric(key: "up", value: .infinity, timestamp: 10, step: 0),
            Metric(key: "down", value: -.infinity, timestamp: 10, step: 0),
        ]
        try await store.logBatch(runId: run.info.runId, metrics: values, params: [], tags: [])
        let data = try await store.run(id: run.info.runId).data
        let latest = Dictionary(uniqueKeysWithValues: data.metrics.map { ($0.key, $0) })
        #expect(latest["loss"]?.value.isNaN == true)
        #expect(latest["loss"]?.step == 2)
        #expect(latest["up"]?.value == .infinity)
        #expect(latest["down"]?.value == -.infinity)
        let history = try await store.metricHistory(runId: run.info.runId, key: "loss", maxResults: nil, pageToken: nil)
        #expect(history.metrics.map(\.step) == [0, 1, 2])
        await db.close()
    }

    @Test(arguments: Backend.available)
    func aBatchOverTheLimitIsRefusedWholeAndWritesNothing(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        let run = try await makeRun(store)
        let tooMany = (0...1000).map { Metric(key: "m\($0)", value: 1, timestamp: 1, step: 0) }
        await #expect(throws: HangarError.self) {
            try await store.logBatch(runId: run.info.runId, metrics: tooMany, params: [], tags: [])
        }
        #expect(try await store.run(id: run.info.runId).data.metrics.isEmpty)
        await db.close()
    }

    @Test(arguments: Backend.available)
    func loggingToAnUnknownRunIsNotFound(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        let error = await #expect(throws: HangarError.self) {
            try await store.logBatch(runId: "deadbeef", metrics: [Metric(key: "m", value: 1, timestamp: 1, step: 0)], params: [], tags: [])
        }
        #expect(error?.code == .resourceDoesNotExist)
        await db.close()
    }

    @Test(arguments: Backend.available)
    func runSearchFiltersOnMetricsParamsTagsAndAttributesAndOrdersByMetric(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        for i in 0..<10 {
            let run = try await makeRun(store, name: "run-\(i)")
            try await store.logBatch(
                runId: run.info.runId,
                metrics: [Metric(key: "acc", value: Double(i) / 10, timestamp: 1, step: 0)],
                params: [Param(key: "depth", value: "\(i % 3)")],
                tags: [Tag(key: "team", value: i % 2 == 0 ? "a" : "b")])
        }
        let page = try await store.searchRuns(
            experimentIds: ["0"], filter: "metrics.acc > 0.25 and params.depth != '0' and tags.team = 'a'",
            viewType: .activeOnly, maxResults: nil, orderBy: ["metrics.acc DESC"], pageToken: nil)
        #expect(page.runs.map(\.info.runName) == ["run-8", "run-4"])
        let byName = try await store.searchRuns(
            experimentIds: ["0"], filter: "attributes.run_name IN ('run-1', 'run-2') and attributes.status = 'RUNNING'",
            viewType: .activeOnly, maxResults: nil, orderBy: ["attributes.run_name ASC"], pageToken: nil)
        #expect(byName.runs.map(\.info.runName) == ["run-1", "run-2"])
        var names: [String] = []
        var token: String?
        repeat {
            let next = try await store.searchRuns(
                experimentIds: ["0"], filter: nil, viewType: .activeOnly, maxResults: 3, orderBy: ["metrics.acc ASC"], pageToken: token)
            names += next.runs.map(\.info.runName)
            token = next.nextPageToken
        } while token != nil
        #expect(names == (0..<10).map { "run-\($0)" })
        await db.close()
    }

    @Test(arguments: Backend.available)
    func aMalformedFilterIsAnInvalidParameterError(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        for filter in ["metrics.acc <<< 1", "metrics.acc > 'x'", "params.p > 1", "foo.bar = 'x'", "metrics.acc > 1 or metrics.b < 2"] {
            let error = await #expect(throws: HangarError.self) {
                _ = try await store.searchRuns(
                    experimentIds: ["0"], filter: filter, viewType: .activeOnly, maxResults: nil, orderBy: [], pageToken: nil)
            }
            #expect(error?.code == .invalidParameterValue, "filter: \(filter)")
        }
        await db.close()
    }

    @Test(arguments: Backend.available)
    func concurrentWritesAreAllCommittedAndAFailingOneRollsBackAlone(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        let run = try await makeRun(store)
        try await store.logBatch(runId: run.info.runId, metrics: [], params: [Param(key: "fixed", value: "1")], tags: [])
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<64 {
                group.addTask {
                    // Every 8th write tries to change a param and must fail without taking its batch-mates down.
                    let params = i % 8 == 0 ? [Param(key: "fixed", value: "2")] : []
                    do {
                        try await store.logBatch(
                            runId: run.info.runId, metrics: [Metric(key: "m\(i)", value: Double(i), timestamp: 1, step: 0)],
                            params: params, tags: [])
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 56)
        let metrics = try await store.run(id: run.info.runId).data.metrics
        #expect(metrics.count == 56)
        #expect(!metrics.contains { Int($0.key.dropFirst())! % 8 == 0 })
        await db.close()
    }
}
