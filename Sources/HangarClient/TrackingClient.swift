import Foundation
import HangarCore

/// The tracking calls a training job makes: experiment, run, params, metrics, logged model, registration.
public struct TrackingClient: Sendable {
    public let client: HangarClient

    public init(client: HangarClient) {
        self.client = client
    }

    private struct Empty: Decodable {}
    private struct ExperimentBody: Decodable { var experiment: Experiment }
    private struct ExperimentID: Decodable { var experimentId: String }
    private struct RunBody: Decodable { var run: Run }
    private struct ModelBody: Decodable { var model: LoggedModel }
    private struct VersionBody: Decodable { var modelVersion: ModelVersion }

    /// The id of the experiment with this name, created if missing.
    public func experimentID(named name: String) async throws -> String {
        do {
            return try await client.get("api/2.0/mlflow/experiments/get-by-name", query: ["experiment_name": name], as: ExperimentBody.self)
                .experiment.experimentId
        } catch ClientError.server(404, _, _) {
            return try await client.send("POST", "api/2.0/mlflow/experiments/create", body: ["name": name], as: ExperimentID.self).experimentId
        }
    }

    /// Starts a run; returns its info.
    public func startRun(experimentID: String, name: String?, parentRunID: String? = nil, tags: [String: String] = [:]) async throws -> RunInfo {
        var allTags = tags
        if let parentRunID { allTags["mlflow.parentRunId"] = parentRunID }
        var body: [String: Any] = [
            "experiment_id": experimentID, "start_time": nowMillis(),
            "tags": allTags.map { ["key": $0.key, "value": $0.value] },
        ]
        if let name { body["run_name"] = name }
        return try await client.send("POST", "api/2.0/mlflow/runs/create", body: body, as: RunBody.self).run.info
    }

    /// Logs params, metrics and tags in batches within MLflow's limits.
    public func log(runID: String, params: [String: String] = [:], metrics: [String: Double] = [:], tags: [String: String] = [:]) async throws {
        let now = nowMillis()
        let metricList = metrics.sorted { $0.key < $1.key }.map { ["key": $0.key, "value": Self.jsonNumber($0.value), "timestamp": now, "step": 0] as [String: Any] }
        let paramList = params.sorted { $0.key < $1.key }.map { ["key": $0.key, "value": $0.value] }
        let tagList = tags.sorted { $0.key < $1.key }.map { ["key": $0.key, "value": $0.value] }
        var start = 0
        repeat {
            let body: [String: Any] = [
                "run_id": runID,
                "metrics": Array(metricList.dropFirst(start * 1000).prefix(1000)),
                "params": Array(paramList.dropFirst(start * 100).prefix(100)),
                "tags": Array(tagList.dropFirst(start * 100).prefix(100)),
            ]
            _ = try await client.send("POST", "api/2.0/mlflow/runs/log-batch", body: body, as: Empty.self)
            start += 1
        } while start * 1000 < metricList.count || start * 100 < paramList.count || start * 100 < tagList.count
    }

    /// Ends a run with a status.
    public func endRun(runID: String, status: RunStatus) async throws {
        _ = try await client.send(
            "POST", "api/2.0/mlflow/runs/update", body: ["run_id": runID, "status": status.rawValue, "end_time": nowMillis()], as: Empty.self)
    }

    /// Creates a logged model of a run (files are uploaded to its artifact URI, then it is finalized).
    public func createLoggedModel(experimentID: String, runID: String, name: String, modelType: String, params: [String: String]) async throws -> LoggedModel {
        let body: [String: Any] = [
            "experiment_id": experimentID, "name": name, "source_run_id": runID, "model_type": modelType,
            "params": params.sorted { $0.key < $1.key }.map { ["key": $0.key, "value": $0.value] },
        ]
        let model = try await client.send("POST", "api/2.0/mlflow/logged-models", body: body, as: ModelBody.self).model
        _ = try await client.send(
            "POST", "api/2.0/mlflow/runs/outputs", body: ["run_id": runID, "models": [["model_id": model.info.modelId, "step": 0]]], as: Empty.self)
        return model
    }

    /// Marks a logged model's upload complete.
    public func finalizeLoggedModel(id: String) async throws {
        _ = try await client.send("PATCH", "api/2.0/mlflow/logged-models/\(id)", body: ["model_id": id, "status": "LOGGED_MODEL_READY"], as: ModelBody.self)
    }

    /// Registers a logged model as the next version of `name` (creating the registered model if needed).
    public func register(modelName: String, loggedModelID: String, runID: String) async throws -> ModelVersion {
        do {
            _ = try await client.send("POST", "api/2.0/mlflow/registered-models/create", body: ["name": modelName], as: Empty.self)
        } catch ClientError.server(_, "RESOURCE_ALREADY_EXISTS", _) {}
        let body: [String: Any] = ["name": modelName, "source": "models:/\(loggedModelID)", "model_id": loggedModelID, "run_id": runID]
        return try await client.send("POST", "api/2.0/mlflow/model-versions/create", body: body, as: VersionBody.self).modelVersion
    }

    /// The artifact URI of the version a `models:/NAME@ALIAS` or `models:/NAME/VERSION` URI names.
    public func artifactURI(ofModelURI uri: String) async throws -> String {
        guard uri.hasPrefix("models:/") else { throw ClientError.unreadable("'\(uri)' is not a models:/ URI") }
        let rest = String(uri.dropFirst("models:/".count))
        let name: String
        let version: String
        if let at = rest.lastIndex(of: "@") {
            name = String(rest[..<at])
            let alias = String(rest[rest.index(after: at)...])
            version = try await client.get(
                "api/2.0/mlflow/registered-models/alias", query: ["name": name, "alias": alias], as: VersionBody.self).modelVersion.version
        } else if let slash = rest.lastIndex(of: "/") {
            name = String(rest[..<slash])
            version = String(rest[rest.index(after: slash)...])
        } else {
            throw ClientError.unreadable("'\(uri)' must be models:/NAME@ALIAS or models:/NAME/VERSION")
        }
        struct URIBody: Decodable { var artifactUri: String }
        return try await client.get(
            "api/2.0/mlflow/model-versions/get-download-uri", query: ["name": name, "version": version], as: URIBody.self).artifactUri
    }

    /// JSON for a metric value: NaN and infinities as MLflow's strings.
    static func jsonNumber(_ value: Double) -> Any {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        return value
    }
}
