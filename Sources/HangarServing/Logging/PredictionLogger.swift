import HangarCore
import HangarStore
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Where logged predictions go: the store in this process, or a Hangar server over HTTP.
public protocol PredictionSink: Sendable {
    /// Writes the rows of `batch`, in order.
    func write(_ batch: [any PredictionLogRows]) async throws
}

/// Settings of the prediction log.
public struct PredictionLogOptions: Sendable {
    /// Share of requests logged, 0...1.
    public var sampleRate: Double
    /// Records held in memory at most; beyond it new records are dropped and counted, never waited for.
    public var capacity: Int
    /// Records written per batch.
    public var batchSize: Int
    /// How long the writer lets rows gather before writing less than a batch: it then wakes a few dozen times a
    /// second instead of once per request, and records reach the store at most this much later.
    public var linger: Duration

    public init(sampleRate: Double = 1, capacity: Int = 100_000, batchSize: Int = 5_000, linger: Duration = .milliseconds(50)) {
        self.sampleRate = sampleRate
        self.capacity = capacity
        self.batchSize = batchSize
        self.linger = linger
    }
}

/// The prediction log's bounded queue: requests hand their rows over without waiting; a background task writes
/// them in batches, making their JSON as it goes. When the queue is full rows are dropped and counted, so serving
/// never waits on the store, nor spends its time writing JSON for the log.
public final class PredictionLogger: Service {
    private struct Queue {
        /// Rows handed over by requests, oldest first.
        var pending: [any PredictionLogRows] = []
        var rows = 0
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
    public var queueDepth: Int { queue.withLock { $0.rows } }

    /// Whether this request is logged (the sampling rate).
    public func sample() -> Bool {
        options.sampleRate >= 1 || (options.sampleRate > 0 && PooledSystemRandom.fraction() < options.sampleRate)
    }

    /// Queues records without waiting; those that do not fit are dropped and counted.
    public func submit(_ records: [PredictionRecord]) {
        submit(PredictionRecordRows(records))
    }

    /// Queues `rows`, which the writer fills later, without waiting. When only some fit, the first ones are kept and
    /// the rest dropped and counted.
    public func submit(_ rows: some PredictionLogRows) {
        let count = rows.count
        guard count > 0 else { return }
        let (waiter, lost): (CheckedContinuation<Void, Never>?, Int) = queue.withLock { queue in
            let taken = min(max(0, options.capacity - queue.rows), count)
            if taken == count {
                queue.pending.append(rows)
            } else if taken > 0 {
                queue.pending.append(PredictionLogPrefix(rows, count: taken))
            }
            queue.rows += taken
            let waiter = queue.waiter
            queue.waiter = nil
            return (waiter, count - taken)
        }
        if lost > 0 {
            droppedCount.wrappingAdd(lost, ordering: .relaxed)
            dropped.increment(by: lost)
        }
        waiter?.resume()
    }

    public func run() async throws {
        // A graceful shutdown closes the log, and so does cancellation (the service group cancels every service
        // when one fails, e.g. the server cannot bind its port): waiting for records would otherwise never end.
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                while true {
                    let batch = await nextBatch()
                    guard let batch else { return }
                    await write(batch)
                }
            } onGracefulShutdown: {
                self.close()
            }
        } onCancel: {
            self.close()
        }
        // Whatever arrived before the server drained is written before exit.
        while let rest = take(upTo: .max) { await write(rest) }
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

    /// Waits until rows are queued (or the log is closed), lets less than a batch gather for `linger`, then takes the
    /// requests that make up about a batch.
    private func nextBatch() async -> [any PredictionLogRows]? {
        var lingered = false
        while true {
            let (rows, closed) = queue.withLock { ($0.rows, $0.closed) }
            if rows > 0 {
                if !lingered, !closed, rows < options.batchSize, options.linger > Duration.zero {
                    lingered = true
                    try? await Task.sleep(for: options.linger)
                    continue
                }
                return take(upTo: options.batchSize)
            }
            if closed { return nil }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = queue.withLock { queue -> Bool in
                    if !queue.pending.isEmpty || queue.closed { return true }
                    queue.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// Takes queued requests, oldest first, until they hold `rows` rows or more (always at least one); nil when none.
    private func take(upTo rows: Int) -> [any PredictionLogRows]? {
        queue.withLock { queue in
            guard !queue.pending.isEmpty else { return nil }
            var count = 0
            var taken = 0
            while count < queue.pending.count, taken < rows {
                taken += queue.pending[count].count
                count += 1
            }
            let batch = Array(queue.pending.prefix(count))
            queue.pending.removeFirst(count)
            queue.rows -= taken
            return batch
        }
    }

    /// Writes `batch` in pieces of about `batchSize` rows (a request's rows stay together).
    private func write(_ batch: [any PredictionLogRows]) async {
        depth.record(queueDepth)
        var piece: [any PredictionLogRows] = []
        var rows = 0
        for requestRows in batch {
            piece.append(requestRows)
            rows += requestRows.count
            if rows >= options.batchSize {
                await write(piece, rows: rows)
                piece.removeAll(keepingCapacity: true)
                rows = 0
            }
        }
        if !piece.isEmpty { await write(piece, rows: rows) }
    }

    /// Writes one piece of `rows` rows, retrying a failing store a few times before dropping them (counted).
    private func write(_ piece: [any PredictionLogRows], rows: Int) async {
        for attempt in 1...5 {
            do {
                try await sink.write(piece)
                writtenCount.wrappingAdd(rows, ordering: .relaxed)
                return
            } catch {
                logger.warning("prediction log: write failed", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
        droppedCount.wrappingAdd(rows, ordering: .relaxed)
        dropped.increment(by: rows)
    }
}

/// Writes logged predictions to this process's store.
public struct StorePredictionSink: PredictionSink {
    let store: PredictionLogStore

    public init(store: PredictionLogStore) {
        self.store = store
    }

    public func write(_ batch: [any PredictionLogRows]) async throws {
        try await store.append(batch)
    }
}
