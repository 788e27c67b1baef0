import Foundation
import HangarCore

/// An opaque pagination cursor: the offset of the next page, base64-encoded.
enum PageToken {
    static func decode(_ token: String?) throws(HangarError) -> Int {
        guard let token, !token.isEmpty else { return 0 }
        guard let data = Data(base64Encoded: token),
              let text = String(data: data, encoding: .utf8),
              text.hasPrefix("offset:"), let offset = Int(text.dropFirst(7)), offset >= 0
        else { throw .invalid("Invalid page token '\(token)'") }
        return offset
    }

    static func encode(offset: Int) -> String {
        Data("offset:\(offset)".utf8).base64EncodedString()
    }

    /// The token for the page after one that fetched `fetched` rows of a requested `limit` (one extra row tells
    /// whether more exist).
    static func next(offset: Int, limit: Int, fetched: Int) -> String? {
        fetched > limit ? encode(offset: offset + limit) : nil
    }

    /// Checks a requested page size against a maximum.
    static func limit(_ requested: Int?, default value: Int, max: Int) throws(HangarError) -> Int {
        guard let requested else { return value }
        guard requested > 0 else { throw .invalid("Invalid value \(requested) for parameter 'max_results' supplied") }
        guard requested <= max else {
            throw .invalid("Invalid value \(requested) for parameter 'max_results' supplied. It must be at most \(max)")
        }
        return requested
    }
}
