import Foundation
import HangarCore
import HangarServing
import HangarStore
import Hummingbird

/// Hangar's native serving API on the store: traffic policies, the prediction log and ground truth.
struct ServingAdminRoutes {
    let registry: RegistryStore
    let predictions: PredictionLogStore
    let prefix = "/api/2.0/hangar"

    func register(on router: Router<HangarRequestContext>) {
        let registry = self.registry
        let predictions = self.predictions
        router.post("\(prefix)/serving/policy") { request, context in
            let p = try await RequestParameters(request, context: context)
            let name = try p.requiredString("name")
            let routes = try p.objects("routes").enumerated().map { (i, route) throws(HangarError) in
                guard let percent = try route.double("percent") else { throw HangarError.invalid("routes[\(i)] needs a 'percent'") }
                return TrafficPolicy.Route(alias: try route.requiredString("alias"), percent: percent)
            }
            let policy = TrafficPolicy(routes: routes, shadow: try p.string("shadow"), entityColumn: try p.string("entity_column"))
            try await registry.setServingPolicy(name: name, policy: policy, user: request.callerName)
            return try JSONResponse.ok(PolicyResponse(name: name, policy: policy))
        }
        router.get("\(prefix)/serving/policy") { request, context in
            let p = try await RequestParameters(request, context: context)
            let name = try p.requiredString("name")
            _ = try await registry.registeredModel(name: name)
            guard let policy = try await registry.servingPolicy(name: name) else {
                throw HangarError.notFound("Model '\(name)' has no traffic policy")
            }
            return try JSONResponse.ok(PolicyResponse(name: name, policy: policy))
        }
        router.delete("\(prefix)/serving/policy") { request, context in
            let p = try await RequestParameters(request, context: context)
            try await registry.deleteServingPolicy(name: try p.requiredString("name"), user: request.callerName)
            return JSONResponse.empty()
        }
        router.get("\(prefix)/serving/policies") { _, _ in
            try JSONResponse.ok(PolicyNamesResponse(models: try await registry.modelsWithServingPolicy()))
        }
        router.post("\(prefix)/serving/events") { request, context in
            // Serving processes that follow this server over HTTP record their swaps and failed loads here.
            let p = try await RequestParameters(request, context: context)
            let type = try p.requiredString("type")
            guard [RegistryEventType.servingSwapped, RegistryEventType.servingLoadFailed].contains(type) else {
                throw HangarError.invalid("'type' must be \(RegistryEventType.servingSwapped) or \(RegistryEventType.servingLoadFailed)")
            }
            var payload: [String: String] = [:]
            if let reason = try p.string("reason") { payload["reason"] = reason }
            if let previous = try p.string("previous_version") { payload["previous_version"] = previous }
            if let serving = try p.string("serving_version") { payload["serving_version"] = serving }
            try await registry.recordServingEvent(
                type, model: try p.requiredString("model"), version: try p.string("version"), alias: try p.requiredString("alias"),
                payload: payload)
            return JSONResponse.empty()
        }
        router.get("\(prefix)/predictions/search") { request, context in
            let p = try await RequestParameters(request, context: context)
            let records = try await predictions.recent(
                model: try p.string("model"), requestId: try p.string("request_id"), limit: try p.int("max_results") ?? 100)
            return try JSONResponse.ok(PredictionsResponse(predictions: records))
        }
        router.post("\(prefix)/predictions/ground-truth") { request, context in
            let p = try await RequestParameters(request, context: context)
            let model = try p.requiredString("model")
            let records = try p.objects("records")
            guard !records.isEmpty else { throw HangarError.invalid("'records' must hold at least one ground truth record") }
            guard records.count <= 10_000 else { throw HangarError.invalid("At most 10000 ground truth records per call, got \(records.count)") }
            let truths = try records.enumerated().map { (i, r) throws(HangarError) in
                guard let value = try r.scalarText("value") else { throw HangarError.invalid("records[\(i)] needs a 'value'") }
                return GroundTruth(
                    requestId: try r.string("request_id"), row: try r.int("row"), entityKey: try r.scalarText("entity_key"),
                    timestamp: try r.int64("timestamp"), value: value)
            }
            let matched = try await predictions.attach(model: model, truths: truths)
            let unmatched = matched.indices.filter { !matched[$0] }
            return try JSONResponse.ok(GroundTruthResponse(matched: matched.count - unmatched.count, unmatched: unmatched))
        }
        router.post("\(prefix)/predictions/log-batch") { request, context in
            var request = request
            let buffer = try await request.collectBody(upTo: context.maxUploadSize)
            // Thousands of records from a remote `hangar serve`: decoded and written off the event loop.
            try await offEventLoop {
                let body: LogBatchBody
                do {
                    body = try JSONCoding.decoder.decode(LogBatchBody.self, from: Data(buffer.readableBytesView))
                } catch {
                    throw HangarError(.badRequest, "The body must be {\"records\": [prediction records]}: \(JSONCoding.describe(error))")
                }
                try await predictions.append(body.records)
            }
            return JSONResponse.empty()
        }
    }
}

struct PolicyResponse: Encodable {
    let name: String
    let policy: TrafficPolicy
}

struct PolicyNamesResponse: Encodable {
    let models: [String]
}

struct PredictionsResponse: Encodable {
    let predictions: [PredictionRecord]
}

struct GroundTruthResponse: Encodable {
    let matched: Int
    let unmatched: [Int]
}

struct LogBatchBody: Decodable {
    let records: [PredictionRecord]
}
