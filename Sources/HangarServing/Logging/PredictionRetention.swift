import HangarCore
import HangarStore
import Logging
import ServiceLifecycle

/// Deletes logged predictions older than the retention period, once at start and then hourly.
public struct PredictionRetention: Service {
    let store: PredictionLogStore
    let days: Int
    let logger: Logger

    public init(store: PredictionLogStore, days: Int, logger: Logger) {
        self.store = store
        self.days = days
        self.logger = logger
    }

    public func run() async throws {
        guard days > 0 else { return }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let cutoff = nowMillis() - Int64(days) * 86_400_000
                do {
                    let deleted = try await store.deleteOlder(than: cutoff)
                    if deleted > 0 { logger.info("prediction log: retention", metadata: ["deleted": "\(deleted)", "days": "\(days)"]) }
                } catch {
                    logger.warning("prediction log: retention sweep failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(3600))
            }
        }
    }
}
