import HangarCore
import HangarStore
import Hummingbird

/// MLflow's model registry REST API over `RegistryStore`: registered models, versions, stages, tags and aliases.
struct RegistryRoutes {
    let store: RegistryStore

    func register(on router: Router<HangarRequestContext>) {
        for prefix in TrackingRoutes.prefixes {
            registerModels(on: router, prefix: prefix)
            registerVersions(on: router, prefix: prefix)
            registerAliases(on: router, prefix: prefix)
        }
    }

    private func registerModels(on router: Router<HangarRequestContext>, prefix: String) {
        let store = self.store
        let base = "\(prefix)/registered-models"
        router.post("\(base)/create") { request, context in
            let p = try await RequestParameters(request, context: context)
            let model = try await store.createRegisteredModel(
                name: try p.requiredString("name"), description: try p.string("description"), tags: try p.tags(), user: request.callerName)
            return try JSONResponse.ok(RegisteredModelResponse(registeredModel: model))
        }
        router.get("\(base)/get") { request, context in
            let p = try await RequestParameters(request, context: context)
            return try JSONResponse.ok(RegisteredModelResponse(registeredModel: try await store.registeredModel(name: try p.requiredString("name"))))
        }
        router.post("\(base)/rename") { request, context in
            let p = try await RequestParameters(request, context: context)
            let model = try await store.renameRegisteredModel(
                name: try p.requiredString("name"), newName: try p.requiredString("new_name"), user: request.callerName)
            return try JSONResponse.ok(RegisteredModelResponse(registeredModel: model))
        }
        router.patch("\(base)/update") { request, context in
            let p = try await RequestParameters(request, context: context)
            let model = try await store.updateRegisteredModel(name: try p.requiredString("name"), description: try p.string("description"))
            return try JSONResponse.ok(RegisteredModelResponse(registeredModel: model))
        }
        router.delete("\(base)/delete") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.deleteRegisteredModel(name: try p.requiredString("name"), user: request.callerName)
            return JSONResponse.empty()
        }
        router.get("\(base)/search") { request, context in
            let p = try await RequestParameters(request, context: context)
            let page = try await store.searchRegisteredModels(
                filter: try p.string("filter"), orderBy: try p.strings("order_by"), maxResults: try p.int("max_results"),
                pageToken: try p.string("page_token"))
            return try JSONResponse.ok(RegisteredModelsPage(
                registeredModels: page.models.isEmpty ? nil : page.models, nextPageToken: page.nextPageToken))
        }
        let latest: @Sendable (Request, HangarRequestContext) async throws -> Response = { request, context in
            let p = try await RequestParameters(request, context: context)
            let versions = try await store.latestVersions(name: try p.requiredString("name"), stages: try p.strings("stages"))
            return try JSONResponse.ok(ModelVersionsPage(modelVersions: versions.isEmpty ? nil : versions, nextPageToken: nil))
        }
        router.post("\(base)/get-latest-versions", use: latest)
        router.get("\(base)/get-latest-versions", use: latest)
        router.post("\(base)/set-tag") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.setRegisteredModelTag(
                name: try p.requiredString("name"), key: try p.requiredString("key"), value: try p.string("value") ?? "")
            return JSONResponse.empty()
        }
        router.delete("\(base)/delete-tag") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.setRegisteredModelTag(name: try p.requiredString("name"), key: try p.requiredString("key"), value: nil)
            return JSONResponse.empty()
        }
    }

    private func registerVersions(on router: Router<HangarRequestContext>, prefix: String) {
        let store = self.store
        let base = "\(prefix)/model-versions"
        router.post("\(base)/create") { request, context in
            let p = try await RequestParameters(request, context: context)
            let version = try await store.createModelVersion(
                name: try p.requiredString("name"), source: try p.requiredString("source"), runId: try p.string("run_id"),
                tags: try p.tags(), runLink: try p.string("run_link"), description: try p.string("description"),
                modelId: try p.string("model_id"), user: request.callerName)
            return try JSONResponse.ok(ModelVersionResponse(modelVersion: version))
        }
        router.get("\(base)/get") { request, context in
            let p = try await RequestParameters(request, context: context)
            let version = try await store.modelVersion(name: try p.requiredString("name"), version: try p.requiredString("version"))
            return try JSONResponse.ok(ModelVersionResponse(modelVersion: version))
        }
        router.patch("\(base)/update") { request, context in
            let p = try await RequestParameters(request, context: context)
            let version = try await store.updateModelVersion(
                name: try p.requiredString("name"), version: try p.requiredString("version"), description: try p.string("description"))
            return try JSONResponse.ok(ModelVersionResponse(modelVersion: version))
        }
        router.post("\(base)/transition-stage") { request, context in
            let p = try await RequestParameters(request, context: context)
            let version = try await store.transitionStage(
                name: try p.requiredString("name"), version: try p.requiredString("version"), stage: try p.requiredString("stage"),
                archiveExisting: try p.bool("archive_existing_versions") ?? false, user: request.callerName)
            return try JSONResponse.ok(ModelVersionResponse(modelVersion: version))
        }
        router.delete("\(base)/delete") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.deleteModelVersion(name: try p.requiredString("name"), version: try p.requiredString("version"), user: request.callerName)
            return JSONResponse.empty()
        }
        router.get("\(base)/search") { request, context in
            let p = try await RequestParameters(request, context: context)
            let page = try await store.searchModelVersions(
                filter: try p.string("filter"), orderBy: try p.strings("order_by"), maxResults: try p.int("max_results"),
                pageToken: try p.string("page_token"))
            return try JSONResponse.ok(ModelVersionsPage(
                modelVersions: page.versions.isEmpty ? nil : page.versions, nextPageToken: page.nextPageToken))
        }
        router.get("\(base)/get-download-uri") { request, context in
            let p = try await RequestParameters(request, context: context)
            let uri = try await store.downloadURI(name: try p.requiredString("name"), version: try p.requiredString("version"))
            return try JSONResponse.ok(DownloadURIResponse(artifactUri: uri))
        }
        router.post("\(base)/set-tag") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.setModelVersionTag(
                name: try p.requiredString("name"), version: try p.requiredString("version"), key: try p.requiredString("key"),
                value: try p.string("value") ?? "", user: request.callerName)
            return JSONResponse.empty()
        }
        router.delete("\(base)/delete-tag") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.setModelVersionTag(
                name: try p.requiredString("name"), version: try p.requiredString("version"), key: try p.requiredString("key"),
                value: nil, user: request.callerName)
            return JSONResponse.empty()
        }
    }

    private func registerAliases(on router: Router<HangarRequestContext>, prefix: String) {
        let store = self.store
        let path = "\(prefix)/registered-models/alias"
        router.post(RouterPath(path)) { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.setAlias(
                name: try p.requiredString("name"), alias: try p.requiredString("alias"), version: try p.requiredString("version"),
                user: request.callerName)
            return JSONResponse.empty()
        }
        router.delete(RouterPath(path)) { request, context in
            let p = try await RequestParameters(request, context: context)
            try await store.deleteAlias(name: try p.requiredString("name"), alias: try p.requiredString("alias"), user: request.callerName)
            return JSONResponse.empty()
        }
        router.get(RouterPath(path)) { request, context in
            let p = try await RequestParameters(request, context: context)
            let version = try await store.version(name: try p.requiredString("name"), alias: try p.requiredString("alias"))
            return try JSONResponse.ok(ModelVersionResponse(modelVersion: version))
        }
    }
}

struct RegisteredModelResponse: Encodable { let registeredModel: RegisteredModel }
struct RegisteredModelsPage: Encodable {
    let registeredModels: [RegisteredModel]?
    let nextPageToken: String?
}
struct ModelVersionResponse: Encodable { let modelVersion: ModelVersion }
struct ModelVersionsPage: Encodable {
    let modelVersions: [ModelVersion]?
    let nextPageToken: String?
}
struct DownloadURIResponse: Encodable { let artifactUri: String }
