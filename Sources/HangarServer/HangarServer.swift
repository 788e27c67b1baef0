import HangarArtifacts
import HangarCore
import HangarStore
import Hummingbird
import Logging
import Metrics
import Prometheus

/// Where and how the HTTP API listens.
public struct ServerOptions: Sendable {
    public var host: String
    public var port: Int
    /// Server-wide default of the registry's approval policy (a model's own setting wins).
    public var requireApproval: Bool

    public init(host: String = "127.0.0.1", port: Int = 5000, requireApproval: Bool = false) {
        self.host = host
        self.port = port
        self.requireApproval = requireApproval
    }
}

/// The HTTP API: MLflow-compatible tracking, logged models and artifacts, plus health and metrics.
public enum HangarServer {
    /// The process-wide Prometheus registry behind `/metrics`; installed as the metrics backend on first use.
    public static let metricsRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Builds the router with every route and middleware.
    public static func makeRouter(
        database: any MetadataDatabase, artifacts: any ArtifactStore, logger: Logger, requireApproval: Bool = false
    ) -> Router<HangarRequestContext> {
        let router = Router(context: HangarRequestContext.self)
        // Middlewares first: they wrap only routes added after them (and the not-found responder).
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorMiddleware(logger: logger))
        let tracking = TrackingStore(database: database)
        SystemRoutes(registry: metricsRegistry).register(on: router)
        TrackingRoutes(store: tracking).register(on: router)
        LoggedModelRoutes(store: tracking, artifacts: artifacts).register(on: router)
        ArtifactRoutes(artifacts: artifacts, tracking: tracking).register(on: router)
        let registry = RegistryStore(database: database, events: EventLog(database: database), requireApprovalByDefault: requireApproval)
        RegistryRoutes(store: registry).register(on: router)
        NativeRegistryRoutes(store: registry).register(on: router)
        return router
    }

    /// Builds the application; `onReady` receives the bound port once the server accepts connections.
    public static func makeApplication(
        options: ServerOptions, database: any MetadataDatabase, artifacts: any ArtifactStore, logger: Logger,
        onReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = makeRouter(database: database, artifacts: artifacts, logger: logger, requireApproval: options.requireApproval)
        return Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "hangar"),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? options.port) },
            logger: logger)
    }
}
