/// Schema version 5: on SQLite, the metrics table is stored as its primary key (`WITHOUT ROWID`).
///
/// Every column of `metrics` is part of its primary key, so a rowid table kept each row twice: once in the table and
/// once in the key's index. Stored as the key alone, a metric insert updates one B-tree instead of two and the table
/// takes about half the space. PostgreSQL stores tables as heaps with separate indexes either way; nothing changes
/// there.
///
/// The columns are written out again rather than taken from `TrackingSchema.version1`: a migration is a snapshot of
/// the schema at its version, and must not change if a later step's DDL does.
enum MetricsWithoutRowidSchema {
    static func version5(_ kind: DatabaseKind) -> [String] {
        guard kind == .sqlite else { return [] }
        return [
            """
            CREATE TABLE metrics_v5 (
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
                WITHOUT ROWID
            """,
            """
            INSERT INTO metrics_v5 (run_id, key, value, is_nan, timestamp, step, model_id, dataset_name, dataset_digest)
            SELECT run_id, key, value, is_nan, timestamp, step, model_id, dataset_name, dataset_digest FROM metrics
            """,
            "DROP TABLE metrics",
            "ALTER TABLE metrics_v5 RENAME TO metrics",
        ]
    }
}
