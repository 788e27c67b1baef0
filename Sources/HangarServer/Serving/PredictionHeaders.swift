import HTTPTypes

/// The request headers the prediction endpoints read, taken once from whichever HTTP path read the request: the
/// raw path fills them while it scans the head; the router's paths take them from the decoded `HTTPFields`.
struct PredictionHeaders: Sendable, Equatable {
    var contentType: String?
    /// `X-Request-Id`: echoed and logged instead of a generated id.
    var requestId: String?
    /// `X-Hangar-Route-Key`: requests with the same key go to the same alias under an A/B policy.
    var routeKey: String?
    /// `X-Hangar-Entity-Key`: the entity a single-row request is about.
    var entityKey: String?

    init(contentType: String? = nil, requestId: String? = nil, routeKey: String? = nil, entityKey: String? = nil) {
        self.contentType = contentType
        self.requestId = requestId
        self.routeKey = routeKey
        self.entityKey = entityKey
    }

    init(_ fields: HTTPFields) {
        self.init(
            contentType: fields[.contentType], requestId: fields[.requestId], routeKey: fields[.routeKey],
            entityKey: fields[.entityKey])
    }
}
