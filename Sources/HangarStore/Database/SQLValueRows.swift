import SQLKit
import Synchronization

/// The `(…), (…)` list of a multi-row `INSERT … VALUES`, every value a bind.
///
/// Equivalent to joining one interpolated `SQLQueryString` per row, without building an expression per value: a
/// 1000-metric batch binds 9,000 values, and SQLKit's per-value placeholder expressions cost more than SQLite's
/// insert. The placeholder text of a block (it depends only on the dialect, the first bind's position and the
/// block's shape) is built once and reused; the values are appended to the binds as they are.
struct SQLValueRows: SQLExpression {
    let rows: [[any Encodable & Sendable]]

    func serialize(to serializer: inout SQLSerializer) {
        guard let width = rows.first?.count, width > 0, rows.allSatisfy({ $0.count == width }) else {
            return serializeValueByValue(to: &serializer)
        }
        let shape = Shape(
            dialect: serializer.dialect.name, first: serializer.binds.count + 1, rows: rows.count, width: width)
        let text = Self.texts.withLock { $0[shape] } ?? Self.text(of: shape, database: serializer.database)
        serializer.write(text)
        serializer.binds.reserveCapacity(serializer.binds.count + rows.count * width)
        for row in rows { serializer.binds.append(contentsOf: row) }
    }

    private struct Shape: Hashable {
        let dialect: String
        let first: Int
        let rows: Int
        let width: Int
    }

    /// Placeholder texts by shape; a handful in practice (one per statement and batch size), bounded regardless.
    private static let texts = Mutex<[Shape: String]>([:])

    private static func text(of shape: Shape, database: any SQLDatabase) -> String {
        var scratch = SQLSerializer(database: database)
        let dialect = scratch.dialect
        var position = shape.first
        for row in 0..<shape.rows {
            scratch.write(row == 0 ? "(" : ", (")
            for column in 0..<shape.width {
                if column > 0 { scratch.write(", ") }
                dialect.bindPlaceholder(at: position).serialize(to: &scratch)
                position += 1
            }
            scratch.write(")")
        }
        let text = scratch.sql
        texts.withLock { texts in
            if texts.count >= 512 { texts.removeAll() }
            texts[shape] = text
        }
        return text
    }

    private func serializeValueByValue(to serializer: inout SQLSerializer) {
        for (rowIndex, row) in rows.enumerated() {
            serializer.write(rowIndex == 0 ? "(" : ", (")
            for (index, value) in row.enumerated() {
                if index > 0 { serializer.write(", ") }
                serializer.write(bind: value)
            }
            serializer.write(")")
        }
    }
}
