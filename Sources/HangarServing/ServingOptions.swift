/// How a process serves models.
public struct ServingOptions: Sendable {
    /// Which models to serve.
    public var selection: ServingSelection
    /// Prediction log settings; nil turns logging off.
    public var log: PredictionLogOptions?
    /// Logged predictions older than this many days are deleted (0 keeps them forever).
    public var retentionDays: Int
    /// Largest request body accepted.
    public var maxRequestBytes: Int
    /// Requests answered at once before 503 with Retry-After.
    public var maxInFlight: Int
    /// Longest a prediction may run.
    public var timeout: Duration
    /// The model answering the bare `/invocations` and `/ping` (single-model `hangar serve`).
    public var singleModel: String?

    public init(
        selection: ServingSelection = .everyModel(alias: "production"), log: PredictionLogOptions? = PredictionLogOptions(),
        retentionDays: Int = 30, maxRequestBytes: Int = 32 * 1024 * 1024, maxInFlight: Int = 512,
        timeout: Duration = .seconds(30), singleModel: String? = nil
    ) {
        self.selection = selection
        self.log = log
        self.retentionDays = retentionDays
        self.maxRequestBytes = maxRequestBytes
        self.maxInFlight = maxInFlight
        self.timeout = timeout
        self.singleModel = singleModel
    }
}
