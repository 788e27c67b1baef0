import ArgumentParser
import Foundation

/// Up-front checks of a file the command will write, so that a long run never ends in a write that cannot happen,
/// and a mistyped path never replaces the input or a device.
enum OutputPath {
    /// Throws a one-line error naming `option` when `path` is a folder, a pipe or device, the same file as one of
    /// `inputs`, or sits in a folder that does not exist or cannot be written.
    static func check(_ path: String, option: String, inputs: [String] = []) throws {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        if manager.fileExists(atPath: resolved.path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw CLIError("\(option) \(path) is a folder; give the path of a file") }
            let type = (try? manager.attributesOfItem(atPath: resolved.path)[.type]) as? FileAttributeType
            if type != .typeRegular {
                throw CLIError("\(option) \(path) is not a regular file (a device, pipe or socket); give another path")
            }
            for input in inputs where sameFile(resolved.path, input) {
                throw CLIError("\(option) \(path) is the input file \(input); write to another path")
            }
        }
        let folder = resolved.deletingLastPathComponent().path
        guard manager.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CLIError("\(option) \(path): the folder \(folder) does not exist")
        }
        guard access(folder, W_OK) == 0 else {
            throw CLIError("\(option) \(path): the folder \(folder) is not writable")
        }
    }

    /// Whether two paths name the same file (same device and inode), symlinks and `..` included.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}

/// The URL of a Hangar (or MLflow) server, as an option gives it.
enum RemoteURL {
    /// Throws a one-line error naming `option` unless `text` is an http or https URL with a host and a valid port.
    static func check(_ text: String, option: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            throw CLIError("\(option) '\(text)' is not a server URL like http://127.0.0.1:5000")
        }
        if let port = url.port, !(1...65_535).contains(port) {
            throw CLIError("\(option) '\(text)' has port \(port); ports are 1 to 65535")
        }
    }
}
