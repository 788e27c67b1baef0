import HangarCore
import HangarStore
import Hummingbird

extension TrackingRoutes {
    func registerExperiments(on router: Router<HangarRequestContext>, prefix: String) {
        let store = self.store
        router.post("\(prefix)/experiments/create") { request, context in
            let p = try await RequestParameters(request, context: context)
            let id = try await store.createExperiment(
                name: try p.requiredString("name"), artifactLocation: try p.string("artifact_location"), tags: try p.tags())
            return JSONResponse.ok(ExperimentIDResponse(experimentId: id))
        }
        router.get("\(prefix)/experiments/get") { request, context in
            let p = try await RequestParameters(request, context: context)
            return JSONResponse.ok(ExperimentResponse(experiment: try await store.experiment(id: try p.requiredString("experiment_id"))))
        }
        router.get("\(prefix)/experiments/get-by-name") { request, context in
            let p = try await RequestParameters(request, context: context)
            let name = try p.requiredString("experiment_name")
            return JSONResponse.ok(ExperimentResponse(experiment: try await store.experiment(named: name)))
        }
        let search: @Sendable (Request, HangarRequestContext) async throws -> Response = { request, context in
            let p = try await RequestParameters(request, context: context)
            let page = try await store.searchExperiments(
                filter: try p.string("filter"), orderBy: try p.strings("order_by"), maxResults: try p.int("max_results"),
                pageToken: try p.string("page_token"), viewType: try p.viewType("view_type"))
            return JSONResponse.ok(ExperimentsPage(
                experiments: page.experiments, nextPageToken: page.nextPageToken))
        }
        router.post("\(prefix)/experiments/search", use: search)
        router.get("\(prefix)/experiments/search", use: search)
        router.post("\(prefix)/experiments/delete") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.setExperimentLifecycle(id: try p.requiredString("experiment_id"), .deleted)
            return JSONResponse.empty()
        }
        router.post("\(prefix)/experiments/restore") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.setExperimentLifecycle(id: try p.requiredString("experiment_id"), .active)
            return JSONResponse.empty()
        }
        router.post("\(prefix)/experiments/update") { request, context in
            let p = try await RequestParameters(request, context: context)
            let id = try p.requiredString("experiment_id")
            if let newName = try p.string("new_name") { try await store.renameExperiment(id: id, newName: newName) }
            return JSONResponse.empty()
        }
        router.post("\(prefix)/experiments/set-experiment-tag") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.setExperimentTag(
                id: try p.requiredString("experiment_id"), key: try p.requiredString("key"), value: try p.string("value") ?? "")
            return JSONResponse.empty()
        }
        router.post("\(prefix)/experiments/delete-experiment-tag") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.setExperimentTag(id: try p.requiredString("experiment_id"), key: try p.requiredString("key"), value: nil)
            return JSONResponse.empty()
        }
    }
}
