import HTTPTypes

/// What the raw prediction path makes of the bytes at the start of a connection's unread input.
///
/// The parser is deliberately narrow: it answers `.predict` only for a request it understands completely (HTTP/1.1,
/// one `Content-Length`, no `Transfer-Encoding`, `Expect` or `Upgrade`, ASCII header values) and otherwise says how
/// far the request reaches (`.forward`) or that it cannot tell (`.opaque`), so that everything unusual is left to
/// SwiftNIO's full HTTP/1 decoder, byte for byte.
enum RawRequestScan: Equatable {
    /// The request head is not complete yet.
    case incomplete
    /// A prediction request: its head is `headLength` bytes and its body `head.contentLength` bytes.
    case predict(RawRequestHead, headLength: Int)
    /// A request for the router: `headLength` bytes of head followed by `bodyLength` bytes of body.
    case forward(headLength: Int, bodyLength: Int)
    /// A request whose extent this parser does not know (chunked, upgraded, malformed, oversized): the rest of the
    /// connection goes to the full decoder.
    case opaque
}

/// The parts of a prediction request's head that the prediction endpoints read.
struct RawRequestHead: Equatable {
    /// The request target as sent (origin form, query included).
    var target: String
    var contentLength: Int
    /// `Content-Type`, `X-Request-Id`, `X-Hangar-Route-Key` and `X-Hangar-Entity-Key`: what the endpoints read.
    var headers: PredictionHeaders
    /// `Connection: close` was sent.
    var close: Bool

    /// The longest head this parser reads; longer ones are opaque.
    static let maxHeadLength = 16 * 1024

    /// Scans `bytes` (a connection's unread input, starting at a request boundary).
    static func scan(_ bytes: UnsafeRawBufferPointer) -> RawRequestScan {
        guard let headLength = headEnd(bytes) else {
            return bytes.count > maxHeadLength ? .opaque : .incomplete
        }
        guard headLength <= maxHeadLength else { return .opaque }
        var lines = LineReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<(headLength - 2)]))
        guard let requestLine = lines.next(), let request = RequestLine(requestLine) else { return .opaque }
        var contentLength: Int?
        var headers = PredictionHeaders()
        var close = false
        var plain = request.isPost
        while let line = lines.next() {
            guard let field = HeaderLine(line) else { return .opaque }
            guard let known = field.known else { continue }
            switch known {
            case .contentLength:
                guard contentLength == nil, let length = field.decimalValue else { return .opaque }
                contentLength = length
            case .transferEncoding, .upgrade:
                return .opaque
            case .expect:
                plain = false
            case .connection:
                switch field.value.lowercased() {
                case "close": close = true
                case "keep-alive": break
                default: plain = false
                }
            case .contentType, .requestId, .routeKey, .entityKey:
                // A repeated or non-ASCII value is left to the decoder, whose fields join repeats.
                guard headers[known] == nil, field.isASCII else {
                    plain = false
                    continue
                }
                headers[known] = field.value
            }
        }
        let bodyLength = contentLength ?? 0
        guard plain, let contentLength else { return .forward(headLength: headLength, bodyLength: bodyLength) }
        return .predict(
            RawRequestHead(target: request.target, contentLength: contentLength, headers: headers, close: close),
            headLength: headLength)
    }

    /// The length of the head including its closing empty line, when the bytes hold all of it.
    private static func headEnd(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var i = 3
        while i < bytes.count {
            if bytes[i] == 0x0A, bytes[i - 1] == 0x0D, bytes[i - 2] == 0x0A, bytes[i - 3] == 0x0D { return i + 1 }
            i += 1
        }
        return nil
    }
}

/// CRLF-terminated lines of a head (a bare LF is not a line end here: such a head is malformed for this parser, and
/// its last line then fails to parse).
private struct LineReader {
    let bytes: UnsafeRawBufferPointer
    var start = 0

