import ArgumentParser
import Foundation
import HangarClient
import HangarCore
import HangarML

/// `hangar predictions`: the prediction log, and ground truth attached to it.
struct PredictionLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predictions",
        abstract: "Inspect logged predictions and attach ground truth to them.",
        subcommands: [List.self, Truth.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the newest logged predictions.")
        @OptionGroup var remote: RemoteOptions
        @Option(help: "Only this model's predictions.") var model: String?
        @Option(help: "Only this request's rows.") var requestId: String?
        @Option(help: "How many (at most 10000).") var limit: Int = 20

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw CLIError("--limit must be between 1 and 10000") }
        }

        func run() async throws {
            let records = try await remote.serving().predictions(model: model, requestId: requestId, limit: limit)
            try remote.output(records) { records in
                records.isEmpty ? "no logged predictions" : records.map { r in
                    let truth = r.groundTruth.map { "  truth=\($0)" } ?? ""
                    return "\(r.requestId)#\(r.row)  \(r.model) v\(r.version) (\(r.alias)\(r.shadow ? ", shadow" : ""))  \(r.outputs)\(truth)"
                }.joined(separator: "\n")
            }
        }
    }

    struct Truth: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attach ground truth from a CSV file to logged predictions.",
            discussion: """
                The file has a value column (--value-column, default `value`) and either `request_id` (and optionally `row`),
                or `entity_key` and `timestamp` (milliseconds since the epoch, or ISO 8601 such as 2026-03-01T12:00:00Z):
                an entity's value goes to its most recent prediction at or before that time.
                """)
        @OptionGroup var remote: RemoteOptions
        @Option(help: "The served model the predictions belong to.") var model: String
        @Option(help: "CSV file of true values.") var input: String
        @Option(help: "The column holding the true value.") var valueColumn: String = "value"

        func run() async throws {
            let frame: DataFrame
            do {
                frame = try CSVReader.read(fileAt: input)
            } catch {
                throw CLIError("\(input): \(error)")
            }
            guard let values = frame[valueColumn] else { throw CLIError("\(input): no column '\(valueColumn)'") }
            let requestIds = frame["request_id"]
            let rows = frame["row"]
            let entities = frame["entity_key"]
            let times = frame["timestamp"]
            guard requestIds != nil || (entities != nil && times != nil) else {
                throw CLIError("\(input): needs a 'request_id' column, or 'entity_key' and 'timestamp' columns")
            }
            if let times, times.kind != .numeric {
                throw CLIError("\(input): column 'timestamp' must hold milliseconds since the epoch or ISO 8601 times")
            }
            // ISO 8601 times are read as seconds since the epoch; the log keeps milliseconds.
            let timeScale = times?.dateKind == nil ? 1.0 : 1000.0
            var truths: [GroundTruth] = []
            /// Whole numbers read as numbers are written back as the file had them ("0", not "0.0").
            func text(_ column: Column?, _ row: Int) -> String? {
                guard let column else { return nil }
                if column.kind == .numeric {
                    let number = column.numericValue(at: row)
                    if number.isNaN { return nil }
                    if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
                }
                return column.text(at: row)
            }
            for r in 0..<frame.rowCount {
                guard let value = text(values, r) else { throw CLIError("\(input): line \(r + 2) has no '\(valueColumn)'") }
                var time: Int64?
                if let t = times?.numericValue(at: r), !t.isNaN {
                    guard let ms = Int64(exactly: (t * timeScale).rounded()), ms >= 0 else {
                        throw CLIError("\(input): line \(r + 2): timestamp \(t) is not a time (milliseconds since the epoch)")
                    }
                    time = ms
                }
                var row: Int?
                if let n = rows?.numericValue(at: r), !n.isNaN {
                    guard let whole = Int(exactly: n), whole >= 0 else {
                        throw CLIError("\(input): line \(r + 2): row \(n) is not a row number (a whole number from 0)")
                    }
                    row = whole
                }
                truths.append(GroundTruth(
                    requestId: text(requestIds, r), row: row, entityKey: text(entities, r), timestamp: time, value: value))
            }
            guard !truths.isEmpty else { throw CLIError("\(input): no rows") }
            let client = try remote.serving()
            var matched = 0
            var unmatched: [Int] = []
            var start = 0
            while start < truths.count {
                let end = min(truths.count, start + 10_000)
                let result = try await client.attachGroundTruth(model: model, truths: Array(truths[start..<end]))
                matched += result.matched
                unmatched += result.unmatched.map { $0 + start }
                start = end
            }
            let summary = ServingClient.TruthResult(matched: matched, unmatched: unmatched)
            try remote.output(summary) { s in
                let lines = s.unmatched.prefix(10).map { "  line \($0 + 2): no logged prediction" }
                return "attached \(s.matched) of \(truths.count) true values to logged predictions of \(model)"
                    + (lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n"))
                    + (s.unmatched.count > 10 ? "\n  … \(s.unmatched.count - 10) more" : "")
            }
        }
    }
}

extension RemoteOptions {
    func serving() throws -> ServingClient {
        ServingClient(client: try registry().client)
    }
}
