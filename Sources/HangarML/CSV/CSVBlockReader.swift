#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension CSVReader {
    /// Reads the file at `path` a block of rows at a time, so memory holds one block whatever the file's size: each
    /// block of about `blockBytes` bytes (cut at a record boundary) is parsed in parallel into a `DataFrame` with
    /// the file's columns and handed to `body` with how many bytes of the file are done.
    ///
    /// Column kinds are chosen once, from the first `inferenceRows` rows; a column forced through `options` keeps its
    /// kind in every block (a value that does not fit is an error naming its line and column), while an unforced
    /// column that a later value demotes is demoted in that block only. The file is mapped, not read, and the pages
    /// of finished blocks are given back.
    public static func forEachBlock(
        fileAt path: String, options: CSVReadOptions = CSVReadOptions(), blockBytes: Int = 64 << 20,
        _ body: (_ block: DataFrame, _ bytesDone: Int, _ totalBytes: Int) throws -> Void
    ) throws {
        let file = try MappedFile(path: path)
        defer { file.close() }
        let bytes = file.bytes
        guard let base = bytes.baseAddress, !bytes.isEmpty else { throw CSVError.emptyFile }
        let whole = CSVFieldScanner(bytes: base, end: bytes.count, delimiter: options.delimiter)
        var pos = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        while pos < bytes.count, whole.isBlankLine(at: pos) { whole.skipBlankLine(at: &pos) }
        guard pos < bytes.count else { throw CSVError.emptyFile }
        var names: [String] = []
        do {
            if options.hasHeader {
                names = try whole.readRecord(at: &pos).texts
                try checkHeader(names)
            } else {
                var probe = pos
                names = (1...(try whole.readRecord(at: &probe).texts.count)).map { "column\($0)" }
            }
            let kinds = try inferKinds(scanner: whole, from: pos, names: names, options: options)
            let forced = names.map { options.columnKinds[$0] != nil || options.dateColumns.contains($0) }
            let missing = options.missingValues.map { Array($0.utf8) }
            while pos < bytes.count {
                let end = blockEnd(bytes: bytes, from: pos, size: max(1 << 16, blockBytes))
                let scanner = CSVFieldScanner(bytes: base, end: end, delimiter: options.delimiter)
                var blockKinds = kinds
                while true {
                    let chunks = try parseChunks(scanner: scanner, from: pos, kinds: blockKinds, forced: forced,
                                                 missing: missing, threads: options.threads)
                    let demotions = chunks.reduce(into: [Int: CSVFieldKind]()) { $0.merge($1.demotions) { a, _ in a } }
                    if demotions.isEmpty {
                        let frame = CSVColumnJoiner.join(chunks, names: names, kinds: blockKinds, threads: options.threads)
                        try body(frame, end, bytes.count)
                        break
                    }
                    for (column, kind) in demotions { blockKinds[column] = kind }
                }
                file.release(upTo: end)
                pos = end
            }
        } catch let fault as CSVFault {
            throw fault.error(in: bytes, names: names)
        }
    }

    /// The end of the block that starts at record start `start`: the first record end at or after `start + size`
    /// outside quotes (quotes are counted from `start`, which is outside them), or the end of the file.
    static func blockEnd(bytes: UnsafeBufferPointer<UInt8>, from start: Int, size: Int) -> Int {
        let target = start + size
        guard target < bytes.count else { return bytes.count }
        var inside = false
        var p = start
        while p < bytes.count {
            let byte = bytes[p]
            p += 1
            if byte == CSVFieldScanner.quote {
                inside.toggle()
            } else if byte == CSVFieldScanner.newline, !inside, p >= target {
                return p
            }
        }
        return bytes.count
    }
}

/// A file mapped read-only, whose pages can be handed back once read.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    private let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    private var released = 0

    init(path: String) throws(CSVError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadableFile(path: path, reason: String(cString: strerror(errno))) }
        defer { closeDescriptor(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadableFile(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadableFile(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        _ = madvise(address, size, MADV_SEQUENTIAL)
        bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size)
    }

    /// Drops the resident pages wholly before `offset` (they are re-read from the file if touched again).
    func release(upTo offset: Int) {
        guard let base = bytes.baseAddress else { return }
        let end = offset / pageSize * pageSize
        guard end > released else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + released), end - released, MADV_DONTNEED)
        released = end
    }

    func close() {
        guard let base = bytes.baseAddress else { return }
        _ = munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
    }
}

private func closeDescriptor(_ fd: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(fd)
    #elseif canImport(Darwin)
        _ = Darwin.close(fd)
    #endif
}
