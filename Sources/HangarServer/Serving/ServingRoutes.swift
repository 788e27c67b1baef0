import Foundation
import HangarCore
import HangarServing
import Hummingbird
import NIOCore

/// MLflow's scoring protocol per model (`/models/{name}/invocations`, `/ping`, `/info`), and the bare
/// `/invocations` and `/ping` of a single-model `hangar serve`, as `mlflow models serve` answers them.
struct ServingRoutes {
    let inference: Inference
    let maxRequestBytes: Int
    /// The model answering the bare MLflow paths (single-model `hangar serve`), if any.
    let singleModel: String?

    func register(on router: Router<HangarRequestContext>) {
        let inference = self.inference
        let limit = maxRequestBytes
        router.post("/models/{name}/invocations") { request, context in
            await ServingResponses.guarded {
                try await Self.invoke(
                    request, name: try context.parameters.requireDecoded("name"), inference: inference, limit: limit)
            }
        }
        router.get("/models/{name}/ping") { _, context in
            await ServingResponses.guarded {
                let model = try inference.model(try context.parameters.requireDecoded("name"))
                guard model.isReady else { throw ServingUnavailable(message: "Model '\(model.name)' has no version loaded yet") }
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: "\n")))
            }
        }
        router.get("/models/{name}/info") { _, context in
            await ServingResponses.guarded {
                var writer = JSONWriter()
                Self.writeInfo(try inference.model(try context.parameters.requireDecoded("name")), to: &writer)
                return ServingResponses.json(writer).response
            }
        }
        router.get("/api/2.0/hangar/serving/models") { _, _ in
            var writer = JSONWriter()
            writer.object { w in
                w.key("models")
                w.array(inference.hub.all.map(ModelInfo.init))
            }
            return ServingResponses.json(writer).response
        }
        guard let singleModel else { return }
        router.post("/invocations") { request, _ in
            await ServingResponses.guarded { try await Self.invoke(request, name: singleModel, inference: inference, limit: limit) }
        }
        router.get("/ping") { _, _ in
            let ready = inference.hub.model(singleModel)?.isReady ?? false
            return Response(status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: "\n")))
        }
    }

    /// Reads a JSON or CSV scoring body and answers it in MLflow's shape.
    static func invoke(_ request: Request, name: String, inference: Inference, limit: Int) async throws -> Response {
        try checkLength(request, limit: limit)
        var request = request
        let body = try await request.collectBody(upTo: limit)
        // Bodies too big for the event loop's fast path: parsed and predicted off the loop.
        let headers = PredictionHeaders(request.headers)
        return try await offEventLoop {
            PredictionEndpoints(inference: inference).mlflow(name: name, headers: headers, body: body).response
        }
    }

    /// Refuses a body whose declared length is over the limit before anything else is done with the request.
    static func checkLength(_ request: Request, limit: Int) throws {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw HTTPError(.contentTooLarge)
        }
    }

    static func writeInfo(_ model: ServedModel, to writer: inout JSONWriter) {
        ModelInfo(model).write(to: &writer)
    }
}

/// What `/models/{name}/info` says about a served model.
struct ModelInfo: JSONWritable {
    let model: ServedModel

    init(_ model: ServedModel) { self.model = model }

    func write(to writer: inout JSONWriter) {
        let slots = model.slots.sorted { $0.key < $1.key }
        let policy = model.policy
        let primary = policy.routes.first.flatMap { model.slots[$0.alias] }
        let formatter = ISO8601DateFormatter()
        writer.object { w in
            w.field("name", model.name)
            w.key("ready")
            w.bool(model.isReady)
            if let primary {
                w.field("version", primary.version)
                w.field("alias", policy.routes.first!.alias)
                w.field("run_id", primary.runId)
                w.field("approval", primary.approval.rawValue)
                w.field("flavor", primary.flavor)
                w.field("loaded_at", formatter.string(from: primary.loadedAt))
            }
            w.key("aliases")
            w.array(slots.map { AliasSlot(alias: $0.key, version: $0.value, formatter: formatter) })
            w.key("traffic")
            w.array(policy.routes.map { RouteInfo(route: $0) })
            w.field("shadow", policy.shadow)
            w.field("entity_column", policy.entityColumn)
            if let failure = model.lastFailure {
                w.key("last_load_failure")
                w.object { f in
                    f.field("version", failure.version)
                    f.field("alias", failure.alias)
                    f.field("reason", failure.reason)
                    f.field("timestamp", failure.timestamp)
                }
            }
        }
    }

    struct AliasSlot: JSONWritable {
        let alias: String
        let version: ServedVersion
        let formatter: ISO8601DateFormatter

        func write(to writer: inout JSONWriter) {
            writer.object { w in
                w.field("alias", alias)
                w.field("version", version.version)
                w.field("run_id", version.runId)
                w.field("approval", version.approval.rawValue)
                w.field("flavor", version.flavor)
                w.field("loaded_at", formatter.string(from: version.loadedAt))
            }
        }
    }

    struct RouteInfo: JSONWritable {
        let route: TrafficPolicy.Route

        func write(to writer: inout JSONWriter) {
            writer.object { w in
                w.field("alias", route.alias)
                w.field("percent", route.percent)
            }
        }
    }
}
