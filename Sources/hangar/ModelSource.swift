import Foundation
import HangarClient

/// Resolves a `--model` argument to a local model file, downloading registered versions from the server.
enum ModelSource {
    /// The file name of Hangar models inside a logged model's artifacts.
    static let fileName = "model.hangar"

    static func localPath(_ model: String, serverURL: String) async throws -> String {
        guard model.hasPrefix("models:/") else {
            guard FileManager.default.fileExists(atPath: model) else { throw CLIError("model file \(model) does not exist") }
            return model
        }
        guard let base = URL(string: serverURL), base.host != nil else { throw CLIError("--url '\(serverURL)' is not a URL") }
        let client = HangarClient(baseURL: base)
        do {
            let artifactURI = try await TrackingClient(client: client).artifactURI(ofModelURI: model)
            let local = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-\(UUID().uuidString).hangar").path
            try await ArtifactClient(client: client).download(artifactURI, file: fileName, to: local)
            return local
        } catch let error as ClientError {
            throw CLIError("\(model): \(error)")
        }
    }
}
