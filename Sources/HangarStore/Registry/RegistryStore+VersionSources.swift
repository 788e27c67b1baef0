import Foundation
import HangarCore
import SQLKit

/// Which `source` a new model version may name, after MLflow's server (`_validate_source_run`,
/// `_validate_source_model`, `_validate_non_local_source_contains_relative_paths`): a version must point into the
/// run or logged model it claims to come from, and never at other files of the server's machine.
extension RegistryStore {
    /// Checks `source` against the run and logged model a `model-versions/create` names; returns the run id to store
    /// (a `runs:/` source names its run when the request does not).
    static func checkSource(_ source: String, runId: String?, modelId: String?, db: any SQLDatabase) async throws -> String? {
        let decoded = fullyDecoded(source)
        if decoded.contains("\0") || decoded.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            throw HangarError.invalid(
                "Invalid model version source: '\(source)'. If supplying a source as an http, https, local file path, ftp, "
                    + "objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path "
                    + "references present. Please provide an absolute path.")
        }
        let scheme = Self.scheme(of: source)
        if scheme == nil || scheme == "file" {
            // A local path is only allowed inside the local artifact folder of the version's run or logged model.
            let owner = try await ownerArtifactURI(runId: runId, modelId: modelId, source: source, db: db)
            if let owner, Self.scheme(of: owner) == nil || Self.scheme(of: owner) == "file",
                Self.isWithin(localPath(source), root: localPath(owner)) {
                return runId
            }
            let field = modelId.map { $0.isEmpty ? "run_id" : "model_id" } ?? "run_id"
            throw HangarError.invalid(
                "Invalid model version source: '\(source)'. To use a local path as a model version source, the \(field) "
                    + "request parameter has to be specified and the local path has to be contained within the artifact "
                    + "directory of the run specified by the \(field).")
        }
        switch scheme {
        case "runs":
            let sourceRun = source.dropFirst("runs:/".count).split(separator: "/").first.map(String.init) ?? ""
            guard !sourceRun.isEmpty, source.hasPrefix("runs:/"), !source.hasPrefix("runs://") else {
                throw invalidSource(source, field: "run_id")
            }
            if let runId, !runId.isEmpty, runId != sourceRun { throw invalidSource(source, field: "run_id") }
            return sourceRun
        case "mlflow-artifacts":
            guard let owner = try await ownerArtifactURI(runId: runId, modelId: modelId, source: source, db: db),
                Self.scheme(of: owner) == "mlflow-artifacts",
                Self.isWithin(uriPath(source), root: uriPath(owner))
            else {
                throw invalidSource(source, field: (modelId ?? "").isEmpty ? "run_id" : "model_id")
            }
            return runId
        default:
            return runId
        }
    }

    /// The artifact location of the logged model (when `modelId` is given) or else of the run; nil when neither is.
    private static func ownerArtifactURI(runId: String?, modelId: String?, source: String, db: any SQLDatabase) async throws -> String? {
        if let modelId, !modelId.isEmpty {
            guard let row = try await db.raw("SELECT artifact_uri FROM logged_models WHERE model_id = \(bind: modelId)").first() else {
                throw invalidSource(source, field: "model_id")
            }
            return try row.string("artifact_uri")
        }
        if let runId, !runId.isEmpty {
            guard let row = try await db.raw("SELECT artifact_uri FROM runs WHERE run_id = \(bind: runId)").first() else {
                throw invalidSource(source, field: "run_id")
            }
            return try row.string("artifact_uri")
        }
        return nil
    }

    private static func invalidSource(_ source: String, field: String) -> HangarError {
        HangarError.invalid(
            "Invalid model version source: '\(source)'. The \(field) request parameter must identify the resource that "
                + "contains the source.")
    }

    /// Percent-escapes (and `+` as space) decoded until nothing changes, as `urllib.parse.unquote_plus` in a loop.
    static func fullyDecoded(_ text: String) -> String {
        var current = text
        while true {
            let next = current.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? current
            if next == current { return current }
            current = next
        }
    }

    /// A URI's scheme, lowercased (`runs`, `mlflow-artifacts`, `s3`), or nil for a plain path.
    static func scheme(of uri: String) -> String? {
        guard let colon = uri.firstIndex(of: ":") else { return nil }
        let name = uri[..<colon]
        guard let first = name.first, first.isASCII, first.isLetter, name.count > 1,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return nil }
        return name.lowercased()
    }

    /// The components of a URI's path after its scheme, an authority (`//host`) kept as the first component.
    private static func uriPath(_ uri: String) -> [Substring] {
        let rest = uri.drop { $0 != ":" }.dropFirst()
        return rest.split(separator: "/")
    }

    private static func localPath(_ uri: String) -> [Substring] {
        let path = uri.hasPrefix("file://") ? String(uri.dropFirst("file://".count)) : uri.hasPrefix("file:") ? String(uri.dropFirst(5)) : uri
        return path.split(separator: "/").filter { $0 != "." }
    }

    private static func isWithin(_ path: [Substring], root: [Substring]) -> Bool {
        !root.isEmpty && path.count >= root.count && Array(path.prefix(root.count)) == root
    }
}
