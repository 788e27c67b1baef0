import HangarCore

/// One prediction-log row as the writer fills it: the text fields it shares with its request, and its inputs and
/// outputs as JSON bytes in buffers that are reused from row to row.
///
/// The log's writer binds these fields straight into SQLite's statement, so a logged row costs no `String` for its
/// JSON and no record on the heap; `record` makes a `PredictionRecord` for the places that need one.
public struct PredictionLogRow: Sendable {
    public var requestId = ""
    public var row = 0
    public var model = ""
    public var version = ""
    public var alias = ""
    public var timestamp: Int64 = 0
    public var entityKey: String?
    /// The row's inputs as a JSON object text, in UTF-8.
    public var inputs: [UInt8] = []
    /// The row's outputs as a JSON object text, in UTF-8.
    public var outputs: [UInt8] = []
    public var latencyMicros: Int64 = 0
    public var shadow = false
    public var groundTruth: String?
    public var groundTruthTimestamp: Int64?

    public init() {}

    /// The row as a record.
    public var record: PredictionRecord {
        PredictionRecord(
            requestId: requestId, row: row, model: model, version: version, alias: alias, timestamp: timestamp,
            entityKey: entityKey, inputs: String(decoding: inputs, as: UTF8.self),
            outputs: String(decoding: outputs, as: UTF8.self), latencyMicros: latencyMicros, shadow: shadow,
            groundTruth: groundTruth, groundTruthTimestamp: groundTruthTimestamp)
    }

    /// Sets every field from `record`.
    mutating func set(_ record: PredictionRecord) {
        requestId = record.requestId
        row = record.row
        model = record.model
        version = record.version
        alias = record.alias
        timestamp = record.timestamp
        entityKey = record.entityKey
        inputs.removeAll(keepingCapacity: true)
        inputs.append(contentsOf: record.inputs.utf8)
        outputs.removeAll(keepingCapacity: true)
        outputs.append(contentsOf: record.outputs.utf8)
        latencyMicros = record.latencyMicros
        shadow = record.shadow
        groundTruth = record.groundTruth
        groundTruthTimestamp = record.groundTruthTimestamp
    }
}

/// A run of rows for the prediction log, made only when they are written (typically one answered request's rows,
/// turned into JSON by the log's writer instead of the thread that answered).
public protocol PredictionLogRows: Sendable {
    /// How many rows there are.
    var count: Int { get }

    /// Sets `row`'s fields to row `index` (0..<count), reusing its buffers.
    func fill(_ index: Int, into row: inout PredictionLogRow)

    /// Sets `row`'s fields to each row of `range` in turn, calling `each` after each. What a whole run of rows shares
    /// can be set once; the default fills row by row.
    func fill(_ range: Range<Int>, into row: inout PredictionLogRow, each: (inout PredictionLogRow) -> Void)
}

extension PredictionLogRows {
    public func fill(_ range: Range<Int>, into row: inout PredictionLogRow, each: (inout PredictionLogRow) -> Void) {
        for index in range {
            fill(index, into: &row)
            each(&row)
        }
    }

    /// The rows as records.
    public func records() -> [PredictionRecord] {
        var row = PredictionLogRow()
        return (0..<count).map { index in
            fill(index, into: &row)
            return row.record
        }
    }
}

/// Records already made (sent by a remote `hangar serve`, say) as log rows.
public struct PredictionRecordRows: PredictionLogRows {
    public let records: [PredictionRecord]

    public init(_ records: [PredictionRecord]) {
        self.records = records
    }

    public var count: Int { records.count }

    public func fill(_ index: Int, into row: inout PredictionLogRow) {
        row.set(records[index])
    }
}

/// The first `count` rows of `base`: what is kept of a request when the log's queue has room for only some of it.
public struct PredictionLogPrefix: PredictionLogRows {
    public let base: any PredictionLogRows
    public let count: Int

    public init(_ base: any PredictionLogRows, count: Int) {
        self.base = base
        self.count = min(count, base.count)
    }

    public func fill(_ index: Int, into row: inout PredictionLogRow) {
        base.fill(index, into: &row)
    }
}
