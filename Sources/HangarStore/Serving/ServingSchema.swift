/// Schema version 4: per-model traffic policies and the prediction log.
enum ServingSchema {
    static func version4(_ kind: DatabaseKind) -> [String] {
        let serial = kind == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
        return [
            """
            CREATE TABLE serving_policies (
                name TEXT PRIMARY KEY,
                policy_json TEXT NOT NULL,
                user_id TEXT,
                last_updated_timestamp BIGINT NOT NULL)
            """,
            """
            CREATE TABLE prediction_log (
                id \(serial),
                request_id TEXT NOT NULL,
                row_index BIGINT NOT NULL,
                model TEXT NOT NULL,
                version TEXT NOT NULL,
                alias TEXT NOT NULL,
                timestamp BIGINT NOT NULL,
                entity_key TEXT,
                inputs TEXT NOT NULL,
                outputs TEXT NOT NULL,
                latency_us BIGINT NOT NULL,
                shadow BIGINT NOT NULL DEFAULT 0,
                ground_truth TEXT,
                ground_truth_timestamp BIGINT)
            """,
            "CREATE INDEX prediction_log_request ON prediction_log (request_id, row_index)",
            "CREATE INDEX prediction_log_model_time ON prediction_log (model, timestamp)",
            "CREATE INDEX prediction_log_entity ON prediction_log (model, entity_key, timestamp)",
        ]
    }
}
