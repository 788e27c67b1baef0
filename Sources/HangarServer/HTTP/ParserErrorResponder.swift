import HangarCore
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request SwiftNIO's decoder cannot parse (a request line or head over the decoder's limits, a broken
/// request line) with a JSON 400 and closes the connection, instead of Hummingbird's empty-bodied 400.
///
/// It sits right after the HTTP codec and counts requests in and responses out (the count of responses is also the
/// `ResponseLedger` that `RawRequestHandler`, in front of the decoder, reads to keep replies in order). An error that breaks a request whose
/// body a route is still reading (a bad chunk) goes on to that route, which answers it (`ErrorMiddleware`); an error
/// in the bytes after complete requests is answered here, once the responses to those requests have been written.
final class ParserErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var requests = 0
    private var completeRequests = 0
    private var responses = 0
    let ledger = ResponseLedger()
    /// An error waiting for the responses ahead of it.
    private var pending: HTTPParserError?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: requests += 1
        case .end: completeRequests += 1
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        responses += 1
        ledger.ended += 1
        context.write(data, promise: promise)
        if let error = pending, responses == requests {
            pending = nil
            answer(context: context, error)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, completeRequests == requests, pending == nil else {
            context.fireErrorCaught(error)
            return
        }
        if responses == requests {
            answer(context: context, parserError)
        } else {
            pending = parserError
        }
    }

    private func answer(context: ChannelHandlerContext, _ error: HTTPParserError) {
        let reply = ServingResponses.error(
            status: .badRequest, code: ErrorCode.badRequest.rawValue, message: Self.message(error))
        var fields = reply.headers
        fields[.contentLength] = String(reply.body.count)
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: reply.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: reply.body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    static func message(_ error: HTTPParserError) -> String {
        switch error {
        case .headerOverflow: "The request line or headers are larger than the server accepts (80 KB)"
        case .invalidURL: "The request line has a malformed target"
        case .invalidMethod: "The request line has an unknown method"
        case .invalidVersion: "The request line has an unknown HTTP version"
        case .invalidHeaderToken: "A header line is malformed"
        case .invalidContentLength, .unexpectedContentLength: "The Content-Length header is malformed"
        default: "Malformed HTTP request: \(error)"
        }
    }
}
