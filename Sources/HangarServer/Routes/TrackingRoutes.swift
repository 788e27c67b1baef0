import HangarCore
import HangarStore
import Hummingbird

/// MLflow's tracking REST API (experiments, runs, metrics, params, tags, inputs) over `TrackingStore`.
///
/// Handlers only translate HTTP to store calls; every path is served under `/api/2.0/mlflow` and the UI's
/// `/ajax-api/2.0/mlflow` twin.
struct TrackingRoutes {
    let store: TrackingStore

    static let prefixes = ["/api/2.0/mlflow", "/ajax-api/2.0/mlflow"]

    func register(on router: Router<HangarRequestContext>) {
        for prefix in Self.prefixes {
            registerExperiments(on: router, prefix: prefix)
            registerRuns(on: router, prefix: prefix)
            registerRunLogging(on: router, prefix: prefix)
        }
    }
}

/// Response shapes of the tracking API, written with `JSONWriter`.
struct ExperimentResponse: JSONWritable {
    let experiment: Experiment
    func write(to w: inout JSONWriter) { w.object { w in w.field("experiment", experiment) } }
}

struct ExperimentIDResponse: JSONWritable {
    let experimentId: String
    func write(to w: inout JSONWriter) { w.object { w in w.field("experiment_id", experimentId) } }
}

struct ExperimentsPage: JSONWritable {
    let experiments: [Experiment]
    let nextPageToken: String?
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.nonEmpty("experiments", experiments)
            w.field("next_page_token", nextPageToken)
        }
    }
}

struct RunResponse: JSONWritable {
    let run: Run
    func write(to w: inout JSONWriter) { w.object { w in w.field("run", run) } }
}

struct RunInfoResponse: JSONWritable {
    let runInfo: RunInfo
    func write(to w: inout JSONWriter) { w.object { w in w.field("run_info", runInfo) } }
}

struct RunsPage: JSONWritable {
    let runs: [Run]
    let nextPageToken: String?
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.nonEmpty("runs", runs)
            w.field("next_page_token", nextPageToken)
        }
    }
}

struct MetricsPage: JSONWritable {
    let metrics: [Metric]
    let nextPageToken: String?
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.nonEmpty("metrics", metrics)
            w.field("next_page_token", nextPageToken)
        }
    }
}

extension RequestParameters {
    /// `view_type` / `run_view_type` as MLflow sends it (a name, or the proto's number).
    func viewType(_ key: String) throws(HangarError) -> ViewType {
        let text = try string(key)
        let number = text == nil ? try int64(key) : nil
        guard let raw = text ?? number.map({ String($0) }) else { return .activeOnly }
        switch raw {
        case "ACTIVE_ONLY", "1": return .activeOnly
        case "DELETED_ONLY", "2": return .deletedOnly
        case "ALL", "3": return .all
        default: throw .invalid("Invalid value '\(raw)' for parameter '\(key)': use ACTIVE_ONLY, DELETED_ONLY or ALL")
        }
    }
}
