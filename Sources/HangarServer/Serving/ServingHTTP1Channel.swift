import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel with the raw prediction path in front of its decoder: `HTTP1Channel` builds
/// the pipeline (decoder, codec, `FastInferenceHandler`, connection state, async channel), then a
/// `RawInferenceHandler` sharing the fast handler's response ledger goes first.
struct ServingHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let fastPath: FastInferenceHandler.Configuration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { [fastPath] value in
            let operations = channel.pipeline.syncOperations
            let fast = try operations.handler(type: FastInferenceHandler.self)
            try operations.addHandler(RawInferenceHandler(configuration: fastPath, ledger: fast.ledger), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
