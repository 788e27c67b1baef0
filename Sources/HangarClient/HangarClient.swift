import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HangarCore

/// A small HTTP client for Hangar's own API, for the CLI and for processes that follow a remote server.
public struct HangarClient: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:5000`.
    public let baseURL: URL

    public init(baseURL: URL) {
        self.baseURL = baseURL
    }

    /// Whether the server answers `/health` with 200 within `timeout` seconds.
    public func isHealthy(timeout: TimeInterval = 2) async -> Bool {
        var request = URLRequest(url: baseURL.appendingPathComponent("health"))
        request.timeoutInterval = timeout
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }
}
