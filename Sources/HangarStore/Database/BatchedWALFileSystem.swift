import Foundation
import VaporCSQLite

/// A SQLite VFS over the platform's default one that writes each transaction's WAL frames with one system call.
///
/// SQLite appends a frame to the write-ahead log as two writes, its 24-byte header and then its page, so a commit of
/// six pages costs twelve `pwrite`s; on the writer of a busy tracking server those calls were a tenth of the time of a
/// `runs/create`. This VFS hands every file to the default VFS unchanged except the write-ahead log, whose appends it
/// gathers in memory while they stay contiguous and writes out together as soon as the page of a commit frame (a
/// frame whose header carries the database size) has been added, before that write returns. SQLite therefore sees
/// every committed frame in the file exactly when it would have, and an acknowledged commit survives the process being
/// killed just as before. Anything that looks at the file (a read, sync, size, truncate, file control, close) and any
/// write that is not the next byte writes out what is gathered first, so the file never disagrees with what SQLite
/// wrote. Only the writer connection opens the database through it.
enum BatchedWALFileSystem {
    /// The VFS name to open the writer connection with.
    static let name = "hangar-batched-wal"

    /// Registers the VFS once; true when it is available.
    static let isRegistered: Bool = {
        guard let base = sqlite_nio_sqlite3_vfs_find(nil) else { return false }
        baseFileSystem = base
        let vfs = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        vfs.initialize(to: base.pointee)
        vfs.pointee.pNext = nil
        vfs.pointee.szOsFile = Int32(headerSize) + base.pointee.szOsFile
        vfs.pointee.zName = UnsafePointer(strdup(name))
        vfs.pointee.xOpen = { _, path, file, flags, outFlags in BatchedWALFileSystem.open(path, file!, flags, outFlags) }
        return sqlite_nio_sqlite3_vfs_register(vfs, 0) == SQLITE_OK
    }()

    /// Our part of every file this VFS opens: SQLite's `sqlite3_file` (the methods pointer), then the WAL's buffer
    /// (nil for other files), then the default VFS's own file.
    private static let headerSize = 16
    /// Where in our part the WAL's buffer pointer sits (after the methods pointer).
    private static let bufferSlot = 8
    nonisolated(unsafe) private static var baseFileSystem: UnsafeMutablePointer<sqlite3_vfs>!

    private static func open(
        _ path: sqlite3_filename?, _ file: UnsafeMutablePointer<sqlite3_file>, _ flags: Int32,
        _ outFlags: UnsafeMutablePointer<Int32>?
    ) -> Int32 {
        let base = baseFile(file)
        setBuffer(nil, of: file)
        file.pointee.pMethods = nil
        let status = baseFileSystem.pointee.xOpen!(baseFileSystem, path, base, flags, outFlags)
        guard status == SQLITE_OK, base.pointee.pMethods != nil else {
            if base.pointee.pMethods != nil { _ = base.pointee.pMethods.pointee.xClose!(base) }
            return status == SQLITE_OK ? SQLITE_CANTOPEN : status
        }
        if flags & SQLITE_OPEN_WAL != 0 {
            setBuffer(Unmanaged.passRetained(FrameBuffer()).toOpaque(), of: file)
        }
        file.pointee.pMethods = UnsafePointer(methods)
        return SQLITE_OK
    }

    private static func baseFile(_ file: UnsafeMutablePointer<sqlite3_file>?) -> UnsafeMutablePointer<sqlite3_file> {
        UnsafeMutableRawPointer(file!).advanced(by: headerSize).assumingMemoryBound(to: sqlite3_file.self)
    }

