#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// The operating system's random numbers, fetched 256 bytes at a time.
///
/// `SystemRandomNumberGenerator` asks the kernel for every 8 bytes: on Linux one `getrandom` system call per
/// `next()`, two per run id, which showed in `runs/create`'s profile. This generator hands out the same kernel
/// randomness (`getentropy`) from a process-wide buffer refilled 256 bytes at a time (`getentropy`'s most), so the
/// values are as unpredictable as the system generator's at a 32nd of the system calls. Hangar never forks without
/// exec, so no two processes share a buffer.
public struct PooledSystemRandom: RandomNumberGenerator, Sendable {
    public init() {}

    public mutating func next() -> UInt64 {
        Self.pool.withLock { $0.next() }
    }

    /// A uniformly drawn number in `0..<1`: A/B routing without a key, log sampling.
    public static func fraction() -> Double {
        var random = PooledSystemRandom()
        return Double.random(in: 0..<1, using: &random)
    }

    private static let pool = Mutex(Pool())

    private struct Pool {
        var words = [UInt64](repeating: 0, count: 32)
        var index = 32

        mutating func next() -> UInt64 {
            if index == words.count {
                words.withUnsafeMutableBytes(Self.fill)
                index = 0
            }
            defer { index += 1 }
            return words[index]
        }

        /// `getentropy` is the kernel's `getrandom` (Linux) or `arc4random` source (Darwin), 256 bytes at most.
        private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
            if getentropy(buffer.baseAddress!, buffer.count) != 0 {
                // It fails only for a bad size or address; fall back rather than hand out stale words.
                var system = SystemRandomNumberGenerator()
                for offset in stride(from: 0, to: buffer.count, by: 8) {
                    buffer.storeBytes(of: system.next(), toByteOffset: offset, as: UInt64.self)
                }
            }
        }
    }
}
