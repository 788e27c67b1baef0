import HangarCore
import HangarStore
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Where logged predictions go: the store in this process, or a Hangar server over HTTP.
public protocol PredictionSink: Sendable {
    func write(_ records: [PredictionRecord]) async throws
}

/// Settings of the prediction log.
public struct PredictionLogOptions: Sendable {
    /// Share of requests logged, 0...1.
    public var sampleRate: Double
    /// Records held in memory at most; beyond it new records are dropped and counted, never waited for.
    public var capacity: Int
    /// Records written per batch.
    public var batchSize: Int

    public init(sampleRate: Double = 1, capacity: Int = 100_000, batchSize: Int = 5_000) {
        self.sampleRate = sampleRate
        self.capacity = capacity
        self.batchSize = batchSize
    }
}

/// The prediction log's bounded queue: requests hand records over without waiting; a background task writes
/// them in batches. When the queue is full records are dropped and counted, so serving never waits on the store.
public final class PredictionLogger: Service {
    private struct Queue {
        var records: [PredictionRecord] = []
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
    }

    private let queue = Mutex(Queue())
    private let sink: any PredictionSink
    public let options: PredictionLogOptions
    private let logger: Logger
    private let droppedCount = Atomic<Int>(0)
    private let writtenCount = Atomic<Int>(0)

    let dropped = Counter(label: "hangar_prediction_log_dropped_total")
    let depth = Gauge(label: "hangar_prediction_log_queue_depth")

    public init(sink: any PredictionSink, options: PredictionLogOptions = PredictionLogOptions(), logger: Logger) {
        self.sink = sink
        self.options = options
        self.logger = logger
    }

    /// Records dropped because the queue was full (or the store kept failing).
    public var droppedRecords: Int { droppedCount.load(ordering: .relaxed) }
    /// Records written to the sink.
    public var writtenRecords: Int { writtenCount.load(ordering: .relaxed) }
    /// Records waiting to be written.
    public var queueDepth: Int { queue.withLock { $0.records.count } }

    /// Whether this request is logged (the sampling rate).
    public func sample() -> Bool {
        options.sampleRate >= 1 || (options.sampleRate > 0 && Double.random(in: 0..<1) < options.sampleRate)
    }

    /// Queues records without waiting; those that do not fit are dropped and counted.
    public func submit(_ records: [PredictionRecord]) {
        guard !records.isEmpty else { return }
        let (waiter, lost): (CheckedContinuation<Void, Never>?, Int) = queue.withLock { queue in
            let room = max(0, options.capacity - queue.records.count)
            let taken = min(room, records.count)
            if taken == records.count {
                queue.records.append(contentsOf: records)
            } else if taken > 0 {
                queue.records.append(contentsOf: records.prefix(taken))
            }
            let waiter = queue.waiter
            queue.waiter = nil
            return (waiter, records.count - taken)
        }
        if lost > 0 {
            droppedCount.wrappingAdd(lost, ordering: .relaxed)
            dropped.increment(by: lost)
        }
        waiter?.resume()
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while true {
                let batch = await nextBatch()
                guard let batch else { return }
                await write(batch)
            }
        } onGracefulShutdown: {
            self.close()
        }
        // Whatever arrived before the server drained is written before exit.
        while let rest = takeAll(), !rest.isEmpty { await write(rest) }
    }

    /// Stops waiting for records; `run` writes what is left and returns.
    public func close() {
        let waiter = queue.withLock { queue -> CheckedContinuation<Void, Never>? in
            queue.closed = true
            let waiter = queue.waiter
            queue.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Waits until records are queued (or the log is closed), then takes up to a batch.
    private func nextBatch() async -> [PredictionRecord]? {
        while true {
            let taken: [PredictionRecord]? = queue.withLock { queue in
                if !queue.records.isEmpty {
                    let count = min(options.batchSize, queue.records.count)
                    let batch = Array(queue.records.prefix(count))
                    queue.records.removeFirst(count)
                    return batch
                }
                return queue.closed ? [] : nil
            }
            if let taken { return taken.isEmpty ? nil : taken }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = queue.withLock { queue -> Bool in
                    if !queue.records.isEmpty || queue.closed { return true }
                    queue.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    private func takeAll() -> [PredictionRecord]? {
        queue.withLock { queue in
            let all = queue.records
            queue.records.removeAll()
            return all
        }
    }

    /// Writes a batch, retrying a failing store a few times before dropping it (counted).
    private func write(_ batch: [PredictionRecord]) async {
        depth.record(queueDepth)
        for attempt in 1...5 {
            do {
                try await sink.write(batch)
                writtenCount.wrappingAdd(batch.count, ordering: .relaxed)
                return
            } catch {
                logger.warning("prediction log: write failed", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
        droppedCount.wrappingAdd(batch.count, ordering: .relaxed)
        dropped.increment(by: batch.count)
    }
}

/// Writes logged predictions to this process's store.
public struct StorePredictionSink: PredictionSink {
    let store: PredictionLogStore

    public init(store: PredictionLogStore) {
        self.store = store
    }

    public func write(_ records: [PredictionRecord]) async throws {
        try await store.append(records)
    }
}
