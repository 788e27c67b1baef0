import Foundation
import HangarArtifacts
import HangarServer
import HangarServing
import HangarStore
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Runs `body` against a real Hangar server on a free 127.0.0.1 port, with a fresh SQLite data dir.
func withLiveServer(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hangar-api-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let db = try await SQLiteMetadataDatabase.open(path: dir + "/hangar.db", durability: .normal)
    try await Migrator.migrate(db)
    let artifacts = try LocalArtifactStore(root: dir + "/artifacts")
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let app = HangarServer.makeApplication(
        options: ServerOptions(host: "127.0.0.1", port: 0, serving: ServingOptions()), database: db, artifacts: artifacts, logger: logger)
    try await app.test(.live) { client in try await body(client) }
    await db.close()
}

/// Decodes a JSON object body.
func jsonObject(_ buffer: ByteBuffer) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(buffer: buffer))) as? [String: Any] ?? [:]
}

@Suite struct APIErrorTests {
    @Test func malformedJSONIsA400WithAnMLflowErrorBody() async throws {
        try await withLiveServer { client in
            try await client.execute(uri: "/api/2.0/mlflow/runs/create", method: .post, body: ByteBuffer(string: "{bad")) { response in
                #expect(response.status == .badRequest)
                #expect(jsonObject(response.body)["error_code"] as? String == "BAD_REQUEST")
            }
        }
    }

    @Test func aWrongTypeIsInvalidParameterValueNamingTheField() async throws {
        try await withLiveServer { client in
            let body = ByteBuffer(string: #"{"experiment_id": "0", "start_time": "soon"}"#)
            try await client.execute(uri: "/api/2.0/mlflow/runs/create", method: .post, body: body) { response in
                #expect(response.status == .badRequest)
                let json = jsonObject(response.body)
                #expect(json["error_code"] as? String == "INVALID_PARAMETER_VALUE")
                #expect((json["message"] as? String)?.contains("start_time") == true)
            }
        }
    }

    @Test func anUnknownRouteIsA404WithAJSONBody() async throws {
        try await withLiveServer { client in
            try await client.execute(uri: "/api/2.0/mlflow/no-such-thing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(jsonObject(response.body)["error_code"] as? String == "ENDPOINT_NOT_FOUND")
            }
        }
    }

    @Test func anUnknownRunIsResourceDoesNotExist() async throws {
        try await withLiveServer { client in
            try await client.execute(uri: "/api/2.0/mlflow/runs/get?run_id=0123abcd", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(jsonObject(response.body)["error_code"] as? String == "RESOURCE_DOES_NOT_EXIST")
            }
        }
    }

    @Test func artifactPathsThatEscapeTheRootAreRefused() async throws {
        try await withLiveServer { client in
            for path in ["..%2F..%2Fetc%2Fpasswd", "%2e%2e/x", "a/%252e%252e/b", "a/%5C..%5Cb"] {
                try await client.execute(
                    uri: "/api/2.0/mlflow-artifacts/artifacts/\(path)", method: .put, body: ByteBuffer(string: "x")
                ) { response in
                    #expect(response.status == .badRequest, "path: \(path)")
                }
            }
        }
    }

    @Test func anUploadedArtifactDownloadsByteForByteAndIsListed() async throws {
        try await withLiveServer { client in
            let payload = ByteBuffer(bytes: (0..<300_000).map { UInt8($0 % 251) })
            try await client.execute(uri: "/api/2.0/mlflow-artifacts/artifacts/0/run/artifacts/d/blob.bin", method: .put, body: payload) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/api/2.0/mlflow-artifacts/artifacts/0/run/artifacts/d/blob.bin", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body == payload)
                #expect(response.headers[.contentType] == "application/octet-stream")
            }
            try await client.execute(uri: "/api/2.0/mlflow-artifacts/artifacts?path=0/run/artifacts/d", method: .get) { response in
                let files = jsonObject(response.body)["files"] as? [[String: Any]]
                #expect(files?.first?["path"] as? String == "blob.bin")
                #expect(files?.first?["file_size"] as? Int == 300_000)
            }
        }
    }
}
