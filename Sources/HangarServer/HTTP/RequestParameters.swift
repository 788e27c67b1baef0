import Foundation
import HangarCore
import Hummingbird

/// The fields of an API call, read from the JSON body (POST, PATCH, DELETE) or the query string (GET), with
/// MLflow's validation messages.
struct RequestParameters {
    private let fields: JSONObject
    /// Query strings carry no types: repeated keys arrive as lists and scalars as text.
    private var fromQuery = false

    init(_ request: Request, context: HangarRequestContext) async throws {
        if request.method == .get || request.method == .head {
            var fields: [String: JSONValue] = [:]
            for (k, value) in Self.formDecoded(request.uri.query ?? "") {
                let v = JSONValue.string(value)
                switch fields[k] {
                case .array(let list)?: fields[k] = .array(list + [v])
                case let existing?: fields[k] = .array([existing, v])
                case nil: fields[k] = v
                }
            }
            self.fields = JSONObject(fields)
            self.fromQuery = true
            return
        }
        var request = request
        self = try Self(body: try await request.collectBody(upTo: context.maxUploadSize))
    }

    /// The fields of a JSON body (an empty body has none).
    init(body buffer: ByteBuffer) throws(HangarError) {
        guard buffer.readableBytes > 0 else {
            self.fields = JSONObject([])
            return
        }
        let parsed: JSONValue
        do {
            parsed = try buffer.withUnsafeReadableBytes { (bytes) throws(JSONParser.SyntaxError) in try JSONParser.parse(bytes) }
        } catch {
            throw HangarError(.badRequest, "Malformed JSON in request body at byte \(error.offset): \(error.reason)")
        }
        guard case .object(let fields) = parsed else {
            throw HangarError(.badRequest, "The request body must be a JSON object")
        }
        self.fields = fields
    }

