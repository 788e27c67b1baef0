import HangarCore
import HTTPTypes
import Logging
import NIOCore

/// Answers the hottest requests straight from a connection's bytes, ahead of SwiftNIO's HTTP/1 decoder.
///
/// For a one-row prediction or a single tracking write, the HTTP machinery costs as much as the work: llhttp's
/// callbacks, an `HTTPRequestHead` with every header, its conversion to `HTTPRequest`, Hummingbird's async channel,
/// router and middleware, and a response encoded part by part. This handler sits first in the pipeline and reads each
/// request head itself (`RawRequestHead`). A request it fully understands, for one of the routes it knows, on a
/// connection with no request still being answered downstream, is answered here with one buffer written straight to
/// the socket, through the same functions the router's routes call:
///
/// - predictions (`PredictionEndpoints`), synchronously on the event loop, as `FastInferenceHandler` would;
/// - `runs/create`, `runs/log-metric` and `runs/log-batch` (`TrackingEndpoints`), on a task that runs on this
///   connection's event loop; meanwhile the handler only buffers what the connection sends (up to
///   `busyInputLimit`), so replies keep their order, and holds back events (a graceful shutdown's quiesce, the
///   peer's half-close) until the reply is out.
///
/// Every other request is passed on, byte for byte and delimited by its `Content-Length`, to the decoder behind it;
/// a request whose extent the narrow parser cannot tell (chunked, upgraded, malformed) hands the rest of the
/// connection to the decoder for good.
final class RawRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// What every connection's handler shares.
    struct Configuration: Sendable {
        /// The prediction routes, when this server serves models.
        let prediction: FastInferenceHandler.Configuration?
        /// The tracking calls answered here, by exact path (both API prefixes), when this server tracks.
        let tracking: (endpoints: TrackingEndpoints, calls: [String: TrackingEndpoints.Call])?
        let metrics: RouteMetrics
        let logger: Logger

        /// Tracking bodies up to this size are answered here; larger ones go to the router.
        static let trackingBodyLimit = 4 * 1024 * 1024

        init(prediction: FastInferenceHandler.Configuration?, tracking: TrackingEndpoints?, metrics: RouteMetrics, logger: Logger) {
            self.prediction = prediction
            self.metrics = metrics
            self.logger = logger
            self.tracking = tracking.map { endpoints in
                var calls: [String: TrackingEndpoints.Call] = [:]
                for prefix in TrackingRoutes.prefixes {
                    for call in TrackingEndpoints.Call.allCases { calls[prefix + call.suffix] = call }
                }
                return (endpoints, calls)
            }
        }
    }

    private enum Mode {
        /// At a request boundary: heads are read here.
        case parsing
        /// Passing on the rest of a forwarded request's body.
        case forwardingBody(remaining: Int)
        /// Everything goes to the decoder from now on.
        case opaque
    }

    /// What the raw path answers for a request head, when it answers it.
    private enum Route {
        case prediction(PredictionRoute, bodyLimit: Int)
        case tracking(TrackingEndpoints.Call, path: String)

        var bodyLimit: Int {
            switch self {
            case .prediction(_, let limit): limit
            case .tracking: Configuration.trackingBodyLimit
            }
        }
    }

    private let configuration: Configuration
    /// Responses ended behind this handler, counted by `ParserErrorResponder`.
    private let ledger: ResponseLedger
    /// Requests passed on to the decoder.
    private var forwarded = 0
    private var mode = Mode.parsing
    /// Bytes read but not yet answered or passed on; they always start at a request boundary in `.parsing`.
    private var input: ByteBuffer?
    private var needsFlush = false
    private var closing = false
    /// A tracking call is being answered on a task: nothing more is answered until its reply is written, and reading
    /// stops once `busyInputLimit` bytes wait.
    private var busy = false
    /// A `read` the pipeline asked for while busy with a full input.
    private var readPending = false
    /// Inbound events that arrived while busy, passed on once the reply is out.
    private var heldEvents: [Any] = []
    /// Whether bytes went to the decoder outside a read cycle (after a tracking reply): the async channel at the
    /// end of the pipeline delivers what it has buffered only on `channelReadComplete`, which must then follow.
    private var passedOnOutsideRead = false

    init(configuration: Configuration, ledger: ResponseLedger) {
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
        passedOnOutsideRead = false
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    /// While a tracking call is answered, reading goes on until this much input waits: what arrives is only kept,
    /// and holding back every read would cost two `epoll_ctl` calls per request (read interest off, then on again).
    static let busyInputLimit = 64 * 1024

    func read(context: ChannelHandlerContext) {
        if busy, (input?.readableBytes ?? 0) >= Self.busyInputLimit {
            readPending = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if busy {
            heldEvents.append(event)
            return
        }
        passOn(context: context, event: event)
    }

    private func passOn(context: ChannelHandlerContext, event: Any) {
        // The peer stopped sending: a partial request is the decoder's to judge, as it would have been without this
        // handler.
        if let event = event as? ChannelEvent, event == .inputClosed, let rest = input {
            input = nil
            mode = .opaque
            context.fireChannelRead(wrapInboundOut(rest))
            context.fireChannelReadComplete()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        input = nil
        context.fireChannelInactive()
    }

    /// Answers or passes on every complete request in `input`.
    private func process(context: ChannelHandlerContext) {
        guard !busy, var buffer = input else { return }
        input = nil
        defer {
            if buffer.readableBytes > 0, !closing { input = buffer }
        }
        while buffer.readableBytes > 0, !closing, !busy {
            switch mode {
            case .opaque:
                passedOnOutsideRead = true
                context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: buffer.readableBytes)!))
                return
            case .forwardingBody(let remaining):
                passedOnOutsideRead = true
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
                    guard forwarded == ledger.ended, let route = route(head), head.contentLength <= route.bodyLimit else {
                        forward(context: context, &buffer, headLength: headLength, bodyLength: head.contentLength)
                        continue
                    }
                    // The body is bounded: wait until all of it is here.
                    guard buffer.readableBytes >= headLength + head.contentLength else { return }
                    let start = RouteMetrics.now()
                    buffer.moveReaderIndex(forwardBy: headLength)
                    let body = buffer.readSlice(length: head.contentLength)!
                    switch route {
                    case .prediction(let prediction, _):
                        predict(context: context, prediction, head: head, body: body, start: start)
                    case .tracking(let call, let path):
                        track(context: context, call, path: path, close: head.close, body: body, start: start)
                    }
                }
            }
        }
    }

    /// The raw route for a plain POST head, if any.
    private func route(_ head: RawRequestHead) -> Route? {
        // Tracking paths start with "/api/" or "/ajax-api/", prediction paths never with "/a": the second byte says
        // which of the two to look for, so a prediction costs no hashing of its path.
        if head.target.utf8.dropFirst().first == UInt8(ascii: "a") {
            return configuration.tracking?.calls[head.target].map { .tracking($0, path: head.target) }
        }
        guard let prediction = configuration.prediction,
            let route = PredictionRoute(path: head.target, singleModel: prediction.singleModel)
        else { return nil }
        return .prediction(route, bodyLimit: prediction.bodyLimit)
    }

    /// Passes a request the decoder answers: its head now, its body as it arrives.
    private func forward(context: ChannelHandlerContext, _ buffer: inout ByteBuffer, headLength: Int, bodyLength: Int) {
        forwarded += 1
        passedOnOutsideRead = true
        let available = min(buffer.readableBytes, headLength + bodyLength)
        let remaining = headLength + bodyLength - available
        mode = remaining == 0 ? .parsing : .forwardingBody(remaining: remaining)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: available)!))
    }

    private func predict(context: ChannelHandlerContext, _ route: PredictionRoute, head: RawRequestHead, body: ByteBuffer, start: UInt64) {
        let reply = configuration.prediction!.endpoints.answer(route, headers: head.headers, body: body)
        configuration.metrics.record(route: route.template, method: .post, status: reply.status, since: start)
        write(context: context, reply, close: head.close, flushNow: false)
    }

    /// Answers a tracking call on a task on this event loop; the connection waits for it.
    private func track(context: ChannelHandlerContext, _ call: TrackingEndpoints.Call, path: String, close: Bool, body: ByteBuffer, start: UInt64) {
        busy = true
        let loop = context.eventLoop
        let endpoints = configuration.tracking!.endpoints
        let metrics = configuration.metrics
        let logger = configuration.logger
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        Task(executorPreference: EventLoopTaskExecutor(group: loop)) {
            let reply: ServingReply
            do {
                let bytes = try await endpoints.answer(call, try RequestParameters(body: body))
                reply = ServingReply(status: .ok, headers: [.contentType: "application/json"], body: bytes)
            } catch {
                reply = ErrorMiddleware<HangarRequestContext>.reply(for: error, path: path, logger: logger)
            }
            metrics.record(route: path, method: .post, status: reply.status, since: start)
            loop.execute {
                let (handler, context) = bound.value
                handler.finishTracking(context: context, reply, close: close)
            }
        }
    }

    private func finishTracking(context: ChannelHandlerContext, _ reply: ServingReply, close: Bool) {
        busy = false
        write(context: context, reply, close: close, flushNow: true)
        for event in heldEvents { passOn(context: context, event: event) }
        heldEvents = []
        passedOnOutsideRead = false
        process(context: context)
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        if passedOnOutsideRead {
            passedOnOutsideRead = false
            context.fireChannelReadComplete()
        }
        if readPending, !busy {
            readPending = false
            context.read()
        }
    }

    private func write(context: ChannelHandlerContext, _ reply: ServingReply, close: Bool, flushNow: Bool) {
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
        if close { out.writeStaticString("\r\nConnection: close") }
        out.writeStaticString("\r\n\r\n")
        out.writeBytes(reply.body)
        if close {
            closing = true
            input = nil
            let channel = context.channel
            context.writeAndFlush(NIOAny(IOData.byteBuffer(out))).whenComplete { _ in channel.close(promise: nil) }
        } else if flushNow {
            context.writeAndFlush(NIOAny(IOData.byteBuffer(out)), promise: nil)
        } else {
            context.write(NIOAny(IOData.byteBuffer(out)), promise: nil)
            needsFlush = true
        }
    }
}

extension RawRequestHandler {
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

/// How many responses have ended behind `RawRequestHandler` on one connection; both handlers run on the
/// connection's event loop.
final class ResponseLedger {
    var ended = 0
}
