import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct OpenAPITests {
    /// The (method, path) pairs docs/openapi.yaml documents.
    static func documentedOperations() throws -> [(method: String, path: String)] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/openapi.yaml")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var operations: [(String, String)] = []
        var path: String?
        for line in lines {
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()) }
            for method in ["get", "post", "patch", "delete"] where line == "    \(method):" {
                if let path { operations.append((method.uppercased(), path)) }
            }
        }
        return operations
    }

    @Test func everyDocumentedOperationIsServed() async throws {
        let operations = try Self.documentedOperations()
        #expect(operations.count >= 9)
        try await withLiveServer { client in
            for (method, path) in operations {
                let concrete = path.replacingOccurrences(of: "{webhook_id}", with: "00000000-0000-0000-0000-000000000000")
                    .replacingOccurrences(of: "{name}", with: "no-such-model").replacingOccurrences(of: "{version}", with: "1")
                try await client.execute(uri: concrete, method: .init(rawValue: method)!, body: ByteBuffer(string: "{}")) { response in
                    // Wrong or missing input is fine here; "no such endpoint" is not.
                    #expect(jsonObject(response.body)["error_code"] as? String != "ENDPOINT_NOT_FOUND", "\(method) \(path)")
                    // Readiness probes may say "not yet" (503) while the first load runs.
                    let probe = path.hasSuffix("/ready") || path.hasSuffix("/ping")
                    #expect(response.status.code < 500 || (probe && response.status == .serviceUnavailable), "\(method) \(path)")
                }
            }
        }
    }
}
