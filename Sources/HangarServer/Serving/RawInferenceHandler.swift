import HTTPTypes
import NIOCore

/// Answers prediction requests straight from a connection's bytes, ahead of SwiftNIO's HTTP/1 decoder.
///
/// For a one-row prediction the HTTP machinery costs more than the model: llhttp's callbacks, building an
/// `HTTPRequestHead` with every header, converting it to `HTTPRequest`, and encoding the response part by part took
/// about a quarter of an event loop's time under load. This handler sits first in the pipeline and reads each request
/// head itself (`RawRequestHead`): a prediction request it fully understands, on a connection with no request still
/// being answered downstream, is answered here with one buffer written straight to the socket, through the same
/// `PredictionEndpoints` as every other path. Every other request is passed on, byte for byte and delimited by its
/// `Content-Length`, to the decoder and `FastInferenceHandler` behind it, so responses keep their order; a request
/// whose extent the narrow parser cannot tell (chunked, upgraded, malformed) hands the rest of the connection to the
/// decoder for good.
final class RawInferenceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private enum Mode {
        /// At a request boundary: heads are read here.
        case parsing
        /// Passing on the rest of a forwarded request's body.
        case forwardingBody(remaining: Int)
        /// Everything goes to the decoder from now on.
        case opaque
    }

    private let configuration: FastInferenceHandler.Configuration
    /// Responses ended behind this handler, counted by `FastInferenceHandler`.
    private let ledger: ResponseLedger
    /// Requests passed on to the decoder.
    private var forwarded = 0
    private var mode = Mode.parsing
    /// Bytes read but not yet answered or passed on; they always start at a request boundary in `.parsing`.
    private var input: ByteBuffer?
    private var needsFlush = false
    private var closing = false

    init(configuration: FastInferenceHandler.Configuration, ledger: ResponseLedger) {
        self.configuration = configuration
        self.ledger = ledger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .opaque = mode {
            context.fireChannelRead(data)
            return
        }
        guard !closing else { return }
        var bytes = unwrapInboundIn(data)
        if input == nil {
            input = bytes
        } else {
            input!.writeBuffer(&bytes)
        }
        process(context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The peer stopped sending: a partial request is the decoder's to judge, as it would have been without this
        // handler.
        if let event = event as? ChannelEvent, event == .inputClosed, let rest = input {
            input = nil
            mode = .opaque
            context.fireChannelRead(wrapInboundOut(rest))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        input = nil
        context.fireChannelInactive()
    }

    /// Answers or passes on every complete request in `input`.
    private func process(context: ChannelHandlerContext) {
        guard var buffer = input else { return }
        input = nil
        defer {
            if buffer.readableBytes > 0, !closing { input = buffer }
        }
        while buffer.readableBytes > 0, !closing {
            switch mode {
            case .opaque:
                context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: buffer.readableBytes)!))
                return
            case .forwardingBody(let remaining):
                let count = min(remaining, buffer.readableBytes)
                mode = count == remaining ? .parsing : .forwardingBody(remaining: remaining - count)
                context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: count)!))
            case .parsing:
                switch buffer.withUnsafeReadableBytes({ RawRequestHead.scan($0) }) {
                case .incomplete:
                    return
                case .opaque:
                    mode = .opaque
                case .forward(let headLength, let bodyLength):
                    forward(context: context, &buffer, headLength: headLength, bodyLength: bodyLength)
                case .predict(let head, let headLength):
                    guard forwarded == ledger.ended, head.contentLength <= configuration.bodyLimit,
                        let route = PredictionRoute(path: head.target, singleModel: configuration.singleModel)
                    else {
                        forward(context: context, &buffer, headLength: headLength, bodyLength: head.contentLength)
                        continue
                    }
                    // The body is small (at most `bodyLimit`): wait until all of it is here.
                    guard buffer.readableBytes >= headLength + head.contentLength else { return }
                    let start = RouteMetrics.now()
                    buffer.moveReaderIndex(forwardBy: headLength)
                    let body = buffer.readSlice(length: head.contentLength)!
                    respond(context: context, route: route, head: head, body: body, start: start)
                }
            }
        }
    }

    /// Passes a request the decoder answers: its head now, its body as it arrives.
    private func forward(context: ChannelHandlerContext, _ buffer: inout ByteBuffer, headLength: Int, bodyLength: Int) {
        forwarded += 1
        let available = min(buffer.readableBytes, headLength + bodyLength)
        let remaining = headLength + bodyLength - available
        mode = remaining == 0 ? .parsing : .forwardingBody(remaining: remaining)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: available)!))
    }

    private func respond(context: ChannelHandlerContext, route: PredictionRoute, head: RawRequestHead, body: ByteBuffer, start: UInt64) {
        let endpoints = configuration.endpoints
        let reply =
            switch route {
            case .mlflow(let name): endpoints.mlflow(name: name, headers: head.headerFields, body: body)
            case .openInference(let name, let version):
                endpoints.openInference(name: name, version: version, headers: head.headerFields, body: body)
            }
        var out = context.channel.allocator.buffer(capacity: reply.body.count + 256)
        out.writeStaticString("HTTP/1.1 ")
        out.writeString(String(reply.status.code))
        out.writeStaticString(" ")
        out.writeString(Self.reasonPhrase(reply.status))
        out.writeStaticString("\r\n")
        for field in reply.headers {
            out.writeString(field.name.rawName)
            out.writeStaticString(": ")
            out.writeString(field.value)
            out.writeStaticString("\r\n")
        }
        out.writeStaticString("Content-Length: ")
        out.writeString(String(reply.body.count))
        if head.close { out.writeStaticString("\r\nConnection: close") }
        out.writeStaticString("\r\n\r\n")
        out.writeBytes(reply.body)
        configuration.metrics.record(route: route.template, method: .post, status: reply.status, since: start)
        if head.close {
            closing = true
            let channel = context.channel
            context.writeAndFlush(NIOAny(out)).whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.write(NIOAny(out), promise: nil)
            needsFlush = true
        }
    }
}

extension RawInferenceHandler {
    /// The status's reason phrase; a status made from a bare code (`.init(code: 404)`) has none, so the standard one
    /// is written, as SwiftNIO's encoder does.
    static func reasonPhrase(_ status: HTTPResponse.Status) -> String {
        if !status.reasonPhrase.isEmpty { return status.reasonPhrase }
        return switch status.code {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Payload Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: ""
        }
    }
}

/// How many responses have ended behind `RawInferenceHandler` on one connection; both handlers run on the
/// connection's event loop.
final class ResponseLedger {
    var ended = 0
}
