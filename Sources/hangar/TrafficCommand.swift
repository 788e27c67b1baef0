import ArgumentParser
import HangarClient
import HangarCore

extension Models {
    /// `hangar models traffic`: how a served model's requests are split between aliases.
    struct Traffic: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Split a served model's traffic between aliases (A/B), mirror it to a shadow alias.",
            subcommands: [Set.self, Show.self, Clear.self])

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Set the traffic policy, e.g. --route production=90 --route challenger=10 --shadow candidate.")
            @OptionGroup var remote: RemoteOptions
            @Argument(help: "The registered model's name.") var name: String
            @Option(name: .customLong("route"), help: "ALIAS=PERCENT; repeat; percents sum to 100.") var routes: [String] = []
            @Option(help: "An alias that gets a copy of every request; its answers are logged, never returned.") var shadow: String?
            @Option(help: "An input column logged as each prediction's entity key (for ground truth by entity).") var entityColumn: String?

            func run() async throws {
                guard !routes.isEmpty else { throw CLIError("give at least one --route ALIAS=PERCENT") }
                let parsed = try routes.map { text -> TrafficPolicy.Route in
                    let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, !parts[0].isEmpty, let percent = Double(decimalText: parts[1]),
                        (0...100).contains(percent)
                    else {
                        throw CLIError("--route '\(text)' is not ALIAS=PERCENT with a percent from 0 to 100 (e.g. production=90)")
                    }
                    return TrafficPolicy.Route(alias: parts[0], percent: percent)
                }
                let body = try await remote.serving().setPolicy(
                    name, policy: TrafficPolicy(routes: parsed, shadow: shadow, entityColumn: entityColumn))
                try remote.output(body, Self.describe)
            }

            static func describe(_ body: ServingClient.PolicyBody) -> String {
                let routes = body.policy.routes.map { "\($0.alias) \($0.percent.formatted())%" }.joined(separator: ", ")
                return "\(body.name): \(routes)" + (body.policy.shadow.map { "; shadow \($0)" } ?? "")
                    + (body.policy.entityColumn.map { "; entity column \($0)" } ?? "")
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show the traffic policy.")
            @OptionGroup var remote: RemoteOptions
            @Argument(help: "The registered model's name.") var name: String

            func run() async throws {
                try remote.output(try await remote.serving().policy(name), Set.describe)
            }
        }

        struct Clear: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove the policy: serve the serving alias alone.")
            @OptionGroup var remote: RemoteOptions
            @Argument(help: "The registered model's name.") var name: String

            func run() async throws {
                try await remote.serving().clearPolicy(name)
                if !remote.json { print("\(name): traffic policy removed") }
            }
        }
    }
}
