import HangarCore
import HangarStore
import Hummingbird

extension TrackingRoutes {
    func registerRunLogging(on router: Router<HangarRequestContext>, prefix: String) {
        let store = self.store
        let endpoints = TrackingEndpoints(store: store)
        router.post("\(prefix)/runs/log-metric") { request, context in
            JSONResponse.ok(bytes: try await endpoints.logMetric(try await RequestParameters(request, context: context)))
        }
        router.post("\(prefix)/runs/log-parameter") { request, context in
            let p = try await RequestParameters(request, context: context)
            let param = Param(key: try p.requiredString("key"), value: try p.string("value") ?? "")
            try await store.logBatch(runId: try p.runID(), metrics: [], params: [param], tags: [])
            return JSONResponse.empty()
        }
        router.post("\(prefix)/runs/set-tag") { request, context in
            let p = try await RequestParameters(request, context: context)
            let tag = Tag(key: try p.requiredString("key"), value: try p.string("value") ?? "")
            try await store.logBatch(runId: try p.runID(), metrics: [], params: [], tags: [tag])
            return JSONResponse.empty()
        }
        router.post("\(prefix)/runs/delete-tag") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.deleteTag(runId: try p.runID(), key: try p.requiredString("key"))
            return JSONResponse.empty()
        }
        router.post("\(prefix)/runs/log-batch") { request, context in
            JSONResponse.ok(bytes: try await endpoints.logBatch(try await RequestParameters(request, context: context)))
        }
        router.post("\(prefix)/runs/log-inputs") { request, context in
            let p = try await RequestParameters(request, context: context)
            let datasets = try p.objects("datasets").map { (item) throws(HangarError) in
                guard let d = try item.object("dataset") else { throw HangarError.invalid("Missing value for required parameter 'datasets[].dataset'") }
                return DatasetInput(
                    tags: try item.tags(),
                    dataset: Dataset(
                        name: try d.requiredString("name"), digest: try d.requiredString("digest"),
                        sourceType: try d.string("source_type") ?? "", source: try d.string("source") ?? "",
                        schema: try d.string("schema"), profile: try d.string("profile")))
            }
            let models = try p.objects("models").map { (item) throws(HangarError) in ModelInput(modelId: try item.requiredString("model_id")) }
            try await store.logInputs(runId: try p.runID(), datasets: datasets, models: models)
            return JSONResponse.empty()
        }
        router.post("\(prefix)/runs/outputs") { request, context in
            let p = try await RequestParameters(request, context: context)
            let models = try p.objects("models").map { (item) throws(HangarError) in
                ModelOutput(modelId: try item.requiredString("model_id"), step: try item.int64("step") ?? 0)
            }
            try await store.logOutputs(runId: try p.runID(), models: models)
            return JSONResponse.empty()
        }
    }
}

extension RequestParameters {
    /// A required string inside a list item, named with its position in messages.
    func requiredString(_ key: String, field: String) throws(HangarError) -> String {
        guard let value = try string(key), !value.isEmpty else { throw .invalid("Missing value for required parameter '\(field)\(key)'") }
        return value
    }
}
