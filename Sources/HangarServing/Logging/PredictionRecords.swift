import Foundation
import HangarCore
import HangarML

/// Builds the prediction log's records of one answered request: a record per row, inputs and outputs as JSON.
///
/// The prediction log's writer runs this for every logged row, so the JSON is written as UTF-8 bytes into one reused
/// buffer, with the escaped column names and probability keys made once per column layout and served version
/// (`ServedVersion.recordKeys`), not once per request.
public enum PredictionRecords {
    /// Records for `table`'s rows answered by `version` with `outputs` (`version.outputWidth` values per row).
    public static func make(
        requestId: String, table: InputTable, outputs: [Double], version: ServedVersion, alias: String,
        timestamp: Int64, latencyMicros: Int64, entityColumn: String?, entityKey: String?, shadow: Bool
    ) -> [PredictionRecord] {
        let width = version.outputWidth
        let cached = version.recordKeys.withLock { cached -> PredictionRecordKeys in
            if let cached, cached.columns == table.columns { return cached }
            let made = PredictionRecordKeys(columns: table.columns, labels: version.classLabels)
            cached = made
            return made
        }
        let labels = cached.labels
        let keys = cached.columnKeys
        let entityIndex = entityColumn.flatMap { table.columns.firstIndex(of: $0) }
        var records: [PredictionRecord] = []
        records.reserveCapacity(table.rowCount)
        var json: [UInt8] = []
        json.reserveCapacity(64 + 24 * keys.count)
        for r in 0..<table.rowCount {
            json.removeAll(keepingCapacity: true)
            json.append(UInt8(ascii: "{"))
            for c in keys.indices {
                if c > 0 { json.append(UInt8(ascii: ",")) }
                json += keys[c]
                appendValue(table[r, c], to: &json)
            }
            json.append(UInt8(ascii: "}"))
            let inputs = String(decoding: json, as: UTF8.self)
            json.removeAll(keepingCapacity: true)
            json += #"{"prediction":"#.utf8
            if labels.isEmpty {
                appendNumber(outputs[r], to: &json)
            } else {
                let probabilities = outputs[(r * width)..<((r + 1) * width)]
                let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }! - r * width
                json += labels[best].name
                for (k, label) in labels.enumerated() {
                    json.append(UInt8(ascii: ","))
                    json += label.key
                    appendNumber(outputs[r * width + k], to: &json)
                }
            }
            json.append(UInt8(ascii: "}"))
            let out = String(decoding: json, as: UTF8.self)
            var entity = entityKey
            if let entityIndex {
                switch table[r, entityIndex] {
                case .text(let text): entity = text
                case .number(let d): entity = d.compactText
                case .bool(let b): entity = String(b)
                case .missing: break
                }
            }
            records.append(PredictionRecord(
                requestId: requestId, row: r, model: version.model, version: version.version, alias: alias,
                timestamp: timestamp, entityKey: entity, inputs: inputs, outputs: out, latencyMicros: latencyMicros,
                shadow: shadow))
        }
        return records
    }

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
            PredictionRecords.appendString(column, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
        self.labels = labels.map { label in
            var name: [UInt8] = []
            PredictionRecords.appendString(label, to: &name)
            var key: [UInt8] = []
            PredictionRecords.appendString("proba_" + label, to: &key)
            key.append(UInt8(ascii: ":"))
            return (name, key)
        }
    }
}
