/// Maps the bytes of a text field to a category code without creating a `String` for values already seen.
///
/// Open addressing over FNV-1a hashes of the raw bytes; a `String` is built (and its UTF-8 checked) only the first
/// time a value appears. Reading a column of repeated city names costs a hash and a byte compare per field.
struct CategoryDictionary {
    private var slots: [Int32] = Array(repeating: -1, count: 64)
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var arena: [UInt8] = []
    /// Category names in code order.
    private(set) var levels: [String] = []

    /// The code of the value in `bytes[0..<count]`, adding it when new; `nil` when a new value is not UTF-8.
    mutating func code(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int32? {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for i in 0..<count { hash = (hash ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let code = slots[slot]
            if code < 0 { break }
            let c = Int(code)
            if hashes[c] == hash, lengths[c] == count, matches(c, bytes, count) { return code }
            slot = (slot + 1) & mask
        }
        guard let text = String(validating: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self) else {
            return nil
        }
        let code = Int32(levels.count)
        levels.append(text)
        hashes.append(hash)
        starts.append(arena.count)
        lengths.append(count)
        arena.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        slots[slot] = code
        if levels.count * 2 > slots.count { grow() }
        return code
    }

    private func matches(_ code: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let start = starts[code]
        return arena.withUnsafeBufferPointer { arena in
            for i in 0..<count where arena[start + i] != bytes[i] { return false }
            return true
        }
    }

    /// Doubles the table and reinserts every code by its stored hash.
    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (code, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(code)
        }
    }
}
