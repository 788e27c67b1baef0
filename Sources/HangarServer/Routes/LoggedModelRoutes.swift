import HangarArtifacts
import HangarCore
import HangarStore
import Hummingbird

/// MLflow 3's logged-model API; `logged-models/search` is how `runs:/<run>/model` URIs resolve.
struct LoggedModelRoutes {
    let store: TrackingStore
    let artifacts: any ArtifactStore

    func register(on router: Router<HangarRequestContext>) {
        let store = self.store, artifacts = self.artifacts
        for prefix in TrackingRoutes.prefixes {
            let base = "\(prefix)/logged-models"
            router.post(RouterPath(base)) { request, context in
                let p = try await RequestParameters(request, context: context)
                let params = try p.objects("params").map { (item) throws(HangarError) in
                    Param(key: try item.requiredString("key"), value: try item.string("value") ?? "")
                }
                let model = try await store.createLoggedModel(
                    experimentId: try p.requiredString("experiment_id"), name: try p.string("name"),
                    modelType: try p.string("model_type"), sourceRunId: try p.string("source_run_id"), params: params, tags: try p.tags())
                return JSONResponse.ok(LoggedModelResponse(model: model))
            }
            router.post("\(base)/search") { request, context in
                let p = try await RequestParameters(request, context: context)
                let orders = try p.objects("order_by").map { (item) throws(HangarError) in
                    TrackingStore.LoggedModelOrder(fieldName: try item.requiredString("field_name"), ascending: try item.bool("ascending") ?? true)
                }
                let page = try await store.searchLoggedModels(
                    experimentIds: try p.strings("experiment_ids"), filter: try p.string("filter"), orderBy: orders,
                    maxResults: try p.int("max_results"), pageToken: try p.string("page_token"))
                return JSONResponse.ok(LoggedModelsPage(models: page.models, nextPageToken: page.nextPageToken))
            }
            router.get("\(base)/:model_id") { _, context in
                let id = try context.parameters.require("model_id")
                return JSONResponse.ok(LoggedModelResponse(model: try await store.loggedModel(id: id)))
            }
            router.patch("\(base)/:model_id") { request, context in
                let id = try context.parameters.require("model_id")
                let p = try await RequestParameters(request, context: context)
                let raw = try p.string("status") ?? LoggedModelStatus.ready.rawValue
                guard let status = LoggedModelStatus(rawValue: raw) else {
                    throw HangarError.invalid("Invalid value '\(raw)' for parameter 'status'")
                }
                return JSONResponse.ok(LoggedModelResponse(model: try await store.finalizeLoggedModel(id: id, status: status)))
            }
            router.delete("\(base)/:model_id") { _, context in
                try await store.deleteLoggedModel(id: try context.parameters.require("model_id"))
                return JSONResponse.empty()
            }
            router.patch("\(base)/:model_id/tags") { request, context in
                let p = try await RequestParameters(request, context: context)
                try await store.setLoggedModelTags(id: try context.parameters.require("model_id"), tags: try p.tags())
                return JSONResponse.empty()
            }
            router.delete("\(base)/:model_id/tags/:tag_key") { _, context in
                try await store.deleteLoggedModelTag(
                    id: try context.parameters.require("model_id"), key: try context.parameters.require("tag_key"))
                return JSONResponse.empty()
            }
            router.post("\(base)/:model_id/params") { request, context in
                let p = try await RequestParameters(request, context: context)
                let params = try p.objects("params").map { (item) throws(HangarError) in
                    Param(key: try item.requiredString("key"), value: try item.string("value") ?? "")
                }
                try await store.logLoggedModelParams(id: try context.parameters.require("model_id"), params: params)
                return JSONResponse.empty()
            }
            router.get("\(base)/:model_id/artifacts/directories") { request, context in
                let model = try await store.loggedModel(id: try context.parameters.require("model_id"))
                let p = try await RequestParameters(request, context: context)
                var path = try ArtifactRoutes.storePath(ofURI: model.info.artifactUri)
                let sub = try p.string("artifact_directory_path") ?? ""
                if !sub.isEmpty { path = try path.appending(sub) }
                let entries = try artifacts.list(path) ?? []
                return try JSONResponse.ok(ArtifactListing(rootUri: model.info.artifactUri, files: entries.isEmpty ? nil : entries))
            }
        }
    }
}

struct LoggedModelResponse: JSONWritable {
    let model: LoggedModel
    func write(to w: inout JSONWriter) { w.object { w in w.field("model", model) } }
}

struct LoggedModelsPage: JSONWritable {
    let models: [LoggedModel]
    let nextPageToken: String?
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.nonEmpty("models", models)
            w.field("next_page_token", nextPageToken)
        }
    }
}
