import Foundation
import HTTPTypes
import Hummingbird

extension Request {
    /// The caller's user name: from HTTP Basic credentials, a JWT bearer token's `sub`, or an `X-Hangar-User` header.
    ///
    /// Full authentication arrives later; until then this names who did what in audit trails and events.
    var callerName: String? {
        if let header = headers[.authorization] {
            if header.lowercased().hasPrefix("basic "),
               let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
               let text = String(data: data, encoding: .utf8),
               let user = text.split(separator: ":", maxSplits: 1).first, !user.isEmpty {
                return String(user)
            }
            if header.lowercased().hasPrefix("bearer ") {
                let token = header.dropFirst(7).split(separator: ".")
                if token.count == 3, let payload = Self.base64URL(String(token[1])),
                   let claims = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
                   let subject = (claims["preferred_username"] ?? claims["sub"]) as? String {
                    return subject
                }
            }
        }
        if let name = HTTPField.Name("X-Hangar-User"), let user = headers[name], !user.isEmpty { return user }
        return nil
    }

    private static func base64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
