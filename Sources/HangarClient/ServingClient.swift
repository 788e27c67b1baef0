import Foundation
import HangarCore

/// Hangar's native serving API: traffic policies, the prediction log and ground truth.
public struct ServingClient: Sendable {
    public let client: HangarClient

    public init(client: HangarClient) {
        self.client = client
    }

    public struct PolicyBody: Codable, Sendable {
        public var name: String
        public var policy: TrafficPolicy
    }
    private struct Records: Decodable { var predictions: [PredictionRecord] }
    private struct Empty: Decodable {}

    /// What attaching ground truth matched.
    public struct TruthResult: Codable, Sendable {
        public var matched: Int
        /// Indexes of the records that matched no logged prediction.
        public var unmatched: [Int]

        public init(matched: Int, unmatched: [Int]) {
            self.matched = matched
            self.unmatched = unmatched
        }
    }

    /// Sets a model's traffic policy.
    public func setPolicy(_ name: String, policy: TrafficPolicy) async throws -> PolicyBody {
        var body: [String: Any] = [
            "name": name, "routes": policy.routes.map { ["alias": $0.alias, "percent": $0.percent] as [String: Any] },
        ]
        if let shadow = policy.shadow { body["shadow"] = shadow }
        if let column = policy.entityColumn { body["entity_column"] = column }
        return try await client.send("POST", "api/2.0/hangar/serving/policy", body: body, as: PolicyBody.self)
    }

    /// A model's traffic policy.
    public func policy(_ name: String) async throws -> PolicyBody {
        try await client.get("api/2.0/hangar/serving/policy", query: ["name": name], as: PolicyBody.self)
    }

    /// Removes a model's traffic policy.
    public func clearPolicy(_ name: String) async throws {
        _ = try await client.send("DELETE", "api/2.0/hangar/serving/policy", body: ["name": name], as: Empty.self)
    }

    /// The newest logged predictions of a model.
    public func predictions(model: String?, requestId: String? = nil, limit: Int) async throws -> [PredictionRecord] {
        var query = ["max_results": String(limit)]
        if let model { query["model"] = model }
        if let requestId { query["request_id"] = requestId }
        return try await client.get("api/2.0/hangar/predictions/search", query: query, as: Records.self).predictions
    }

    /// Attaches true values to logged predictions.
    public func attachGroundTruth(model: String, truths: [GroundTruth]) async throws -> TruthResult {
        let records: [[String: Any]] = truths.map { truth in
            var record: [String: Any] = ["value": truth.value]
            if let id = truth.requestId { record["request_id"] = id }
            if let row = truth.row { record["row"] = row }
            if let key = truth.entityKey { record["entity_key"] = key }
            if let time = truth.timestamp { record["timestamp"] = time }
            return record
        }
        return try await client.send("POST", "api/2.0/hangar/predictions/ground-truth", body: ["model": model, "records": records], as: TruthResult.self)
    }
}
