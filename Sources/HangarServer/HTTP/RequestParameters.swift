import Foundation
import HangarCore
import Hummingbird

/// The fields of an API call, read from the JSON body (POST, PATCH, DELETE) or the query string (GET), with
/// MLflow's validation messages.
struct RequestParameters {
    private let object: [String: Any]
    private let fromQuery: Bool

    init(_ request: Request, context: HangarRequestContext) async throws {
        if request.method == .get || request.method == .head {
            var object: [String: Any] = [:]
            for (key, value) in request.uri.queryParameters {
                let k = String(key), v = String(value)
                if let existing = object[k] {
                    var list = (existing as? [Any]) ?? [existing]
                    list.append(v)
                    object[k] = list
                } else {
                    object[k] = v
                }
            }
            self.object = object
            self.fromQuery = true
            return
        }
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        self.fromQuery = false
        guard buffer.readableBytes > 0 else {
            self.object = [:]
            return
        }
        let data = Data(buffer: buffer)
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw HangarError(.badRequest, "Malformed JSON in request body (\(data.count) bytes): it must be a JSON object")
        }
        guard let object = parsed as? [String: Any] else {
            throw HangarError(.badRequest, "The request body must be a JSON object")
        }
        self.object = object
    }

    init(object: [String: Any]) {
        self.object = object
        self.fromQuery = false
    }

    /// Whether a field was sent at all.
    func has(_ key: String) -> Bool { object[key] != nil && !(object[key] is NSNull) }

    /// An optional string field; numbers are accepted in their text form (query strings have no types).
    func string(_ key: String) throws(HangarError) -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        if let s = value as? String { return s }
        if let list = value as? [Any], fromQuery, let last = list.last as? String { return last }
        throw .invalid("Invalid value \(Self.show(value)) for parameter '\(key)' supplied: expected a string")
    }

    /// A required string field.
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

    /// An optional integer field (JSON number or decimal string).
    func int64(_ key: String) throws(HangarError) -> Int64? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        if let parsed = Self.asInt64(value) { return parsed }
        if let list = value as? [Any], fromQuery, let last = list.last, let parsed = Self.asInt64(last) { return parsed }
        throw .invalid("Invalid value \(Self.show(value)) for parameter '\(key)' supplied: expected an integer")
    }

    /// An optional small integer field such as `max_results`.
    func int(_ key: String) throws(HangarError) -> Int? {
        guard let value = try int64(key) else { return nil }
        guard let small = Int(exactly: value) else { throw .invalid("Invalid value \(value) for parameter '\(key)' supplied") }
        return small
    }

    /// An optional boolean field (JSON bool, or true/false text).
    func bool(_ key: String) throws(HangarError) -> Bool? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        if let s = value as? String {
            switch s.lowercased() {
            case "true": return true
            case "false": return false
            default: break
            }
        } else if let b = value as? Bool {
            return b
        }
        throw .invalid("Invalid value \(Self.show(value)) for parameter '\(key)' supplied: expected true or false")
    }

    /// A list of strings (repeated query keys or a JSON array).
    func strings(_ key: String) throws(HangarError) -> [String] {
        guard let value = object[key], !(value is NSNull) else { return [] }
        if let s = value as? String { return [s] }
        guard let list = value as? [Any] else {
            throw .invalid("Invalid value \(Self.show(value)) for parameter '\(key)' supplied: expected a list of strings")
        }
        return try list.map { (item) throws(HangarError) in
            guard let s = item as? String else {
                throw .invalid("Invalid value \(Self.show(item)) in parameter '\(key)' supplied: expected a string")
            }
            return s
        }
    }

    /// A list of JSON objects, each read as parameters of its own (e.g. `metrics[]`).
    func objects(_ key: String) throws(HangarError) -> [RequestParameters] {
        guard let value = object[key], !(value is NSNull) else { return [] }
        guard let list = value as? [Any] else {
            throw .invalid("Invalid value \(Self.show(value)) for parameter '\(key)' supplied: expected a list")
        }
        return try list.enumerated().map { (index, item) throws(HangarError) in
            guard let object = item as? [String: Any] else {
                throw .invalid("Invalid value \(Self.show(item)) for parameter '\(key)[\(index)]' supplied: expected an object")
            }
            return RequestParameters(object: object)
        }
    }

    /// A nested JSON object.
    func object(_ key: String) throws(HangarError) -> RequestParameters? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let object = value as? [String: Any] else {
            throw .invalid("Invalid value \(Self.show(value)) for parameter '\(key)' supplied: expected an object")
        }
        return RequestParameters(object: object)
    }

    /// A floating-point field; "NaN", "Infinity" and "-Infinity" are accepted as strings.
    func double(_ key: String) throws(HangarError) -> Double? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        if let s = value as? String {
            switch s {
            case "NaN", "nan": return .nan
            case "Infinity", "inf": return .infinity
            case "-Infinity", "-inf": return -.infinity
            default: if let d = Double(s) { return d }
            }
        } else if let d = value as? Double {
            return d
        } else if let i = value as? Int {
            return Double(i)
        } else if !(value is Bool), let n = value as? NSNumber {
            return n.doubleValue
        }
        throw .invalid("Invalid value \(Self.show(value)) for parameter '\(key)' supplied: expected a number")
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

    private static func asInt64(_ value: Any) -> Int64? {
        if value is Bool { return nil }
        if let s = value as? String { return Int64(s) }
        if let i = value as? Int { return Int64(i) }
        if let i = value as? Int64 { return i }
        if let d = value as? Double { return d == d.rounded() && abs(d) < 9.2e18 ? Int64(d) : nil }
        if let n = value as? NSNumber {
            let d = n.doubleValue
            guard d == d.rounded(), abs(d) < 9.2e18 else { return nil }
            return n.int64Value
        }
        return nil
    }

    private static func show(_ value: Any) -> String {
        if let s = value as? String { return "'\(s)'" }
        let text = "\(value)"
        return text.count > 60 ? String(text.prefix(60)) + "..." : text
    }
}