    mutating func next() -> UnsafeRawBufferPointer? {
        guard start < bytes.count else { return nil }
        var i = start
        while i + 1 < bytes.count, !(bytes[i] == 0x0D && bytes[i + 1] == 0x0A) { i += 1 }
        let end = i + 1 < bytes.count ? i : bytes.count
        let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        start = end + 2
        return line
    }
}

/// `METHOD SP origin-form-target SP HTTP/1.1`.
private struct RequestLine {
    let isPost: Bool
    let target: String

    init?(_ line: UnsafeRawBufferPointer) {
        guard let firstSpace = line.firstIndex(of: 0x20) else { return nil }
        let method = line[0..<firstSpace]
        guard !method.isEmpty, method.allSatisfy(RequestLine.isTokenByte) else { return nil }
        let rest = line[(firstSpace + 1)...]
        guard let secondSpace = rest.firstIndex(of: 0x20) else { return nil }
        let target = line[(firstSpace + 1)..<secondSpace]
        guard target.first == UInt8(ascii: "/"), target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        guard line[(secondSpace + 1)...].elementsEqual("HTTP/1.1".utf8) else { return nil }
        isPost = method.elementsEqual("POST".utf8)
        self.target = String(decoding: target, as: UTF8.self)
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

/// The headers the raw path reads; every other header is skipped without being copied.
private enum KnownHeader: CaseIterable {
    case contentLength, transferEncoding, upgrade, expect, connection, contentType, requestId, routeKey, entityKey

    var lowercasedName: StaticString {
        switch self {
        case .contentLength: "content-length"
        case .transferEncoding: "transfer-encoding"
        case .upgrade: "upgrade"
        case .expect: "expect"
        case .connection: "connection"
        case .contentType: "content-type"
        case .requestId: "x-request-id"
        case .routeKey: "x-hangar-route-key"
        case .entityKey: "x-hangar-entity-key"
        }
    }

    /// The header `name` is, compared without regard to ASCII case (a token holds no byte that folds onto a letter
    /// or `-` but those).
    static func matching(_ name: UnsafeRawBufferPointer) -> KnownHeader? {
        for header in allCases {
            let expected = header.lowercasedName
            guard expected.utf8CodeUnitCount == name.count else { continue }
            let bytes = UnsafeBufferPointer(start: expected.utf8Start, count: expected.utf8CodeUnitCount)
            var equal = true
            for i in 0..<name.count where name[i] | 0x20 != bytes[i] {
                equal = false
                break
            }
            if equal { return header }
        }
        return nil
    }
}

extension PredictionHeaders {
    /// The value kept for `header`, one of the four the endpoints read (the others are never kept).
    fileprivate subscript(header: KnownHeader) -> String? {
        get {
            switch header {
            case .contentType: contentType
            case .requestId: requestId
            case .routeKey: routeKey
            case .entityKey: entityKey
            default: nil
            }
        }
        set {
            switch header {
            case .contentType: contentType = newValue
            case .requestId: requestId = newValue
            case .routeKey: routeKey = newValue
            case .entityKey: entityKey = newValue
            default: break
            }
        }
    }
}

/// `name: OWS value OWS`; the value is copied only for the headers the raw path reads.
private struct HeaderLine {
    let known: KnownHeader?
    private let valueBytes: UnsafeRawBufferPointer

    init?(_ line: UnsafeRawBufferPointer) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return nil }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<colon])
        guard name.allSatisfy(RequestLine.isTokenByte) else { return nil }
        var start = colon + 1
        var end = line.count
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[start..<end])
        // Control characters (other than a tab) make the head malformed; the full decoder says so.
        guard !value.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else { return nil }
        known = KnownHeader.matching(name)
        valueBytes = value
    }

    var value: String { String(decoding: valueBytes, as: UTF8.self) }
    var isASCII: Bool { valueBytes.allSatisfy { $0 < 0x80 } }

    /// The value as a `Content-Length`: 1 to 18 decimal digits.
    var decimalValue: Int? {
        guard !valueBytes.isEmpty, valueBytes.count <= 18 else { return nil }
        var length = 0
        for byte in valueBytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            length = length * 10 + Int(byte - 0x30)
        }
        return length
    }
}
