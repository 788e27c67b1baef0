import HangarCore
import HangarServing
import HTTPTypes
import NIOCore

/// The two prediction endpoints as synchronous functions of a model name, the request's headers and its whole
/// body: MLflow scoring (`/invocations`) and the Open Inference Protocol's `infer`. Hummingbird's routes and the
/// event-loop fast path (`FastInferenceHandler`) both answer through them, so the two never differ.
struct PredictionEndpoints: Sendable {
    let inference: Inference

    /// A JSON or CSV scoring body answered in MLflow's shape; failures become JSON error replies.
    func mlflow(name: String, headers: PredictionHeaders, body: ByteBuffer) -> ServingReply {
        ServingResponses.guarded { () throws -> ServingReply in
            try admitted { try scoreMLflow(name: name, headers: headers, body: body) }
        }
    }

    /// An OIP V2 infer body answered in V2's shape, by the aliased version or by `version` when pinned.
    func openInference(name: String, version: String?, headers: PredictionHeaders, body: ByteBuffer) -> ServingReply {
        ServingResponses.guarded { () throws -> ServingReply in
            try admitted { try infer(name: name, pinned: version, headers: headers, body: body) }
        }
    }

    /// The reply to a prediction request for `route`, whichever HTTP path read it.
    func answer(_ route: PredictionRoute, headers: PredictionHeaders, body: ByteBuffer) -> ServingReply {
        switch route {
        case .mlflow(let name): mlflow(name: name, headers: headers, body: body)
        case .openInference(let name, let version): openInference(name: name, version: version, headers: headers, body: body)
        }
    }

    /// Runs `body` inside the hub's limit of concurrent predictions, or refuses with 503.
    private func admitted(_ body: () throws -> ServingReply) throws -> ServingReply {
        guard inference.hub.enter() else {
            throw ServingUnavailable(message: "The server is at its limit of concurrent predictions")
        }
        defer { inference.hub.leave() }
        return try body()
    }

    private func scoreMLflow(name: String, headers: PredictionHeaders, body: ByteBuffer) throws -> ServingReply {
        let model = try inference.model(name)
        let contentType = headers.contentType ?? "application/json"
        let table: InputTable
        // The usual exact spelling is matched before lowercasing, which would copy the header on every request.
        if contentType.hasPrefix("application/json") || contentType.lowercased().hasPrefix("application/json") {
            let featureNames = model.route(key: nil)?.version.encoder.featureNames ?? []
            if let split = body.withUnsafeReadableBytes({ JSONParser.dataframeSplit($0, expectedColumns: featureNames) }) {
                table = split
            } else {
                table = try ScoringInput.table(json: try Self.parse(body), featureNames: featureNames)
            }
        } else if contentType.lowercased().hasPrefix("text/csv") {
            table = try ScoringInput.table(csv: Array(body.readableBytesView))
        } else {
            throw HangarError(.badRequest, "Unsupported content type '\(contentType)': send application/json or text/csv")
        }
        return ServingResponses.mlflow(try inference.answer(name: name, version: nil, table: table, headers: headers))
    }

    /// The output tensors a version answers: `prediction`, and `proba_<label>` per class of a classifier.
    static func outputs(of version: ServedVersion) -> [String] {
        ["prediction"] + version.classLabels.map { "proba_" + $0 }
    }

    private func infer(name: String, pinned: String?, headers: PredictionHeaders, body: ByteBuffer) throws -> ServingReply {
        let model = try inference.model(name)
        guard case .object(let fields) = try Self.parse(body) else {
            throw HangarError(.badRequest, "The request body must be a JSON object with 'inputs'")
        }
        let featureNames = (pinned.flatMap { model.version($0)?.version } ?? model.slots.values.first)?
            .encoder.featureNames ?? []
        let table = try V2Input.table(fields["inputs"], featureNames: featureNames)
        var requested: [String]?
        if let outputs = fields["outputs"] {
            guard case .array(let items) = outputs else {
                throw HangarError(.badRequest, "'outputs' must be a list of {\"name\": ...}")
            }
            requested = try items.map { item in
                guard case .object(let o) = item, case .string(let n)? = o["name"] else {
                    throw HangarError(.badRequest, "Each of 'outputs' needs a 'name'")
                }
                return n
            }
        }
        // Outputs are checked against every version the request may reach before any predicts, so a refused request
        // is neither answered nor logged.
        if let requested {
            let candidates = pinned.map { model.version($0).map { [$0.version] } ?? [] } ?? Array(model.slots.values)
            for version in candidates {
                let available = Self.outputs(of: version)
                if let unknown = requested.first(where: { !available.contains($0) }) {
                    throw HangarError(.badRequest, "Unknown output '\(unknown)'; the model has \(available.joined(separator: ", "))")
                }
            }
        }
        let answer = try inference.answer(name: name, version: pinned, table: table, headers: headers)
        let labels = answer.version.classLabels
        let names = requested ?? Self.outputs(of: answer.version)
        var writer = JSONWriter(capacity: 128 + answer.rowCount * 24 * max(1, answer.version.outputWidth))
        writer.object { w in
            w.field("model_name", name)
            w.field("model_version", answer.version.version)
            if case .string(let id)? = fields["id"] { w.field("id", id) } else { w.field("id", answer.requestId) }
            w.key("outputs")
            w.array(names.map { V2Output(name: $0, answer: answer, labels: labels) })
        }
        return ServingResponses.json(writer, answer: answer)
    }

    static func parse(_ buffer: ByteBuffer) throws -> JSONValue {
        guard buffer.readableBytes > 0 else { throw HangarError(.badRequest, "The request body is empty") }
        do {
            return try buffer.withUnsafeReadableBytes { (bytes) throws(JSONParser.SyntaxError) in
                try JSONParser.parse(bytes)
            }
        } catch {
            throw HangarError(.badRequest, "Malformed JSON in request body at byte \(error.offset): \(error.reason)")
        }
    }
}
