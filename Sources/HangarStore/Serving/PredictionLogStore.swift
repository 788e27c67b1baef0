import Foundation
import HangarCore
import SQLKit

/// The prediction log: served predictions, and the ground truth attached to them later.
public struct PredictionLogStore: Sendable {
    let database: any MetadataDatabase

    public init(database: any MetadataDatabase) {
        self.database = database
    }

    /// Rows per INSERT statement: 13 binds each keeps the statement's text under the writer's 16 KB limit for
    /// compiled statements it keeps (SQLite and PostgreSQL take far more binds).
    static let rowsPerStatement = 128

    static let columns = """
        request_id, row_index, model, version, alias, timestamp, entity_key, inputs, outputs, latency_us, shadow, \
        ground_truth, ground_truth_timestamp
        """

    /// Appends records in one transaction.
    public func append(_ records: [PredictionRecord]) async throws {
        try await append([PredictionRecordRows(records)])
    }

    /// Appends the rows of `batch`, in order, in one transaction.
    ///
    /// Full statements take `rowsPerStatement` rows and the rest goes in power-of-two pieces, so every statement has
    /// one of eight shapes and is compiled once, however many rows a batch holds. On SQLite each row's fields are
    /// bound straight from the row as it is filled (this is the prediction log's hot path: a busy server logs tens of
    /// thousands of rows a second); elsewhere the rows become records and SQLKit binds.
    public func append(_ batch: [any PredictionLogRows]) async throws {
        let total = batch.reduce(0) { $0 + $1.count }
        guard total > 0 else { return }
        try await database.write { db in
            if let sqlite = db as? DirectSQLiteDatabase {
                try Self.insert(batch, total: total, into: sqlite.connection)
                return
            }
            let records = batch.flatMap { $0.records() }
            var start = 0
            while start < records.count {
                let size = Self.statementSize(remaining: records.count - start)
                let values = SQLValueRows(rows: records[start..<(start + size)].map { r -> [any Encodable & Sendable] in
                    [r.requestId, Int64(r.row), r.model, r.version, r.alias, r.timestamp, r.entityKey, r.inputs, r.outputs,
                     r.latencyMicros, Int64(r.shadow ? 1 : 0), r.groundTruth, r.groundTruthTimestamp]
                })
                try await db.raw("INSERT INTO prediction_log (\(unsafeRaw: Self.columns)) VALUES \(values)").run()
                start += size
            }
        }
    }

    /// Rows in the next INSERT when `remaining` rows are left: a full statement, or the largest power of two.
    static func statementSize(remaining: Int) -> Int {
        var size = rowsPerStatement
        while size > remaining { size /= 2 }
        return size
    }

    /// The SQLite path of `append`: every row filled into one reused `PredictionLogRow` and bound from it.
    private static func insert(_ batch: [any PredictionLogRows], total: Int, into connection: DirectSQLiteConnection) throws {
        let counts = batch.map(\.count)
        var row = PredictionLogRow()
        var source = 0
        var next = 0
        var start = 0
        while start < total {
            let size = statementSize(remaining: total - start)
            try connection.run(sqliteInsert(rows: size)) { binder in
                var left = size
                while left > 0 {
                    let taken = min(left, counts[source] - next)
                    batch[source].fill(next..<(next + taken), into: &row) { bind($0, to: &binder) }
                    next += taken
                    left -= taken
                    if next == counts[source] {
                        source += 1
                        next = 0
                    }
                }
            }
            start += size
        }
    }

    private static func bind(_ row: PredictionLogRow, to binder: inout SQLiteBinder) {
        binder.bind(row.requestId)
        binder.bind(Int64(row.row))
        binder.bind(row.model)
        binder.bind(row.version)
        binder.bind(row.alias)
        binder.bind(row.timestamp)
        binder.bind(row.entityKey)
        binder.bind(utf8: row.inputs)
        binder.bind(utf8: row.outputs)
        binder.bind(row.latencyMicros)
        binder.bind(Int64(row.shadow ? 1 : 0))
        binder.bind(row.groundTruth)
        if let time = row.groundTruthTimestamp { binder.bind(time) } else { binder.bindNull() }
    }

    /// `INSERT … VALUES (?, …), …` for `rows` rows, made once per size.
    private static func sqliteInsert(rows: Int) -> String {
        insertTexts[rows.trailingZeroBitCount]
    }

    private static let insertTexts: [String] = (0...rowsPerStatement.trailingZeroBitCount).map { power in
        let row = "(" + Array(repeating: "?", count: 13).joined(separator: ", ") + ")"
        return "INSERT INTO prediction_log (\(columns)) VALUES " + Array(repeating: row, count: 1 << power).joined(separator: ", ")
    }

