import Foundation
import HangarArtifacts
import HangarCore
import HangarStore
import HTTPTypes
import Hummingbird

/// MLflow's artifact proxy (`/api/2.0/mlflow-artifacts/artifacts/...`): upload, download, list and delete, so the
/// client needs no storage configuration of its own.
struct ArtifactRoutes {
    let artifacts: any ArtifactStore
    let tracking: TrackingStore
    let fileIO = FileIO()

    func register(on router: Router<HangarRequestContext>) {
        let artifacts = self.artifacts, fileIO = self.fileIO, tracking = self.tracking
        for prefix in ["/api/2.0/mlflow-artifacts", "/ajax-api/2.0/mlflow-artifacts"] {
            router.put("\(prefix)/artifacts/**") { request, context in
                let path = try Self.catchAllPath(request)
                let upload = try artifacts.beginUpload(to: path)
                do {
                    try await fileIO.writeFile(contents: request.body, path: upload.temporaryFile, context: context)
                    try artifacts.commitUpload(upload)
                } catch {
                    artifacts.abortUpload(upload)
                    throw error
                }
                return Response(status: .ok)
            }
            router.get("\(prefix)/artifacts/**") { request, context in
                let path = try Self.catchAllPath(request)
                guard let file = artifacts.file(at: path) else { throw HangarError.notFound("No such artifact: '\(path)'") }
                let body = try await fileIO.loadFile(path: file, context: context)
                let name = path.components.last ?? "artifact"
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: Self.mimeType(for: name),
                        .contentDisposition: "attachment; filename=\"\(name.replacingOccurrences(of: "\"", with: ""))\"",
                        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                    ],
                    body: body)
            }
            router.get("\(prefix)/artifacts") { request, context in
                let p = try await RequestParameters(request, context: context)
                let path = try ArtifactPath(try p.string("path") ?? "")
                guard let entries = try artifacts.list(path) else { return JSONResponse.empty() }
                return try JSONResponse.ok(ArtifactListing(rootUri: nil, files: entries.isEmpty ? nil : entries))
            }
            router.delete("\(prefix)/artifacts/**") { request, _ in
                try artifacts.delete(try Self.catchAllPath(request))
                return JSONResponse.empty()
            }
        }
        for prefix in TrackingRoutes.prefixes {
            router.get("\(prefix)/artifacts/list") { request, context in
                let p = try await RequestParameters(request, context: context)
                let run = try await tracking.run(id: try p.runID())
                let root = try Self.storePath(ofURI: run.info.artifactUri)
                let sub = try p.string("path") ?? ""
                let entries = try artifacts.list(sub.isEmpty ? root : try root.appending(sub)) ?? []
                let prefixed = entries.map { ArtifactEntry(path: sub.isEmpty ? $0.path : sub + "/" + $0.path, isDir: $0.isDir, fileSize: $0.fileSize) }
                return try JSONResponse.ok(ArtifactListing(rootUri: run.info.artifactUri, files: prefixed.isEmpty ? nil : prefixed))
            }
        }
    }

    /// The path under the artifact root that an `mlflow-artifacts:/...` URI names.
    static func storePath(ofURI uri: String) throws(HangarError) -> ArtifactPath {
        guard let path = ArtifactURI.proxiedPath(of: uri) else {
            throw .invalid("Artifact URI '\(uri)' is not served by this server's artifact proxy")
        }
        return try ArtifactPath(path)
    }

    static func catchAllPath(_ request: Request) throws(HangarError) -> ArtifactPath {
        // Read the raw remainder ourselves: the router drops empty segments, which would hide an absolute path
        // such as `artifacts//etc/passwd`.
        let marker = "-artifacts/artifacts/"
        let path = request.uri.path
        guard let range = path.range(of: marker) else { throw .invalid("Missing artifact path in '\(path)'") }
        let raw = String(path[range.upperBound...])
        guard let decoded = raw.removingPercentEncoding else { throw .invalid("Invalid percent-encoding in artifact path '\(raw)'") }
        return try ArtifactPath(decoded)
    }

    static func mimeType(for name: String) -> String {
        if name == "MLmodel" { return "text/plain" }
        switch (name as NSString).pathExtension.lowercased() {
        case "txt", "log", "yaml", "yml", "md", "py", "csv": return "text/plain"
        case "json": return "application/json"
        case "html", "htm": return "text/html"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "svg": return "image/svg+xml"
        default: return "application/octet-stream"
        }
    }
}

/// A folder listing as MLflow answers it.
struct ArtifactListing: Encodable {
    let rootUri: String?
    let files: [ArtifactEntry]?
}
