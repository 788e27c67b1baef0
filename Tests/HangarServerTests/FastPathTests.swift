import Foundation
import HangarServing
@testable import HangarServer
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Sends `request` on one TCP connection to 127.0.0.1:`port` and reads until the server closes it.
///
/// The socket calls block, so they run on a thread of their own: on a cooperative thread, two tests waiting at once
/// would hold every thread of a 2-core machine's pool while the server needs one to answer its router requests.
func rawExchange(port: Int, _ request: String, shutdownAfterSending: Bool = false) async throws -> String {
    try await rawExchange(port: port, pieces: [request], shutdownAfterSending: shutdownAfterSending)
}

/// `rawExchange` sending the request in `pieces`, 50 ms apart, so that the server reads them separately.
func rawExchange(port: Int, pieces: [String], shutdownAfterSending: Bool = false) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try blockingExchange(port: port, pieces, shutdownAfterSending: shutdownAfterSending) })
        }
        thread.start()
    }
}

private func blockingExchange(port: Int, _ pieces: [String], shutdownAfterSending: Bool) throws -> String {
    #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw POSIXError(.EBADF) }
    defer { close(fd) }
    // A server that never answers fails the test after a minute instead of hanging the run.
    var timeout = timeval(tv_sec: 60, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    var nodelay: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &nodelay, socklen_t(MemoryLayout<Int32>.size))
    for (index, piece) in pieces.enumerated() {
        if index > 0 { usleep(50_000) }
        let bytes = Array(piece.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw POSIXError(.EPIPE) }
            sent += n
        }
    }
    if shutdownAfterSending { shutdown(fd, Int32(SHUT_WR)) }
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0, errno == EINTR { continue }
        if n < 0 { throw POSIXError(.ETIMEDOUT) }
        if n == 0 { break }
        received += chunk[0..<n]
    }
    return String(decoding: received, as: UTF8.self)
}

/// The event-loop fast path for small prediction requests answers exactly as the router would, and keeps
/// responses in request order on a connection that mixes both.
@Suite struct FastPathTests {
    @Test func pipelinedRequestsAreAnsweredInOrderWhenARouterRequestIsAhead() async throws {
        try await withServingServer(ServingOptions()) { client in
            let port = try #require(client.port)
            let predict = #"{"instances": [[1]]}"#
            let request =
                "GET /api/2.0/mlflow/experiments/get?experiment_id=0 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /models/first/invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(predict.utf8.count)\r\n\r\n\(predict)"
                + "POST /v2/models/second/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(predict.utf8.count)\r\nConnection: close\r\n\r\n\(predict)"
            let answer = try await rawExchange(port: port, request)
            let experiment = try #require(answer.range(of: "\"Default\""))
            let first = try #require(answer.range(of: "'first'"))
            let second = try #require(answer.range(of: "'second'"))
            #expect(experiment.lowerBound < first.lowerBound)
            #expect(first.lowerBound < second.lowerBound)
            #expect(answer.components(separatedBy: "HTTP/1.1 404").count == 3)
        }
    }

