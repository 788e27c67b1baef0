import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers small prediction requests on the connection's event loop, before they reach Hummingbird's router.
///
/// Most prediction requests are answered earlier still, from raw bytes, by `RawRequestHandler`; this handler
/// answers those it passes on (a prediction behind a request still being answered, or one with an unusual head).
///
/// Everything a prediction does once its body is in (parse, encode, predict, enqueue the log record, write the
/// JSON) is synchronous and takes microseconds, so the async hand-off to a router task costs more than the work.
/// This handler sits in each connection's pipeline after the HTTP codec: a `POST` to a prediction route with a
/// declared body of at most `bodyLimit` bytes is collected and answered here through the same
/// `PredictionEndpoints` the router's routes call; every other request (and any request that arrives while a
/// forwarded one is still being answered, so responses keep their order) passes on to Hummingbird unchanged.
final class FastInferenceHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// What every connection's handler shares.
    struct Configuration: Sendable {
        let endpoints: PredictionEndpoints
        /// The model answering the bare `/invocations` of a single-model `hangar serve`.
        let singleModel: String?
        /// Bodies up to this size are answered on the event loop; larger ones go to the router, off the loop.
        let bodyLimit: Int
        let metrics: RouteMetrics
    }

    private struct Pending {
        let route: PredictionRoute
        let headers: HTTPFields
        let start: UInt64
        var body: ByteBuffer?
    }

    private enum State {
        case idle
        case collecting(Pending)
        case forwarding
    }

    private let configuration: Configuration
    private var state = State.idle
    /// Requests passed to the router whose response has not ended yet.
    private var forwardedInFlight = 0

    init(configuration: Configuration) {
        self.configuration = configuration
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let request), _):
            if forwardedInFlight == 0, let route = fastRoute(request) {
                state = .collecting(Pending(route: route, headers: request.headerFields, start: RouteMetrics.now()))
            } else {
                forwardedInFlight += 1
                state = .forwarding
                context.fireChannelRead(data)
            }
        case (.body(let part), .collecting(var pending)):
            state = .idle  // drop the reference before appending so the buffer is not copied
            if pending.body == nil {
                pending.body = part
            } else {
                pending.body!.writeImmutableBuffer(part)
            }
            state = .collecting(pending)
        case (.end, .collecting(let pending)):
            state = .idle
            respond(context: context, pending)
        case (.end, _):
            state = .idle
            context.fireChannelRead(data)
        case (.body, _):
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { forwardedInFlight -= 1 }
        context.write(data, promise: promise)
    }

    /// The prediction route `request` asks for, when it is one this handler answers.
    private func fastRoute(_ request: HTTPRequest) -> PredictionRoute? {
        guard request.method == .post, let path = request.path,
            let length = request.headerFields[.contentLength].flatMap({ Int($0) }), length <= configuration.bodyLimit
        else { return nil }
        return PredictionRoute(path: path, singleModel: configuration.singleModel)
    }

    private func respond(context: ChannelHandlerContext, _ pending: Pending) {
        let body = pending.body ?? context.channel.allocator.buffer(capacity: 0)
        let reply = configuration.endpoints.answer(pending.route, headers: PredictionHeaders(pending.headers), body: body)
        var fields = reply.headers
        fields[.contentLength] = String(reply.body.count)
        let close = pending.headers[.connection]?.lowercased() == "close"
        if close { fields[.connection] = "close" }
        var buffer = context.channel.allocator.buffer(capacity: reply.body.count)
        buffer.writeBytes(reply.body)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: reply.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(buffer)), promise: nil)
        if close {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        configuration.metrics.record(route: pending.route.template, method: .post, status: reply.status, since: pending.start)
    }
}

/// A prediction route and its parameters, read from a raw request path.
enum PredictionRoute: Equatable {
    case mlflow(name: String)
    case openInference(name: String, version: String?)

    /// The route template, as the router's metrics label it.
    var template: String {
        switch self {
        case .mlflow: "/models/{name}/invocations"
        case .openInference(_, nil): "/v2/models/{name}/infer"
        case .openInference: "/v2/models/{name}/versions/{version}/infer"
        }
    }

    /// `/models/{name}/invocations`, `/v2/models/{name}[/versions/{version}]/infer`, and `/invocations` when a
    /// single model answers it. Paths with percent-encoded parts are left to the router, which decodes them.
    init?(path: String, singleModel: String?) {
        // Byte by byte: this runs for every request on the event loop, and String's Character-level split is slow.
        let slash = UInt8(ascii: "/")
        let bytes = path.utf8
        let end = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.endIndex
        guard bytes.first == slash else { return nil }
        var parts: [Substring] = []
        parts.reserveCapacity(6)
        var start = bytes.index(after: bytes.startIndex)
        var i = start
        while i < end {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%") { return nil }
            if byte == slash {
                guard i > start, parts.count < 6 else { return nil }
                parts.append(path[start..<i])
                start = bytes.index(after: i)
            }
            i = bytes.index(after: i)
        }
        guard end > start else { return nil }
        parts.append(path[start..<end])
        func part(_ index: Int, is literal: StaticString) -> Bool {
            parts[index].utf8.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }
        switch parts.count {
        case 1 where part(0, is: "invocations"):
            guard let singleModel else { return nil }
            self = .mlflow(name: singleModel)
        case 3 where part(0, is: "models") && part(2, is: "invocations"):
            self = .mlflow(name: String(parts[1]))
        case 4 where part(0, is: "v2") && part(1, is: "models") && part(3, is: "infer"):
            self = .openInference(name: String(parts[2]), version: nil)
        case 6 where part(0, is: "v2") && part(1, is: "models") && part(3, is: "versions") && part(5, is: "infer"):
            self = .openInference(name: String(parts[2]), version: String(parts[4]))
        default:
            return nil
        }
    }
}
