import Foundation
import HangarML

/// The leaderboard `hangar train` prints.
enum Leaderboard {
    static func text(_ result: AutoMLResult, seconds: Double) -> String {
        let direction = result.metric.higherIsBetter ? "higher" : "lower"
        var lines = [
            "task: \(result.task.rawValue), ranked by \(result.metric.rawValue) (\(direction) is better), "
                + "\(result.trials.count) trial(s) in \(String(format: "%.1f", seconds)) s",
            pad("rank", 5) + pad("learner", 22) + pad("mean", 10) + pad("std", 10) + "parameters",
        ]
        for (rank, entry) in result.leaderboard.prefix(10).enumerated() {
            lines.append(
                pad("\(rank + 1)", 5) + pad(entry.family.rawValue, 22) + pad(String(format: "%.5f", entry.mean), 10)
                    + pad(String(format: "%.5f", entry.standardDeviation), 10) + entry.parameters.description)
        }
        return lines.joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

/// A one-line progress bar on standard error, redrawn in place when it is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let interactive = isatty(STDERR_FILENO) != 0

    init(total: Int) {
        self.total = total
    }

    func update(done: Int, planned: Int, best: Double?) {
        lock.lock()
        defer { lock.unlock() }
        let width = 30
        let fraction = planned > 0 ? min(1, Double(done) / Double(planned)) : 0
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let bestText = best.map { String(format: "best %.5f", $0) } ?? ""
        let line = "[\(bar)] \(done)/\(planned) trials \(bestText)"
        // Off a terminal (CI logs), one line per tenth of the plan instead of a redraw per trial.
        if !interactive && done != planned && done % max(1, planned / 10) != 0 { return }
        FileHandle.standardError.write(Data((interactive ? "\r" + line : line + "\n").utf8))
    }

    /// One line for a finished trial, e.g. `gbdt rows 33% roc_auc 0.95012 4.1 s numLeaves=31 trees=100`.
    func log(_ trial: Trial) {
        lock.lock()
        defer { lock.unlock() }
        let score = trial.failure.map { "failed: \($0)" }
            ?? "\(trial.metric.rawValue) \(String(format: "%.5f", trial.mean))"
        let line = "\(trial.family.rawValue) rows \(String(format: "%.0f", trial.resource * 100))% \(score) "
            + "\(String(format: "%.1f", trial.seconds)) s \(trial.parameters)"
        FileHandle.standardError.write(Data(((interactive ? "\r" : "") + line + "\n").utf8))
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
