import ArgumentParser
import HangarServing

/// Serving settings shared by `hangar up` and `hangar serve`.
struct ServingCommandOptions: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: "Log every served prediction (inputs, outputs, version, latency) for monitoring.")
    var predictionLog = true

    @Option(help: "Share of requests whose predictions are logged, 0 to 1.")
    var predictionSampleRate: Double = 1

    @Option(help: "Days logged predictions are kept (0 keeps them).")
    var predictionRetentionDays: Int = 30

    @Option(help: "Largest prediction request body, in MB.")
    var maxRequestMb: Int = 32

    @Option(help: "Predictions answered at once before new requests get 503 with Retry-After.")
    var maxConcurrentPredictions: Int = 512

    @Option(help: "Longest a prediction request may run, in seconds.")
    var requestTimeout: Int = 30

    func validate() throws {
        guard (0...1).contains(predictionSampleRate) else {
            throw ValidationError("--prediction-sample-rate must be between 0 and 1, got \(predictionSampleRate)")
        }
        guard predictionRetentionDays >= 0 else { throw ValidationError("--prediction-retention-days must be 0 or more") }
        guard maxRequestMb > 0 else { throw ValidationError("--max-request-mb must be positive") }
        guard maxConcurrentPredictions > 0 else { throw ValidationError("--max-concurrent-predictions must be positive") }
        guard requestTimeout > 0 else { throw ValidationError("--request-timeout must be positive") }
    }

    func options(selection: ServingSelection, singleModel: String? = nil) -> ServingOptions {
        ServingOptions(
            selection: selection,
            log: predictionLog ? PredictionLogOptions(sampleRate: predictionSampleRate) : nil,
            retentionDays: predictionRetentionDays, maxRequestBytes: maxRequestMb * 1024 * 1024,
            maxInFlight: maxConcurrentPredictions, timeout: .seconds(requestTimeout), singleModel: singleModel)
    }
}
