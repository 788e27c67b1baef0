/// Schema version 2: registered models, versions, aliases with their history, approvals, gates and the event log.
enum RegistrySchema {
    static func version2(_ kind: DatabaseKind) -> [String] {
        let serial = kind == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
        return [
            """
            CREATE TABLE registered_models (
                name TEXT PRIMARY KEY,
                description TEXT,
                creation_timestamp BIGINT NOT NULL,
                last_updated_timestamp BIGINT NOT NULL,
                require_approval INTEGER,
                gates_json TEXT NOT NULL DEFAULT '[]')
            """,
            """
            CREATE TABLE registered_model_tags (
                name TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY (name, key))
            """,
            """
            CREATE TABLE model_versions (
                name TEXT NOT NULL,
                version BIGINT NOT NULL,
                source TEXT NOT NULL,
                run_id TEXT,
                run_link TEXT,
                model_id TEXT,
                description TEXT,
                user_id TEXT,
                current_stage TEXT NOT NULL DEFAULT 'None',
                creation_timestamp BIGINT NOT NULL,
                last_updated_timestamp BIGINT NOT NULL,
                approval_state TEXT NOT NULL DEFAULT 'pending',
                approval_user TEXT,
                approval_timestamp BIGINT,
                approval_comment TEXT,
                gate_evaluation TEXT,
                PRIMARY KEY (name, version))
            """,
            "CREATE INDEX model_versions_by_run ON model_versions (run_id)",
            "CREATE INDEX model_versions_by_logged_model ON model_versions (model_id)",
            """
            CREATE TABLE model_version_tags (
                name TEXT NOT NULL, version BIGINT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY (name, version, key))
            """,
            """
            CREATE TABLE model_aliases (
                name TEXT NOT NULL, alias TEXT NOT NULL, version BIGINT NOT NULL,
                PRIMARY KEY (name, alias))
            """,
            """
            CREATE TABLE alias_history (
                id \(serial),
                name TEXT NOT NULL, alias TEXT NOT NULL,
                version BIGINT, previous_version BIGINT,
                action TEXT NOT NULL, user_id TEXT, timestamp BIGINT NOT NULL)
            """,
            "CREATE INDEX alias_history_by_alias ON alias_history (name, alias, id)",
            """
            CREATE TABLE approval_audit (
                id \(serial),
                name TEXT NOT NULL, version BIGINT NOT NULL,
                state TEXT NOT NULL, user_id TEXT, comment TEXT, timestamp BIGINT NOT NULL)
            """,
            """
            CREATE TABLE registry_events (
                id \(serial),
                timestamp BIGINT NOT NULL,
                type TEXT NOT NULL,
                model TEXT NOT NULL,
                version BIGINT,
                alias TEXT,
                user_id TEXT,
                payload TEXT NOT NULL)
            """,
        ]
    }
}
