import HTTPTypes
import Testing

@testable import HangarServer

/// The raw prediction path's head parser answers `.predict` only for heads it understands completely.
@Suite struct RawRequestHeadTests {
    private func scan(_ text: String) -> RawRequestScan {
        Array(text.utf8).withUnsafeBytes { RawRequestHead.scan($0) }
    }

    @Test func aPlainPredictionHeadIsReadWithTheFieldsTheEndpointsUse() throws {
        let head = "POST /models/m/invocations?x=1 HTTP/1.1\r\nHost: h\r\ncontent-type:  application/json \r\n"
            + "X-Request-Id: r-1\r\nX-Hangar-Route-Key: k\r\nX-Hangar-Entity-Key: e\r\nUser-Agent: t\r\nContent-Length: 12\r\n\r\n"
        guard case .predict(let parsed, let headLength) = scan(head + "{\"a\": 1}xyz") else {
            Issue.record("not a prediction head")
            return
        }
        #expect(headLength == head.utf8.count)
        #expect(parsed.target == "/models/m/invocations?x=1")
        #expect(parsed.contentLength == 12)
        #expect(!parsed.close)
        #expect(parsed.headers == PredictionHeaders(
            contentType: "application/json", requestId: "r-1", routeKey: "k", entityKey: "e"))
        guard case .predict(let closing, _) = scan("POST /x HTTP/1.1\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n") else {
            Issue.record("not a prediction head")
            return
        }
        #expect(closing.close)
    }

    @Test func anUnfinishedHeadWaitsAndAnEndlessOneIsOpaque() {
        #expect(scan("POST /models/m/invocations HTTP/1.1\r\nContent-Len") == .incomplete)
        #expect(scan("") == .incomplete)
        #expect(scan("POST / HTTP/1.1\r\nX: " + String(repeating: "a", count: RawRequestHead.maxHeadLength)) == .opaque)
    }

    @Test func otherRequestsAreForwardedWithTheirExtent() {
        let get = "GET /models/m/ping HTTP/1.1\r\nHost: h\r\n\r\n"
        #expect(scan(get + "GET /next") == .forward(headLength: get.utf8.count, bodyLength: 0))
        let expect = "POST /models/m/invocations HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
        #expect(scan(expect) == .forward(headLength: expect.utf8.count, bodyLength: 5))
        let twice = "POST /m HTTP/1.1\r\nContent-Type: a\r\nContent-Type: b\r\nContent-Length: 2\r\n\r\n"
        #expect(scan(twice) == .forward(headLength: twice.utf8.count, bodyLength: 2))
        let upgradeLater = "POST /m HTTP/1.1\r\nConnection: upgrade\r\nContent-Length: 1\r\n\r\n"
        #expect(scan(upgradeLater) == .forward(headLength: upgradeLater.utf8.count, bodyLength: 1))
        let noLength = "POST /models/m/invocations HTTP/1.1\r\nHost: h\r\n\r\n"
        #expect(scan(noLength) == .forward(headLength: noLength.utf8.count, bodyLength: 0))
        let nonASCII = "POST /m HTTP/1.1\r\nX-Request-Id: \u{e9}\r\nContent-Length: 1\r\n\r\n"
        #expect(scan(nonASCII) == .forward(headLength: nonASCII.utf8.count, bodyLength: 1))
    }

    @Test(arguments: [
        "POST /m HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /m HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /m HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
        "POST /m HTTP/1.1\r\nContent-Length: +1\r\n\r\n",
        "POST /m HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n",
        "POST /m HTTP/1.1\r\nContent-Length: 1234567890123456789\r\n\r\n",
        "GET /chat HTTP/1.1\r\nUpgrade: websocket\r\n\r\n",
        "POST /m HTTP/1.0\r\nContent-Length: 1\r\n\r\n",
        "POST /m HTTP/1.1\r\nX: a\r\n folded\r\nContent-Length: 1\r\n\r\n",
        "POST /m HTTP/1.1\r\nBad Name: a\r\n\r\n",
        "POST /m HTTP/1.1\r\nX: a\u{1}b\r\n\r\n",
        "POST  /m HTTP/1.1\r\n\r\n",
        "POST m HTTP/1.1\r\n\r\n",
        "CONNECT h:443 HTTP/1.1\r\n\r\n",
        "POST /m HTTP/1.1\nContent-Length: 1\r\n\r\n",
    ])
    func headsWhoseExtentIsUnclearGoToTheFullDecoder(head: String) {
        #expect(scan(head) == .opaque)
    }

    @Test func bareStatusCodesGetTheirStandardReasonPhrase() {
        #expect(RawRequestHandler.reasonPhrase(.init(code: 404)) == "Not Found")
        #expect(RawRequestHandler.reasonPhrase(.ok) == "OK")
        #expect(RawRequestHandler.reasonPhrase(.init(code: 499)) == "")
    }
}
