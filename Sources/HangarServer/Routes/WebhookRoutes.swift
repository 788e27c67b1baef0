import Foundation
import HangarCore
import HangarNotifications
import HangarStore
import Hummingbird

/// MLflow 3's webhook API (`/api/2.0/mlflow/webhooks`), extended with Hangar's events and a delivery log.
struct WebhookRoutes {
    let store: WebhookStore
    let policy: WebhookTargetPolicy

    func register(on router: Router<HangarRequestContext>) {
        let store = self.store, policy = self.policy
        for prefix in TrackingRoutes.prefixes {
            let base = "\(prefix)/webhooks"
            router.post(RouterPath(base)) { request, context in
                let p = try await RequestParameters(request, context: context)
                let url = try p.requiredString("url")
                try policy.check(url)
                let hook = try await store.create(
                    name: try p.requiredString("name"), description: try p.string("description"), url: url,
                    events: try Self.events(p), secret: try p.string("secret"), status: try Self.status(p) ?? .active)
                return try JSONResponse.ok(WebhookResponse(webhook: WebhookView(hook)))
            }
            router.get(RouterPath(base)) { request, context in
                let p = try await RequestParameters(request, context: context)
                let page = try await store.list(maxResults: try p.int("max_results"), pageToken: try p.string("page_token"))
                return try JSONResponse.ok(WebhooksPage(
                    webhooks: page.webhooks.isEmpty ? nil : page.webhooks.map(WebhookView.init), nextPageToken: page.nextPageToken))
            }
            router.get("\(base)/:webhook_id") { _, context in
                try JSONResponse.ok(WebhookResponse(webhook: WebhookView(try await store.webhook(id: try context.parameters.require("webhook_id")))))
            }
            router.patch("\(base)/:webhook_id") { request, context in
                let p = try await RequestParameters(request, context: context)
                let url = try p.string("url")
                if let url { try policy.check(url) }
                let hook = try await store.update(
                    id: try context.parameters.require("webhook_id"), name: try p.string("name"), description: try p.string("description"),
                    url: url, events: p.has("events") ? try Self.events(p) : nil, secret: try p.string("secret"), status: try Self.status(p))
                return try JSONResponse.ok(WebhookResponse(webhook: WebhookView(hook)))
            }
            router.delete("\(base)/:webhook_id") { _, context in
                try await store.delete(id: try context.parameters.require("webhook_id"))
                return JSONResponse.empty()
            }
            router.post("\(base)/:webhook_id/test") { request, context in
                let id = try context.parameters.require("webhook_id")
                let p = try await RequestParameters(request, context: context)
                let hook = try await store.webhook(id: id)
                let event = try p.object("event").map { (e) throws(HangarError) in
                    WebhookEvent(entity: try e.requiredString("entity"), action: try e.requiredString("action"))
                } ?? hook.events[0]
                try WebhookStore.checkEvent(event)
                try policy.check(hook.url)
                let example = RegistryEvent(
                    id: 0, timestamp: nowMillis(), type: event.eventType, model: "example-model", version: "1", alias: "example-alias",
                    user: "example-user", payload: #"{"source":"models:/m-example","run_id":"example-run-id","key":"example-key","value":"example-value"}"#)
                let outcome = await WebhookSender.sendOnce(
                    url: hook.url, body: try WebhookPayload.body(for: example), secret: try await store.secret(id: id),
                    deliveryId: UUID().uuidString.lowercased(), timestamp: nowMillis() / 1000)
                return try JSONResponse.ok(WebhookTestResponse(result: .init(
                    success: outcome.succeeded, responseStatus: outcome.status, responseBody: outcome.body, errorMessage: outcome.error)))
            }
        }
        router.get("\(NativeRegistryRoutes.prefix)/webhooks/:webhook_id/deliveries") { _, context in
            let id = try context.parameters.require("webhook_id")
            _ = try await store.webhook(id: id)
            return try JSONResponse.ok(DeliveriesResponse(deliveries: try await store.deliveries(webhookId: id)))
        }
    }

    static func events(_ p: RequestParameters) throws(HangarError) -> [WebhookEvent] {
        try p.objects("events").map { (e) throws(HangarError) in
            WebhookEvent(entity: try e.requiredString("entity"), action: try e.requiredString("action"))
        }
    }

    static func status(_ p: RequestParameters) throws(HangarError) -> WebhookStatus? {
        guard let raw = try p.string("status") else { return nil }
        guard let status = WebhookStatus(rawValue: raw.uppercased()) else {
            throw .invalid("Invalid webhook status '\(raw)': use ACTIVE or DISABLED")
        }
        return status
    }
}

/// A webhook as the API shows it: events in MLflow's upper-case enum spelling.
struct WebhookView: Encodable {
    let webhookId: String
    let name: String
    let description: String?
    let url: String
    let events: [WebhookEvent]
    let status: WebhookStatus
    let creationTimestamp: Int64
    let lastUpdatedTimestamp: Int64

    init(_ hook: Webhook) {
        webhookId = hook.webhookId
        name = hook.name
        description = hook.description
        url = hook.url
        events = hook.events.map { WebhookEvent(entity: $0.entity.uppercased(), action: $0.action.uppercased()) }
        status = hook.status
        creationTimestamp = hook.creationTimestamp
        lastUpdatedTimestamp = hook.lastUpdatedTimestamp
    }
}

struct WebhookResponse: Encodable { let webhook: WebhookView }
struct WebhooksPage: Encodable {
    let webhooks: [WebhookView]?
    let nextPageToken: String?
}
struct WebhookTestResponse: Encodable {
    struct Result: Encodable {
        let success: Bool
        let responseStatus: Int?
        let responseBody: String?
        let errorMessage: String?
    }
    let result: Result
}
struct DeliveriesResponse: Encodable { let deliveries: [WebhookDelivery] }
