import HangarCore
import HangarStore
import Testing

@Suite struct PredictionLogStoreTests {
    private func record(_ id: String, model: String, at timestamp: Int64) -> PredictionRecord {
        PredictionRecord(requestId: id, row: 0, model: model, version: "1", alias: "production", timestamp: timestamp,
                         entityKey: nil, inputs: "{}", outputs: "{}", latencyMicros: 1, shadow: false)
    }

    /// A model's newest records come by time, then by insertion; across models, by insertion.
    @Test(arguments: Backend.available)
    func recentRecordsAreNewestFirst(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = PredictionLogStore(database: db)
        try await store.append([
            record("a", model: "m", at: 10), record("b", model: "m", at: 30), record("c", model: "n", at: 40),
            record("d", model: "m", at: 20), record("e", model: "m", at: 30),
        ])
        #expect(try await store.recent(model: "m", limit: 3).map(\.requestId) == ["e", "b", "d"])
        #expect(try await store.recent(model: "n", limit: 10).map(\.requestId) == ["c"])
        #expect(try await store.recent(model: nil, limit: 2).map(\.requestId) == ["e", "d"])
        #expect(try await store.recent(model: "m", requestId: "a", limit: 10).map(\.requestId) == ["a"])
        await db.close()
    }

    /// Ground truth by request id lands on that request's record of that model only, and a lookup reads the request
    /// id's index rather than every record of the model (20,000 here: each unknown id answered at once).
    @Test(arguments: Backend.available)
    func groundTruthByRequestIdMatchesOnlyThatModelsRecord(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = PredictionLogStore(database: db)
        try await store.append((0..<20_000).map { record("bulk-\($0)", model: "m", at: Int64($0)) })
        try await store.append([record("r1", model: "m", at: 5), record("r1", model: "n", at: 5)])
        let matched = try await store.attach(
            model: "m", truths: [GroundTruth(requestId: "r1", value: "1")] + (0..<500).map { GroundTruth(requestId: "nope-\($0)", value: "0") })
        #expect(matched.first == true)
        #expect(matched.dropFirst().allSatisfy { !$0 })
        let m = try await store.recent(model: "m", requestId: "r1", limit: 10)
        let n = try await store.recent(model: "n", requestId: "r1", limit: 10)
        #expect(m.map(\.groundTruth) == ["1"])
        #expect(n.map(\.groundTruth) == [nil])
        await db.close()
    }

    /// Every field comes back as it was appended, from several row sources at once (an empty one among them) and
    /// across statement boundaries (300 rows: two full statements and power-of-two pieces); SQLite binds the rows
    /// straight from their fields, PostgreSQL through SQLKit.
    @Test(arguments: Backend.available)
    func appendedRowsComeBackFieldForField(backend: Backend) async throws {
        let db = try await backend.openFresh()
        let store = PredictionLogStore(database: db)
        let records = (0..<300).map { i in
            PredictionRecord(
                requestId: "req-\(i / 3)", row: i % 3, model: i % 2 == 0 ? "m" : "n", version: "\(i % 4 + 1)",
                alias: i % 5 == 0 ? "challenger" : "production", timestamp: 1_700_000_000_000 + Int64(i),
                entityKey: i % 7 == 0 ? nil : "entité-\(i)", inputs: #"{"x":\#(i),"s":"é\"\\"}"#,
                outputs: i % 11 == 0 ? "" : #"{"prediction":\#(Double(i) / 8)}"#, latencyMicros: Int64(i * 13),
                shadow: i % 6 == 0, groundTruth: i % 9 == 0 ? "\(i)" : nil,
                groundTruthTimestamp: i % 9 == 0 ? Int64(i) : nil)
        }
        try await store.append([
            PredictionRecordRows(Array(records[0..<1])), PredictionRecordRows([]), PredictionRecordRows(Array(records[1..<200])),
            PredictionRecordRows(Array(records[200...])),
        ])
        let back = try await store.recent(model: nil, limit: 1000).reversed()
        #expect(Array(back) == records)
        await db.close()
    }
}
