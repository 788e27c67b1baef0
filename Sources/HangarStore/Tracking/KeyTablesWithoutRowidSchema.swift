/// Schema version 6: fewer B-trees per tracking write.
///
/// - `latest_metrics_by_key` is dropped (both engines). Run searches are always scoped to experiments and reach a
///   run's latest metric through the (run, key) primary key, for filters and ordering alike; the (key, value) index
///   was never read, yet every `log-metric` moved an entry in it.
/// - On SQLite, `latest_metrics`, `params` and `tags` are stored as their (run, key) primary keys (`WITHOUT ROWID`),
///   as `metrics` has been since version 5: a row was kept twice, in the table and in the key's index, so each write
///   updated two B-trees and committed two pages. A `log-metric` now commits 2 pages instead of 4 and a
///   `runs/create` (which writes the run's tags) 4 instead of 5.
///
/// As in version 5, the columns are written out here, a snapshot of the schema at this version.
enum KeyTablesWithoutRowidSchema {
    static func version6(_ kind: DatabaseKind) -> [String] {
        guard kind == .sqlite else { return ["DROP INDEX IF EXISTS latest_metrics_by_key"] }
        return [
            "DROP INDEX IF EXISTS latest_metrics_by_key",
            """
            CREATE TABLE latest_metrics_v6 (
                run_id TEXT NOT NULL REFERENCES runs(run_id),
                key TEXT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                is_nan INTEGER NOT NULL,
                timestamp BIGINT NOT NULL,
                step BIGINT NOT NULL,
                PRIMARY KEY (run_id, key))
                WITHOUT ROWID
            """,
            """
            INSERT INTO latest_metrics_v6 (run_id, key, value, is_nan, timestamp, step)
            SELECT run_id, key, value, is_nan, timestamp, step FROM latest_metrics
            """,
            "DROP TABLE latest_metrics",
            "ALTER TABLE latest_metrics_v6 RENAME TO latest_metrics",
        ] + keyValueTable("params") + keyValueTable("tags")
    }

    /// A run's `(run_id, key, value)` table rebuilt without a rowid.
    private static func keyValueTable(_ name: String) -> [String] {
        [
            """
            CREATE TABLE \(name)_v6 (
                run_id TEXT NOT NULL REFERENCES runs(run_id), key TEXT NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY (run_id, key))
                WITHOUT ROWID
            """,
            "INSERT INTO \(name)_v6 (run_id, key, value) SELECT run_id, key, value FROM \(name)",
            "DROP TABLE \(name)",
            "ALTER TABLE \(name)_v6 RENAME TO \(name)",
        ]
    }
}
