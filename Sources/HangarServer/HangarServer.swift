import HangarArtifacts
import HangarCore
import HangarStore
import HangarNotifications
import HangarServing
import ServiceLifecycle
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
    /// Which webhook targets may be called.
    public var webhookPolicy: WebhookTargetPolicy
    /// Model serving in the same process; nil serves no models.
    public var serving: ServingOptions?

    public init(
        host: String = "127.0.0.1", port: Int = 5000, requireApproval: Bool = false,
        webhookPolicy: WebhookTargetPolicy = WebhookTargetPolicy(), serving: ServingOptions? = nil
    ) {
        self.host = host
        self.port = port
        self.requireApproval = requireApproval
        self.webhookPolicy = webhookPolicy
        self.serving = serving
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

    /// Installs the Prometheus backend behind `/metrics`. A process that serves calls it before anything records a
    /// metric: a metric made before the backend exists (the store's timers, on the first migration) keeps the no-op
    /// backend it found and never shows on `/metrics`.
    public static func bootstrapMetrics() {
        _ = metricsRegistry
    }

    /// Builds the router with every route and middleware; `serving` adds the prediction routes.
    public static func makeRouter(
        database: any MetadataDatabase, artifacts: any ArtifactStore, events: EventLog, logger: Logger, options: ServerOptions,
        serving: ServingRuntime? = nil
    ) -> Router<HangarRequestContext> {
        let router = Router(context: HangarRequestContext.self)
        // Middlewares first: they wrap only routes added after them (and the not-found responder).
        router.add(middleware: RequestMetricsMiddleware())
        router.add(middleware: ErrorMiddleware(logger: logger))
        let tracking = TrackingStore(database: database)
        SystemRoutes(registry: metricsRegistry).register(on: router)
        TrackingRoutes(store: tracking).register(on: router)
        LoggedModelRoutes(store: tracking, artifacts: artifacts).register(on: router)
        ArtifactRoutes(artifacts: artifacts, tracking: tracking).register(on: router)
        let registry = RegistryStore(database: database, events: events, requireApprovalByDefault: options.requireApproval)
        RegistryRoutes(store: registry).register(on: router)
        NativeRegistryRoutes(store: registry).register(on: router)
        WebhookRoutes(store: WebhookStore(database: database), policy: options.webhookPolicy).register(on: router)
        ServingAdminRoutes(registry: registry, predictions: PredictionLogStore(database: database)).register(on: router)
        serving?.register(on: router)
        return router
    }

    /// The router of a serving-only process (`hangar serve` following a remote registry): health, metrics and
    /// the prediction routes.
    public static func makeServingRouter(serving: ServingRuntime, logger: Logger) -> Router<HangarRequestContext> {
        let router = Router(context: HangarRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware())
        router.add(middleware: ErrorMiddleware(logger: logger))
        SystemRoutes(registry: metricsRegistry).register(on: router)
        serving.register(on: router)
        return router
    }

    /// Builds the application; `onReady` receives the bound port once the server accepts connections.
    public static func makeApplication(
        options: ServerOptions, database: any MetadataDatabase, artifacts: any ArtifactStore, logger: Logger,
        onReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        // The metrics backend must exist before any serving metric is created.
        bootstrapMetrics()
        let events = EventLog(database: database)
        var services: [any Service] = []
        var serving: ServingRuntime?
        if let servingOptions = options.serving {
            let registry = RegistryStore(database: database, events: events, requireApprovalByDefault: options.requireApproval)
            let predictions = PredictionLogStore(database: database)
            let runtime = ServingRuntime(
                options: servingOptions, source: StoreServingSource(registry: registry, artifacts: artifacts),
                sink: StorePredictionSink(store: predictions), logger: logger)
            services += runtime.services
            services.append(PredictionRetention(store: predictions, days: servingOptions.retentionDays, logger: logger))
            serving = runtime
        }
        let router = makeRouter(
            database: database, artifacts: artifacts, events: events, logger: logger, options: options, serving: serving)
        let webhooks = WebhookDispatcher(
            events: events, store: WebhookStore(database: database), policy: options.webhookPolicy, logger: logger)
        return EventLoopApplication(Application(
            router: router,
            server: .hangar(prediction: serving?.fastPath, tracking: TrackingEndpoints(store: TrackingStore(database: database)), logger: logger),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "hangar"),
            services: ([webhooks] + services).map(OffEventLoop.init),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? options.port) },
            logger: logger))
    }

    /// A serving-only application (`hangar serve`): the prediction routes, health and metrics, and the serving
    /// services (following the registry, the prediction log) plus `services`.
    public static func makeServingApplication(
        host: String, port: Int, serving: ServingRuntime, services: [any Service] = [], logger: Logger,
        onReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        bootstrapMetrics()
        return EventLoopApplication(Application(
            router: makeServingRouter(serving: serving, logger: logger),
            server: .hangar(prediction: serving.fastPath, tracking: nil, logger: logger),
            configuration: .init(address: .hostname(host, port: port), serverName: "hangar"),
            services: (serving.services + services).map(OffEventLoop.init),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? port) },
            logger: logger))
    }
}
