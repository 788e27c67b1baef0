import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends one signed webhook request and reports what came back.
public struct WebhookSender: Sendable {
    let client: HTTPClient
    public var timeout: TimeAmount = .seconds(30)

    public init(client: HTTPClient) {
        self.client = client
    }

    /// What one attempt returned.
    public struct Outcome: Sendable {
        public var status: Int?
        public var body: String?
        public var error: String?
        /// Seconds the receiver asked us to wait (429/503 Retry-After).
        public var retryAfter: Int?

        public var succeeded: Bool { status.map { (200..<300).contains($0) } ?? false }
        /// 429, 5xx and network failures are worth another try; other 4xx are not.
        public var retryable: Bool { status.map { $0 == 429 || $0 >= 500 } ?? true }
    }

    /// Sends one request on a client of its own (for one-off test deliveries).
    public static func sendOnce(url: String, body: [UInt8], secret: String?, deliveryId: String, timestamp: Int64) async -> Outcome {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let outcome = await WebhookSender(client: client).send(url: url, body: body, secret: secret, deliveryId: deliveryId, timestamp: timestamp)
        try? await client.shutdown()
        return outcome
    }

    /// POSTs `body` with MLflow's delivery headers; `secret` adds the HMAC signature.
    public func send(url: String, body: [UInt8], secret: String?, deliveryId: String, timestamp: Int64) async -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "hangar-webhooks")
        request.headers.add(name: "X-MLflow-Delivery-Id", value: deliveryId)
        request.headers.add(name: "X-MLflow-Timestamp", value: String(timestamp))
        if let secret, !secret.isEmpty {
            request.headers.add(
                name: "X-MLflow-Signature",
                value: WebhookSigner.signature(secret: secret, deliveryId: deliveryId, timestamp: timestamp, body: body))
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: timeout)
            let text = try await response.body.collect(upTo: 64 * 1024)
            let retryAfter = response.headers.first(name: "Retry-After").flatMap { Int($0) }
            return Outcome(status: Int(response.status.code), body: String(buffer: text), error: nil, retryAfter: retryAfter)
        } catch {
            return Outcome(status: nil, body: nil, error: "\(error)", retryAfter: nil)
        }
    }
}
