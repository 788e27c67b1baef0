import Foundation
import Logging
import NIOPosix
import SQLiteKit
import Synchronization

/// The embedded store: one SQLite file in WAL mode, one writer connection behind a group-commit queue,
/// and a few reader connections that never block it.
///
/// The writer is driven through SQLite's C API directly (`DirectSQLiteConnection`); the readers go through
/// SQLiteNIO, whose thread pool keeps a long search off the threads that serve requests.
public final class SQLiteMetadataDatabase: MetadataDatabase {
    public let kind = DatabaseKind.sqlite
    private let writer: DirectSQLiteConnection
    private let diskThread: NIOThreadPool
    private let readers: [SQLiteConnection]
    private let queue: GroupCommitQueue
    private let nextReader = Mutex(0)

    private init(writer: DirectSQLiteConnection, durability: Durability, readers: [SQLiteConnection], logger: Logger) {
        self.writer = writer
        self.readers = readers
        // COMMITs that fsync and WAL checkpoints run here, so no cooperative thread serving requests waits for a disk.
        diskThread = NIOThreadPool(numberOfThreads: 1)
        diskThread.start()
        queue = GroupCommitQueue(
            connection: writer, database: DirectSQLiteDatabase(connection: writer, logger: logger),
            diskThread: diskThread, fsyncOnCommit: durability == .full, logger: logger)
    }

    /// Opens (creating if needed) the SQLite file at `path`.
    public static func open(path: String, durability: Durability, readerCount: Int = 4) async throws -> SQLiteMetadataDatabase {
        var logger = Logger(label: "hangar.sqlite")
        logger.logLevel = .warning
        let sync = durability == .full ? "FULL" : "NORMAL"
        let writer = try DirectSQLiteConnection.open(path: path, pragmas: [
            "PRAGMA busy_timeout = 30000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = \(sync)",
            "PRAGMA case_sensitive_like = ON", "PRAGMA foreign_keys = ON",
            // Statement and savepoint journals in memory: a 100-row INSERT otherwise spills them to a temp file.
            "PRAGMA temp_store = MEMORY",
        ])
        writer.takeOverCheckpoints()
        var readers: [SQLiteConnection] = []
        do {
            for _ in 0..<readerCount {
                let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                readers.append(reader)
                for pragma in ["PRAGMA busy_timeout = 30000", "PRAGMA case_sensitive_like = ON", "PRAGMA query_only = ON"] {
                    _ = try await reader.query(pragma)
                }
            }
        } catch {
            for reader in readers { try? await reader.close() }
            writer.close()
            throw error
        }
        return SQLiteMetadataDatabase(writer: writer, durability: durability, readers: readers, logger: logger)
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
        try? await diskThread.shutdownGracefully()
        writer.close()
    }
}
