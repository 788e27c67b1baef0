/// How a served model's requests are spread over its aliases: weighted routes, and an optional shadow.
///
/// With no policy a model is served from one alias (the server's serving alias, `production` by default).
public struct TrafficPolicy: Sendable, Codable, Equatable {
    /// One alias and its share of requests, in percent.
    public struct Route: Sendable, Codable, Equatable {
        public var alias: String
        public var percent: Double

        public init(alias: String, percent: Double) {
            self.alias = alias
            self.percent = percent
        }
    }

    /// The aliases that answer requests; percents sum to 100.
    public var routes: [Route]
    /// An alias that receives a copy of every request; its answers are logged, never returned.
    public var shadow: String?
    /// An input column whose value is logged as each row's entity key (for joining ground truth later).
    public var entityColumn: String?

    public init(routes: [Route], shadow: String? = nil, entityColumn: String? = nil) {
        self.routes = routes
        self.shadow = shadow
        self.entityColumn = entityColumn
    }

    /// A policy that sends everything to `alias`.
    public static func single(_ alias: String) -> TrafficPolicy {
        TrafficPolicy(routes: [Route(alias: alias, percent: 100)])
    }

    /// Every alias the policy needs loaded.
    public var aliases: [String] {
        var seen: [String] = []
        for alias in routes.map(\.alias) + [shadow].compactMap({ $0 }) where !seen.contains(alias) { seen.append(alias) }
        return seen
    }

    /// Checks the routes: at least one, known aliases, shares within 0...100 summing to 100, shadow not a route.
    public func validate() throws(HangarError) {
        guard !routes.isEmpty else { throw .invalid("A traffic policy needs at least one route") }
        for route in routes {
            guard !route.alias.isEmpty else { throw .invalid("A route's 'alias' must not be empty") }
            guard route.percent.isFinite, (0...100).contains(route.percent) else {
                throw .invalid("Route '\(route.alias)' has percent \(route.percent); use a number from 0 to 100")
            }
        }
        guard Set(routes.map(\.alias)).count == routes.count else { throw .invalid("Each alias may appear in one route only") }
        let total = routes.reduce(0) { $0 + $1.percent }
        guard abs(total - 100) < 1e-9 else { throw .invalid("Route percents sum to \(total); they must sum to 100") }
        if let shadow {
            guard !shadow.isEmpty else { throw .invalid("'shadow' must not be empty") }
            guard !routes.contains(where: { $0.alias == shadow }) else {
                throw .invalid("Alias '\(shadow)' cannot be both a route and the shadow")
            }
        }
    }
}
