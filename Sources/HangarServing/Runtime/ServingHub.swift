import HangarCore
import Metrics
import Synchronization

/// Every served model of this process, looked up by name on each request.
public final class ServingHub: Sendable {
    private let models = Mutex<[String: ServedModel]>([:])
    /// Requests in flight across all models, for overload protection.
    private let inFlight = Atomic<Int>(0)
    /// The most requests answered at once; beyond it requests get 503 with Retry-After.
    public let maxInFlight: Int
    /// Settles once the follower's first full load has finished (ready probes wait for it).
    private let started = Atomic<Bool>(false)

    let swaps = Counter(label: "hangar_serving_swaps_total")
    let loadFailures = Counter(label: "hangar_serving_load_failures_total")

    public init(maxInFlight: Int = 512) {
        self.maxInFlight = maxInFlight
    }

    /// The served model called `name`.
    public func model(_ name: String) -> ServedModel? { models.withLock { $0[name] } }

    /// All served models, by name.
    public var all: [ServedModel] { models.withLock { Array($0.values) }.sorted { $0.name < $1.name } }

    /// True when the first load has finished and every served model has a version loaded.
    public var isReady: Bool {
        started.load(ordering: .acquiring) && all.allSatisfy(\.isReady)
    }

    func markStarted() { started.store(true, ordering: .releasing) }

    func model(_ name: String, creatingWith policy: TrafficPolicy) -> ServedModel {
        models.withLock { models in
            if let existing = models[name] { return existing }
            let model = ServedModel(name: name, policy: policy)
            models[name] = model
            return model
        }
    }

    func drop(_ name: String) { _ = models.withLock { $0.removeValue(forKey: name) } }

    /// Admits a request unless `maxInFlight` are already running; call `leave()` when it ends.
    public func enter() -> Bool {
        let now = inFlight.wrappingAdd(1, ordering: .relaxed).newValue
        if now > maxInFlight {
            inFlight.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    public func leave() { inFlight.wrappingSubtract(1, ordering: .relaxed) }
}
