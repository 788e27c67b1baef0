import HangarCore
import PostgresNIO
import SQLKit
import SQLiteNIO

/// Experiments, runs, metrics, params, tags, dataset inputs and logged models, stored through SQLKit.
///
/// Every method either completes and commits or throws a `HangarError` saying what was refused; nothing is
/// half-written.
public struct TrackingStore: Sendable {
    let database: any MetadataDatabase

    public init(database: any MetadataDatabase) {
        self.database = database
    }

    /// MLflow's limits on what one request may log.
    public enum Limits {
        public static let batchMetrics = 1000
        public static let batchParams = 100
        public static let batchTags = 100
        public static let paramValueLength = 6000
        public static let tagValueLength = 8000
        public static let keyLength = 250
        public static let maxSearchResults = 50000
        public static let maxHistoryResults = 25000
    }
}

/// Whether a failed statement broke a UNIQUE or PRIMARY KEY constraint (a duplicate), on either engine.
func isUniqueViolation(_ error: any Error) -> Bool {
    if let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] { return state == "23505" }
    if let sqlite = error as? SQLiteError { return sqlite.reason == .constraintUniqueFailed || sqlite.reason == .constraintPrimaryKeyFailed }
    if let sqlite = error as? SQLiteCallError { return sqlite.isUniqueViolation }
    return false
}

extension TrackingStore {
    /// Checks a metric, param or tag key the way MLflow does: non-empty, bounded, no path tricks, and (with
    /// `characters`, as for runs and experiments) only the characters `EntityKey` allows.
    static func validateKey(_ key: String, kind: String, characters: Bool = true) throws(HangarError) {
        guard !key.isEmpty else { throw .invalid("Missing value for required parameter 'key'") }
        guard key.fits(limit: Limits.keyLength) else {
            throw .invalid("\(kind) name '\(key.prefix(40))...' had length \(key.codePointCount), which exceeded length limit of \(Limits.keyLength)")
        }
        // Plain ASCII segments are never absolute, never `..` and only use allowed characters.
        if EntityKey.isPlainASCII(key) { return }
        guard !key.hasPrefix("/"), !key.split(separator: "/").contains("..") else {
            throw .invalid("Invalid \(kind.lowercased()) name: '\(key)'. Names may not be absolute paths or contain '..'")
        }
        if characters { try EntityKey.check(key) }
    }

    /// Binds for `IN (...)` lists, chunked so no statement exceeds the engines' parameter limits.
    static func chunks<T>(_ values: [T], size: Int = 500) -> [ArraySlice<T>] {
        stride(from: 0, to: values.count, by: size).map { values[$0..<min($0 + size, values.count)] }
    }
}
