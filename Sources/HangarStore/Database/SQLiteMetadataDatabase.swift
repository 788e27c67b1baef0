import Foundation
import Logging
import SQLiteKit
import Synchronization

/// The embedded store: one SQLite file in WAL mode, one writer connection behind a group-commit queue,
/// and a few reader connections that never block it.
public final class SQLiteMetadataDatabase: MetadataDatabase {
    public let kind = DatabaseKind.sqlite
    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let queue: GroupCommitQueue
    private let nextReader = Mutex(0)

    private init(writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.writer = writer
        self.readers = readers
        self.queue = GroupCommitQueue(connection: FastSQLiteDatabase(connection: writer))
    }

    /// Opens (creating if needed) the SQLite file at `path`.
    public static func open(path: String, durability: Durability, readerCount: Int = 4) async throws -> SQLiteMetadataDatabase {
        var logger = Logger(label: "hangar.sqlite")
        logger.logLevel = .warning
        let writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let sync = durability == .full ? "FULL" : "NORMAL"
        for pragma in [
            "PRAGMA busy_timeout = 30000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = \(sync)",
            "PRAGMA case_sensitive_like = ON", "PRAGMA foreign_keys = ON",
        ] {
            _ = try await writer.query(pragma)
        }
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount {
            let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            for pragma in ["PRAGMA busy_timeout = 30000", "PRAGMA case_sensitive_like = ON", "PRAGMA query_only = ON"] {
                _ = try await reader.query(pragma)
            }
            readers.append(reader)
        }
        return SQLiteMetadataDatabase(writer: writer, readers: readers)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let index = nextReader.withLock { value in
            value = (value + 1) % readers.count
            return value
        }
        return try await StoreTimers.measure(StoreTimers.read) { try await body(FastSQLiteDatabase(connection: readers[index])) }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await StoreTimers.measure(StoreTimers.write) { try await queue.submit(body) }
    }

    public func close() async {
        for reader in readers { try? await reader.close() }
        try? await writer.close()
    }
}
