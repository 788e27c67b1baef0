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

/// Response shapes of the tracking API.
struct ExperimentResponse: Encodable { let experiment: Experiment }
struct ExperimentIDResponse: Encodable { let experimentId: String }
struct ExperimentsPage: Encodable {
    let experiments: [Experiment]?
    let nextPageToken: String?
}
struct RunResponse: Encodable { let run: Run }
struct RunInfoResponse: Encodable { let runInfo: RunInfo }
struct RunsPage: Encodable {
    let runs: [Run]?
    let nextPageToken: String?
}
struct MetricsPage: Encodable {
    let metrics: [Metric]?
    let nextPageToken: String?
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
