import Foundation
import HangarCore

/// Which webhook URLs may be called: https only, and no loopback or private addresses, unless settings allow them.
///
/// Checked when a webhook is registered and again before every delivery (DNS may change between the two).
public struct WebhookTargetPolicy: Sendable {
    public var allowHTTP: Bool
    public var allowPrivateTargets: Bool

    public init(allowHTTP: Bool = false, allowPrivateTargets: Bool = false) {
        self.allowHTTP = allowHTTP
        self.allowPrivateTargets = allowPrivateTargets
    }

    /// Throws INVALID_PARAMETER_VALUE naming the setting when `url` is not allowed.
    public func check(_ url: String) throws(HangarError) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), let host = parts.host, !host.isEmpty else {
            throw .invalid("Invalid webhook URL '\(url)'")
        }
        let schemes = allowHTTP ? ["http", "https"] : ["https"]
        guard schemes.contains(scheme) else {
            throw .invalid("Invalid webhook URL scheme '\(scheme)'. Allowed schemes are: \(schemes.joined(separator: ", ")) (--webhook-allow-http)")
        }
        guard !allowPrivateTargets else { return }
        for address in Self.resolve(host) where Self.isPrivate(address) {
            throw .invalid("Webhook URL '\(url)' resolves to a loopback or private address (\(address)); set --webhook-allow-private to allow it")
        }
    }

    static func resolve(_ host: String) -> [String] {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(bare, nil, &hints, &result) == 0, let first = result else { return [bare] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
                addresses.append(String(decoding: bytes, as: UTF8.self))
            }
            cursor = info.pointee.ai_next
        }
        return addresses.isEmpty ? [bare] : addresses
    }

    static func isPrivate(_ address: String) -> Bool {
        let lower = address.lowercased()
        if lower == "::1" || lower.hasPrefix("fe80:") || lower.hasPrefix("fc") || lower.hasPrefix("fd") || lower == "::" { return true }
        if lower.hasPrefix("::ffff:") { return isPrivate(String(lower.dropFirst(7))) }
        let octets = address.split(separator: ".").compactMap { Int($0) }
        guard octets.count == 4 else { return lower == "localhost" }
        switch (octets[0], octets[1]) {
        case (127, _), (10, _), (0, _), (169, 254), (192, 168): return true
        case (172, 16...31), (100, 64...127): return true
        default: return false
        }
    }
}
