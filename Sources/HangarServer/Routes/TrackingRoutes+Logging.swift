import HangarCore
import HangarStore
import Hummingbird

extension TrackingRoutes {
    func registerRunLogging(on router: Router<HangarRequestContext>, prefix: String) {
        let store = self.store
        router.post("\(prefix)/runs/log-metric") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.logBatch(runId: try p.runID(), metrics: [try Self.metric(p, field: "")], params: [], tags: [])
            return JSONResponse.empty()
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
            let p = try await RequestParameters(request, context: context)
            let metrics = try p.objects("metrics").enumerated().map { (index, item) in
                try Self.metric(item, field: "metrics[\(index)].")
            }
            let params = try p.objects("params").enumerated().map { (index, item) throws(HangarError) in
                Param(key: try item.requiredString("key", field: "params[\(index)]."), value: try item.string("value") ?? "")
            }
            try await store.logBatch(runId: try p.runID(), metrics: metrics, params: params, tags: try p.tags())
            return JSONResponse.empty()
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

    /// Reads one metric; `field` prefixes names in messages (e.g. `metrics[3].`).
    static func metric(_ p: RequestParameters, field: String) throws(HangarError) -> Metric {
        guard let value = try p.double("value") else { throw .invalid("Missing value for required parameter '\(field)value'") }
        guard let timestamp = try p.int64("timestamp") else {
            throw .invalid("Missing value for required parameter '\(field)timestamp'")
        }
        return Metric(
            key: try p.requiredString("key", field: field), value: value, timestamp: timestamp, step: try p.int64("step") ?? 0,
            modelId: try p.string("model_id"), datasetName: try p.string("dataset_name"),
            datasetDigest: try p.string("dataset_digest"))
    }
}

extension RequestParameters {
    /// A required string inside a list item, named with its position in messages.
    func requiredString(_ key: String, field: String) throws(HangarError) -> String {
        guard let value = try string(key), !value.isEmpty else { throw .invalid("Missing value for required parameter '\(field)\(key)'") }
        return value
    }
}
