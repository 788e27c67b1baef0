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

/// The prediction log's bounded queue: requests hand their rows over without waiting; a background task builds
/// their records (inputs and outputs as JSON) and writes them in batches. When the queue is full rows are dropped and
/// counted, so serving never waits on the store, nor spends its time writing JSON for the log.
public final class PredictionLogger: Service {
    /// Rows handed over by one request: `rows` records, built by `build` when the writer gets to them.
    private struct Pending {
        let rows: Int
        let build: @Sendable () -> [PredictionRecord]
    }

    private struct Queue {
        var pending: [Pending] = []
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
        options.sampleRate >= 1 || (options.sampleRate > 0 && Double.random(in: 0..<1) < options.sampleRate)
    }

    /// Queues records without waiting; those that do not fit are dropped and counted.
    public func submit(_ records: [PredictionRecord]) {
        submit(rows: records.count) { records }
    }

    /// Queues `rows` records that `build` makes later, on the writer, without waiting. When only some fit, the first
    /// ones are kept and the rest dropped and counted.
    public func submit(rows: Int, _ build: @escaping @Sendable () -> [PredictionRecord]) {
        guard rows > 0 else { return }
        let (waiter, lost): (CheckedContinuation<Void, Never>?, Int) = queue.withLock { queue in
            let taken = min(max(0, options.capacity - queue.rows), rows)
            if taken == rows {
                queue.pending.append(Pending(rows: rows, build: build))
            } else if taken > 0 {
                queue.pending.append(Pending(rows: taken) { Array(build().prefix(taken)) })
            }
            queue.rows += taken
            let waiter = queue.waiter
            queue.waiter = nil
            return (waiter, rows - taken)
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
    private func nextBatch() async -> [Pending]? {
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
    private func take(upTo rows: Int) -> [Pending]? {
        queue.withLock { queue in
            guard !queue.pending.isEmpty else { return nil }
            var count = 0
            var taken = 0
            while count < queue.pending.count, taken < rows {
                taken += queue.pending[count].rows
                count += 1
            }
            let batch = Array(queue.pending.prefix(count))
            queue.pending.removeFirst(count)
            queue.rows -= taken
            return batch
        }
    }

    /// Builds the records of `batch` and writes them `batchSize` at a time.
    private func write(_ batch: [Pending]) async {
        depth.record(queueDepth)
        let records = batch.flatMap { $0.build() }
        var start = 0
        while start < records.count {
            let end = min(records.count, start + max(1, options.batchSize))
            await write(records[start..<end])
            start = end
        }
    }

    /// Writes records, retrying a failing store a few times before dropping them (counted).
    private func write(_ records: ArraySlice<PredictionRecord>) async {
        let records = Array(records)
        for attempt in 1...5 {
            do {
                try await sink.write(records)
                writtenCount.wrappingAdd(records.count, ordering: .relaxed)
                return
            } catch {
                logger.warning("prediction log: write failed", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
        droppedCount.wrappingAdd(records.count, ordering: .relaxed)
        dropped.increment(by: records.count)
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