    @Test func predictionsArrivingInPiecesOrPipelinedAreAnsweredInOrder() async throws {
        try await withServingServer(ServingOptions()) { client in
            let port = try #require(client.port)
            let body = #"{"instances": [[1]]}"#
            func predict(_ model: String, close: Bool = false) -> String {
                "POST /models/\(model)/invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + (close ? "Connection: close\r\n" : "") + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            }
            // A head split mid-line and a body split from its head, then two pipelined requests in one piece.
            let first = predict("one")
            let split = first.index(first.startIndex, offsetBy: 30)
            let headEnd = first.range(of: "\r\n\r\n")!.upperBound
            let answer = try await rawExchange(
                port: port,
                pieces: [String(first[..<split]), String(first[split..<headEnd]), String(first[headEnd...]),
                         predict("two") + predict("three", close: true)])
            let positions = try ["'one'", "'two'", "'three'"].map { try #require(answer.range(of: $0)).lowerBound }
            #expect(positions == positions.sorted())
            #expect(answer.components(separatedBy: "HTTP/1.1 404 Not Found\r\n").count == 4)
        }
    }

    @Test func requestsTheRawPathCannotDelimitGoToTheFullDecoder() async throws {
        try await withServingServer(ServingOptions()) { client in
            let port = try #require(client.port)
            let body = #"{"instances": [[1]]}"#
            let length = String(body.utf8.count, radix: 16)
            // A prediction first (answered from raw bytes), then a chunked one: the decoder takes the connection over.
            let answer = try await rawExchange(
                port: port,
                "POST /models/raw/invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
                    + "POST /models/chunked/invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n\(length)\r\n\(body)\r\n0\r\n\r\n")
            let raw = try #require(answer.range(of: "'raw'"))
            let chunked = try #require(answer.range(of: "'chunked'"))
            #expect(raw.lowerBound < chunked.lowerBound)
            // Expect: 100-continue is the decoder's to answer; the prediction behind it still gets its answer.
            let continued = try await rawExchange(
                port: port,
                pieces: [
                    "POST /models/later/invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Expect: 100-continue\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n",
                    body,
                ])
            #expect(continued.contains("'later'"))
        }
    }

    @Test func pipelinedTrackingWritesAnsweredFromRawBytesKeepTheirOrder() async throws {
        try await withServingServer(ServingOptions()) { client in
            let port = try #require(client.port)
            func post(_ path: String, _ body: String, close: Bool = false) -> String {
                "POST /api/2.0/mlflow/\(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + (close ? "Connection: close\r\n" : "") + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            }
            // Raw-path writes (the second fails in the store), a router read between them, all in one piece.
            let answer = try await rawExchange(
                port: port,
                post("runs/create", #"{"experiment_id": "0", "run_name": "first-run"}"#)
                    + post("runs/log-metric", #"{"run_id": "nosuchrun", "key": "m", "value": 1, "timestamp": 1}"#)
                    + "GET /api/2.0/mlflow/experiments/get?experiment_id=0 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + post("runs/create", #"{"experiment_id": "0", "run_name": "last-run"}"#, close: true))
            let marks = try ["first-run", "nosuchrun", "\"Default\"", "last-run"].map { try #require(answer.range(of: $0)).lowerBound }
            #expect(marks == marks.sorted())
            #expect(answer.components(separatedBy: "HTTP/1.1 200 OK").count == 4)
            #expect(answer.contains("HTTP/1.1 404 Not Found"))
            #expect(answer.contains("RESOURCE_DOES_NOT_EXIST"))
        }
    }

    @Test func aFloodOfPipelinedTrackingWritesIsReadWhileBusyAndAnsweredInOrder() async throws {
        try await withServingServer(ServingOptions()) { client in
            let port = try #require(client.port)
            // 500 creates (about 80 KB) in one go: more arrives while each is answered than the handler buffers
            // before it stops reading (`busyInputLimit`), so reading stops and resumes along the way.
            let count = 500
            let requests = (0..<count).map { index in
                let body = #"{"experiment_id": "0", "run_name": "flood-\#(index)-end"}"#
                return "POST /api/2.0/mlflow/runs/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + (index == count - 1 ? "Connection: close\r\n" : "") + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            }
            #expect(requests.joined().utf8.count > RawRequestHandler.busyInputLimit)
            let answer = try await rawExchange(port: port, requests.joined())
            #expect(answer.components(separatedBy: "HTTP/1.1 200 OK").count == count + 1)
            let marks = try (0..<count).map { try #require(answer.range(of: "\"flood-\($0)-end\"")).lowerBound }
            #expect(marks == marks.sorted())
        }
    }

    @Test func aHalfClosedConnectionStillGetsItsTrackingReplyAndTheDecoderSeesTheRest() async throws {
        try await withServingServer(ServingOptions()) { client in
            let port = try #require(client.port)
            let body = #"{"experiment_id": "0", "run_name": "half-closed"}"#
            // The client sends a whole raw-path request and the start of another, then shuts its side down.
            let answer = try await rawExchange(
                port: port,
                "POST /api/2.0/mlflow/runs/create HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                    + "GET /api/2.0/mlflow/experiments/get?experiment_id=0 HTTP/1.1\r\nHo",
                shutdownAfterSending: true)
            #expect(answer.hasPrefix("HTTP/1.1 200 OK"))
            #expect(answer.contains("half-closed"))
        }
    }

    @Test func fastPathRoutesMatchOnlyWholePredictionPaths() async throws {
        try await withServingServer(ServingOptions()) { client in
            let port = try #require(client.port)
            let body = #"{"instances": [[1]]}"#
            func post(_ path: String) async throws -> String {
                try await rawExchange(
                    port: port,
                    "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + "\(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
            }
            // A query string is not part of the model's name.
            let query = try await post("/models/ghost/invocations?format=json")
            #expect(query.hasPrefix("HTTP/1.1 404"))
            #expect(query.contains("Model 'ghost' is not served here"))
            // A percent-encoded name goes to the router, which decodes it the same way for every route.
            let encoded = try await post("/models/gh%20ost/invocations")
            #expect(encoded.hasPrefix("HTTP/1.1 404"))
            // The bare MLflow path belongs to a single-model `hangar serve` only.
            let bare = try await post("/invocations")
            #expect(bare.hasPrefix("HTTP/1.1 404"))
            #expect(bare.contains("RESOURCE_DOES_NOT_EXIST") || bare.contains("NOT_FOUND"))
            // A pinned OIP version of a model that is not served.
            let pinned = try await post("/v2/models/ghost/versions/3/infer")
            #expect(pinned.hasPrefix("HTTP/1.1 404"))
            #expect(pinned.contains("ghost"))
        }
        try await withServingServer(ServingOptions(singleModel: "solo")) { client in
            let port = try #require(client.port)
            let body = #"{"instances": [[1]]}"#
            let bare = try await rawExchange(
                port: port,
                "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + "\(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
            #expect(bare.hasPrefix("HTTP/1.1 404"))
            #expect(bare.contains("Model 'solo' is not served here"))
        }
    }

    @Test func predictionPathsAreRecognisedWholeAndOnlyWhole() {
        #expect(PredictionRoute(path: "/models/m/invocations", singleModel: nil) == .mlflow(name: "m"))
        #expect(PredictionRoute(path: "/models/m/invocations?x=1", singleModel: nil) == .mlflow(name: "m"))
        #expect(PredictionRoute(path: "/v2/models/m/infer", singleModel: nil) == .openInference(name: "m", version: nil))
        #expect(PredictionRoute(path: "/v2/models/m/versions/3/infer", singleModel: nil) == .openInference(name: "m", version: "3"))
        #expect(PredictionRoute(path: "/invocations", singleModel: "solo") == .mlflow(name: "solo"))
        #expect(PredictionRoute(path: "/models/ünï/invocations", singleModel: nil) == .mlflow(name: "ünï"))
        for path in [
            "/invocations", "/models/m/invocations/", "//models/m/invocations", "/models//invocations", "models/m/invocations",
            "/models/m%20/invocations", "/v2/models/m/versions/3/infer/x", "/v2/models/m/ready", "/", "", "/models/m/invocation",
            "/x/y/z/v2/models/m/infer",
        ] {
            #expect(PredictionRoute(path: path, singleModel: nil) == nil, "\(path)")
        }
    }

    @Test func fastPathRequestsAreCountedPerRouteTemplateInMetrics() async throws {
        try await withServingServer(ServingOptions()) { client in
            try await client.execute(
                uri: "/models/counted/invocations", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"instances": [[1]]}"#)
            ) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                let line = text.split(separator: "\n").first {
                    $0.hasPrefix("hb_requests") && $0.contains(#"http_route="/models/{name}/invocations""#)
                        && $0.contains(#"http_response_status_code="404""#)
                }
                #expect(line != nil)
                #expect(!text.contains("/models/counted/"))
            }
        }
    }
}
