import Foundation
import HangarCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Uploads and downloads files through the server's MLflow artifact proxy (`mlflow-artifacts:/...` URIs).
public struct ArtifactClient: Sendable {
    public let client: HangarClient

    public init(client: HangarClient) {
        self.client = client
    }

    /// The proxy URL of an `mlflow-artifacts:/<path>` URI plus a relative file path.
    func url(artifactURI: String, file: String) throws -> URL {
        guard let path = ArtifactURI.proxiedPath(of: artifactURI) else {
            throw ClientError.unreadable("artifact URI '\(artifactURI)' is not served by the server's proxy")
        }
        let encoded = (path + "/" + file).split(separator: "/").map {
            $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? String($0)
        }
        return client.baseURL.appendingPathComponent("api/2.0/mlflow-artifacts/artifacts/" + encoded.joined(separator: "/"))
    }

    /// Uploads a local file to `file` under an artifact URI.
    public func upload(_ localPath: String, to artifactURI: String, as file: String) async throws {
        var request = URLRequest(url: try url(artifactURI: artifactURI, file: file))
        request.httpMethod = "PUT"
        request.timeoutInterval = 600
        let (data, response) = try await URLSession.shared.upload(for: request, fromFile: URL(fileURLWithPath: localPath))
        try Self.check(response, data)
    }

    /// Downloads `file` under an artifact URI to a local path.
    public func download(_ artifactURI: String, file: String, to localPath: String) async throws {
        let request = URLRequest(url: try url(artifactURI: artifactURI, file: file), timeoutInterval: 600)
        let (data, response) = try await URLSession.shared.data(for: request)
        try Self.check(response, data)
        try data.write(to: URL(fileURLWithPath: localPath), options: .atomic)
    }

    /// The bytes of `file` under an artifact URI, nil when the server has no such file.
    public func data(_ artifactURI: String, file: String) async throws -> Data? {
        let request = URLRequest(url: try url(artifactURI: artifactURI, file: file), timeoutInterval: 600)
        let (data, response) = try await URLSession.shared.data(for: request)
        if (response as? HTTPURLResponse)?.statusCode == 404 { return nil }
        try Self.check(response, data)
        return data
    }

    static func check(_ response: URLResponse, _ data: Data) throws {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            throw ClientError.server(
                status: status, code: json?["error_code"] as? String ?? "HTTP_\(status)",
                message: json?["message"] as? String ?? "artifact transfer failed")
        }
    }
}
