/// A stable 64-bit fingerprint of a data frame's content, so a model can name the exact data it was trained on.
///
/// Not SHA-256 and not cryptographic: an xxHash64-style hash (multiply-rotate rounds per 64-bit value, then an
/// avalanche) over column names, kinds and values, computed per column in parallel and combined in column order.
/// It is cheap enough for million-row frames and does not depend on storage details: `Float` and `Double` columns
/// with the same numbers, and categorical columns with the same texts under different level orders, agree.
public enum TrainingDataDigest {
    /// The algorithm tag written before the hex digits.
    public static let algorithm = "hx64v1"

    /// The digest of `frame` as `hx64v1:` and 16 hex digits.
    public static func digest(of frame: DataFrame, threads: Int = ProcessorCount.available) -> String {
        let columns = frame.columns
        let results = ChunkResults<UInt64>(count: columns.count)
        parallelFor(chunks: columns.count, threads: threads) { c in results.set(c, hash(columns[c])) }
        var state = Hasher64(seed: UInt64(frame.rowCount))
        for value in results.collect() { state.add(value) }
        let hex = String(state.finish(), radix: 16)
        return "\(algorithm):" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func hash(_ column: Column) -> UInt64 {
        var state = Hasher64(seed: 0x48_41_4E_47)
        state.add(text: column.name)
        state.add(text: column.kind.rawValue)
        switch column.values {
        case .double(let values): for v in values { state.add(canonicalBits(v)) }
        case .float(let values): for v in values { state.add(canonicalBits(Double(v))) }
        case .categorical(let codes, let levels):
            let levelHashes = levels.map { level -> UInt64 in
                var h = Hasher64(seed: 1)
                h.add(text: level)
                return h.finish()
            }
            for code in codes { state.add(code < 0 ? 0x4D49_5353 : levelHashes[Int(code)]) }
        case .boolean(let values): for v in values { state.add(v.map { $0 ? 1 : 0 } ?? 2) }
        }
        return state.finish()
    }

    /// One bit pattern for every NaN and for both zeros.
    @inline(__always)
    static func canonicalBits(_ v: Double) -> UInt64 {
        v.isNaN ? 0x7FF8_0000_0000_0000 : (v == 0 ? 0 : v.bitPattern)
    }
}

/// xxHash64's round and avalanche over a stream of 64-bit words.
struct Hasher64 {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private var accumulator: UInt64
    private var count: UInt64 = 0

    init(seed: UInt64) {
        accumulator = seed &+ Self.prime3
    }

    @inline(__always)
    mutating func add(_ word: UInt64) {
        var k = word &* Self.prime2
        k = (k << 31) | (k >> 33)
        accumulator ^= k &* Self.prime1
        accumulator = ((accumulator << 27) | (accumulator >> 37)) &* Self.prime1 &+ Self.prime3
        count &+= 1
    }

    mutating func add(text: String) {
        add(UInt64(text.utf8.count))
        var word: UInt64 = 0
        var filled = 0
        for byte in text.utf8 {
            word |= UInt64(byte) << (8 * filled)
            filled += 1
            if filled == 8 { add(word); word = 0; filled = 0 }
        }
        if filled > 0 { add(word) }
    }

    func finish() -> UInt64 {
        var h = accumulator ^ count
        h ^= h >> 33
        h = h &* Self.prime2
        h ^= h >> 29
        h = h &* Self.prime3
        h ^= h >> 32
        return h
    }
}
