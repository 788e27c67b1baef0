import NIOCore
import SQLiteNIO
import Synchronization
import VaporCSQLite

/// One SQLite connection driven through the C API on the calling thread, its compiled statements kept for reuse.
///
/// SQLiteNIO runs every statement as a job on its thread pool and answers through an event loop; a write request is a
/// handful of statements of a few microseconds each, so those hops cost more than SQLite itself. This connection runs
/// a statement where it is called and keeps the compiled statement (keyed by its SQL text) for the next request with
/// the same SQL, so a whole commit group runs without leaving its thread. A lock serializes callers: the group-commit
/// queue on the writer, reads running on the blocking thread pool on a reader.
final class DirectSQLiteConnection: Sendable {
    private let state: Mutex<SQLiteStatementCache>
    private let walFrames = Atomic<Int>(0)

    private init(handle: sending OpaquePointer, statementCapacity: Int) {
        state = Mutex(SQLiteStatementCache(handle: handle, capacity: statementCapacity, maxKeptLength: 16 * 1024))
    }

    /// Opens (creating if needed) the SQLite file at `path` and applies `pragmas` in order.
    /// - Parameters:
    ///   - statementCapacity: how many compiled statements are kept for reuse.
    ///   - fileSystem: the SQLite VFS to open the file with; the default one when nil.
    static func open(
        path: String, pragmas: [String], statementCapacity: Int = 256, fileSystem: String? = nil
    ) throws -> DirectSQLiteConnection {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI
            | SQLITE_OPEN_EXRESCODE
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, fileSystem)
        guard status == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0).map { String(cString: $0) } } ?? "cannot open"
            sqlite_nio_sqlite3_close_v2(handle)
            throw SQLiteCallError(code: status, message: "\(message) (\(path))")
        }
        let connection = DirectSQLiteConnection(handle: handle, statementCapacity: statementCapacity)
        do {
            for pragma in pragmas { try connection.run(pragma) }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    /// Runs one SQL statement with `binds` for its `?NNN` parameters, handing every result row to `onRow`.
    func run(_ sql: String, _ binds: [SQLiteData] = [], onRow: (DirectSQLiteRow) -> Void = { _ in }) throws {
        try run(sql, binding: { binder in for value in binds { binder.bind(value) } }, onRow: onRow)
    }

    /// Runs one SQL statement, `bind` setting its parameters in order straight from the caller's values (no
    /// `SQLiteData` array; text bound from the caller's bytes: for bulk inserts, where building a bind array costs
    /// more than SQLite's insert), handing every result row to `onRow`.
    func run(
        _ sql: String, binding bind: (inout SQLiteBinder) -> Void, onRow: (DirectSQLiteRow) -> Void = { _ in }
    ) throws {
        try state.withLock { cache throws(SQLiteCallError) in
            guard let (statement, kept) = try cache.statement(for: sql) else { return }
            defer {
                if kept {
                    sqlite_nio_sqlite3_reset(statement)
                    sqlite_nio_sqlite3_clear_bindings(statement)
                } else {
                    sqlite_nio_sqlite3_finalize(statement)
                }
            }
            var binder = SQLiteBinder(statement: statement)
            bind(&binder)
            guard binder.status == SQLITE_OK else { throw cache.error(binder.status) }
            var columns: [String]?
            while true {
                let status = sqlite_nio_sqlite3_step(statement)
                if status == SQLITE_DONE { return }
                guard status == SQLITE_ROW else { throw cache.error(status) }
                let names = columns ?? Self.columnNames(of: statement)
                columns = names
                let values = (0..<Int32(names.count)).map { Self.value(at: $0, of: statement) }
                onRow(DirectSQLiteRow(columns: names, values: values))
            }
        }
    }

    /// Frames in the write-ahead log after this connection's last commit (0 until `takeOverCheckpoints()`).
    var framesInWAL: Int { walFrames.load(ordering: .relaxed) }

    /// Stops SQLite from checkpointing inside this connection's COMMITs and records the WAL's size after each instead,
    /// so that the group-commit queue can checkpoint between two groups, off the cooperative threads.
    func takeOverCheckpoints() {
        state.withLock { cache in
            cache.withHandle { handle in
                let context = Unmanaged.passUnretained(self).toOpaque()
                _ = sqlite_nio_sqlite3_wal_hook(handle, { context, _, _, frames in
                    guard let context else { return SQLITE_OK }
                    let connection = Unmanaged<DirectSQLiteConnection>.fromOpaque(context).takeUnretainedValue()
                    connection.walFrames.store(Int(frames), ordering: .relaxed)
                    return SQLITE_OK
                }, context)
            }
        }
    }

    /// Finalizes every kept statement and closes the connection; later calls fail.
    func close() {
        state.withLock { $0.close() }
    }

    private static func columnNames(of statement: OpaquePointer) -> [String] {
        (0..<sqlite_nio_sqlite3_column_count(statement)).map { column in
            sqlite_nio_sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
        }
    }

    private static func value(at column: Int32, of statement: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(SQLiteInt64(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }
}

/// Binds a statement's parameters in order (`?1`, `?2`, …); the first failure is kept and reported by the caller.
struct SQLiteBinder {
    fileprivate let statement: OpaquePointer
    private var position: Int32 = 1
    fileprivate private(set) var status = SQLITE_OK

    fileprivate init(statement: OpaquePointer) {
        self.statement = statement
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    private static let emptyText: StaticString = ""

    mutating func bind(_ value: Int64) {
        record(sqlite_nio_sqlite3_bind_int64(statement, position, value))
    }

    mutating func bind(_ text: String) {
        var text = text
        text.withUTF8 { bind(utf8: $0) }
    }

    mutating func bind(_ text: String?) {
        if let text { bind(text) } else { bindNull() }
    }

    /// UTF-8 text, copied by SQLite.
    mutating func bind(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        // A nil pointer would bind NULL, so empty text gets "".
        let start = bytes.baseAddress ?? Self.emptyText.utf8Start
        record(sqlite_nio_sqlite3_bind_text64(
            statement, position, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), UInt64(bytes.count),
            Self.transient, UInt8(SQLITE_UTF8)))
    }

    mutating func bind(utf8 bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { bind(utf8: $0) }
    }

    mutating func bind(_ value: SQLiteData) {
        switch value {
        case .integer(let number): bind(Int64(number))
        case .float(let number): record(sqlite_nio_sqlite3_bind_double(statement, position, number))
        // The bytes in place (a short string's on the stack): passing the String itself would copy it into a new
        // NUL-terminated heap array for every bind.
        case .text(let text): bind(text)
        case .blob(let bytes):
            bytes.withUnsafeReadableBytes {
                record(sqlite_nio_sqlite3_bind_blob64(statement, position, $0.baseAddress, UInt64($0.count), Self.transient))
            }
        case .null: bindNull()
        }
    }

    mutating func bindNull() {
        record(sqlite_nio_sqlite3_bind_null(statement, position))
    }

    private mutating func record(_ result: Int32) {
        if result != SQLITE_OK, status == SQLITE_OK { status = result }
        position += 1
    }
}

/// A failure the SQLite library reported: its extended result code and message.
struct SQLiteCallError: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    /// SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE (function-like macros the importer skips).
    var isUniqueViolation: Bool { code == SQLITE_CONSTRAINT | (6 << 8) || code == SQLITE_CONSTRAINT | (8 << 8) }

    var description: String { "SQLite error \(code): \(message)" }
}
