import Foundation
import NIOCore

extension HangarServer {
    /// Why a server could not listen on `host:port`, in one line, when `error` is one of the usual reasons (the port
    /// is taken, needs privileges, or the host is not this machine's); nil for any other error.
    public static func listenFailure(_ error: any Error, host: String, port: Int) -> String? {
        guard let io = error as? IOError else { return nil }
        let reason: String
        switch io.errnoCode {
        case EADDRINUSE: reason = "the address is already in use (is another server running on this port?)"
        case EACCES: reason = "permission denied (ports below 1024 need privileges)"
        case EADDRNOTAVAIL: reason = "\(host) is not an address of this machine"
        default: return nil
        }
        return "cannot listen on \(host):\(port): \(reason)"
    }
}
