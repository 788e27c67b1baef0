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
/// the column types the stores use directly (`SQLiteValueCoding`). The SQL, dialect and results are SQLiteKit's.
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
            data = try binds.map(SQLiteValueCoding.encode)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        return connection.query(sql, data, logger: logger) { onRow(FastSQLiteRow(row: $0)) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        let data = try binds.map(SQLiteValueCoding.encode)
        try await connection.query(sql, data) { onRow(FastSQLiteRow(row: $0)) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}

/// An SQLite row read without the generic decoder for the column types the stores use.
struct FastSQLiteRow: SQLRow {
    let row: SQLiteRow

    var allColumns: [String] { row.columns.map(\.name) }

    func contains(column: String) -> Bool { row.column(column) != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let data = row.column(column) else { return true }
        return data.isNull
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        try SQLiteValueCoding.decode(row.column(column), column: column, as: D.self)
    }
}
