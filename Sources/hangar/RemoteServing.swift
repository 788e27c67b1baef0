import Foundation
import HangarClient
import HangarCore
import HangarServing
import HangarStore

/// Serving that follows a Hangar server over HTTP (`hangar serve --url`): the registry through its API, model
/// files through the artifact proxy, registry changes through the events long-poll.
struct RemoteServingSource: ServingSource {
    let client: HangarClient

    private struct Events: Decodable {
        var events: [RegistryEvent]
        var nextCursor: Int64
    }
    private struct VersionBody: Decodable { var modelVersion: ModelVersion }
    private struct PolicyBody: Decodable { var policy: TrafficPolicy }
    private struct Names: Decodable { var models: [String] }
    private struct DownloadURI: Decodable { var artifactUri: String }
    private struct Empty: Decodable {}

    func latestEventID() async throws -> Int64 {
        try await client.get("api/2.0/hangar/events", query: ["latest": "true"], as: Events.self).nextCursor
    }

    func waitForEvents(after: Int64, timeout: Duration) async throws -> [RegistryEvent] {
        let seconds = max(1, Int(timeout.components.seconds))
        return try await client.get(
            "api/2.0/hangar/events", query: ["after": String(after), "wait": String(seconds)], as: Events.self).events
    }

    func models(withAlias alias: String) async throws -> [String] {
        try await RegistryClient(client: client).models()
            .filter { ($0.aliases ?? []).contains { $0.alias == alias } }.map(\.name)
    }

    func modelsWithPolicy() async throws -> [String] {
        try await client.get("api/2.0/hangar/serving/policies", as: Names.self).models
    }

    func version(model: String, alias: String) async throws -> ModelVersion? {
        do {
            return try await client.get(
                "api/2.0/mlflow/registered-models/alias", query: ["name": model, "alias": alias], as: VersionBody.self).modelVersion
        } catch ClientError.server(let status, _, _) where status == 404 {
            return nil
        }
    }

    func policy(model: String) async throws -> TrafficPolicy? {
        do {
            return try await client.get("api/2.0/hangar/serving/policy", query: ["name": model], as: PolicyBody.self).policy
        } catch ClientError.server(let status, _, _) where status == 404 {
            return nil
        }
    }

    func modelFile(_ version: ModelVersion, path: String) async throws -> Data? {
        let uri = try await downloadURI(version)
        return try await ArtifactClient(client: client).data(uri, file: path)
    }

    func location(of version: ModelVersion) async -> String {
        (try? await downloadURI(version)) ?? version.source
    }

    private func downloadURI(_ version: ModelVersion) async throws -> String {
        try await client.get(
            "api/2.0/mlflow/model-versions/get-download-uri", query: ["name": version.name, "version": version.version],
            as: DownloadURI.self).artifactUri
    }

    func record(_ type: String, model: String, version: String, alias: String, payload: [String: String]) async {
        var body: [String: Any] = ["type": type, "model": model, "version": version, "alias": alias]
        for (key, value) in payload where !value.isEmpty { body[key] = value }
        _ = try? await client.send("POST", "api/2.0/hangar/serving/events", body: body, as: Empty.self)
    }
}

/// Sends logged predictions to a Hangar server in batches.
struct RemotePredictionSink: PredictionSink {
    let client: HangarClient

    private struct Empty: Decodable {}
    private struct Batch: Encodable { let records: [PredictionRecord] }

    func write(_ batch: [any PredictionLogRows]) async throws {
        let records = batch.flatMap { $0.records() }
        _ = try await client.post("api/2.0/hangar/predictions/log-batch", json: try JSONCoding.encoder.encode(Batch(records: records)), as: Empty.self)
    }
}
