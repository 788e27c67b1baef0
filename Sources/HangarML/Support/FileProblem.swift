import Foundation

/// Why a file could not be read or written, in words a person acts on: Foundation's errors say "The operation could
/// not be completed. (NSCocoaErrorDomain error 256.)" for a folder passed as a file.
enum FileProblem {
    /// The reason reading `path` failed with `error`.
    static func reading(_ path: String, _ error: any Error) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return String(cString: strerror(errno)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { return "it is a folder, not a file" }
        if access(path, R_OK) != 0 { return String(cString: strerror(errno)) }
        return posixReason(error) ?? error.localizedDescription
    }

    /// The reason writing `path` failed with `error`.
    static func writing(_ path: String, _ error: any Error) -> String {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return "it is a folder, not a file" }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, access(folder, W_OK) != 0 { return "folder '\(folder)': \(String(cString: strerror(errno)))" }
        return posixReason(error) ?? error.localizedDescription
    }

    /// The POSIX error beneath a Foundation error, when there is one.
    private static func posixReason(_ error: any Error) -> String? {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        guard let posix = underlying, posix.domain == NSPOSIXErrorDomain else { return nil }
        return String(cString: strerror(Int32(posix.code)))
    }
}
