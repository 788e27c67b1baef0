import Foundation
import HangarCore
import HangarML
import Logging
import ServiceLifecycle

/// Keeps a `ServingHub` in step with the registry: loads what the selection names at start, then follows the
/// event log and, when an alias or a traffic policy changes, loads and warms the new version beside the old one
/// and swaps it in. A version that fails to load leaves the old one serving and is recorded as an event.
public struct ServingFollower: Service {
    let hub: ServingHub
    let source: any ServingSource
    let selection: ServingSelection
    let logger: Logger
    /// How long one long-poll waits before asking again.
    let pollTimeout: Duration

    public init(hub: ServingHub, source: any ServingSource, selection: ServingSelection, logger: Logger,
                pollTimeout: Duration = .seconds(10)) {
        self.hub = hub
        self.source = source
        self.selection = selection
        self.logger = logger
        self.pollTimeout = pollTimeout
    }

    /// Event types after which a model's served versions may differ.
    static let relevant: Set<String> = [
        RegistryEventType.aliasCreated, RegistryEventType.aliasDeleted, RegistryEventType.aliasRolledBack,
        RegistryEventType.modelDeleted, RegistryEventType.modelRenamed, RegistryEventType.versionDeleted,
        RegistryEventType.servingPolicySet, RegistryEventType.servingPolicyDeleted,
    ]

    public func run() async throws {
        let reconciler = Reconciler(hub: hub, source: source, selection: selection, logger: logger)
        // Shutting down cancels the long-poll; that is an ordinary end, not a failure of the service.
        try? await cancelWhenGracefulShutdown {
            var cursor: Int64 = 0
            // Start after the newest event, then load everything: a change between the two is seen twice, never lost.
            while !Task.isCancelled {
                do {
                    cursor = try await source.latestEventID()
                    break
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("serving: cannot read the event log, retrying", metadata: ["error": "\(error)"])
                    try await Task.sleep(for: .seconds(1))
                }
            }
            await reconciler.reconcileAll()
            hub.markStarted()
            while !Task.isCancelled {
                let events: [RegistryEvent]
                do {
                    events = try await source.waitForEvents(after: cursor, timeout: pollTimeout)
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("serving: following the event log failed, retrying", metadata: ["error": "\(error)"])
                    try await Task.sleep(for: .seconds(1))
                    continue
                }
                guard let last = events.last else { continue }
                cursor = last.id
                var touched: [String] = []
                for event in events where Self.relevant.contains(event.type) && !touched.contains(event.model) {
                    touched.append(event.model)
                    if event.type == RegistryEventType.modelRenamed, let previous = Self.previousName(event) {
                        touched.append(previous)
                    }
                }
                for model in touched { await reconciler.reconcile(model) }
            }
        }
    }

    /// A rename event names the new model; its payload carries the old name, which stops being served.
    static func previousName(_ event: RegistryEvent) -> String? {
        guard let data = event.payload.data(using: .utf8),
              let payload = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return payload["previous_name"] as? String
    }
}

/// Brings one model at a time to what the registry says; loads happen here, off the request path.
actor Reconciler {
    let hub: ServingHub
    let source: any ServingSource
    let selection: ServingSelection
    let logger: Logger
    /// (model, alias, version) triples that failed, so a broken version is not retried until its alias moves.
    private var failed: Set<String> = []

    init(hub: ServingHub, source: any ServingSource, selection: ServingSelection, logger: Logger) {
        self.hub = hub
        self.source = source
        self.selection = selection
        self.logger = logger
    }

    func reconcileAll() async {
        var names: [String] = []
        switch selection {
        case .everyModel(let alias):
            names = (try? await source.models(withAlias: alias)) ?? []
            names += (try? await source.modelsWithPolicy()) ?? []
        case .models(let references):
            names = references.map(\.name)
        }
        for name in Set(names).sorted() { await reconcile(name) }
    }

    /// The policy a model is served under: its own when it routes the selected alias, else the alias alone.
    func desiredPolicy(_ model: String) async -> TrafficPolicy? {
        let policy = try? await source.policy(model: model)
        switch selection {
        case .everyModel(let alias):
            return policy ?? .single(alias)
        case .models(let references):
            guard let reference = references.first(where: { $0.name == model }) else { return nil }
            if let policy, policy.routes.contains(where: { $0.alias == reference.alias }) { return policy }
            return .single(reference.alias)
        }
    }

    func reconcile(_ model: String) async {
        guard let policy = await desiredPolicy(model) else { return }
        var targets: [String: ModelVersion] = [:]
        for alias in policy.aliases {
            do {
                if let version = try await source.version(model: model, alias: alias) { targets[alias] = version }
            } catch {
                logger.warning("serving: cannot resolve alias", metadata: ["model": "\(model)", "alias": "\(alias)", "error": "\(error)"])
                return
            }
        }
        if targets.isEmpty, case .everyModel = selection {
            if hub.model(model) != nil { logger.info("serving: model no longer served", metadata: ["model": "\(model)"]) }
            hub.drop(model)
            return
        }
        let served = hub.model(model, creatingWith: policy)
        served.setPolicy(policy)
        for (alias, current) in served.slots where targets[alias] == nil {
            served.remove(alias: alias)
            logger.info("serving: alias removed", metadata: ["model": "\(model)", "alias": "\(alias)", "version": "\(current.version)"])
        }
        for alias in policy.aliases {
            guard let target = targets[alias] else { continue }
            if served.slots[alias]?.version == target.version { continue }
            // The same version may already be loaded for another alias: share it.
            if let loaded = served.version(target.version)?.version {
                served.install(loaded, alias: alias)
                await swapped(model, alias: alias, version: target.version, from: nil)
                continue
            }
            let key = "\(model)\u{0}\(alias)\u{0}\(target.version)"
            if failed.contains(key) { continue }
            let previous = served.slots[alias]?.version
            do {
                let version = try await load(target)
                served.install(version, alias: alias)
                hub.swaps.increment()
                await swapped(model, alias: alias, version: target.version, from: previous)
            } catch {
                failed.insert(key)
                let reason = "\(error)"
                served.recordFailure(ServingFailure(version: target.version, alias: alias, reason: reason, timestamp: nowMillis()))
                hub.loadFailures.increment()
                logger.error("serving: version failed to load; the alias keeps serving what it served", metadata: [
                    "model": "\(model)", "alias": "\(alias)", "version": "\(target.version)",
                    "serving": "\(previous ?? "nothing")", "reason": "\(reason)",
                ])
                await source.record(RegistryEventType.servingLoadFailed, model: model, version: target.version, alias: alias,
                                    payload: ["reason": reason, "serving_version": previous ?? ""])
            }
        }
    }

    private func swapped(_ model: String, alias: String, version: String, from previous: String?) async {
        logger.info("serving: swapped", metadata: [
            "model": "\(model)", "alias": "\(alias)", "version": "\(version)", "previous": "\(previous ?? "none")",
        ])
        await source.record(RegistryEventType.servingSwapped, model: model, version: version, alias: alias,
                            payload: ["previous_version": previous ?? ""])
    }

    /// Reads, decodes and warms a version; nothing is installed unless all three succeed.
    private func load(_ target: ModelVersion) async throws -> ServedVersion {
        let location = await source.location(of: target)
        let (tabular, flavor) = try await ModelPackage.load(location: location) { path in
            try await source.modelFile(target, path: path)
        }
        let version = ServedVersion(
            model: target.name, version: target.version, runId: target.runId, approval: target.approval.state,
            flavor: flavor, tabular: tabular)
        try version.warm()
        return version
    }
}
