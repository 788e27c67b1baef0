/// Cuts CSV bytes into chunks that start at record boundaries, so chunks can be parsed independently.
enum CSVChunkBoundaries {
    /// Offsets `[start, b1, ..., end]` of `chunks` nearly equal byte ranges, each beginning at a record start.
    ///
    /// A newline ends a record only outside quotes. Since the reader refuses quotes inside unquoted fields, every
    /// quote opens, closes or doubles inside a quoted field, so an even count of quotes before a byte means the byte
    /// is outside quotes.
    static func find(scanner: CSVFieldScanner, from start: Int, chunks: Int) -> [Int] {
        let end = scanner.end
        var bounds = [start]
        var parityPos = start
        var insideQuotes = false
        for i in 1..<max(1, chunks) {
            let target = start + (end - start) * i / chunks
            guard target > bounds.last! else { continue }
            while parityPos < target {
                if scanner.bytes[parityPos] == CSVFieldScanner.quote { insideQuotes.toggle() }
                parityPos += 1
            }
            var p = target
            var inside = insideQuotes
            while p < end {
                let b = scanner.bytes[p]
                if b == CSVFieldScanner.quote { inside.toggle() }
                p += 1
                if b == CSVFieldScanner.newline, !inside { break }
            }
            if p < end, p > bounds.last! { bounds.append(p) }
        }
        bounds.append(end)
        return bounds
    }
}
