import Foundation
import HangarCore
import SQLKit

/// Webhook registrations, their delivery records, and the dispatcher's position in the event log.
public struct WebhookStore: Sendable {
    let database: any MetadataDatabase

    public init(database: any MetadataDatabase) {
        self.database = database
    }

    /// Registers a webhook; events are validated against the supported set.
    public func create(
        name: String, description: String?, url: String, events: [WebhookEvent], secret: String?, status: WebhookStatus
    ) async throws -> Webhook {
        try Self.validate(name: name, events: events)
        let id = UUID().uuidString.lowercased()
        let eventsJSON = String(decoding: try JSONEncoder().encode(events), as: UTF8.self)
        let now = nowMillis()
        try await database.write { db in
            try await db.raw("""
                INSERT INTO webhooks (webhook_id, name, description, url, events_json, secret, status, creation_timestamp, last_updated_timestamp)
                VALUES (\(bind: id), \(bind: name), \(bind: description), \(bind: url), \(bind: eventsJSON), \(bind: secret),
                    \(bind: status.rawValue), \(bind: now), \(bind: now))
                """).run()
        }
        return try await webhook(id: id)
    }

    /// The webhook with this id.
    public func webhook(id: String) async throws -> Webhook {
        try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM webhooks WHERE webhook_id = \(bind: id)").first() else {
                throw HangarError.notFound("Webhook with ID \(id) not found.")
            }
            return try Self.webhook(from: row)
        }
    }

    /// A page of webhooks, oldest first.
    public func list(maxResults: Int?, pageToken: String?) async throws -> (webhooks: [Webhook], nextPageToken: String?) {
        let limit = try PageToken.limit(maxResults, default: 100, max: 1000)
        let offset = try PageToken.decode(pageToken)
        return try await database.read { db in
            let rows = try await db.raw("""
                SELECT * FROM webhooks ORDER BY creation_timestamp, webhook_id LIMIT \(bind: limit + 1) OFFSET \(bind: offset)
                """).all()
            return (try rows.prefix(limit).map(Self.webhook(from:)), PageToken.next(offset: offset, limit: limit, fetched: rows.count))
        }
    }

    /// Changes the fields given.
    public func update(
        id: String, name: String?, description: String?, url: String?, events: [WebhookEvent]?, secret: String?, status: WebhookStatus?
    ) async throws -> Webhook {
        if let events { try Self.validate(name: name ?? "webhook", events: events) }
        let eventsJSON = try events.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await database.write { db in
            guard try await db.raw("SELECT 1 AS x FROM webhooks WHERE webhook_id = \(bind: id)").first() != nil else {
                throw HangarError.notFound("Webhook with ID \(id) not found.")
            }
            var sets: [SQLQueryString] = ["last_updated_timestamp = \(bind: nowMillis())"]
            if let name { sets.append("name = \(bind: name)") }
            if let description { sets.append("description = \(bind: description)") }
            if let url { sets.append("url = \(bind: url)") }
            if let eventsJSON { sets.append("events_json = \(bind: eventsJSON)") }
            if let secret { sets.append("secret = \(bind: secret)") }
            if let status { sets.append("status = \(bind: status.rawValue)") }
            try await db.raw("UPDATE webhooks SET \(sets.joined(separator: ", ")) WHERE webhook_id = \(bind: id)").run()
        }
        return try await webhook(id: id)
    }

    /// Removes a webhook.
    public func delete(id: String) async throws {
        try await database.write { db in
            guard try await db.raw("SELECT 1 AS x FROM webhooks WHERE webhook_id = \(bind: id)").first() != nil else {
                throw HangarError.notFound("Webhook with ID \(id) not found.")
            }
            try await db.raw("DELETE FROM webhooks WHERE webhook_id = \(bind: id)").run()
        }
    }

    /// Active webhooks with their secrets, for the dispatcher.
    public func activeWithSecrets() async throws -> [(webhook: Webhook, secret: String?)] {
        try await database.read { db in
            try await db.raw("SELECT * FROM webhooks WHERE status = 'ACTIVE'").all().map { (try Self.webhook(from: $0), try $0.optionalString("secret")) }
        }
    }

    /// The secret of one webhook (for `/test`).
    public func secret(id: String) async throws -> String? {
        try await database.read { db in
            try await db.raw("SELECT secret FROM webhooks WHERE webhook_id = \(bind: id)").first()?.optionalString("secret")
        }
    }

    /// Claims the delivery of an event to a webhook; false when another process already claimed it.
    public func claimDelivery(deliveryId: String, webhookId: String, eventId: Int64) async throws -> Bool {
        try await database.write { db in
            let existing = try await db.raw("""
                SELECT 1 AS x FROM webhook_deliveries WHERE webhook_id = \(bind: webhookId) AND event_id = \(bind: eventId)
                """).first()
            guard existing == nil else { return false }
            try await db.raw("""
                INSERT INTO webhook_deliveries (delivery_id, webhook_id, event_id, status) VALUES
                (\(bind: deliveryId), \(bind: webhookId), \(bind: eventId), 'pending') ON CONFLICT DO NOTHING
                """).run()
            return true
        }
    }

    /// Records one attempt's outcome.
    public func recordAttempt(deliveryId: String, status: String, responseStatus: Int?, error: String?) async throws {
        try await database.write { db in
            try await db.raw("""
                UPDATE webhook_deliveries SET status = \(bind: status), attempts = attempts + 1,
                    response_status = \(bind: responseStatus.map { Int64($0) }), error = \(bind: error),
                    last_attempt_timestamp = \(bind: nowMillis())
                WHERE delivery_id = \(bind: deliveryId)
                """).run()
        }
    }

    /// The deliveries of one webhook, newest first.
    public func deliveries(webhookId: String, limit: Int = 100) async throws -> [WebhookDelivery] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM webhook_deliveries WHERE webhook_id = \(bind: webhookId) ORDER BY id DESC LIMIT \(bind: limit)
                """).all().map { row in
                WebhookDelivery(
                    deliveryId: try row.string("delivery_id"), webhookId: try row.string("webhook_id"), eventId: try row.int64("event_id"),
                    status: try row.string("status"), attempts: try row.int64("attempts"), responseStatus: try row.optionalInt64("response_status"),
                    error: try row.optionalString("error"), lastAttemptTimestamp: try row.optionalInt64("last_attempt_timestamp"))
            }
        }
    }

    /// The last event id the dispatcher has handed out.
    public func cursor() async throws -> Int64 {
        try await database.read { db in try await db.raw("SELECT last_event_id FROM webhook_cursor WHERE id = 1").first()?.int64("last_event_id") ?? 0 }
    }

    /// Moves the dispatcher's cursor forward (never back).
    public func advanceCursor(to id: Int64) async throws {
        try await database.write { db in
            try await db.raw("UPDATE webhook_cursor SET last_event_id = \(bind: id) WHERE id = 1 AND last_event_id < \(bind: id)").run()
        }
    }

    static func validate(name: String, events: [WebhookEvent]) throws(HangarError) {
        guard !name.isEmpty else { throw .invalid("Missing value for required parameter 'name'") }
        guard !events.isEmpty else { throw .invalid("Webhook must have at least one event") }
        for event in events { try checkEvent(event) }
    }

    /// Refuses an event no webhook can subscribe to.
    public static func checkEvent(_ event: WebhookEvent) throws(HangarError) {
        guard WebhookEvent.supported.contains(event.eventType) else {
            throw .invalid("Invalid webhook event: entity '\(event.entity)' with action '\(event.action)' is not supported")
        }
    }

    static func webhook(from row: any SQLRow) throws -> Webhook {
        let events = (try? JSONDecoder().decode([WebhookEvent].self, from: Data(try row.string("events_json").utf8))) ?? []
        return Webhook(
            webhookId: try row.string("webhook_id"), name: try row.string("name"), description: try row.optionalString("description"),
            url: try row.string("url"), events: events, status: WebhookStatus(rawValue: try row.string("status")) ?? .active,
            creationTimestamp: try row.int64("creation_timestamp"), lastUpdatedTimestamp: try row.int64("last_updated_timestamp"))
    }
}
