import Foundation

/// Writes predictions as CSV, one line per input row: `prediction`, plus `proba_<class>` per class for classifiers.
public enum PredictionCSV {
    /// The CSV text for these predictions.
    public static func text(_ predictions: Predictions) -> String {
        header(task: predictions.task, classLabels: predictions.classLabels) + rows(predictions)
    }

    /// The header line: `prediction`, then `proba_<class>` per class for classifiers.
    public static func header(task: TaskKind, classLabels: [String]) -> String {
        guard task.isClassification else { return "prediction\n" }
        return (["prediction"] + classLabels.map { "proba_" + $0 }).map(quoted).joined(separator: ",") + "\n"
    }

    /// One line per row, without the header.
    public static func rows(_ predictions: Predictions) -> String {
        var out = ""
        out.reserveCapacity(predictions.rowCount * (predictions.width * 20 + 4))
        if predictions.task.isClassification {
            let labels = predictions.classLabels.map(quoted)
            let classes = predictions.predictedClasses ?? []
            for row in 0..<predictions.rowCount {
                out += labels[classes[row]]
                for k in 0..<predictions.width {
                    out += ","
                    out += format(predictions.values[row * predictions.width + k])
                }
                out += "\n"
            }
        } else {
            for row in 0..<predictions.rowCount {
                out += format(predictions.values[row])
                out += "\n"
            }
        }
        return out
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
