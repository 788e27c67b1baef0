import Foundation
import HangarArtifacts
import HangarServer
import HangarServing
import HangarStore
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A live server with serving limits of its own.
func withServingServer(_ serving: ServingOptions, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-serving-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let db = try await SQLiteMetadataDatabase.open(path: dir + "/hangar.db", durability: .normal)
    try await Migrator.migrate(db)
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let app = HangarServer.makeApplication(
        options: ServerOptions(host: "127.0.0.1", port: 0, serving: serving), database: db,
        artifacts: try LocalArtifactStore(root: dir + "/artifacts"), logger: logger)
    try await app.test(.live) { client in try await body(client) }
    await db.close()
}

@Suite struct ServingRouteTests {
    @Test func anOversizeBodyIsA413WithAJSONError() async throws {
        try await withServingServer(ServingOptions(maxRequestBytes: 1024)) { client in
            let body = ByteBuffer(string: #"{"instances": ["# + String(repeating: "1,", count: 2000) + "1]}")
            try await client.execute(uri: "/models/any/invocations", method: .post, headers: [.contentType: "application/json"], body: body) { response in
                #expect(response.status == .contentTooLarge)
                #expect(jsonObject(response.body)["error_code"] as? String == "BAD_REQUEST")
            }
        }
    }

    @Test func aModelThatIsNotServedIsA404AndReadinessWaitsForTheFirstLoad() async throws {
        try await withServingServer(ServingOptions()) { client in
            try await client.execute(uri: "/models/nothing/invocations", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"instances": [[1]]}"#)) { response in
                #expect(response.status == .notFound)
                let json = jsonObject(response.body)
                #expect(json["error_code"] as? String == "RESOURCE_DOES_NOT_EXIST")
                #expect((json["error"] as? String)?.contains("nothing") == true)
            }
            try await client.execute(uri: "/v2/health/live", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v2", method: .get) { response in
                #expect(jsonObject(response.body)["name"] as? String == "hangar")
            }
        }
    }

    @Test func trafficPoliciesAreValidatedAndNeedAModel() async throws {
        try await withServingServer(ServingOptions()) { client in
            let policy = #"{"name": "ghost", "routes": [{"alias": "production", "percent": 100}]}"#
            try await client.execute(uri: "/api/2.0/hangar/serving/policy", method: .post, body: ByteBuffer(string: policy)) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/2.0/mlflow/registered-models/create", method: .post,
                                     body: ByteBuffer(string: #"{"name": "ghost"}"#)) { #expect($0.status == .ok) }
            let bad = #"{"name": "ghost", "routes": [{"alias": "production", "percent": 60}]}"#
            try await client.execute(uri: "/api/2.0/hangar/serving/policy", method: .post, body: ByteBuffer(string: bad)) { response in
                #expect(response.status == .badRequest)
                #expect((jsonObject(response.body)["message"] as? String)?.contains("sum") == true)
            }
            // A route to an alias that does not exist would take the model offline: refused, naming the alias.
            try await client.execute(uri: "/api/2.0/hangar/serving/policy", method: .post, body: ByteBuffer(string: policy)) { response in
                #expect(response.status == .badRequest)
                #expect((jsonObject(response.body)["message"] as? String)?.contains("no alias 'production'") == true)
            }
            try await client.execute(uri: "/api/2.0/mlflow/model-versions/create", method: .post,
                                     body: ByteBuffer(string: #"{"name": "ghost", "source": "s3://bucket/ghost/model"}"#)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/2.0/mlflow/registered-models/alias", method: .post,
                                     body: ByteBuffer(string: #"{"name": "ghost", "alias": "production", "version": "1"}"#)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/2.0/hangar/serving/policy", method: .post, body: ByteBuffer(string: policy)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/2.0/hangar/serving/policy?name=ghost", method: .get) { response in
                let body = jsonObject(response.body)
                #expect(((body["policy"] as? [String: Any])?["routes"] as? [Any])?.count == 1)
            }
        }
    }
}
