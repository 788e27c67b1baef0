import HangarCore
import HangarStore
import Testing

@Suite struct ExperimentStoreTests {
    @Test(arguments: Backend.available)
    func aNewStoreHasTheDefaultExperiment(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        let experiment = try await store.experiment(id: "0")
        #expect(experiment.name == "Default")
        #expect(experiment.artifactLocation == "mlflow-artifacts:/0")
        await db.close()
    }

    @Test(arguments: Backend.available)
    func creatingAnExperimentTwiceWithOneNameIsRefused(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        let id = try await store.createExperiment(name: "churn", artifactLocation: nil, tags: [Tag(key: "team", value: "a")])
        let error = await #expect(throws: HangarError.self) {
            _ = try await store.createExperiment(name: "churn", artifactLocation: nil, tags: [])
        }
        #expect(error?.code == .resourceAlreadyExists)
        let stored = try await store.experiment(named: "churn")
        #expect(stored.experimentId == id)
        #expect(stored.artifactLocation == "mlflow-artifacts:/\(id)")
        #expect(stored.tags == [Tag(key: "team", value: "a")])
        await db.close()
    }

    @Test(arguments: Backend.available)
    func deletingAnExperimentHidesItFromActiveSearchesUntilRestored(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        let id = try await store.createExperiment(name: "gone", artifactLocation: nil, tags: [])
        try await store.setExperimentLifecycle(id: id, .deleted)
        let active = try await store.searchExperiments(filter: nil, orderBy: [], maxResults: nil, pageToken: nil, viewType: .activeOnly)
        #expect(!active.experiments.contains { $0.name == "gone" })
        let deleted = try await store.searchExperiments(filter: nil, orderBy: [], maxResults: nil, pageToken: nil, viewType: .deletedOnly)
        #expect(deleted.experiments.map(\.name) == ["gone"])
        try await store.setExperimentLifecycle(id: id, .active)
        #expect(try await store.experiment(id: id).lifecycleStage == .active)
        await db.close()
    }

    @Test(arguments: Backend.available)
    func experimentSearchFiltersOrdersAndPages(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = TrackingStore(database: db)
        for name in ["alpha", "beta", "gamma", "delta"] {
            _ = try await store.createExperiment(name: name, artifactLocation: nil, tags: [Tag(key: "len", value: "\(name.count)")])
        }
        let filtered = try await store.searchExperiments(
            filter: "tags.len = '5' and name LIKE '%a'", orderBy: ["name DESC"], maxResults: nil, pageToken: nil, viewType: .activeOnly)
        #expect(filtered.experiments.map(\.name) == ["gamma", "delta", "alpha"])
        let first = try await store.searchExperiments(filter: nil, orderBy: ["name"], maxResults: 2, pageToken: nil, viewType: .activeOnly)
        #expect(first.experiments.map(\.name) == ["Default", "alpha"])
        let second = try await store.searchExperiments(
            filter: nil, orderBy: ["name"], maxResults: 2, pageToken: first.nextPageToken, viewType: .activeOnly)
        #expect(second.experiments.map(\.name) == ["beta", "delta"])
        let third = try await store.searchExperiments(
            filter: nil, orderBy: ["name"], maxResults: 2, pageToken: second.nextPageToken, viewType: .activeOnly)
        #expect(third.experiments.map(\.name) == ["gamma"])
        #expect(third.nextPageToken == nil)
        await db.close()
    }
}
