import Foundation
import HangarCore

/// What `hangar models show` prints and `--json` encodes.
struct ModelReport: Encodable {
    let model: RegisteredModel
    let versions: [ModelVersion]
    let lineage: ModelLineage?
}

/// Plain-text renderings of registry records for the terminal.
enum ModelText {
    static func line(_ model: RegisteredModel) -> String {
        let aliases = (model.aliases ?? []).map { "\($0.alias)=v\($0.version)" }.joined(separator: " ")
        return "\(model.name)\(aliases.isEmpty ? "" : "  \(aliases)")"
    }

    static func version(_ mv: ModelVersion) -> String {
        var text = "\(mv.name) v\(mv.version)  \(mv.approval.state.rawValue)"
        if let user = mv.approval.user { text += " by \(user)" }
        if let comment = mv.approval.comment, !comment.isEmpty { text += " (\(comment))" }
        if let aliases = mv.aliases, !aliases.isEmpty { text += "  aliases: \(aliases.joined(separator: ", "))" }
        if let evaluation = mv.gateEvaluation, !evaluation.passed, let reason = evaluation.reason { text += "  gates: \(reason)" }
        return text
    }

    static func report(_ report: ModelReport) -> String {
        var lines = [line(report.model)]
        if let description = report.model.description, !description.isEmpty { lines.append("  \(description)") }
        let gates = report.model.gates ?? []
        lines.append("  gates: \(gates.isEmpty ? "none" : gates.joined(separator: ", "))")
        lines.append("versions:")
        lines += report.versions.map { "  " + version($0) }
        if let lineage = report.lineage {
            lines.append("lineage of v\(lineage.modelVersion.version):")
            if let run = lineage.sourceRun {
                lines.append("  run \(run.runId) (\(run.runName)) in experiment \(run.experimentId), by \(run.userId.ifEmpty("unknown"))")
            }
            lines.append("  artifacts: \(lineage.artifactUri)")
            if !lineage.params.isEmpty {
                lines.append("  params: " + lineage.params.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
            }
            for input in lineage.datasets {
                lines.append("  dataset: \(input.dataset.name) (digest \(input.dataset.digest))")
            }
            if let creator = lineage.createdBy, !creator.isEmpty { lines.append("  created by: \(creator)") }
        }
        return lines.joined(separator: "\n")
    }
}
