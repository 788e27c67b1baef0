import HangarCore
import HangarStore

/// The tracking calls clients make most, as functions of their parameters returning the JSON answer: creating a
/// run, logging a metric, logging a batch. Hummingbird's routes and the raw-bytes path (`RawRequestHandler`) both
/// answer through them, so the two never differ.
struct TrackingEndpoints: Sendable {
    let store: TrackingStore

    /// The route templates these endpoints answer, per API prefix.
    enum Call: CaseIterable {
        case createRun, logMetric, logBatch

        var suffix: String {
            switch self {
            case .createRun: "/runs/create"
            case .logMetric: "/runs/log-metric"
            case .logBatch: "/runs/log-batch"
            }
        }
    }

    func answer(_ call: Call, _ p: RequestParameters) async throws -> [UInt8] {
        switch call {
        case .createRun: try await createRun(p)
        case .logMetric: try await logMetric(p)
        case .logBatch: try await logBatch(p)
        }
    }

    func createRun(_ p: RequestParameters) async throws -> [UInt8] {
        let run = try await store.createRun(
            experimentId: try p.string("experiment_id") ?? "0", userId: try p.string("user_id"),
            runName: try p.string("run_name"), startTime: try p.int64("start_time"), tags: try p.tags())
        return JSONWriter.write(RunResponse(run: run))
    }

    func logMetric(_ p: RequestParameters) async throws -> [UInt8] {
        try await store.logBatch(runId: try p.runID(), metrics: [try Self.metric(p, field: "")], params: [], tags: [])
        return Self.emptyObject
    }

    func logBatch(_ p: RequestParameters) async throws -> [UInt8] {
        let metrics = try p.objects("metrics").enumerated().map { (index, item) in
            try Self.metric(item, field: "metrics[\(index)].")
        }
        let params = try p.objects("params").enumerated().map { (index, item) throws(HangarError) in
            Param(key: try item.requiredString("key", field: "params[\(index)]."), value: try item.string("value") ?? "")
        }
        try await store.logBatch(runId: try p.runID(), metrics: metrics, params: params, tags: try p.tags())
        return Self.emptyObject
    }

    /// MLflow's answer to a successful write.
    static let emptyObject = Array("{}".utf8)

    /// Reads one metric; `field` prefixes names in messages (e.g. `metrics[3].`).
    static func metric(_ p: RequestParameters, field: String) throws(HangarError) -> Metric {
        guard let value = try p.double("value") else { throw .invalid("Missing value for required parameter '\(field)value'") }
        guard let timestamp = try p.int64("timestamp") else {
            throw .invalid("Missing value for required parameter '\(field)timestamp'")
        }
        return Metric(
            key: try p.requiredString("key", field: field), value: value, timestamp: timestamp, step: try p.int64("step") ?? 0,
            modelId: try p.string("model_id"), datasetName: try p.string("dataset_name"),
            datasetDigest: try p.string("dataset_digest"))
    }
}
