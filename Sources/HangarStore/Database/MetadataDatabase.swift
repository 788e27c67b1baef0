import Metrics
import SQLKit

/// Which SQL engine holds the metadata.
public enum DatabaseKind: String, Sendable {
    case sqlite
    case postgres
}

/// Durability of an acknowledged write on SQLite.
public enum Durability: String, Sendable, CaseIterable {
    /// WAL with `synchronous=NORMAL`: survives a killed process, may lose the last commits on power loss.
    case normal
    /// WAL with `synchronous=FULL`: every commit is fsynced, survives power loss.
    case full
}

/// The SQL connection(s) behind the stores: transactional writes and concurrent reads.
///
/// Stores write SQL once against SQLKit; the backend decides how connections are used.
public protocol MetadataDatabase: Sendable {
    /// The engine, for the few statements whose DDL differs.
    var kind: DatabaseKind { get }

    /// Runs `body` on a connection that sees every committed write.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Runs `body` inside a transaction; its writes commit together or not at all.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Closes every connection.
    func close() async

    /// Signals that another process committed a change on `channel` (PostgreSQL LISTEN/NOTIFY); nil where
    /// there are no other processes to hear from (SQLite's single writer lives in this process).
    func notifications(channel: String) -> AsyncStream<Void>?
}

extension MetadataDatabase {
    public func notifications(channel: String) -> AsyncStream<Void>? { nil }
}

/// Latency of store calls, exported on `/metrics` as `hangar_store_duration_seconds`.
enum StoreTimers {
    static let read = Metrics.Timer(label: "hangar_store_duration_seconds", dimensions: [("op", "read")])
    static let write = Metrics.Timer(label: "hangar_store_duration_seconds", dimensions: [("op", "write")])

    static func measure<T>(_ timer: Metrics.Timer, _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer { timer.record(duration: ContinuousClock.now - start) }
        return try await body()
    }
}

/// Opens the metadata database a URL names: `sqlite:///path/file.db` or `postgres://user:pw@host:port/db`.
public func openMetadataDatabase(url: String, durability: Durability) async throws -> any MetadataDatabase {
    if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
        return try await PostgresMetadataDatabase.open(url: url)
    }
    if url.hasPrefix("sqlite://") {
        return try await SQLiteMetadataDatabase.open(path: String(url.dropFirst("sqlite://".count)), durability: durability)
    }
    throw StoreError.unsupportedURL(url)
}

/// Failures of the store itself (as opposed to a request the store refuses).
public enum StoreError: Error, CustomStringConvertible {
    case unsupportedURL(String)
    case schemaTooNew(found: Int, supported: Int)
    case corrupt(String)
    /// The database server cannot be reached or refused the connection (the reason in words).
    case unreachable(String)

    public var description: String {
        switch self {
        case .unsupportedURL(let url):
            "unsupported database URL '\(url)': use sqlite:///path/to/file.db or postgres://user:password@host:port/db"
        case .schemaTooNew(let found, let supported):
            "the database has schema version \(found), newer than this hangar binary supports (\(supported)); "
                + "run a newer hangar"
        case .corrupt(let detail):
            "the database is not in the expected shape: \(detail)"
        case .unreachable(let detail): detail
        }
    }
}