    /// Query-string pairs decoded as browsers and `requests` encode them: `+` is a space, then percent-escapes.
    static func formDecoded(_ query: String) -> [(String, String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    init(fields: JSONObject) {
        self.fields = fields
    }

    /// The value of a field, with null treated as absent; from a query string, the last of repeated keys.
    private func value(_ key: String) -> JSONValue? {
        switch fields[key] {
        case .null?, nil: nil
        case let value?: value
        }
    }

    /// Whether a field was sent at all.
    func has(_ key: String) -> Bool { value(key) != nil }

    /// An optional string field.
    func string(_ key: String) throws(HangarError) -> String? {
        switch value(key) {
        case nil: return nil
        case .string(let s)?: return s
        case .array(let list)? where fromQuery:
            // A repeated query key: the last one wins.
            if case .string(let s)? = list.last { return s }
            throw .invalid("Invalid value a list for parameter '\(key)' supplied: expected a string")
        case let other?:
            throw .invalid("Invalid value \(other.display) for parameter '\(key)' supplied: expected a string")
        }
    }

    /// A scalar field as text: a string as is, a number or boolean as JSON writes it.
    func scalarText(_ key: String) throws(HangarError) -> String? {
        switch value(key) {
        case nil: return nil
        case .string(let s)?: return s
        case .integer(let i)?: return String(i)
        case .number(let d)?: return String(d)
        case .bool(let b)?: return String(b)
        case let other?: throw .invalid("Invalid value \(other.display) for parameter '\(key)' supplied: expected a single value")
        }
    }

    /// A required, non-empty string field.
    func requiredString(_ key: String) throws(HangarError) -> String {
        guard let value = try string(key), !value.isEmpty else { throw .invalid("Missing value for required parameter '\(key)'") }
        return value
    }

    /// The run id, sent as `run_id` or the legacy `run_uuid`.
    func runID() throws(HangarError) -> String {
        if let id = try string("run_id"), !id.isEmpty { return id }
        if let id = try string("run_uuid"), !id.isEmpty { return id }
        throw .invalid("Missing value for required parameter 'run_id'")
    }

    /// An optional integer field (a JSON number or a decimal string, as proto3 JSON allows for int64).
    func int64(_ key: String) throws(HangarError) -> Int64? {
        switch value(key) {
        case nil: return nil
        case .integer(let i)?: return i
        case .number(let d)? where d == d.rounded() && abs(d) < 9.2e18: return Int64(d)
        case .string(let s)? where Int64(s) != nil: return Int64(s)
        case let other?: throw .invalid("Invalid value \(other.display) for parameter '\(key)' supplied: expected an integer")
        }
    }

    /// An optional small integer field such as `max_results`.
    func int(_ key: String) throws(HangarError) -> Int? {
        guard let value = try int64(key) else { return nil }
        guard let small = Int(exactly: value) else { throw .invalid("Invalid value \(value) for parameter '\(key)' supplied") }
        return small
    }

    /// An optional boolean field (JSON bool, or true/false text).
    func bool(_ key: String) throws(HangarError) -> Bool? {
        switch value(key) {
        case nil: return nil
        case .bool(let b)?: return b
        case .string(let s)? where s.lowercased() == "true": return true
        case .string(let s)? where s.lowercased() == "false": return false
        case let other?: throw .invalid("Invalid value \(other.display) for parameter '\(key)' supplied: expected true or false")
        }
    }

    /// A floating-point field; "NaN", "Infinity" and "-Infinity" are accepted as strings, as proto3 JSON sends them.
    func double(_ key: String) throws(HangarError) -> Double? {
        switch value(key) {
        case nil: return nil
        case .number(let d)?: return d
        case .integer(let i)?: return Double(i)
        case .string(let s)?:
            switch s {
            case "NaN", "nan": return .nan
            case "Infinity", "inf": return .infinity
            case "-Infinity", "-inf": return -.infinity
            default:
                if let d = Double(decimalText: s) { return d }
            }
            throw .invalid("Invalid value '\(s)' for parameter '\(key)' supplied: expected a number")
        case let other?: throw .invalid("Invalid value \(other.display) for parameter '\(key)' supplied: expected a number")
        }
    }

    /// A list of strings (repeated query keys or a JSON array).
    func strings(_ key: String) throws(HangarError) -> [String] {
        switch value(key) {
        case nil: return []
        case .string(let s)?: return [s]
        case .array(let list)?:
            return try list.map { (item) throws(HangarError) in
                guard case .string(let s) = item else {
                    throw .invalid("Invalid value \(item.display) in parameter '\(key)' supplied: expected a string")
                }
                return s
            }
        case let other?: throw .invalid("Invalid value \(other.display) for parameter '\(key)' supplied: expected a list of strings")
        }
    }

    /// A list of JSON objects, each read as parameters of its own (e.g. `metrics[]`).
    func objects(_ key: String) throws(HangarError) -> [RequestParameters] {
        switch value(key) {
        case nil: return []
        case .array(let list)?:
            return try list.enumerated().map { (index, item) throws(HangarError) in
                guard case .object(let fields) = item else {
                    throw .invalid("Invalid value \(item.display) for parameter '\(key)[\(index)]' supplied: expected an object")
                }
                return RequestParameters(fields: fields)
            }
        case let other?: throw .invalid("Invalid value \(other.display) for parameter '\(key)' supplied: expected a list")
        }
    }

    /// A nested JSON object.
    func object(_ key: String) throws(HangarError) -> RequestParameters? {
        switch value(key) {
        case nil: return nil
        case .object(let fields)?: return RequestParameters(fields: fields)
        case let other?: throw .invalid("Invalid value \(other.display) for parameter '\(key)' supplied: expected an object")
        }
    }

    /// Tags sent as `[{"key": ..., "value": ...}]`.
    func tags(_ key: String = "tags") throws(HangarError) -> [Tag] {
        try objects(key).enumerated().map { (index, item) throws(HangarError) in
            guard let k = try item.string("key"), !k.isEmpty else {
                throw .invalid("Missing value for required parameter '\(key)[\(index)].key'")
            }
            return Tag(key: k, value: try item.string("value") ?? "")
        }
    }
}
