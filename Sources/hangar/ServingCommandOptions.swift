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
            throw CLIError("--prediction-sample-rate must be between 0 and 1, got \(predictionSampleRate)")
        }
        guard (0...36_500).contains(predictionRetentionDays) else {
            throw CLIError("--prediction-retention-days must be between 0 (keep everything) and 36500")
        }
        guard (1...65_536).contains(maxRequestMb) else { throw CLIError("--max-request-mb must be between 1 and 65536") }
        guard (1...1_000_000).contains(maxConcurrentPredictions) else {
            throw CLIError("--max-concurrent-predictions must be between 1 and 1000000")
        }
        guard (1...86_400).contains(requestTimeout) else { throw CLIError("--request-timeout must be between 1 and 86400 seconds") }
    }

    func options(selection: ServingSelection, singleModel: String? = nil) -> ServingOptions {
        ServingOptions(
            selection: selection,
            log: predictionLog ? PredictionLogOptions(sampleRate: predictionSampleRate) : nil,
            retentionDays: predictionRetentionDays, maxRequestBytes: maxRequestMb * 1024 * 1024,
            maxInFlight: maxConcurrentPredictions, timeout: .seconds(requestTimeout), singleModel: singleModel)
    }
}
