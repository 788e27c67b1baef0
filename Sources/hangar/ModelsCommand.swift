import ArgumentParser
import Foundation
import HangarClient
import HangarCore

/// Options of every command that talks to a running Hangar server.
struct RemoteOptions: ParsableArguments {
    @Option(help: "Hangar server URL (default: $HANGAR_URL or http://127.0.0.1:5000).")
    var url: String = ProcessInfo.processInfo.environment["HANGAR_URL"] ?? "http://127.0.0.1:5000"

    @Option(help: "Your user name, recorded in audit trails (default: $USER).")
    var user: String = ProcessInfo.processInfo.environment["USER"] ?? ""

    @Flag(help: "Print JSON instead of text, for scripts.")
    var json = false

    func registry() throws -> RegistryClient {
        try RemoteURL.check(url, option: "--url")
        guard let base = URL(string: url) else { throw CLIError("--url '\(url)' is not a URL like http://127.0.0.1:5000") }
        return RegistryClient(client: HangarClient(baseURL: base, user: user.isEmpty ? nil : user))
    }

    /// Prints a value as JSON (with `--json`) or as the text `describe` gives.
    func output<T: Encodable>(_ value: T, _ describe: (T) -> String) throws {
        if json {
            let encoder = JSONCoding.encoder
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(value), as: UTF8.self))
        } else {
            print(describe(value))
        }
    }
}

/// `hangar models`: the registry from the terminal.
struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, inspect, approve, promote and roll back registered models.",
        subcommands: [List.self, Show.self, Approve.self, Reject.self, Promote.self, Rollback.self, Gates.self, Traffic.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered models with their aliases.")
        @OptionGroup var remote: RemoteOptions

        func run() async throws {
            let models = try await remote.registry().models()
            try remote.output(models) { models in
                models.isEmpty ? "no registered models" : models.map(ModelText.line).joined(separator: "\n")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a model's versions, approvals, aliases and lineage.")
        @OptionGroup var remote: RemoteOptions
        @Argument(help: "The registered model's name.") var name: String
        @Option(help: "Show the lineage of this version (default: the newest).") var version: String?

        func run() async throws {
            let registry = try remote.registry()
            let model = try await registry.model(name)
            let versions = try await registry.versions(of: name)
            let chosen = version ?? versions.first?.version
            let lineage = try await chosen.asyncMap { try await registry.lineage(name, version: $0) }
            try remote.output(ModelReport(model: model, versions: versions, lineage: lineage), ModelText.report)
        }
    }

    /// What `approve` and `reject` both take.
    struct Decision: ParsableArguments {
        @OptionGroup var remote: RemoteOptions
        @Argument var name: String
        @Option var version: String
        @Option(help: "Why.") var comment: String?

        func record(approve: Bool) async throws {
            let mv = try await remote.registry().decide(name, version: version, approve: approve, comment: comment)
            try remote.output(mv, ModelText.version)
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a version.")
        @OptionGroup var decision: Decision

        func run() async throws { try await decision.record(approve: true) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a version.")
        @OptionGroup var decision: Decision

        func run() async throws { try await decision.record(approve: false) }
    }

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Point an alias (e.g. production) at a version.")
        @OptionGroup var remote: RemoteOptions
        @Argument var name: String
        @Option var alias: String
        @Option var version: String

        func run() async throws {
            let mv = try await remote.registry().promote(name, alias: alias, version: version)
            try remote.output(mv) { "\(name)@\(alias) -> version \($0.version)" }
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move an alias back to the version it pointed at before.")
        @OptionGroup var remote: RemoteOptions
        @Argument var name: String
        @Option var alias: String

        func run() async throws {
            let mv = try await remote.registry().rollback(name, alias: alias)
            try remote.output(mv) { "\(name)@\(alias) rolled back to version \($0.version)" }
        }
    }

    struct Gates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a model's quality gates and approval policy.", subcommands: [Set.self])

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Replace the gates, e.g. --gate 'accuracy >= 0.85' --gate 'roc_auc >= 0.75'.")
            @OptionGroup var remote: RemoteOptions
            @Argument var name: String
            @Option(name: .customLong("gate"), help: "A rule 'metric >= number' (repeatable; none clears the gates).")
            var gates: [String] = []
            @Option(help: "Whether aliases may point only at approved versions (true/false).")
            var requireApproval: Bool?

            func run() async throws {
                let model = try await remote.registry().setPolicy(name, requireApproval: requireApproval, gates: gates)
                try remote.output(model) { model in
                    "\(model.name): gates \((model.gates ?? []).joined(separator: ", ").ifEmpty("none")); "
                        + "require approval: \(model.requireApproval.map(String.init) ?? "server default")"
                }
            }
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
