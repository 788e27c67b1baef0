import HangarCore

/// A relative artifact path that has been checked never to leave the artifact root.
public struct ArtifactPath: Sendable, Equatable, CustomStringConvertible {
    /// The path's components, none empty, `.` or `..`.
    public let components: [String]

    /// Validates a path as sent by a client (already percent-decoded once).
    ///
    /// Absolute paths, `..` segments, backslashes, NUL bytes and still-encoded dots are refused, so that no spelling
    /// of a path can reach outside the root.
    public init(_ raw: String) throws(HangarError) {
        if raw.hasPrefix("/") || raw.hasPrefix("~") || raw.contains("\\") || raw.contains("\0") {
            throw .invalid("Invalid artifact path '\(raw)': paths must be relative and stay inside the artifact root")
        }
        let lowered = raw.lowercased()
        if lowered.contains("%2e") || lowered.contains("%2f") || lowered.contains("%5c") || lowered.contains("%00") {
            throw .invalid("Invalid artifact path '\(raw)': encoded path separators or dots are not allowed")
        }
        let parts = raw.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts.contains("..") {
            throw .invalid("Invalid artifact path '\(raw)': '..' segments are not allowed")
        }
        // File systems refuse longer names (NAME_MAX) and paths (PATH_MAX, less room for the root and run folders).
        if let long = parts.first(where: { $0.utf8.count > Self.maxNameBytes }) {
            throw .invalid("Invalid artifact path: the name '\(long.prefix(40))...' is \(long.utf8.count) bytes long; "
                + "a file or folder name may be at most \(Self.maxNameBytes) bytes")
        }
        if raw.utf8.count > Self.maxPathBytes {
            throw .invalid("Invalid artifact path: it is \(raw.utf8.count) bytes long; at most \(Self.maxPathBytes) are allowed")
        }
        self.components = parts.filter { $0 != "." }
    }

    /// The longest file or folder name most file systems store (Linux NAME_MAX, in bytes).
    public static let maxNameBytes = 255
    /// The longest relative path accepted, leaving room under PATH_MAX (4,096) for the artifact root.
    public static let maxPathBytes = 3_072

    /// The empty path: the artifact root itself.
    public static let root = try! ArtifactPath("")

    public var description: String { components.joined(separator: "/") }

    /// This path with more components appended (each validated).
    public func appending(_ more: String) throws(HangarError) -> ArtifactPath {
        try ArtifactPath(description.isEmpty ? more : description + "/" + more)
    }
}
