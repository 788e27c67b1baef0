/// An event a webhook subscribes to, as MLflow's API spells it (`MODEL_VERSION` / `CREATED`).
public struct WebhookEvent: Sendable, Codable, Equatable, Hashable {
    public var entity: String
    public var action: String

    public init(entity: String, action: String) {
        self.entity = entity
        self.action = action
    }

    /// The registry event type this subscription matches, e.g. `model_version.created`.
    public var eventType: String { "\(entity.lowercased()).\(action.lowercased())" }

    /// MLflow's event types plus Hangar's (approval, gates, rollback, deletions, stages).
    public static let supported: Set<String> = [
        "registered_model.created", "model_version.created", "model_version_tag.set", "model_version_tag.deleted",
        "model_version_alias.created", "model_version_alias.deleted",
        "registered_model.deleted", "registered_model.renamed", "model_version.deleted", "model_version.approved",
        "model_version.rejected", "model_version.gates_evaluated", "model_version.stage_transitioned",
        "model_version_alias.rolled_back",
    ]
}

/// Whether a webhook is delivering.
public enum WebhookStatus: String, Sendable, Codable {
    case active = "ACTIVE"
    case disabled = "DISABLED"
}

/// A registered webhook (MLflow 3's `Webhook`); the secret is never returned.
public struct Webhook: Sendable, Codable, Equatable {
    public var webhookId: String
    public var name: String
    public var description: String?
    public var url: String
    public var events: [WebhookEvent]
    public var status: WebhookStatus
    public var creationTimestamp: Int64
    public var lastUpdatedTimestamp: Int64

    public init(
        webhookId: String, name: String, description: String?, url: String, events: [WebhookEvent], status: WebhookStatus,
        creationTimestamp: Int64, lastUpdatedTimestamp: Int64
    ) {
        self.webhookId = webhookId
        self.name = name
        self.description = description
        self.url = url
        self.events = events
        self.status = status
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
    }
}

/// One attempt history of delivering one event to one webhook.
public struct WebhookDelivery: Sendable, Codable, Equatable {
    public var deliveryId: String
    public var webhookId: String
    public var eventId: Int64
    /// `pending`, `succeeded` or `failed`.
    public var status: String
    public var attempts: Int64
    public var responseStatus: Int64?
    public var error: String?
    public var lastAttemptTimestamp: Int64?

    public init(
        deliveryId: String, webhookId: String, eventId: Int64, status: String, attempts: Int64, responseStatus: Int64?,
        error: String?, lastAttemptTimestamp: Int64?
    ) {
        self.deliveryId = deliveryId
        self.webhookId = webhookId
        self.eventId = eventId
        self.status = status
        self.attempts = attempts
        self.responseStatus = responseStatus
        self.error = error
        self.lastAttemptTimestamp = lastAttemptTimestamp
    }
}