    /// The retained `FrameBuffer` of a WAL file, nil for other files.
    private static func bufferPointer(_ file: UnsafeMutablePointer<sqlite3_file>?) -> UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(file!).load(fromByteOffset: bufferSlot, as: UnsafeMutableRawPointer?.self)
    }

    private static func setBuffer(_ buffer: UnsafeMutableRawPointer?, of file: UnsafeMutablePointer<sqlite3_file>?) {
        UnsafeMutableRawPointer(file!).storeBytes(of: buffer, toByteOffset: bufferSlot, as: UnsafeMutableRawPointer?.self)
    }

    private static func buffer(_ file: UnsafeMutablePointer<sqlite3_file>?) -> FrameBuffer? {
        bufferPointer(file).map { Unmanaged<FrameBuffer>.fromOpaque($0).takeUnretainedValue() }
    }

    /// The default VFS's methods for `file`'s own file.
    private static func base(_ file: UnsafeMutablePointer<sqlite3_file>?) -> sqlite3_io_methods {
        baseFile(file).pointee.pMethods.pointee
    }

    /// Writes out what `file` has gathered (nothing for files other than the WAL).
    private static func flush(_ file: UnsafeMutablePointer<sqlite3_file>?) -> Int32 {
        buffer(file)?.flush(to: baseFile(file)) ?? SQLITE_OK
    }

    /// Runs `body` once the gathered frames are in the file.
    private static func afterFlush(_ file: UnsafeMutablePointer<sqlite3_file>?, _ body: () -> Int32) -> Int32 {
        let status = flush(file)
        return status == SQLITE_OK ? body() : status
    }

    private static func write(
        _ file: UnsafeMutablePointer<sqlite3_file>?, _ data: UnsafeRawPointer?, _ amount: Int32, _ offset: Int64
    ) -> Int32 {
        guard let buffer = buffer(file), let data else {
            return base(file).xWrite!(baseFile(file), data, amount, offset)
        }
        return buffer.append(data, amount, at: offset, to: baseFile(file))
    }

    nonisolated(unsafe) private static let methods: UnsafeMutablePointer<sqlite3_io_methods> = {
        let methods = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
        methods.initialize(to: sqlite3_io_methods(
            iVersion: 3,
            xClose: { file in
                let flushed = BatchedWALFileSystem.flush(file)
                let closed = BatchedWALFileSystem.base(file).xClose!(BatchedWALFileSystem.baseFile(file))
                if let raw = BatchedWALFileSystem.bufferPointer(file) {
                    Unmanaged<FrameBuffer>.fromOpaque(raw).release()
                    BatchedWALFileSystem.setBuffer(nil, of: file)
                }
                return flushed == SQLITE_OK ? closed : flushed
            },
            xRead: { file, data, amount, offset in
                BatchedWALFileSystem.afterFlush(file) {
                    BatchedWALFileSystem.base(file).xRead!(BatchedWALFileSystem.baseFile(file), data, amount, offset)
                }
            },
            xWrite: { file, data, amount, offset in BatchedWALFileSystem.write(file, data, amount, offset) },
            xTruncate: { file, size in
                BatchedWALFileSystem.afterFlush(file) {
                    BatchedWALFileSystem.base(file).xTruncate!(BatchedWALFileSystem.baseFile(file), size)
                }
            },
            xSync: { file, flags in
                BatchedWALFileSystem.afterFlush(file) {
                    BatchedWALFileSystem.base(file).xSync!(BatchedWALFileSystem.baseFile(file), flags)
                }
            },
            xFileSize: { file, size in
                BatchedWALFileSystem.afterFlush(file) {
                    BatchedWALFileSystem.base(file).xFileSize!(BatchedWALFileSystem.baseFile(file), size)
                }
            },
            xLock: { file, lock in BatchedWALFileSystem.base(file).xLock!(BatchedWALFileSystem.baseFile(file), lock) },
            xUnlock: { file, lock in BatchedWALFileSystem.base(file).xUnlock!(BatchedWALFileSystem.baseFile(file), lock) },
            xCheckReservedLock: { file, out in
                BatchedWALFileSystem.base(file).xCheckReservedLock!(BatchedWALFileSystem.baseFile(file), out)
            },
            xFileControl: { file, op, argument in
                BatchedWALFileSystem.afterFlush(file) {
                    BatchedWALFileSystem.base(file).xFileControl!(BatchedWALFileSystem.baseFile(file), op, argument)
                }
            },
            xSectorSize: { file in BatchedWALFileSystem.base(file).xSectorSize!(BatchedWALFileSystem.baseFile(file)) },
            xDeviceCharacteristics: { file in
                BatchedWALFileSystem.base(file).xDeviceCharacteristics!(BatchedWALFileSystem.baseFile(file))
            },
            xShmMap: { file, page, size, extend, mapped in
                guard let map = BatchedWALFileSystem.base(file).xShmMap else { return SQLITE_IOERR }
                return map(BatchedWALFileSystem.baseFile(file), page, size, extend, mapped)
            },
            xShmLock: { file, offset, count, flags in
                guard let lock = BatchedWALFileSystem.base(file).xShmLock else { return SQLITE_IOERR }
                return lock(BatchedWALFileSystem.baseFile(file), offset, count, flags)
            },
            xShmBarrier: { file in BatchedWALFileSystem.base(file).xShmBarrier?(BatchedWALFileSystem.baseFile(file)) },
            xShmUnmap: { file, delete in
                BatchedWALFileSystem.base(file).xShmUnmap?(BatchedWALFileSystem.baseFile(file), delete) ?? SQLITE_OK
            },
            xFetch: { file, offset, amount, out in
                guard let fetch = BatchedWALFileSystem.base(file).xFetch else {
                    out?.pointee = nil
                    return SQLITE_OK
                }
                return fetch(BatchedWALFileSystem.baseFile(file), offset, amount, out)
            },
            xUnfetch: { file, offset, pointer in
                BatchedWALFileSystem.base(file).xUnfetch?(BatchedWALFileSystem.baseFile(file), offset, pointer) ?? SQLITE_OK
            }
        ))
        return methods
    }()

    /// The WAL's appends not yet written: contiguous bytes from `start`.
    private final class FrameBuffer {
        private var bytes: [UInt8] = []
        private var start: Int64 = 0
        /// Whether the last frame header appended belongs to a commit frame: its page is written out at once.
        private var inCommitFrame = false
        /// At most this many bytes are gathered (a transaction of many pages goes out in pieces): the default VFS
        /// writes at most 128 KiB - 1 per call (`seekAndWriteFd` masks the length), and an oversized write fails
        /// as SQLITE_FULL.
        private let limit = 64 * 1024

        init() {
            bytes.reserveCapacity(64 * 1024)
        }

        func append(_ data: UnsafeRawPointer, _ amount: Int32, at offset: Int64, to file: UnsafeMutablePointer<sqlite3_file>) -> Int32 {
            if !bytes.isEmpty, offset != start + Int64(bytes.count) || bytes.count + Int(amount) > limit {
                let status = flush(to: file)
                if status != SQLITE_OK { return status }
            }
            if bytes.isEmpty { start = offset }
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: Int(amount)))
            // Frames start after the 32-byte WAL header; a frame header is written alone, its bytes 4...7 the
            // database size in pages for a commit frame and zero otherwise.
            if amount == 24, offset >= 32 {
                let header = data.assumingMemoryBound(to: UInt8.self)
                inCommitFrame = header[4] | header[5] | header[6] | header[7] != 0
                return SQLITE_OK
            }
            return inCommitFrame ? flush(to: file) : SQLITE_OK
        }

        func flush(to file: UnsafeMutablePointer<sqlite3_file>) -> Int32 {
            guard !bytes.isEmpty else { return SQLITE_OK }
            let status = bytes.withUnsafeBytes { gathered in
                file.pointee.pMethods.pointee.xWrite!(file, gathered.baseAddress, Int32(gathered.count), start)
            }
            bytes.removeAll(keepingCapacity: true)
            return status
        }
    }
}
