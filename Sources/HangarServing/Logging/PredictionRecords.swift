import Foundation
import HangarCore
import HangarML

/// Builds the prediction log's records of one answered request: a record per row, inputs and outputs as JSON.
public enum PredictionRecords {
    /// Records for `table`'s rows answered by `version` with `outputs` (`version.outputWidth` values per row).
    public static func make(
        requestId: String, table: InputTable, outputs: [Double], version: ServedVersion, alias: String,
        timestamp: Int64, latencyMicros: Int64, entityColumn: String?, entityKey: String?, shadow: Bool
    ) -> [PredictionRecord] {
        let width = version.outputWidth
        let labels = version.classLabels
        let entityIndex = entityColumn.flatMap { table.columns.firstIndex(of: $0) }
        var records: [PredictionRecord] = []
        records.reserveCapacity(table.rowCount)
        for r in 0..<table.rowCount {
            var inputs = "{"
            for (c, name) in table.columns.enumerated() {
                if c > 0 { inputs += "," }
                appendString(name, to: &inputs)
                inputs += ":"
                appendValue(table[r, c], to: &inputs)
            }
            inputs += "}"
            var out = "{\"prediction\":"
            if labels.isEmpty {
                appendNumber(outputs[r], to: &out)
            } else {
                let probabilities = outputs[(r * width)..<((r + 1) * width)]
                let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }! - r * width
                appendString(labels[best], to: &out)
                for (k, label) in labels.enumerated() {
                    out += ","
                    appendString("proba_" + label, to: &out)
                    out += ":"
                    appendNumber(outputs[r * width + k], to: &out)
                }
            }
            out += "}"
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

    static func appendValue(_ value: InputValue, to out: inout String) {
        switch value {
        case .number(let d): appendNumber(d, to: &out)
        case .text(let s): appendString(s, to: &out)
        case .bool(let b): out += b ? "true" : "false"
        case .missing: out += "null"
        }
    }

    static func appendNumber(_ d: Double, to out: inout String) {
        if d.isNaN { out += "\"NaN\"" } else if d.isInfinite { out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"" } else if d == d.rounded(), abs(d) < 1e15 {
            out += String(Int64(d))
        } else {
            out += String(d)
        }
    }

    static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
