import VaporCSQLite

/// An SQLite connection handle and the statements compiled on it, keyed by SQL text.
///
/// The stores build the same few SQL texts over and over (one per statement shape and batch size), so after warm-up
/// a request compiles nothing. When `capacity` statements are kept, the least recently used one is finalized. Texts
/// longer than `maxKeptLength` (bulk inserts of hundreds of rows, whose compile cost is small per row) are compiled
/// for one use only, so a few huge statements cannot hold megabytes.
struct SQLiteStatementCache: ~Copyable {
    private var handle: OpaquePointer?
    private let capacity: Int
    private let maxKeptLength: Int
    private var statements: [String: Entry] = [:]
    private var clock: UInt64 = 0

    private struct Entry {
        let statement: OpaquePointer
        var lastUse: UInt64
    }

    init(handle: OpaquePointer, capacity: Int, maxKeptLength: Int) {
        self.handle = handle
        self.capacity = max(capacity, 1)
        self.maxKeptLength = maxKeptLength
    }

    /// The compiled statement for `sql`, compiling it on first use, and whether it is kept (the caller resets a kept
    /// statement after use and finalizes one that is not); nil for text that holds no statement.
    mutating func statement(for sql: String) throws(SQLiteCallError) -> (statement: OpaquePointer, kept: Bool)? {
        guard let handle else { throw SQLiteCallError(code: SQLITE_MISUSE, message: "the connection is closed") }
        let keep = sql.utf8.count <= maxKeptLength
        clock &+= 1
        if keep, let index = statements.index(forKey: sql) {
            statements.values[index].lastUse = clock
            return (statements.values[index].statement, true)
        }
        var compiled: OpaquePointer?
        let flags = keep ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let status = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, flags, &compiled, nil)
        guard status == SQLITE_OK else { throw error(status) }
        guard let compiled else { return nil }
        guard keep else { return (compiled, false) }
        if statements.count >= capacity { evictLeastRecentlyUsed() }
        statements[sql] = Entry(statement: compiled, lastUse: clock)
        return (compiled, true)
    }

    /// Runs `body` with the open connection handle (not at all once closed).
    func withHandle(_ body: (OpaquePointer) -> Void) {
        if let handle { body(handle) }
    }

    /// The error for a failed call, with the connection's message for it.
    func error(_ status: Int32) -> SQLiteCallError {
        let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0).map { String(cString: $0) } } ?? "unknown error"
        return SQLiteCallError(code: status, message: message)
    }

    /// Finalizes every statement and closes the handle.
    mutating func close() {
        for entry in statements.values { sqlite_nio_sqlite3_finalize(entry.statement) }
        statements = [:]
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    private mutating func evictLeastRecentlyUsed() {
        guard let oldest = statements.min(by: { $0.value.lastUse < $1.value.lastUse }) else { return }
        sqlite_nio_sqlite3_finalize(oldest.value.statement)
        statements.removeValue(forKey: oldest.key)
    }

    deinit {
        for entry in statements.values { sqlite_nio_sqlite3_finalize(entry.statement) }
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
    }
}
