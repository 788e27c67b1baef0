import SQLKit
import SQLiteKit
import SQLiteNIO

/// Binds and column values for both SQLite paths, with the types the stores use (text, integers, doubles, their
/// optionals) converted directly and anything else through SQLiteKit's coders.
enum SQLiteValueCoding {
    private static let fallbackEncoder = SQLiteDataEncoder()
    private static let fallbackDecoder = SQLiteDataDecoder()

    /// The SQLite value a SQLKit bind stands for.
    static func encode(_ value: any Encodable & Sendable) throws -> SQLiteData {
        switch value {
        case let text as String: return .text(text)
        case let number as Int64: return .integer(Int(number))
        case let number as Int: return .integer(number)
        case let number as Double: return .float(number)
        case let flag as Bool: return .integer(flag ? 1 : 0)
        default: return try fallbackEncoder.encode(value)
        }
    }

    /// Column `column`'s value (nil when the result has no such column) as a `D`.
    static func decode<D: Decodable>(_ data: SQLiteData?, column: String, as type: D.Type) throws -> D {
        guard let data else {
            throw DecodingError.keyNotFound(
                SQLCodingKey(column), .init(codingPath: [], debugDescription: "No column '\(column)' in the result"))
        }
        if D.self == String.self, let text = data.string { return text as! D }
        if D.self == Int64.self, let number = data.integer { return Int64(number) as! D }
        if D.self == Double.self, let number = data.double { return number as! D }
        if D.self == String?.self { return (data.isNull ? nil : data.string) as! D }
        if D.self == Int64?.self { return (data.isNull ? nil : data.integer.map { Int64($0) }) as! D }
        if D.self == Double?.self { return (data.isNull ? nil : data.double) as! D }
        return try fallbackDecoder.decode(D.self, from: data)
    }
}

/// A coding key naming a column.
private struct SQLCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
