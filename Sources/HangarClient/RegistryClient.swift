import Foundation
import HangarCore

/// Registry calls over HTTP: MLflow's API where it has one, Hangar's native API for approval, gates and rollback.
public struct RegistryClient: Sendable {
    public let client: HangarClient

    public init(client: HangarClient) {
        self.client = client
    }

    private struct ModelsPage: Decodable {
        var registeredModels: [RegisteredModel]?
        var nextPageToken: String?
    }
    private struct ModelBody: Decodable { var registeredModel: RegisteredModel }
    private struct VersionBody: Decodable { var modelVersion: ModelVersion }
    private struct VersionsPage: Decodable {
        var modelVersions: [ModelVersion]?
        var nextPageToken: String?
    }
    private struct Empty: Decodable {}

    /// Every registered model (all pages).
    public func models(filter: String? = nil) async throws -> [RegisteredModel] {
        var models: [RegisteredModel] = []
        var token: String?
        repeat {
            var query = ["max_results": "1000"]
            if let filter { query["filter"] = filter }
            if let token { query["page_token"] = token }
            let page = try await client.get("api/2.0/mlflow/registered-models/search", query: query, as: ModelsPage.self)
            models += page.registeredModels ?? []
            token = page.nextPageToken
        } while token != nil
        return models
    }

    /// One model.
    public func model(_ name: String) async throws -> RegisteredModel {
        try await client.get("api/2.0/mlflow/registered-models/get", query: ["name": name], as: ModelBody.self).registeredModel
    }

    /// The versions of a model, newest first.
    public func versions(of name: String) async throws -> [ModelVersion] {
        let filter = "name = '\(name.replacingOccurrences(of: "'", with: "\\'"))'"
        let page = try await client.get("api/2.0/mlflow/model-versions/search", query: ["filter": filter], as: VersionsPage.self)
        return (page.modelVersions ?? []).sorted { (Int($0.version) ?? 0) > (Int($1.version) ?? 0) }
    }

    /// A version's lineage.
    public func lineage(_ name: String, version: String) async throws -> ModelLineage {
        try await client.get("api/2.0/hangar/model-versions/lineage", query: ["name": name, "version": version], as: ModelLineage.self)
    }

    /// Approves or rejects a version.
    public func decide(_ name: String, version: String, approve: Bool, comment: String?) async throws -> ModelVersion {
        var body: [String: Any] = ["name": name, "version": version]
        if let comment { body["comment"] = comment }
        let path = approve ? "api/2.0/hangar/model-versions/approve" : "api/2.0/hangar/model-versions/reject"
        return try await client.send("POST", path, body: body, as: VersionBody.self).modelVersion
    }

    /// Points an alias at a version.
    public func promote(_ name: String, alias: String, version: String) async throws -> ModelVersion {
        _ = try await client.send(
            "POST", "api/2.0/mlflow/registered-models/alias", body: ["name": name, "alias": alias, "version": version], as: Empty.self)
        return try await client.get("api/2.0/mlflow/registered-models/alias", query: ["name": name, "alias": alias], as: VersionBody.self)
            .modelVersion
    }

    /// Moves an alias back to its previous version.
    public func rollback(_ name: String, alias: String) async throws -> ModelVersion {
        try await client.send("POST", "api/2.0/hangar/registered-models/rollback", body: ["name": name, "alias": alias], as: VersionBody.self)
            .modelVersion
    }

    /// Sets a model's approval policy and gates.
    public func setPolicy(_ name: String, requireApproval: Bool?, gates: [String]?) async throws -> RegisteredModel {
        var body: [String: Any] = ["name": name]
        if let requireApproval { body["require_approval"] = requireApproval }
        if let gates { body["gates"] = gates }
        return try await client.send("POST", "api/2.0/hangar/registered-models/policy", body: body, as: ModelBody.self).registeredModel
    }
}
