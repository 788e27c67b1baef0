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
        self.components = parts.filter { $0 != "." }
    }

    /// The empty path: the artifact root itself.
    public static let root = try! ArtifactPath("")

    public var description: String { components.joined(separator: "/") }

    /// This path with more components appended (each validated).
    public func appending(_ more: String) throws(HangarError) -> ArtifactPath {
        try ArtifactPath(description.isEmpty ? more : description + "/" + more)
    }
}
