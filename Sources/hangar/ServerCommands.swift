import ArgumentParser
import Foundation
import HangarArtifacts
import HangarNotifications
import HangarServer
import HangarServing
import HangarStore
import Logging

/// Options shared by every command that runs the server.
struct ServerCommandOptions: ParsableArguments {
    @Option(help: "Folder for the SQLite file and artifacts.")
    var dataDir: String = "./hangar-data"

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 5000

    @Option(help: "Metadata database: postgres://user:password@host:port/db (default: SQLite in the data dir).")
    var databaseURL: String?

    @Option(help: "SQLite durability: normal (survives a killed process) or full (also survives power loss).")
    var durability: Durability = .normal

    @Flag(help: "Registry: aliases may point only at approved versions, unless a model's policy says otherwise.")
    var requireApproval = false

    @Flag(help: "Webhooks: allow plain http:// targets (default: https only).")
    var webhookAllowHttp = false

    @Flag(help: "Webhooks: allow loopback and private-network targets (default: refused).")
    var webhookAllowPrivate = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw CLIError("--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
    }
}

extension Durability: ExpressibleByArgument {}

/// Starts the HTTP API on the configured store until SIGINT or SIGTERM; `serving` also serves models in-process.
func runServer(_ options: ServerCommandOptions, label: String, serving: ServingOptions? = nil) async throws {
    HangarServer.bootstrapMetrics()
    var logger = Logger(label: "hangar")
    logger.logLevel = Logger.Level(rawValue: options.logLevel) ?? .info
    let dataDir = URL(fileURLWithPath: options.dataDir).standardizedFileURL.path
    do {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
    } catch {
        throw CLIError("cannot create data dir \(dataDir): \(error.localizedDescription)")
    }
    let url = options.databaseURL ?? "sqlite://\(dataDir)/hangar.db"
    let database: any MetadataDatabase
    do {
        database = try await openMetadataDatabase(url: url, durability: options.durability)
        try await Migrator.migrate(database)
    } catch let error as StoreError {
        throw CLIError("\(error)")
    }
    let artifacts = try LocalArtifactStore(root: dataDir + "/artifacts")
    let app = HangarServer.makeApplication(
        options: ServerOptions(
            host: options.host, port: options.port, requireApproval: options.requireApproval,
            webhookPolicy: WebhookTargetPolicy(allowHTTP: options.webhookAllowHttp, allowPrivateTargets: options.webhookAllowPrivate),
            serving: serving), database: database, artifacts: artifacts,
        logger: logger
    ) { port in
        let line = "Hangar \(label) listening on http://\(options.host):\(port) (data: \(dataDir), store: \(database.kind.rawValue))\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
    defer { _ = database }
    do {
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    } catch {
        await database.close()
        throw CLIError(HangarServer.listenFailure(error, host: options.host, port: options.port) ?? "server stopped: \(error)")
    }
    await database.close()
}

/// A one-line error for the terminal.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `hangar up`: everything in one process on the embedded default.
struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start Hangar (API, and everything else) in one process.")

    @OptionGroup var options: ServerCommandOptions

    @Option(help: "Serve every registered model that has this alias, following it live.")
    var servingAlias: String = "production"

    @Flag(help: "Do not serve models in this process.")
    var noServing = false

    @OptionGroup(title: "Serving") var serving: ServingCommandOptions

    func run() async throws {
        let servingOptions = noServing ? nil : serving.options(selection: .everyModel(alias: servingAlias))
        try await runServer(options, label: "up", serving: servingOptions)
    }
}

/// `hangar server`: the API alone, for running several replicas on PostgreSQL.
struct Server: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the HTTP API alone (scale-out replica).")

    @OptionGroup var options: ServerCommandOptions

    func run() async throws {
        try await runServer(options, label: "server")
    }
}

