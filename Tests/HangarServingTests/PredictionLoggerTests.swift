import Foundation
import HangarCore
import Logging
import Synchronization
import Testing
@testable import HangarServing
@testable import HangarStore

/// A sink that keeps what it is given and can be made to wait.
final class MemorySink: PredictionSink {
    let written = Mutex<[PredictionRecord]>([])
    func write(_ batch: [any PredictionLogRows]) async throws {
        let records = batch.flatMap { $0.records() }
        written.withLock { $0 += records }
    }
}

/// Rows that count how often they are filled.
struct CountingRows: PredictionLogRows {
    final class Fills: Sendable {
        let count = Atomic<Int>(0)
    }

    let range: Range<Int>
    let fills: Fills

    var count: Int { range.count }

    func fill(_ index: Int, into row: inout PredictionLogRow) {
        fills.count.wrappingAdd(1, ordering: .relaxed)
        row.set(record(range.lowerBound + index))
    }
}

func record(_ i: Int) -> PredictionRecord {
    PredictionRecord(requestId: "r\(i)", row: 0, model: "m", version: "1", alias: "production", timestamp: 0, entityKey: nil,
                     inputs: "{}", outputs: "{}", latencyMicros: 1, shadow: false)
}

@Suite struct PredictionLoggerTests {
    @Test func aFullQueueDropsAndCountsInsteadOfWaiting() async throws {
        let sink = MemorySink()
        let log = PredictionLogger(sink: sink, options: PredictionLogOptions(capacity: 10, batchSize: 4), logger: Logger(label: "t"))
        // Not running yet: the queue fills, then drops.
        log.submit((0..<8).map(record))
        log.submit((8..<15).map(record))
        #expect(log.queueDepth == 10)
        #expect(log.droppedRecords == 5)
        let runner = Task { try await log.run() }
        log.close()
        try await runner.value
        #expect(sink.written.withLock { $0.map(\.requestId) } == (0..<10).map { "r\($0)" })
        #expect(log.writtenRecords == 10)
    }

    @Test func recordsSubmittedWhileRunningAreWrittenInOrder() async throws {
        let sink = MemorySink()
        let log = PredictionLogger(sink: sink, options: PredictionLogOptions(capacity: 1000, batchSize: 7), logger: Logger(label: "t"))
        let runner = Task { try await log.run() }
        for i in 0..<100 { log.submit([record(i)]) }
        log.close()
        try await runner.value
        #expect(sink.written.withLock { $0.map(\.requestId) } == (0..<100).map { "r\($0)" })
        #expect(log.droppedRecords == 0)
    }

    /// Cancelling the logger's task (a service group cancels every service when one fails) ends `run` after it has
    /// written what was queued; it used to wait for records forever.
    @Test func cancellingTheRunnerWritesWhatIsQueuedAndReturns() async throws {
        let sink = MemorySink()
        let log = PredictionLogger(sink: sink, options: PredictionLogOptions(capacity: 100, batchSize: 4), logger: Logger(label: "t"))
        let runner = Task { try await log.run() }
        for i in 0..<3 { log.submit([record(i)]) }
        while log.writtenRecords < 3 { try await Task.sleep(for: .milliseconds(5)) }
        runner.cancel()
        try await runner.value
        #expect(sink.written.withLock { $0.map(\.requestId) } == ["r0", "r1", "r2"])
    }

    @Test func aRequestsRecordsAreBuiltByTheWriterAndAPartialFitKeepsTheFirstRows() async throws {
        let sink = MemorySink()
        let log = PredictionLogger(sink: sink, options: PredictionLogOptions(capacity: 5, batchSize: 2), logger: Logger(label: "t"))
        let built = CountingRows.Fills()
        // Submitting fills no row: the request pays only for queueing.
        log.submit(CountingRows(range: 0..<3, fills: built))
        log.submit(CountingRows(range: 3..<7, fills: built))
        #expect(built.count.load(ordering: .relaxed) == 0)
        #expect(log.queueDepth == 5)
        #expect(log.droppedRecords == 2)
        let runner = Task { try await log.run() }
        log.close()
        try await runner.value
        // The rows that did not fit are never filled.
        #expect(built.count.load(ordering: .relaxed) == 5)
        #expect(sink.written.withLock { $0.map(\.requestId) } == (0..<5).map { "r\($0)" })
        #expect(log.writtenRecords == 5)
        #expect(log.queueDepth == 0)
    }

    @Test func recordsCarryInputsAndOutputsAsJSON() throws {
        let version = served(try trainedClassifier())
        let table = InputTable(columns: ["x", "y", "color", "flag"], cells: [.missing, .number(0.25), .text("re\"d"), .bool(true)])
        let outputs = version.predict(encoded: try version.encoder.encode(table))
        let records = LoggedPrediction(
            requestId: "abc", table: table, outputs: outputs, version: version, alias: "production", timestamp: 5,
            latencyMicros: 9, entityColumn: "color", entityKey: nil, shadow: false).records()
        #expect(records.count == 1)
        #expect(records[0].inputs == #"{"x":null,"y":0.25,"color":"re\"d","flag":true}"#)
        #expect(records[0].outputs.hasPrefix(#"{"prediction":""#) && records[0].outputs.contains("proba_yes"))
        #expect(records[0].entityKey == "re\"d")
        // Control characters are escaped, other text (any script) kept as it is; the result is valid JSON.
        let odd = InputTable(columns: ["x", "y", "color", "flag"], cells: [.number(1e300), .number(-3), .text("é\u{1}\t\\"), .missing])
        let oddRecord = LoggedPrediction(
            requestId: "o", table: odd, outputs: outputs, version: version, alias: "a", timestamp: 0, latencyMicros: 0,
            entityColumn: nil, entityKey: "k", shadow: false).records()[0]
        #expect(oddRecord.inputs == #"{"x":1e+300,"y":-3,"color":"é\u0001\t\\","flag":null}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(oddRecord.inputs.utf8)) as? [String: Any]
        #expect(parsed?["color"] as? String == "é\u{1}\t\\")
        #expect(oddRecord.entityKey == "k")
        // The keys kept for the last column layout are not reused for another order of the same columns.
        let reordered = InputTable(columns: ["flag", "color", "y", "x"], cells: [.bool(false), .text("b"), .number(2), .number(1)])
        let reorderedRecord = LoggedPrediction(
            requestId: "r", table: reordered, outputs: outputs, version: version, alias: "a", timestamp: 0,
            latencyMicros: 0, entityColumn: nil, entityKey: nil, shadow: false).records()[0]
        #expect(reorderedRecord.inputs == #"{"flag":false,"color":"b","y":2,"x":1}"#)
        let again = LoggedPrediction(
            requestId: "s", table: table, outputs: outputs, version: version, alias: "a", timestamp: 0, latencyMicros: 0,
            entityColumn: nil, entityKey: nil, shadow: false).records()[0]
        #expect(again.inputs == records[0].inputs)
    }
}
