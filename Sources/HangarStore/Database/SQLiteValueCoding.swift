import SQLKit
import SQLiteKit
import SQLiteNIO

/// Binds and column values for both SQLite paths, with the types the stores use (text, integers, doubles, their
/// optionals) converted directly and anything else through SQLiteKit's coders.
enum SQLiteValueCoding {
    private static let fallbackEncoder = SQLiteDataEncoder()
    private static let fallbackDecoder = SQLiteDataDecoder()

    /// The SQLite value a SQLKit bind stands for.
    ///
    /// The bind's dynamic type is compared first and then cast, because casts that fail are the slow ones: a
    /// 1,000-metric batch binds 9,000 values.
    static func encode(_ value: any Encodable & Sendable) throws -> SQLiteData {
        let type = type(of: value)
        if type == String.self { return .text(value as! String) }
        if type == Int64.self { return .integer(Int(value as! Int64)) }
        if type == Double.self { return .float(value as! Double) }
        if type == Int.self { return .integer(value as! Int) }
        if type == Bool.self { return .integer(value as! Bool ? 1 : 0) }
        if type == String?.self { return (value as! String?).map { .text($0) } ?? .null }
        if type == Int64?.self { return (value as! Int64?).map { .integer(Int($0)) } ?? .null }
        if type == Double?.self { return (value as! Double?).map { .float($0) } ?? .null }
        return try fallbackEncoder.encode(value)
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
