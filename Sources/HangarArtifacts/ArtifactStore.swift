import HangarCore

/// One entry of an artifact listing; paths are relative to the listed folder.
public struct ArtifactEntry: Sendable, Codable, Equatable {
    public var path: String
    public var isDir: Bool
    public var fileSize: Int64?

    public init(path: String, isDir: Bool, fileSize: Int64?) {
        self.path = path
        self.isDir = isDir
        self.fileSize = fileSize
    }
}

/// Where artifact files live: a local folder now, an S3-compatible bucket later.
public protocol ArtifactStore: Sendable {
    /// A place to stream an upload to; `commitUpload` makes it visible at `path` in one step.
    func beginUpload(to path: ArtifactPath) throws -> ArtifactUpload
    /// Publishes a finished upload atomically, replacing any file at its path.
    func commitUpload(_ upload: ArtifactUpload) throws
    /// Discards an unfinished upload.
    func abortUpload(_ upload: ArtifactUpload)
    /// The local file holding `path`, or nil when there is no such file.
    func file(at path: ArtifactPath) -> String?
    /// The entries of a folder, or nil when `path` is a file or does not exist.
    func list(_ path: ArtifactPath) throws -> [ArtifactEntry]?
    /// Removes a file or a folder with everything in it.
    func delete(_ path: ArtifactPath) throws
}

/// An upload in progress: a temporary file beside its final place.
public struct ArtifactUpload: Sendable {
    public let temporaryFile: String
    public let finalFile: String
}
