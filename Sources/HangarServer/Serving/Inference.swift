import Foundation
import HangarCore
import HangarServing
import HTTPTypes
import Hummingbird
import Synchronization

/// The protocol-neutral core of every prediction route: route, encode, predict, log.
struct Inference: Sendable {
    let hub: ServingHub
    let log: PredictionLogger?
    /// Batches run in blocks and stop with 503 once this much time has passed.
    let timeout: Duration

    /// A prediction that has been answered.
    struct Answer {
        let requestId: String
        let alias: String
        let version: ServedVersion
        let outputs: [Double]
        let rowCount: Int
    }

    /// The served model called `name`, or 404.
    func model(_ name: String) throws(HangarError) -> ServedModel {
        guard let model = hub.model(name) else { throw HangarError.notFound("Model '\(name)' is not served here") }
        return model
    }

    /// Answers `table` for model `name` (pinned to `version` when given), logging the rows.
    func answer(name: String, version pinned: String?, table: InputTable, headers: PredictionHeaders) throws -> Answer {
        let start = ContinuousClock.now
        let model = try model(name)
        let alias: String
        let version: ServedVersion
        var shadow: (alias: String, version: ServedVersion)?
        var entityColumn: String?
        if let pinned {
            guard let found = model.version(pinned) else {
                throw HangarError.notFound("Version \(pinned) of model '\(name)' is not loaded here")
            }
            (alias, version) = found
        } else {
            guard let decision = model.route(key: headers.routeKey) else {
                throw ServingUnavailable(message: "Model '\(name)' has no version loaded yet")
            }
            (alias, version, shadow, entityColumn) = (decision.alias, decision.version, decision.shadow, decision.entityColumn)
        }
        let encoded: [Float]
        do {
            encoded = try version.encoder.encode(table)
        } catch {
            version.failures.increment()
            throw HangarError(.badRequest, error.description)
        }
        let outputs = try predict(version, encoded, rows: table.rowCount, deadline: start + timeout)
        let elapsed = ContinuousClock.now - start
        version.requests.increment()
        version.latency.recordNanoseconds(elapsed.nanoseconds)
        let requestId = headers.requestId.flatMap { $0.count <= 128 && !$0.isEmpty ? $0 : nil } ?? RequestIds.next()
        if let log, log.sample() {
            if pinned != nil { entityColumn = model.policy.entityColumn }
            let now = nowMillis()
            let entityKey = headers.entityKey
            let entity = entityColumn
            log.submit(LoggedPrediction(
                requestId: requestId, table: table, outputs: outputs, version: version, alias: alias, timestamp: now,
                latencyMicros: elapsed.microseconds, entityColumn: entity, entityKey: entityKey, shadow: false))
            if let shadow { Self.runShadow(shadow, table: table, requestId: requestId, log: log, entityColumn: entityColumn, entityKey: entityKey) }
        }
        return Answer(requestId: requestId, alias: alias, version: version, outputs: outputs, rowCount: table.rowCount)
    }

    /// Predicts in blocks so a huge batch stops at the deadline instead of holding a core for minutes.
    private func predict(_ version: ServedVersion, _ encoded: [Float], rows: Int, deadline: ContinuousClock.Instant) throws -> [Double] {
        let block = 65_536
        guard rows > block else { return version.predict(encoded: encoded) }
        let width = encoded.count / rows
        var outputs: [Double] = []
        outputs.reserveCapacity(rows * version.outputWidth)
        var start = 0
        while start < rows {
            if ContinuousClock.now > deadline {
                throw ServingUnavailable(message: "The prediction did not finish within the \(timeout) request timeout")
            }
            let end = min(rows, start + block)
            outputs += version.predict(encoded: Array(encoded[(start * width)..<(end * width)]))
            start = end
        }
        return outputs
    }

    /// The shadow alias answers the same rows off the request path; its answer is logged, never returned.
    private static func runShadow(
        _ shadow: (alias: String, version: ServedVersion), table: InputTable, requestId: String, log: PredictionLogger,
        entityColumn: String?, entityKey: String?
    ) {
        Task {
            let start = ContinuousClock.now
            guard let outputs = try? shadow.version.predict(table) else {
                shadow.version.failures.increment()
                return
            }
            let elapsed = ContinuousClock.now - start
            shadow.version.requests.increment()
            let now = nowMillis()
            log.submit(LoggedPrediction(
                requestId: requestId, table: table, outputs: outputs, version: shadow.version, alias: shadow.alias,
                timestamp: now, latencyMicros: elapsed.microseconds, entityColumn: entityColumn, entityKey: entityKey,
                shadow: true))
        }
    }
}

/// The server is up but cannot answer now (nothing loaded, overloaded, timed out): 503 with Retry-After.
struct ServingUnavailable: Error {
    let message: String
}

/// Request ids: a random per-process prefix and a counter, unique without a UUID per request.
enum RequestIds {
    private static let prefix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    private static let counter = Atomic<UInt64>(0)

    static func next() -> String {
        "\(prefix)-\(counter.wrappingAdd(1, ordering: .relaxed).newValue)"
    }
}

extension HTTPField.Name {
    /// Requests with the same key always go to the same alias under an A/B policy.
    static let routeKey = Self("X-Hangar-Route-Key")!
    /// The entity a single-row request is about, logged with the prediction for joining ground truth.
    static let entityKey = Self("X-Hangar-Entity-Key")!
    static let requestId = Self("X-Request-Id")!
    static let modelVersion = Self("X-Hangar-Model-Version")!
    static let modelAlias = Self("X-Hangar-Model-Alias")!
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var microseconds: Int64 { nanoseconds / 1000 }
}
