/// One served prediction as the prediction log keeps it: what came in, what went out, who answered and how fast.
public struct PredictionRecord: Sendable, Codable, Equatable {
    /// The request's id (returned to the caller in `X-Request-Id`).
    public var requestId: String
    /// The row within the request, from 0.
    public var row: Int
    public var model: String
    public var version: String
    /// The alias the request was routed to.
    public var alias: String
    /// Milliseconds since the epoch.
    public var timestamp: Int64
    /// The entity this row is about (the policy's entity column, or the `X-Hangar-Entity-Key` header), if any.
    public var entityKey: String?
    /// The row's inputs as a JSON object text.
    public var inputs: String
    /// The row's outputs as a JSON object text (`prediction`, and `proba_<class>` for classifiers).
    public var outputs: String
    /// Time spent answering the whole request, in microseconds.
    public var latencyMicros: Int64
    /// True for a shadow alias's answer, which the caller never saw.
    public var shadow: Bool
    /// The true value, once attached.
    public var groundTruth: String?
    /// When the true value was attached, milliseconds since the epoch.
    public var groundTruthTimestamp: Int64?

    public init(
        requestId: String, row: Int, model: String, version: String, alias: String, timestamp: Int64, entityKey: String?,
        inputs: String, outputs: String, latencyMicros: Int64, shadow: Bool, groundTruth: String? = nil,
        groundTruthTimestamp: Int64? = nil
    ) {
        self.requestId = requestId
        self.row = row
        self.model = model
        self.version = version
        self.alias = alias
        self.timestamp = timestamp
        self.entityKey = entityKey
        self.inputs = inputs
        self.outputs = outputs
        self.latencyMicros = latencyMicros
        self.shadow = shadow
        self.groundTruth = groundTruth
        self.groundTruthTimestamp = groundTruthTimestamp
    }
}

/// A true value for logged predictions: by request id (and row), or by entity key and time.
public struct GroundTruth: Sendable, Codable, Equatable {
    public var requestId: String?
    public var row: Int?
    public var entityKey: String?
    /// For entity matches: the prediction made for the entity most recently at or before this time (ms).
    public var timestamp: Int64?
    public var value: String

    public init(requestId: String? = nil, row: Int? = nil, entityKey: String? = nil, timestamp: Int64? = nil, value: String) {
        self.requestId = requestId
        self.row = row
        self.entityKey = entityKey
        self.timestamp = timestamp
        self.value = value
    }
}