    /// Attaches true values to served (non-shadow) predictions of `model`; returns, per input, whether a prediction
    /// matched. A request id without a row applies to every row of that request.
    public func attach(model: String, truths: [GroundTruth]) async throws -> [Bool] {
        for (index, truth) in truths.enumerated() {
            if truth.requestId == nil && (truth.entityKey == nil || truth.timestamp == nil) {
                throw HangarError.invalid(
                    "Ground truth record \(index) needs 'request_id', or 'entity_key' and 'timestamp'")
            }
        }
        let now = nowMillis()
        return try await database.write { db in
            var matched: [Bool] = []
            matched.reserveCapacity(truths.count)
            for truth in truths {
                let rows: [SQLRow]
                if let requestId = truth.requestId {
                    let row: SQLQueryString = truth.row.map { " AND row_index = \(bind: Int64($0))" } ?? ""
                    rows = try await db.raw("""
                        SELECT id FROM prediction_log WHERE request_id = \(bind: requestId)\(row)
                        AND \(Self.sameModel(model)) AND shadow = 0
                        """).all()
                } else {
                    rows = try await db.raw("""
                        SELECT id FROM prediction_log WHERE model = \(bind: model) AND entity_key = \(bind: truth.entityKey!)
                        AND timestamp <= \(bind: truth.timestamp!) AND shadow = 0 ORDER BY timestamp DESC, id DESC LIMIT 1
                        """).all()
                }
                for row in rows {
                    try await db.raw("""
                        UPDATE prediction_log SET ground_truth = \(bind: truth.value), ground_truth_timestamp = \(bind: now)
                        WHERE id = \(bind: try row.int64("id"))
                        """).run()
                }
                matched.append(!rows.isEmpty)
            }
            return matched
        }
    }

    /// `model = ?` for a query that also names a request id, written so that the planner cannot use it to pick an
    /// index: SQLite otherwise prefers the (model, timestamp) index for `request_id = ? AND model = ?` and reads every
    /// record of the model per lookup, where the request id's index finds the few rows at once.
    static func sameModel(_ model: String) -> SQLQueryString {
        "model || '' = \(bind: model)"
    }

    /// The newest records of `model` (all models when nil), newest first.
    public func recent(model: String?, requestId: String? = nil, limit: Int) async throws -> [PredictionRecord] {
        let limit = max(1, min(limit, 10_000))
        return try await database.read { db in
            var where_: [SQLQueryString] = []
            if let model { where_.append(requestId == nil ? "model = \(bind: model)" : Self.sameModel(model)) }
            if let requestId { where_.append("request_id = \(bind: requestId)") }
            let clause: SQLQueryString = where_.isEmpty ? "" : "WHERE \(where_.joined(separator: " AND "))"
            // For one model, newest by time (then insertion): the (model, timestamp) index yields the first `limit`
            // rows as they are. Ordered by id alone, every row of the model was read and sorted first (0.2 s and the
            // whole table read for the newest of 500,000 records).
            let order: SQLQueryString = model != nil && requestId == nil ? "timestamp DESC, id DESC" : "id DESC"
            return try await db.raw("SELECT * FROM prediction_log \(clause) ORDER BY \(order) LIMIT \(bind: limit)").all().map(Self.record)
        }
    }

    /// How many records `model` has (all models when nil).
    public func count(model: String?) async throws -> Int {
        try await database.read { db in
            let row = model == nil
                ? try await db.raw("SELECT COUNT(*) AS n FROM prediction_log").first()
                : try await db.raw("SELECT COUNT(*) AS n FROM prediction_log WHERE model = \(bind: model!)").first()
            return Int(try row?.int64("n") ?? 0)
        }
    }

    /// Deletes records older than `cutoff` (ms since the epoch); returns how many went.
    @discardableResult
    public func deleteOlder(than cutoff: Int64) async throws -> Int {
        try await database.write { db in
            let row = try await db.raw("SELECT COUNT(*) AS n FROM prediction_log WHERE timestamp < \(bind: cutoff)").first()
            try await db.raw("DELETE FROM prediction_log WHERE timestamp < \(bind: cutoff)").run()
            return Int(try row?.int64("n") ?? 0)
        }
    }

    static func record(_ row: any SQLRow) throws -> PredictionRecord {
        PredictionRecord(
            requestId: try row.string("request_id"), row: Int(try row.int64("row_index")), model: try row.string("model"),
            version: try row.string("version"), alias: try row.string("alias"), timestamp: try row.int64("timestamp"),
            entityKey: try row.optionalString("entity_key"), inputs: try row.string("inputs"), outputs: try row.string("outputs"),
            latencyMicros: try row.int64("latency_us"), shadow: try row.int64("shadow") != 0,
            groundTruth: try row.optionalString("ground_truth"), groundTruthTimestamp: try row.optionalInt64("ground_truth_timestamp"))
    }
}
