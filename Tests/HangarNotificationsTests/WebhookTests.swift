import Foundation
import HangarCore
import HangarNotifications
import HangarStore
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// A webhook receiver on 127.0.0.1 that records what it gets and fails the first `failures` requests with 500.
final class Receiver: Sendable {
    struct Delivery: Sendable {
        let headers: [String: String]
        let body: [UInt8]
    }

    let received = Mutex<[Delivery]>([])
    let remainingFailures: Mutex<Int>

    init(failures: Int = 0) {
        remainingFailures = Mutex(failures)
    }

    /// Runs the receiver while `body` runs, handing it the receiver's URL.
    func serve(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook") { request, context -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            self.received.withLock { $0.append(Delivery(headers: headers, body: Array(buffer: bytes))) }
            let fail = self.remainingFailures.withLock { remaining -> Bool in
                guard remaining > 0 else { return false }
                remaining -= 1
                return true
            }
            return Response(status: fail ? .internalServerError : .ok)
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress!.port!) }, logger: Logger(label: "receiver"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            let serviceGroup = ServiceGroup(services: [app], logger: Logger(label: "receiver"))
            group.addTask { try await serviceGroup.run() }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next()!
            try await body("http://127.0.0.1:\(port)/hook")
            await serviceGroup.triggerGracefulShutdown()
        }
    }
}

/// A registry and webhook store on a fresh SQLite file, with a dispatcher running while `body` runs.
func withDispatcher(
    policy: WebhookTargetPolicy = WebhookTargetPolicy(allowHTTP: true, allowPrivateTargets: true),
    _ body: @Sendable (RegistryStore, WebhookStore) async throws -> Void
) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-hooks-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let db = try await SQLiteMetadataDatabase.open(path: dir + "/hangar.db", durability: .normal)
    try await Migrator.migrate(db)
    let events = EventLog(database: db)
    let registry = RegistryStore(database: db, events: events)
    let hooks = WebhookStore(database: db)
    let dispatcher = WebhookDispatcher(
        events: events, store: hooks, policy: policy, logger: Logger(label: "test"),
        retryDelays: [.milliseconds(20), .milliseconds(20), .milliseconds(20)])
    let group = ServiceGroup(services: [dispatcher], logger: Logger(label: "test"))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        try await body(registry, hooks)
        await group.triggerGracefulShutdown()
    }
    await db.close()
}

/// Polls until `condition` holds, for at most 20 s (no timing is asserted; this only bounds a broken test).
func eventually(_ condition: @Sendable () async throws -> Bool) async throws {
    for _ in 0..<400 {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
}

@Suite struct WebhookTests {
    @Test func theSignatureMatchesMLflowsPublishedVector() {
        // shared/research/alerting-vectors/vectors.json, key "mlflow".
        let body = #"{"entity":"model_version","action":"created","timestamp":"2024-01-01T00:00:00+00:00","data":{"name":"m","version":"1"}}"#
        let signature = WebhookSigner.signature(
            secret: "It's a Secret to Everybody", deliveryId: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", timestamp: 1_674_087_231,
            body: Array(body.utf8))
        #expect(signature == "v1,YAL/s+ra6gRSHYCdcRjf03mVLjAOzzjGWfhRBiLUhD8=")
    }

    @Test func aReceiverOnLoopbackGetsACorrectlySignedPayload() async throws {
        let receiver = Receiver()
        try await receiver.serve { url in
            try await withDispatcher { registry, hooks in
                _ = try await hooks.create(
                    name: "h", description: nil, url: url,
                    events: [WebhookEvent(entity: "REGISTERED_MODEL", action: "CREATED")], secret: "s3cret", status: .active)
                _ = try await registry.createRegisteredModel(name: "hooked", description: "d", tags: [], user: "ana")
                try await eventually { receiver.received.withLock { !$0.isEmpty } }
            }
        }
        let delivery = try #require(receiver.received.withLock { $0.first })
        let id = try #require(delivery.headers["X-MLflow-Delivery-Id"] ?? delivery.headers["x-mlflow-delivery-id"])
        let timestamp = try #require((delivery.headers["X-MLflow-Timestamp"] ?? delivery.headers["x-mlflow-timestamp"]).flatMap { Int64($0) })
        let signature = delivery.headers["X-MLflow-Signature"] ?? delivery.headers["x-mlflow-signature"]
        #expect(signature == WebhookSigner.signature(secret: "s3cret", deliveryId: id, timestamp: timestamp, body: delivery.body))
        let json = try JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any]
        #expect(json?["entity"] as? String == "registered_model")
        #expect(json?["action"] as? String == "created")
        #expect((json?["data"] as? [String: Any])?["name"] as? String == "hooked")
    }

    @Test func aFailingReceiverIsRetriedUntilItAccepts() async throws {
        let receiver = Receiver(failures: 2)
        try await receiver.serve { url in
            try await withDispatcher { registry, hooks in
                let hook = try await hooks.create(
                    name: "h", description: nil, url: url,
                    events: [WebhookEvent(entity: "REGISTERED_MODEL", action: "CREATED")], secret: nil, status: .active)
                _ = try await registry.createRegisteredModel(name: "flaky", description: nil, tags: [], user: nil)
                try await eventually { try await hooks.deliveries(webhookId: hook.webhookId).first?.status == "succeeded" }
                let delivery = try #require(try await hooks.deliveries(webhookId: hook.webhookId).first)
                #expect(delivery.status == "succeeded")
                #expect(delivery.attempts == 3)
                #expect(delivery.responseStatus == 200)
            }
        }
        #expect(receiver.received.withLock { $0.count } == 3)
    }

    @Test func plainHTTPAndPrivateTargetsAreRefusedUnlessAllowed() {
        let strict = WebhookTargetPolicy()
        #expect(throws: HangarError.self) { try strict.check("http://example.com/hook") }
        #expect(throws: HangarError.self) { try strict.check("https://127.0.0.1/hook") }
        #expect(throws: HangarError.self) { try strict.check("https://10.1.2.3/hook") }
        #expect(throws: HangarError.self) { try strict.check("https://[::1]/hook") }
        #expect(throws: HangarError.self) { try strict.check("not a url") }
        let open = WebhookTargetPolicy(allowHTTP: true, allowPrivateTargets: true)
        #expect(throws: Never.self) { try open.check("http://127.0.0.1:9/hook") }
    }
}
