import Foundation
import HangarCore
import HangarML
import Metrics
import Synchronization

/// A model version loaded, warmed and ready to answer: immutable, shared by every request that routes to it.
///
/// A swap replaces the reference a slot holds; requests that already hold this object finish on it.
public final class ServedVersion: Sendable {
    public let model: String
    public let version: String
    public let runId: String?
    public let approval: ApprovalState
    /// The format the version was loaded from: `hangar`, `lightgbm` or `xgboost`.
    public let flavor: String
    public let loadedAt: Date
    public let tabular: TabularModel
    public let encoder: InputEncoder

    public let requests: Counter
    public let failures: Counter
    public let latency: Metrics.Timer
    /// The prediction log's JSON keys for the column layout this version was last asked with (`LoggedPrediction`).
    let recordKeys = Mutex<PredictionRecordKeys?>(nil)

    public init(model: String, version: String, runId: String?, approval: ApprovalState, flavor: String, tabular: TabularModel) {
        self.model = model
        self.version = version
        self.runId = runId
        self.approval = approval
        self.flavor = flavor
        self.loadedAt = Date()
        self.tabular = tabular
        self.encoder = InputEncoder(model: tabular)
        let dimensions = [("model", model), ("version", version)]
        requests = Counter(label: "hangar_serving_requests_total", dimensions: dimensions)
        failures = Counter(label: "hangar_serving_errors_total", dimensions: dimensions)
        latency = Metrics.Timer(label: "hangar_serving_latency_seconds", dimensions: dimensions)
    }

    /// Class labels (classifiers) or empty (regression).
    public var classLabels: [String] { tabular.target.task.isClassification ? tabular.target.classLabels : [] }

    /// Values per output row: 1 for regression, one probability per class for classifiers.
    public var outputWidth: Int { tabular.outputWidth }

    /// Predicts encoded rows (`encoder.encode`), `outputWidth` values per row; large batches use every core.
    public func predict(encoded rows: [Float]) -> [Double] {
        let width = tabular.schema.features.count
        let rowCount = rows.count / max(width, 1)
        var out = [Double](repeating: 0, count: rowCount * outputWidth)
        rows.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                // The schema width always matches what `encoder` produced, so this cannot fail.
                try? tabular.predict(rows: input, into: output, threads: rowCount >= 4096 ? ProcessorCount.available : 1)
            }
        }
        return out
    }

    /// Encodes and predicts `table`.
    public func predict(_ table: InputTable) throws(InputError) -> [Double] {
        predict(encoded: try encoder.encode(table))
    }

    /// Predicts a row of zeros and checks the answer is usable (finite; probabilities summing to 1).
    func warm() throws(ServingLoadError) {
        let row = [Float](repeating: 0, count: tabular.schema.features.count)
        let out = predict(encoded: row)
        guard out.count == outputWidth, out.allSatisfy(\.isFinite) else {
            throw .warmUpFailed("the warm-up prediction was not a finite number (\(out))")
        }
        if tabular.target.task.isClassification {
            let sum = out.reduce(0, +)
            guard abs(sum - 1) < 1e-6 else { throw .warmUpFailed("warm-up class probabilities sum to \(sum), not 1") }
        }
    }
}
