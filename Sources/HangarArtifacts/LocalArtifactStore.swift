import Foundation
import HangarCore

/// Artifacts in a local folder; uploads go to a temporary file and are renamed into place, so readers never see
/// a half-written file.
public struct LocalArtifactStore: ArtifactStore {
    /// The root folder, absolute.
    public let root: String

    public init(root: String) throws {
        let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true)
        self.root = absolute
    }

    func location(of path: ArtifactPath) -> String {
        path.components.isEmpty ? root : root + "/" + path.components.joined(separator: "/")
    }

    public func beginUpload(to path: ArtifactPath) throws -> ArtifactUpload {
        guard !path.components.isEmpty else { throw HangarError.invalid("An artifact upload needs a file path") }
        let final = location(of: path)
        let folder = (final as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: final, isDirectory: &isDir), isDir.boolValue {
            throw HangarError.invalid("Cannot upload to '\(path)': a folder of that name exists")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw HangarError.invalid("Cannot create folder for '\(path)': a file stands where a folder is needed")
        }
        let temporary = folder + "/.upload-" + UUID().uuidString.lowercased() + ".tmp"
        return ArtifactUpload(temporaryFile: temporary, finalFile: final)
    }

    public func commitUpload(_ upload: ArtifactUpload) throws {
        if rename(upload.temporaryFile, upload.finalFile) != 0 {
            let code = errno
            unlink(upload.temporaryFile)
            let reason = String(cString: strerror(code))
            switch code {
            case ENAMETOOLONG, EISDIR, ENOTDIR, ENOTEMPTY:
                throw HangarError.invalid("Could not store artifact at '\(upload.finalFile.dropFirst(root.count + 1))': \(reason)")
            default:
                throw HangarError(.internalError, "Could not store artifact: \(reason)")
            }
        }
    }

    public func abortUpload(_ upload: ArtifactUpload) {
        unlink(upload.temporaryFile)
    }

    public func file(at path: ArtifactPath) -> String? {
        let location = location(of: path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location, isDirectory: &isDir), !isDir.boolValue else { return nil }
        return location
    }

    public func list(_ path: ArtifactPath) throws -> [ArtifactEntry]? {
        let location = location(of: path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location, isDirectory: &isDir), isDir.boolValue else { return nil }
        let names = try FileManager.default.contentsOfDirectory(atPath: location).filter { !$0.hasPrefix(".upload-") }
        return names.sorted().map { name in
            let full = location + "/" + name
            var childIsDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &childIsDir)
            let size = childIsDir.boolValue
                ? nil : ((try? FileManager.default.attributesOfItem(atPath: full)[.size]) as? NSNumber)?.int64Value
            return ArtifactEntry(path: name, isDir: childIsDir.boolValue, fileSize: size)
        }
    }

    public func delete(_ path: ArtifactPath) throws {
        guard !path.components.isEmpty else { throw HangarError.invalid("Refusing to delete the artifact root") }
        let location = location(of: path)
        guard FileManager.default.fileExists(atPath: location) else {
            throw HangarError.notFound("No such artifact: '\(path)'")
        }
        try FileManager.default.removeItem(atPath: location)
    }
}
