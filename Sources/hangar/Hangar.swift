import ArgumentParser

/// The `hangar` command: one binary for the server, and later training, pipelines and serving.
@main
struct Hangar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hangar",
        abstract: "Track, train, register, serve and monitor tabular ML models.",
        version: "0.1.0",
        subcommands: [Up.self, Server.self, Serve.self, Models.self, Train.self, Predict.self, PredictionLog.self])
}
