import Foundation
import Logging
import NIOPosix
import SQLiteKit
import Synchronization

/// The embedded store: one SQLite file in WAL mode, one writer connection behind a group-commit queue,
/// and a few reader connections that never block it.
///
/// Every connection is driven through SQLite's C API directly (`DirectSQLiteConnection`). A read's body runs on
/// SwiftNIO's blocking thread pool (`ThreadPoolTaskExecutor`), so a long search never holds a thread that serves
/// requests, and all of its statements run there without a hop between them.
public final class SQLiteMetadataDatabase: MetadataDatabase {
    public let kind = DatabaseKind.sqlite
    private let writer: DirectSQLiteConnection
    private let diskThread: NIOThreadPool
    private let readers: [DirectSQLiteDatabase]
    private let queue: GroupCommitQueue
    private let nextReader = Mutex(0)

    private init(writer: DirectSQLiteConnection, durability: Durability, readers: [DirectSQLiteConnection], logger: Logger) {
        self.writer = writer
        self.readers = readers.map { DirectSQLiteDatabase(connection: $0, logger: logger) }
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
        ], fileSystem: BatchedWALFileSystem.isRegistered ? BatchedWALFileSystem.name : nil)
        writer.takeOverCheckpoints()
        var readers: [DirectSQLiteConnection] = []
        do {
            for _ in 0..<readerCount {
                readers.append(try DirectSQLiteConnection.open(path: path, pragmas: [
                    "PRAGMA busy_timeout = 30000", "PRAGMA case_sensitive_like = ON", "PRAGMA query_only = ON",
                ]))
            }
        } catch {
            for reader in readers { reader.close() }
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
        let reader = readers[index]
        return try await StoreTimers.measure(StoreTimers.read) {
            try await withTaskExecutorPreference(ThreadPoolTaskExecutor.shared) { try await body(reader) }
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await StoreTimers.measure(StoreTimers.write) { try await queue.submit(body) }
    }

    public func close() async {
        await queue.finish()
        for reader in readers { reader.connection.close() }
        try? await diskThread.shutdownGracefully()
        writer.close()
    }
}
