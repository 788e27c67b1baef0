/// Joins per-chunk columns into the columns of one `DataFrame`, in file order.
enum CSVColumnJoiner {
    /// Columns are copied out of the chunks in parallel, one column per task; each chunk column is freed as soon as
    /// it is copied, so the numbers are held about once, not twice, at the peak (the chunks are spent afterwards).
    static func join(_ chunks: [CSVChunk], names: [String], kinds: [CSVFieldKind], threads: Int) -> DataFrame {
        let rows = chunks.reduce(0) { $0 + $1.rows }
        let results = ChunkResults<Column>(count: names.count)
        let shared = SharedChunks(chunks: chunks)
        parallelFor(chunks: names.count, threads: threads) { c in
            results.set(c, column(c, name: names[c], kind: kinds[c], chunks: shared.chunks, rows: rows))
        }
        // Every column has `rows` values and header names were checked distinct.
        return try! DataFrame(columns: results.collect())
    }

    private static func column(_ c: Int, name: String, kind: CSVFieldKind, chunks: [CSVChunk], rows: Int) -> Column {
        switch kind {
        case .numeric, .date:
            let values = [Double](unsafeUninitializedCapacity: rows) { buffer, count in
                var offset = 0
                for chunk in chunks {
                    let part = chunk.numbers.values(column: c, rows: chunk.rows)
                    guard let source = part.baseAddress, !part.isEmpty else { continue }
                    (buffer.baseAddress! + offset).initialize(from: source, count: part.count)
                    offset += part.count
                    chunk.numbers.release(column: c)
                }
                count = offset
            }
            guard kind == .date else { return Column(name: name, values: .double(values)) }
            let hasTime = chunks.contains { $0.hasTime[c] }
            return Column(name: name, values: .double(values), dateKind: hasTime ? .dateTime : .date)
        case .boolean:
            var values: [Bool?] = []
            values.reserveCapacity(rows)
            for chunk in chunks { values.append(contentsOf: chunk.booleans[c]) }
            return Column(name: name, values: .boolean(values))
        case .categorical:
            return Column(name: name, values: joinCategorical(chunks, column: c, rows: rows))
        }
    }

    /// Levels keep the order of first appearance in the file; chunk codes are remapped to them.
    private static func joinCategorical(_ chunks: [CSVChunk], column c: Int, rows: Int) -> ColumnValues {
        if chunks.count == 1 { return .categorical(codes: chunks[0].codes[c], levels: chunks[0].levels[c]) }
        var levels: [String] = []
        var index: [String: Int32] = [:]
        var codes: [Int32] = []
        codes.reserveCapacity(rows)
        for chunk in chunks {
            let remap: [Int32] = chunk.levels[c].map { level in
                if let code = index[level] { return code }
                let code = Int32(levels.count)
                index[level] = code
                levels.append(level)
                return code
            }
            codes.append(contentsOf: chunk.codes[c].lazy.map { $0 < 0 ? -1 : remap[Int($0)] })
        }
        return .categorical(codes: codes, levels: levels)
    }
}

/// Chunks are only read while columns are joined.
private struct SharedChunks: @unchecked Sendable {
    let chunks: [CSVChunk]
}
