import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLKit on an SQLite connection with the per-value overhead taken out.
///
/// SQLiteKit's own wrapper hands every row back through an event-loop hop and decodes every column through a
/// generic `Decoder` after a dynamic protocol cast; on a 1,000-run search that cost more than SQLite itself. This
/// wrapper runs the statement with SQLiteNIO's async query (rows delivered on the SQLite thread) and reads and binds
/// the column types the stores use (text, integers, doubles, their optionals) directly, falling back to SQLiteKit's
/// coders for anything else. The SQL, dialect and results are SQLiteKit's.
struct FastSQLiteDatabase: SQLDatabase {
    let connection: SQLiteConnection

    var eventLoop: any EventLoop { connection.eventLoop }
    var logger: Logger { connection.logger }
    var dialect: any SQLDialect { SQLiteDialect() }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let (sql, binds) = serialize(query)
        let data: [SQLiteData]
        do {
            data = try binds.map(Self.encode)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        return connection.query(sql, data, logger: logger) { onRow(FastSQLiteRow(row: $0)) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        let data = try binds.map(Self.encode)
        try await connection.query(sql, data) { onRow(FastSQLiteRow(row: $0)) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private static let fallbackEncoder = SQLiteDataEncoder()

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
}

/// An SQLite row read without the generic decoder for the column types the stores use.
struct FastSQLiteRow: SQLRow {
    let row: SQLiteRow

    private static let fallbackDecoder = SQLiteDataDecoder()

    var allColumns: [String] { row.columns.map(\.name) }

    func contains(column: String) -> Bool { row.column(column) != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let data = row.column(column) else { return true }
        return data.isNull
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let data = row.column(column) else {
            throw DecodingError.keyNotFound(
                SQLCodingKey(column), .init(codingPath: [], debugDescription: "No column '\(column)' in the result"))
        }
        if D.self == String.self, let text = data.string { return text as! D }
        if D.self == Int64.self, let number = data.integer { return Int64(number) as! D }
        if D.self == Double.self, let number = data.double { return number as! D }
        if D.self == String?.self { return (data.isNull ? nil : data.string) as! D }
        if D.self == Int64?.self { return (data.isNull ? nil : data.integer.map { Int64($0) }) as! D }
        if D.self == Double?.self { return (data.isNull ? nil : data.double) as! D }
        return try Self.fallbackDecoder.decode(D.self, from: data)
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
