import ArgumentParser
import Foundation
import HangarArtifacts
import HangarClient
import HangarServer
import HangarServing
import HangarStore
import Logging

/// `hangar serve`: serve chosen models from their aliases, following the registry live, in a process of its own.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve registered models (MLflow /invocations and Open Inference Protocol V2), swapping live when aliases move.",
        discussion: """
            Reads the registry from a Hangar server (--url) or straight from the store (--data-dir or --database-url).
            With one --model the bare MLflow paths /invocations and /ping answer for it, as `mlflow models serve` does.
            """)

    @Option(name: .customLong("model"), help: "A model to serve as NAME@ALIAS (alias defaults to production); repeat for more.")
    var models: [String] = []

    @Option(help: "Follow this Hangar server's registry over HTTP instead of reading a store.")
    var url: String?

    @Option(help: "Folder of the embedded store to read the registry from (when no --url).")
    var dataDir: String = "./hangar-data"

    @Option(help: "Metadata database to read the registry from: postgres://user:password@host:port/db.")
    var databaseURL: String?

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 5001

    @OptionGroup(title: "Serving") var serving: ServingCommandOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw CLIError("--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        guard !models.isEmpty else { throw ValidationError("name at least one --model NAME@ALIAS to serve") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        if url != nil, databaseURL != nil { throw ValidationError("use either --url or --database-url, not both") }
    }

    func run() async throws {
        HangarServer.bootstrapMetrics()
        var logger = Logger(label: "hangar.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let references: [ServingSelection.ModelReference]
        do {
            references = try models.map { try ServingSelection.ModelReference(parsing: $0, defaultAlias: "production") }
        } catch {
            throw CLIError("--model: \(error)")
        }
        let options = serving.options(selection: .models(references), singleModel: references.count == 1 ? references[0].name : nil)
        let served = references.map { "\($0.name)@\($0.alias)" }.joined(separator: ", ")
        if let url {
            guard let base = URL(string: url), base.scheme != nil, base.host != nil else {
                throw CLIError("--url '\(url)' is not a URL like http://127.0.0.1:5000")
            }
            let client = HangarClient(baseURL: base)
            guard await client.isHealthy(timeout: 5) else { throw CLIError("cannot reach Hangar at \(url)") }
            let runtime = ServingRuntime(
                options: options, source: RemoteServingSource(client: client), sink: RemotePredictionSink(client: client), logger: logger)
            let app = HangarServer.makeServingApplication(host: host, port: port, serving: runtime, logger: logger) { port in
                Self.announce("Hangar serve listening on http://\(host):\(port) (models: \(served); registry: \(url))")
            }
            do {
                try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            } catch {
                throw CLIError(HangarServer.listenFailure(error, host: host, port: port) ?? "serving stopped: \(error)")
            }
            return
        }
        let dataDir = URL(fileURLWithPath: self.dataDir).standardizedFileURL.path
        let databaseURL = self.databaseURL ?? "sqlite://\(dataDir)/hangar.db"
        if self.databaseURL == nil, !FileManager.default.fileExists(atPath: dataDir + "/hangar.db") {
            throw CLIError("no Hangar store at \(dataDir): start `hangar up --data-dir \(self.dataDir)` first, or pass --url or --database-url")
        }
        let database: any MetadataDatabase
        do {
            database = try await openMetadataDatabase(url: databaseURL, durability: .normal)
            try await Migrator.migrate(database)
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
        let artifacts = try LocalArtifactStore(root: dataDir + "/artifacts")
        let registry = RegistryStore(database: database, events: EventLog(database: database))
        let predictions = PredictionLogStore(database: database)
        let runtime = ServingRuntime(
            options: options, source: StoreServingSource(registry: registry, artifacts: artifacts),
            sink: StorePredictionSink(store: predictions), logger: logger)
        let app = HangarServer.makeServingApplication(host: host, port: port, serving: runtime, logger: logger) { port in
            Self.announce("Hangar serve listening on http://\(host):\(port) (models: \(served); store: \(database.kind.rawValue))")
        }
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            await database.close()
            throw CLIError(HangarServer.listenFailure(error, host: host, port: port) ?? "serving stopped: \(error)")
        }
        await database.close()
    }

    static func announce(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
