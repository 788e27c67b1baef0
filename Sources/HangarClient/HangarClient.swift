import Foundation
import HangarCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small HTTP client for Hangar's own API, for the CLI and for processes that follow a remote server.
public struct HangarClient: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:5000`.
    public let baseURL: URL
    /// Sent as `X-Hangar-User`, so audit trails name who acted.
    public let user: String?

    public init(baseURL: URL, user: String? = nil) {
        self.baseURL = baseURL
        self.user = user
    }

    /// Whether the server answers `/health` with 200 within `timeout` seconds.
    public func isHealthy(timeout: TimeInterval = 2) async -> Bool {
        var request = URLRequest(url: baseURL.appendingPathComponent("health"))
        request.timeoutInterval = timeout
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    /// GETs `path` with query items and decodes the JSON answer.
    public func get<T: Decodable>(_ path: String, query: [String: String] = [:], as type: T.Type) async throws -> T {
        var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        return try await send(URLRequest(url: components.url!), as: type)
    }

    /// Sends a JSON body with `method` and decodes the JSON answer.
    public func send<T: Decodable>(_ method: String, _ path: String, body: [String: Any], as type: T.Type) async throws -> T {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        return try await send(request, as: type)
    }

    /// POSTs an already encoded JSON body and decodes the JSON answer.
    public func post<T: Decodable>(_ path: String, json: Data, as type: T.Type) async throws -> T {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = json
        return try await send(request, as: type)
    }

    private func send<T: Decodable>(_ request: URLRequest, as type: T.Type) async throws -> T {
        var request = request
        request.timeoutInterval = 60
        if let user { request.setValue(user, forHTTPHeaderField: "X-Hangar-User") }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw ClientError.unreachable(baseURL.absoluteString, error.localizedDescription)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            throw ClientError.server(
                status: status, code: json?["error_code"] as? String ?? "HTTP_\(status)",
                message: json?["message"] as? String ?? String(decoding: data.prefix(300), as: UTF8.self))
        }
        do {
            return try JSONCoding.decoder.decode(T.self, from: data.isEmpty ? Data("{}".utf8) : data)
        } catch {
            throw ClientError.unreadable("\(request.url?.path ?? ""): \(error)")
        }
    }
}

/// Why a call to the server failed.
public enum ClientError: Error, CustomStringConvertible {
    case unreachable(String, String)
    case server(status: Int, code: String, message: String)
    case unreadable(String)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason): "cannot reach Hangar at \(url): \(reason)"
        case .server(_, let code, let message): "\(code): \(message)"
        case .unreadable(let detail): "unexpected answer from the server: \(detail)"
        }
    }
}
