/// Schema version 3: webhooks, their deliveries, and the dispatcher's cursor into the event log.
enum WebhookSchema {
    static func version3(_ kind: DatabaseKind) -> [String] {
        let serial = kind == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
        return [
            """
            CREATE TABLE webhooks (
                webhook_id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                description TEXT,
                url TEXT NOT NULL,
                events_json TEXT NOT NULL,
                secret TEXT,
                status TEXT NOT NULL,
                creation_timestamp BIGINT NOT NULL,
                last_updated_timestamp BIGINT NOT NULL)
            """,
            """
            CREATE TABLE webhook_deliveries (
                id \(serial),
                delivery_id TEXT NOT NULL UNIQUE,
                webhook_id TEXT NOT NULL,
                event_id BIGINT NOT NULL,
                status TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                response_status BIGINT,
                error TEXT,
                last_attempt_timestamp BIGINT,
                UNIQUE (webhook_id, event_id))
            """,
            "CREATE TABLE webhook_cursor (id INTEGER PRIMARY KEY, last_event_id BIGINT NOT NULL)",
            "INSERT INTO webhook_cursor (id, last_event_id) VALUES (1, 0)",
        ]
    }
}
