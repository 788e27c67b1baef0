import Foundation

/// Writes predictions as CSV, one line per input row: `prediction`, plus `proba_<class>` per class for classifiers.
public enum PredictionCSV {
    /// The CSV text for these predictions.
    public static func text(_ predictions: Predictions) -> String {
        var lines: [String] = []
        lines.reserveCapacity(predictions.rowCount + 1)
        if predictions.task.isClassification {
            let labels = predictions.classLabels
            lines.append((["prediction"] + labels.map { "proba_" + $0 }).map(quoted).joined(separator: ","))
            let classes = predictions.predictedClasses ?? []
            for row in 0..<predictions.rowCount {
                let probabilities = predictions.row(row).map { format($0) }
                lines.append(([quoted(labels[classes[row]])] + probabilities).joined(separator: ","))
            }
        } else {
            lines.append("prediction")
            for row in 0..<predictions.rowCount { lines.append(format(predictions.values[row])) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the CSV to `path` atomically.
    public static func write(_ predictions: Predictions, to path: String) throws {
        try Data(text(predictions).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func format(_ value: Double) -> String {
        value.isNaN ? "" : String(value)
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
