import HangarCore
import HangarStore
import Hummingbird

extension TrackingRoutes {
    func registerRuns(on router: Router<HangarRequestContext>, prefix: String) {
        let store = self.store
        let endpoints = TrackingEndpoints(store: store)
        router.post("\(prefix)/runs/create") { request, context in
            JSONResponse.ok(bytes: try await endpoints.createRun(try await RequestParameters(request, context: context)))
        }
        router.get("\(prefix)/runs/get") { request, context in
            let p = try await RequestParameters(request, context: context)
            return JSONResponse.ok(RunResponse(run: try await store.run(id: try p.runID())))
        }
        router.post("\(prefix)/runs/update") { request, context in
            let p = try await RequestParameters(request, context: context)
            var status: RunStatus?
            if let raw = try p.string("status") {
                guard let parsed = RunStatus(rawValue: raw) else {
                    throw HangarError.invalid("Invalid value '\(raw)' for parameter 'status': use one of \(RunStatus.allCases.map(\.rawValue))")
                }
                status = parsed
            }
            let info = try await store.updateRun(
                id: try p.runID(), status: status, endTime: try p.int64("end_time"), runName: try p.string("run_name"))
            return JSONResponse.ok(RunInfoResponse(runInfo: info))
        }
        router.post("\(prefix)/runs/delete") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.setRunLifecycle(id: try p.runID(), .deleted)
            return JSONResponse.empty()
        }
        router.post("\(prefix)/runs/restore") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.setRunLifecycle(id: try p.runID(), .active)
            return JSONResponse.empty()
        }
        router.post("\(prefix)/runs/search") { request, context in
            let p = try await RequestParameters(request, context: context)
            let page = try await store.searchRuns(
                experimentIds: try p.strings("experiment_ids"), filter: try p.string("filter"),
                viewType: try p.viewType("run_view_type"), maxResults: try p.int("max_results"),
                orderBy: try p.strings("order_by"), pageToken: try p.string("page_token"))
            return JSONResponse.ok(RunsPage(runs: page.runs, nextPageToken: page.nextPageToken))
        }
        router.get("\(prefix)/metrics/get-history") { request, context in
            let p = try await RequestParameters(request, context: context)
            let page = try await store.metricHistory(
                runId: try p.runID(), key: try p.requiredString("metric_key"), maxResults: try p.int("max_results"),
                pageToken: try p.string("page_token"))
            return JSONResponse.ok(MetricsPage(metrics: page.metrics, nextPageToken: page.nextPageToken))
        }
    }
}
