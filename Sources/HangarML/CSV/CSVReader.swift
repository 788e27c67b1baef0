import Foundation

/// Reads CSV files (RFC 4180, UTF-8) into a `DataFrame`, inferring column kinds and parsing chunks in parallel.
public enum CSVReader {
    /// Reads the file at `path`.
    public static func read(fileAt path: String, options: CSVReadOptions = CSVReadOptions()) throws(CSVError)
        -> DataFrame
    {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw .unreadableFile(path: path, reason: FileProblem.reading(path, error))
        }
        return try read(data, options: options, mapped: true)
    }

    /// Reads CSV text held in memory.
    public static func read(_ text: String, options: CSVReadOptions = CSVReadOptions()) throws(CSVError) -> DataFrame {
        try read(Data(text.utf8), options: options)
    }

    /// Reads CSV bytes held in memory.
    public static func read(_ data: Data, options: CSVReadOptions = CSVReadOptions()) throws(CSVError) -> DataFrame {
        try read(data, options: options, mapped: false)
    }

    private static func read(_ data: Data, options: CSVReadOptions, mapped: Bool) throws(CSVError) -> DataFrame {
        let result: Result<DataFrame, CSVError> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            return Result { () throws(CSVError) in try read(bytes: bytes, options: options, mapped: mapped) }
        }
        return try result.get()
    }

    /// Parses `bytes`; `mapped` says they are a read-only file mapping, whose pages are then dropped from memory
    /// once parsed (they would be read back from the file if touched again), so the file and the frame are never
    /// resident together.
    private static func read(bytes: UnsafeBufferPointer<UInt8>, options: CSVReadOptions, mapped: Bool)
        throws(CSVError) -> DataFrame
    {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { throw .emptyFile }
        let scanner = CSVFieldScanner(bytes: base, end: bytes.count, delimiter: options.delimiter)
        var pos = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        while pos < bytes.count, scanner.isBlankLine(at: pos) { scanner.skipBlankLine(at: &pos) }
        guard pos < bytes.count else { throw .emptyFile }

        var names: [String] = []
        do {
            if options.hasHeader {
                names = try scanner.readRecord(at: &pos).texts
                try checkHeader(names)
            } else {
                var probe = pos
                let count = try scanner.readRecord(at: &probe).texts.count
                names = (1...count).map { "column\($0)" }
            }
            var kinds = try inferKinds(scanner: scanner, from: pos, names: names, options: options)
            let forced = names.map { options.columnKinds[$0] != nil || options.dateColumns.contains($0) }
            let missing = options.missingValues.map { Array($0.utf8) }
            while true {
                let chunks = try parseChunks(scanner: scanner, from: pos, kinds: kinds, forced: forced,
                                             missing: missing, threads: options.threads)
                let demotions = chunks.reduce(into: [Int: CSVFieldKind]()) { $0.merge($1.demotions) { a, _ in a } }
                if demotions.isEmpty {
                    if mapped { dropPages(bytes) }
                    return CSVColumnJoiner.join(chunks, names: names, kinds: kinds, threads: options.threads)
                }
                for (column, kind) in demotions { kinds[column] = kind }
            }
        } catch let fault as CSVFault {
            throw fault.error(in: bytes, names: names)
        } catch let error as CSVError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// Tells the kernel the mapped file's whole pages are not needed now (`MADV_DONTNEED`: clean file pages leave
    /// the resident set and are read again from the file if touched).
    private static func dropPages(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + bytes.count) / page * page
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, MADV_DONTNEED)
    }

    static func checkHeader(_ names: [String]) throws(CSVError) {
        var seen = Set<String>()
        for (i, name) in names.enumerated() {
            guard !name.isEmpty else { throw .emptyColumnName(column: i + 1) }
            guard seen.insert(name).inserted else { throw .duplicateColumnName(name, column: i + 1) }
        }
    }

    /// Splits the data into one chunk per thread at record starts, parses them in parallel, in file order.
    static func parseChunks(
        scanner: CSVFieldScanner, from start: Int, kinds: [CSVFieldKind], forced: [Bool], missing: [[UInt8]],
        threads: Int
    ) throws(CSVFault) -> [CSVChunk] {
        let length = scanner.end - start
        let chunkCount = length < 1 << 20 ? 1 : max(1, threads)
        let bounds = CSVChunkBoundaries.find(scanner: scanner, from: start, chunks: chunkCount)
        let sampleRows = max(1, min(1000, length / 64))
        let bytesPerRow = max(8, estimateBytesPerRow(scanner: scanner, from: start, rows: sampleRows))
        let results = ChunkResults<Result<CSVChunk, CSVFault>>(count: bounds.count - 1)
        let shared = SharedScanner(scanner: scanner)
        parallelFor(chunks: bounds.count - 1, threads: threads) { i in
            let range = bounds[i]..<bounds[i + 1]
            let parser = CSVChunkParser(scanner: shared.scanner, kinds: kinds, forced: forced, missingTokens: missing,
                                        estimatedRows: range.count / bytesPerRow + 16)
            results.set(i, Result { () throws(CSVFault) in
                try parser.parse(from: range.lowerBound, to: range.upperBound)
            })
        }
        var chunks: [CSVChunk] = []
        for result in results.collect() {
            switch result {
            case .success(let chunk): chunks.append(chunk)
            case .failure(let fault):
                // The first fault in file order is the one to report: re-read the whole file in one piece.
                if bounds.count > 2 {
                    let parser = CSVChunkParser(scanner: scanner, kinds: kinds, forced: forced, missingTokens: missing,
                                                estimatedRows: 0)
                    _ = try parser.parse(from: start, to: scanner.end)
                }
                throw fault
            }
        }
        return chunks
    }

    private static func estimateBytesPerRow(scanner: CSVFieldScanner, from start: Int, rows: Int) -> Int {
        var pos = start
        var seen = 0
        while pos < scanner.end, seen < rows {
            guard (try? scanner.readRecord(at: &pos)) != nil else { break }
            seen += 1
        }
        return seen == 0 ? 64 : (pos - start) / seen
    }
}

/// The scanner's pointer only reads the caller's bytes, which outlive the parallel parse.
private struct SharedScanner: @unchecked Sendable {
    let scanner: CSVFieldScanner
}
