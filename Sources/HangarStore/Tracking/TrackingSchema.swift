/// Schema version 1: experiments, runs, params, metrics, tags, dataset inputs and logged models.
enum TrackingSchema {
    static func version1(_ kind: DatabaseKind) -> [String] {
        let serial = kind == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
        return [
            """
            CREATE TABLE experiments (
                experiment_id \(serial),
                name TEXT NOT NULL UNIQUE,
                artifact_location TEXT NOT NULL,
                lifecycle_stage TEXT NOT NULL,
                creation_time BIGINT NOT NULL,
                last_update_time BIGINT NOT NULL)
            """,
            """
            CREATE TABLE experiment_tags (
                experiment_id BIGINT NOT NULL REFERENCES experiments(experiment_id),
                key TEXT NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY (experiment_id, key))
            """,
            """
            CREATE TABLE runs (
                run_id TEXT PRIMARY KEY,
                experiment_id BIGINT NOT NULL REFERENCES experiments(experiment_id),
                run_name TEXT NOT NULL,
                user_id TEXT NOT NULL,
                status TEXT NOT NULL,
                start_time BIGINT NOT NULL,
                end_time BIGINT,
                lifecycle_stage TEXT NOT NULL,
                artifact_uri TEXT NOT NULL,
                deleted_time BIGINT)
            """,
            "CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time)",
            """
            CREATE TABLE params (
                run_id TEXT NOT NULL REFERENCES runs(run_id), key TEXT NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY (run_id, key))
            """,
            """
            CREATE TABLE tags (
                run_id TEXT NOT NULL REFERENCES runs(run_id), key TEXT NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY (run_id, key))
            """,
            """
            CREATE TABLE metrics (
                run_id TEXT NOT NULL REFERENCES runs(run_id),
                key TEXT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                is_nan INTEGER NOT NULL,
                timestamp BIGINT NOT NULL,
                step BIGINT NOT NULL,
                model_id TEXT NOT NULL DEFAULT '',
                dataset_name TEXT NOT NULL DEFAULT '',
                dataset_digest TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (run_id, key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest))
            """,
            """
            CREATE TABLE latest_metrics (
                run_id TEXT NOT NULL REFERENCES runs(run_id),
                key TEXT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                is_nan INTEGER NOT NULL,
                timestamp BIGINT NOT NULL,
                step BIGINT NOT NULL,
                PRIMARY KEY (run_id, key))
            """,
            "CREATE INDEX latest_metrics_by_key ON latest_metrics (key, value)",
            """
            CREATE TABLE run_datasets (
                run_id TEXT NOT NULL REFERENCES runs(run_id),
                name TEXT NOT NULL, digest TEXT NOT NULL,
                source_type TEXT NOT NULL, source TEXT NOT NULL,
                schema_json TEXT, profile TEXT,
                context TEXT NOT NULL DEFAULT '',
                tags_json TEXT NOT NULL DEFAULT '[]',
                PRIMARY KEY (run_id, name, digest, context))
            """,
            """
            CREATE TABLE logged_models (
                model_id TEXT PRIMARY KEY,
                experiment_id BIGINT NOT NULL REFERENCES experiments(experiment_id),
                name TEXT NOT NULL,
                artifact_uri TEXT NOT NULL,
                status TEXT NOT NULL,
                status_message TEXT,
                model_type TEXT,
                source_run_id TEXT,
                lifecycle_stage TEXT NOT NULL,
                creation_timestamp_ms BIGINT NOT NULL,
                last_updated_timestamp_ms BIGINT NOT NULL)
            """,
            "CREATE INDEX logged_models_by_experiment ON logged_models (experiment_id, name)",
            """
            CREATE TABLE logged_model_tags (
                model_id TEXT NOT NULL REFERENCES logged_models(model_id), key TEXT NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY (model_id, key))
            """,
            """
            CREATE TABLE logged_model_params (
                model_id TEXT NOT NULL REFERENCES logged_models(model_id), key TEXT NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY (model_id, key))
            """,
            """
            CREATE TABLE run_model_io (
                run_id TEXT NOT NULL REFERENCES runs(run_id),
                model_id TEXT NOT NULL,
                direction TEXT NOT NULL,
                step BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (run_id, model_id, direction))
            """,
            """
            INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
            VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', 0, 0)
            """,
        ]
    }
}
