/// A parsed JSON value, as request bodies are read.
enum JSONValue {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The value as it would read in a message.
    var display: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .integer(let i): "\(i)"
        case .number(let d): "\(d)"
        case .string(let s): "'\(s)'"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
