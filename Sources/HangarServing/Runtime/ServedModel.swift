import HangarCore
import Synchronization

/// Where one request goes: the alias and version that answer it, and the shadow that gets a copy.
public struct RouteDecision: Sendable {
    public let alias: String
    public let version: ServedVersion
    public let shadow: (alias: String, version: ServedVersion)?
    /// The input column logged as each row's entity key, if the policy names one.
    public let entityColumn: String?
}

/// One served model name: the versions loaded for its aliases and the policy that spreads requests over them.
///
/// Readers take a snapshot under a short lock; a swap replaces one slot's reference, so a request keeps the
/// version it started with however many swaps happen while it runs.
public final class ServedModel: Sendable {
    public let name: String

    struct State: Sendable {
        var slots: [String: ServedVersion] = [:] {
            didSet { table = RoutingTable(policy: policy, slots: slots) }
        }
        var policy: TrafficPolicy {
            didSet { table = RoutingTable(policy: policy, slots: slots) }
        }
        var lastFailure: ServingFailure?
        /// The routes with something loaded, rebuilt on every change so a request only reads it.
        var table: RoutingTable

        init(policy: TrafficPolicy) {
            self.policy = policy
            self.table = RoutingTable(policy: policy, slots: [:])
        }
    }

    /// Loaded routes with cumulative shares, and the shadow.
    struct RoutingTable: Sendable {
        var routes: [(alias: String, version: ServedVersion, upTo: Double)] = []
        var shadow: (alias: String, version: ServedVersion)?
        var entityColumn: String?

        init(policy: TrafficPolicy, slots: [String: ServedVersion]) {
            var live = policy.routes.filter { slots[$0.alias] != nil && $0.percent > 0 }
            if live.isEmpty, let any = policy.routes.first(where: { slots[$0.alias] != nil }) {
                // Everything routed has zero share: fall back to any loaded routed alias.
                live = [TrafficPolicy.Route(alias: any.alias, percent: 100)]
            }
            let total = live.reduce(0) { $0 + $1.percent }
            var cumulative = 0.0
            for route in live {
                cumulative += route.percent / total
                routes.append((route.alias, slots[route.alias]!, cumulative))
            }
            if let alias = policy.shadow, let version = slots[alias] { shadow = (alias, version) }
            entityColumn = policy.entityColumn
        }
    }

    private let state: Mutex<State>

    init(name: String, policy: TrafficPolicy) {
        self.name = name
        self.state = Mutex(State(policy: policy))
    }

    /// The version loaded for each alias.
    public var slots: [String: ServedVersion] { state.withLock { $0.slots } }

    public var policy: TrafficPolicy { state.withLock { $0.policy } }

    /// The last version that failed to load, if any since the last successful swap.
    public var lastFailure: ServingFailure? { state.withLock { $0.lastFailure } }

    /// True once any routed alias has a version loaded.
    public var isReady: Bool {
        state.withLock { state in state.policy.routes.contains { state.slots[$0.alias] != nil } }
    }

    func install(_ version: ServedVersion, alias: String) {
        state.withLock {
            $0.slots[alias] = version
            $0.lastFailure = nil
        }
    }

    func remove(alias: String) {
        _ = state.withLock { $0.slots.removeValue(forKey: alias) }
    }

    func setPolicy(_ policy: TrafficPolicy) {
        state.withLock { $0.policy = policy }
    }

    func recordFailure(_ failure: ServingFailure) {
        state.withLock { $0.lastFailure = failure }
    }

    /// Picks the answering alias: by `key`'s hash when given (the same key always lands on the same alias), at
    /// random otherwise; routes whose alias has nothing loaded give their share to the others.
    public func route(key: String?) -> RouteDecision? {
        let table = state.withLock { $0.table }
        guard let last = table.routes.last else { return nil }
        guard table.routes.count > 1 else {
            return RouteDecision(alias: last.alias, version: last.version, shadow: table.shadow, entityColumn: table.entityColumn)
        }
        let point = key.map { Self.bucket($0) } ?? PooledSystemRandom.fraction()
        let chosen = table.routes.first { point < $0.upTo } ?? last
        return RouteDecision(alias: chosen.alias, version: chosen.version, shadow: table.shadow, entityColumn: table.entityColumn)
    }

    /// The loaded version with this number, if any alias holds it.
    public func version(_ number: String) -> (alias: String, version: ServedVersion)? {
        let slots = state.withLock { $0.slots }
        return slots.sorted { $0.key < $1.key }.first { $0.value.version == number }.map { ($0.key, $0.value) }
    }

    /// A stable point in [0, 1) for a routing key (FNV-1a, then a 64-bit mix).
    static func bucket(_ key: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return Double(hash >> 11) / Double(1 << 53)
    }
}

/// A version that could not be loaded, and why.
public struct ServingFailure: Sendable, Equatable {
    public var version: String
    public var alias: String
    public var reason: String
    public var timestamp: Int64
}
