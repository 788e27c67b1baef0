import HangarServing
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// Everything a process needs to serve models: the hub of loaded versions, the follower that keeps it in step
/// with the registry, the prediction log, and the routes over them.
public struct ServingRuntime: Sendable {
    public let hub: ServingHub
    public let follower: ServingFollower
    public let log: PredictionLogger?
    let options: ServingOptions

    public init(options: ServingOptions, source: any ServingSource, sink: any PredictionSink, logger: Logger) {
        // Serving's counters and gauges are created here: the metrics backend must be installed first.
        _ = HangarServer.metricsRegistry
        self.options = options
        hub = ServingHub(maxInFlight: options.maxInFlight)
        follower = ServingFollower(hub: hub, source: source, selection: options.selection, logger: logger)
        log = options.log.map { PredictionLogger(sink: sink, options: $0, logger: logger) }
    }

    /// The background services: following the registry, writing the prediction log.
    public var services: [any Service] {
        [follower] + (log.map { [$0] } ?? [])
    }

    /// The prediction fast paths' settings, for every connection's pipeline (`HTTPServerBuilder.hangar`).
    var fastPath: FastInferenceHandler.Configuration {
        FastInferenceHandler.Configuration(
            endpoints: PredictionEndpoints(inference: inference), singleModel: options.singleModel,
            bodyLimit: min(options.maxRequestBytes, Self.eventLoopBodyLimit), metrics: RouteMetrics())
    }

    /// Prediction bodies up to this size are answered on the connection's event loop (a few hundred rows at most;
    /// microseconds of work); larger batches run on the router's tasks so they never hold an event loop.
    static let eventLoopBodyLimit = 64 * 1024

    private var inference: Inference { Inference(hub: hub, log: log, timeout: options.timeout) }

    func register(on router: Router<HangarRequestContext>) {
        ServingRoutes(inference: inference, maxRequestBytes: options.maxRequestBytes, singleModel: options.singleModel)
            .register(on: router)
        OpenInferenceRoutes(inference: inference, maxRequestBytes: options.maxRequestBytes).register(on: router)
    }
}
