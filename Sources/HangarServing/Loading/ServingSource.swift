import Foundation
import HangarArtifacts
import HangarCore
import HangarStore

/// Where serving learns what to serve and reads model files: this process's store, or a Hangar server over HTTP.
public protocol ServingSource: Sendable {
    /// The newest registry event id; following starts after it.
    func latestEventID() async throws -> Int64
    /// Registry events after `after`, waiting up to `timeout` for the first.
    func waitForEvents(after: Int64, timeout: Duration) async throws -> [RegistryEvent]
    /// Models that have `alias`.
    func models(withAlias alias: String) async throws -> [String]
    /// Models that have a traffic policy.
    func modelsWithPolicy() async throws -> [String]
    /// The version `alias` points at; nil when the model or the alias does not exist.
    func version(model: String, alias: String) async throws -> ModelVersion?
    /// The model's traffic policy, nil when it has none.
    func policy(model: String) async throws -> TrafficPolicy?
    /// A file of the version's logged model (path relative to the model's root), nil when absent.
    func modelFile(_ version: ModelVersion, path: String) async throws -> Data?
    /// Where the version's files are, for messages.
    func location(of version: ModelVersion) async -> String
    /// Records a serving event (a swap, a failed load) where registry readers see it; best effort.
    func record(_ type: String, model: String, version: String, alias: String, payload: [String: String]) async
}

/// The source inside `hangar up` and `hangar serve --database-url`: the registry store and the artifact store.
public struct StoreServingSource: ServingSource {
    let registry: RegistryStore
    let artifacts: any ArtifactStore

    public init(registry: RegistryStore, artifacts: any ArtifactStore) {
        self.registry = registry
        self.artifacts = artifacts
    }

    public func latestEventID() async throws -> Int64 { try await registry.events.latestID() }

    public func waitForEvents(after: Int64, timeout: Duration) async throws -> [RegistryEvent] {
        try await registry.events.waitForEvents(after: after, timeout: timeout)
    }

    public func models(withAlias alias: String) async throws -> [String] {
        try await registry.aliasTargets(alias: alias).map(\.model)
    }

    public func modelsWithPolicy() async throws -> [String] { try await registry.modelsWithServingPolicy() }

    public func version(model: String, alias: String) async throws -> ModelVersion? {
        try await registry.aliasedVersion(name: model, alias: alias)
    }

    public func policy(model: String) async throws -> TrafficPolicy? { try await registry.servingPolicy(name: model) }

    public func modelFile(_ version: ModelVersion, path: String) async throws -> Data? {
        let uri = try await registry.downloadURI(name: version.name, version: version.version)
        // Only files behind the artifact proxy: a version's source must not make the server read arbitrary paths.
        guard let proxied = ArtifactURI.proxiedPath(of: uri) else {
            throw ServingLoadError.source("the version's files are at \(uri), outside this server's artifact store")
        }
        guard let file = artifacts.file(at: try ArtifactPath(proxied).appending(path)) else { return nil }
        return FileManager.default.contents(atPath: file)
    }

    public func location(of version: ModelVersion) async -> String {
        (try? await registry.downloadURI(name: version.name, version: version.version)) ?? version.source
    }

    public func record(_ type: String, model: String, version: String, alias: String, payload: [String: String]) async {
        try? await registry.recordServingEvent(type, model: model, version: version, alias: alias, payload: payload)
    }
}
