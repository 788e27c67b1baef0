import Foundation
import HangarCore
import HangarML
import HangarStore

/// The prediction log's rows of one answered request: a row per input row, inputs and outputs as JSON.
///
/// The request hands this over as it is; the log's writer fills each row when it writes it, as UTF-8 bytes into the
/// writer's reused buffers, with the escaped column names and probability keys made once per column layout and
/// served version (`ServedVersion.recordKeys`), not once per request. A class, so that the queue and the writer pass
/// one reference around rather than copying a dozen fields.
public final class LoggedPrediction: PredictionLogRows {
    public let count: Int
    let requestId: String
    let table: InputTable
    let outputs: [Double]
    let version: ServedVersion
    let alias: String
    let timestamp: Int64
    let latencyMicros: Int64
    let entityIndex: Int?
    let entityKey: String?
    let shadow: Bool
    let keys: PredictionRecordKeys

    /// The rows of `table` answered by `version` with `outputs` (`version.outputWidth` values per row).
    public init(
        requestId: String, table: InputTable, outputs: [Double], version: ServedVersion, alias: String,
        timestamp: Int64, latencyMicros: Int64, entityColumn: String?, entityKey: String?, shadow: Bool
    ) {
        self.requestId = requestId
        self.table = table
        self.outputs = outputs
        self.version = version
        self.alias = alias
        self.timestamp = timestamp
        self.latencyMicros = latencyMicros
        self.entityKey = entityKey
        self.shadow = shadow
        count = table.rowCount
        entityIndex = entityColumn.flatMap { table.columns.firstIndex(of: $0) }
        keys = version.recordKeys.withLock { cached -> PredictionRecordKeys in
            if let cached, cached.columns == table.columns { return cached }
            let made = PredictionRecordKeys(columns: table.columns, labels: version.classLabels)
            cached = made
            return made
        }
    }

    public func fill(_ r: Int, into row: inout PredictionLogRow) {
        setShared(in: &row)
        setOwn(r, in: &row)
    }

    public func fill(_ range: Range<Int>, into row: inout PredictionLogRow, each: (inout PredictionLogRow) -> Void) {
        setShared(in: &row)
        for r in range {
            setOwn(r, in: &row)
            each(&row)
        }
    }

    /// The fields every row of the request has in common.
    private func setShared(in row: inout PredictionLogRow) {
        row.requestId = requestId
        row.model = version.model
        row.version = version.version
        row.alias = alias
        row.timestamp = timestamp
        row.latencyMicros = latencyMicros
        row.shadow = shadow
        row.groundTruth = nil
        row.groundTruthTimestamp = nil
    }

    /// Row `r`'s own fields: its index, inputs, outputs and entity.
    private func setOwn(_ r: Int, in row: inout PredictionLogRow) {
        row.row = r
        let columnKeys = keys.columnKeys
        row.inputs.removeAll(keepingCapacity: true)
        row.inputs.append(UInt8(ascii: "{"))
        for c in columnKeys.indices {
            if c > 0 { row.inputs.append(UInt8(ascii: ",")) }
            row.inputs += columnKeys[c]
            PredictionLogJSON.appendValue(table[r, c], to: &row.inputs)
        }
        row.inputs.append(UInt8(ascii: "}"))
        row.outputs.removeAll(keepingCapacity: true)
        row.outputs += #"{"prediction":"#.utf8
        let labels = keys.labels
        if labels.isEmpty {
            PredictionLogJSON.appendNumber(outputs[r], to: &row.outputs)
        } else {
            let width = version.outputWidth
            let probabilities = outputs[(r * width)..<((r + 1) * width)]
            let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }! - r * width
            row.outputs += labels[best].name
            for (k, label) in labels.enumerated() {
                row.outputs.append(UInt8(ascii: ","))
                row.outputs += label.key
                PredictionLogJSON.appendNumber(outputs[r * width + k], to: &row.outputs)
            }
        }
        row.outputs.append(UInt8(ascii: "}"))
        row.entityKey = entityKey
        if let entityIndex {
            switch table[r, entityIndex] {
            case .text(let text): row.entityKey = text
            case .number(let d): row.entityKey = d.compactText
            case .bool(let b): row.entityKey = String(b)
            case .missing: break
            }
        }
    }
}

/// The JSON the prediction log writes.
enum PredictionLogJSON {
    static func appendValue(_ value: InputValue, to out: inout [UInt8]) {
        switch value {
        case .number(let d): appendNumber(d, to: &out)
        case .text(let s): appendString(s, to: &out)
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .missing: out += "null".utf8
        }
    }

    /// JSON has no NaN or infinities: they are written as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
    static func appendNumber(_ d: Double, to out: inout [UInt8]) {
        if d.isNaN {
            out += #""NaN""#.utf8
        } else if d.isInfinite {
            out += (d > 0 ? #""Infinity""# : #""-Infinity""#).utf8
        } else {
            d.appendCompactText(to: &out)
        }
    }

    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += #"\""#.utf8
            case UInt8(ascii: "\\"): out += #"\\"#.utf8
            case UInt8(ascii: "\n"): out += #"\n"#.utf8
            case UInt8(ascii: "\r"): out += #"\r"#.utf8
            case UInt8(ascii: "\t"): out += #"\t"#.utf8
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += #"\u00"#.utf8
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// The escaped JSON keys of one column layout: `"name":` per column, and per class label its JSON string and its
/// `"proba_label":` key.
struct PredictionRecordKeys: Sendable {
    let columns: [String]
    let columnKeys: [[UInt8]]
    let labels: [(name: [UInt8], key: [UInt8])]

    init(columns: [String], labels: [String]) {
        self.columns = columns
        columnKeys = columns.map { column in
            var key: [UInt8] = []
            PredictionLogJSON.appendString(column, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
        self.labels = labels.map { label in
            var name: [UInt8] = []
            PredictionLogJSON.appendString(label, to: &name)
            var key: [UInt8] = []
            PredictionLogJSON.appendString("proba_" + label, to: &key)
            key.append(UInt8(ascii: ":"))
            return (name, key)
        }
    }
}
