import HangarCore
import HangarStore
import Hummingbird

/// Hangar's own registry API for what MLflow lacks: approval, quality gates, alias history, rollback, lineage and
/// the event feed. Documented in `docs/openapi.yaml`.
struct NativeRegistryRoutes {
    let store: RegistryStore

    static let prefix = "/api/2.0/hangar"

    func register(on router: Router<HangarRequestContext>) {
        let store = self.store
        let prefix = Self.prefix
        for (path, state) in [("approve", ApprovalState.approved), ("reject", ApprovalState.rejected)] {
            router.post("\(prefix)/model-versions/\(path)") { request, context in
                let p = try await RequestParameters(request, context: context)
                let version = try await store.decide(
                    name: try p.requiredString("name"), version: try p.requiredString("version"), state: state,
                    user: request.callerName ?? (try p.string("user")), comment: try p.string("comment"))
                return try JSONResponse.ok(ModelVersionResponse(modelVersion: version))
            }
        }
        router.get("\(prefix)/model-versions/approvals") { request, context in
            let p = try await RequestParameters(request, context: context)
            let records = try await store.approvalHistory(name: try p.requiredString("name"), version: try p.requiredString("version"))
            return try JSONResponse.ok(ApprovalsResponse(approvals: records))
        }
        router.get("\(prefix)/model-versions/lineage") { request, context in
            let p = try await RequestParameters(request, context: context)
            return try JSONResponse.ok(try await store.lineage(name: try p.requiredString("name"), version: try p.requiredString("version")))
        }
        router.post("\(prefix)/registered-models/policy") { request, context in
            let p = try await RequestParameters(request, context: context)
            let requireApproval: Bool?? = p.has("require_approval") ? .some(try p.bool("require_approval")) : .none
            let gates: [String]? = p.has("gates") ? try p.strings("gates") : nil
            let model = try await store.setPolicy(
                name: try p.requiredString("name"), requireApproval: requireApproval, gates: gates, user: request.callerName)
            return try JSONResponse.ok(RegisteredModelResponse(registeredModel: model))
        }
        router.get("\(prefix)/registered-models/alias-history") { request, context in
            let p = try await RequestParameters(request, context: context)
            let moves = try await store.aliasHistory(name: try p.requiredString("name"), alias: try p.requiredString("alias"))
            return try JSONResponse.ok(AliasHistoryResponse(moves: moves))
        }
        router.post("\(prefix)/registered-models/rollback") { request, context in
            let p = try await RequestParameters(request, context: context)
            let version = try await store.rollback(
                name: try p.requiredString("name"), alias: try p.requiredString("alias"), user: request.callerName)
            return try JSONResponse.ok(ModelVersionResponse(modelVersion: version))
        }
        router.get("\(prefix)/events") { request, context in
            let p = try await RequestParameters(request, context: context)
            if try p.bool("latest") == true {
                // Where a follower that only wants what comes next starts.
                return try JSONResponse.ok(EventsResponse(events: [], nextCursor: try await store.events.latestID()))
            }
            let after = try p.int64("after") ?? 0
            let limit = min(max(try p.int("limit") ?? 1000, 1), 10000)
            let wait = min(max(try p.int64("wait") ?? 0, 0), 60)
            let events = wait > 0
                ? try await store.events.waitForEvents(after: after, timeout: .seconds(wait), limit: limit)
                : try await store.events.events(after: after, limit: limit)
            return try JSONResponse.ok(EventsResponse(events: events, nextCursor: events.last?.id ?? after))
        }
    }
}

struct ApprovalsResponse: Encodable { let approvals: [ApprovalRecord] }
struct AliasHistoryResponse: Encodable { let moves: [AliasMove] }
struct EventsResponse: Encodable {
    let events: [RegistryEvent]
    let nextCursor: Int64
}
