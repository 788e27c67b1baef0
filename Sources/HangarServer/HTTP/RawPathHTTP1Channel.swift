import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel with the raw-bytes path in front of its decoder: `HTTP1Channel` builds the
/// pipeline (decoder, codec, `ParserErrorResponder`, the prediction `FastInferenceHandler` when serving, connection
/// state, async channel), then a `RawRequestHandler` reading the responder's ledger goes first.
struct RawPathHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let raw: RawRequestHandler.Configuration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { [raw] value in
            let operations = channel.pipeline.syncOperations
            let ledger = try operations.handler(type: ParserErrorResponder.self).ledger
            try operations.addHandler(RawRequestHandler(configuration: raw, ledger: ledger), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// Hangar's HTTP/1 server: the raw-bytes path for predictions (when `prediction` is given) and the hottest
    /// tracking calls (when `tracking` is), then Hummingbird's router for everything else.
    static func hangar(
        prediction: FastInferenceHandler.Configuration?, tracking: TrackingEndpoints?, logger: Logger
    ) -> HTTPServerBuilder {
        let raw = RawRequestHandler.Configuration(
            prediction: prediction, tracking: tracking, metrics: prediction?.metrics ?? RouteMetrics(), logger: logger)
        return HTTPServerBuilder { responder in
            RawPathHTTP1Channel(
                base: HTTP1Channel(
                    responder: responder,
                    configuration: .init(additionalChannelHandlers: [ParserErrorResponder()]
                        + (prediction.map { [FastInferenceHandler(configuration: $0)] } ?? []))),
                raw: raw)
        }
    }
}
