import AsyncHTTPClient
import Foundation
import HangarCore
import HangarStore
import Logging
import ServiceLifecycle

/// Follows the registry's event log and delivers each event to the webhooks subscribed to it, signed, with retries.
///
/// Several processes may run one each: a delivery is claimed in the store before it is sent, so every event reaches
/// every webhook once.
public struct WebhookDispatcher: Service {
    let events: EventLog
    let store: WebhookStore
    let policy: WebhookTargetPolicy
    let logger: Logger
    /// Pauses between attempts; the number of retries is its count.
    let retryDelays: [Duration]

    public init(
        events: EventLog, store: WebhookStore, policy: WebhookTargetPolicy, logger: Logger,
        retryDelays: [Duration] = [.seconds(1), .seconds(2), .seconds(4)]
    ) {
        self.events = events
        self.store = store
        self.policy = policy
        self.logger = logger
        self.retryDelays = retryDelays
    }

    public func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let sender = WebhookSender(client: client)
        let start = (try? await store.cursor()) ?? 0
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                var cursor = start
                while !Task.isCancelled {
                    let batch: [RegistryEvent]
                    do {
                        batch = try await events.waitForEvents(after: cursor, timeout: .seconds(5))
                    } catch {
                        // Shutting down is no failure to report.
                        if Task.isCancelled || error is CancellationError { break }
                        logger.warning("webhook dispatcher cannot read events", metadata: ["error": "\(error)"])
                        try? await Task.sleep(for: .seconds(1))
                        continue
                    }
                    guard let last = batch.last else { continue }
                    let hooks = (try? await store.activeWithSecrets()) ?? []
                    for event in batch {
                        for (hook, secret) in hooks
                        where hook.creationTimestamp <= event.timestamp && hook.events.contains(where: { $0.eventType == event.type }) {
                            let deliveryId = UUID().uuidString.lowercased()
                            guard (try? await store.claimDelivery(deliveryId: deliveryId, webhookId: hook.webhookId, eventId: event.id)) == true
                            else { continue }
                            group.addTask {
                                await deliver(event, to: hook, secret: secret, deliveryId: deliveryId, sender: sender)
                            }
                        }
                    }
                    cursor = last.id
                    try? await store.advanceCursor(to: cursor)
                }
            }
        }
        try? await client.shutdown()
    }

    /// Delivers one event, retrying 429, 5xx and network failures with growing pauses.
    func deliver(_ event: RegistryEvent, to hook: Webhook, secret: String?, deliveryId: String, sender: WebhookSender) async {
        let body: [UInt8]
        do {
            try policy.check(hook.url)
            body = try WebhookPayload.body(for: event)
        } catch {
            try? await store.recordAttempt(deliveryId: deliveryId, status: "failed", responseStatus: nil, error: "\(error)")
            return
        }
        var attempt = 0
        while true {
            let outcome = await sender.send(
                url: hook.url, body: body, secret: secret, deliveryId: deliveryId, timestamp: nowMillis() / 1000)
            let finished = outcome.succeeded || !outcome.retryable || attempt >= retryDelays.count
            let status = outcome.succeeded ? "succeeded" : (finished ? "failed" : "pending")
            try? await store.recordAttempt(
                deliveryId: deliveryId, status: status, responseStatus: outcome.status, error: outcome.error)
            if finished {
                if !outcome.succeeded {
                    logger.warning("webhook delivery failed", metadata: [
                        "webhook": "\(hook.webhookId)", "event": "\(event.type)", "status": "\(outcome.status.map(String.init) ?? "-")",
                    ])
                }
                return
            }
            let pause = outcome.retryAfter.map { Duration.seconds(min($0, 30)) } ?? retryDelays[attempt]
            attempt += 1
            do { try await Task.sleep(for: pause) } catch { return }
        }
    }
}
