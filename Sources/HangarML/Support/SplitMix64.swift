/// A small seedable random number generator (SplitMix64), so every sampling step is reproducible by seed.
///
/// Swift's `SystemRandomNumberGenerator` cannot be seeded; training must give the same model for the same seed.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound (bound > 0), via Lemire's multiply-shift.
    mutating func nextInt(below bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// `count` distinct indices from 0..<total, sorted ascending (Floyd's algorithm).
    mutating func sampleIndices(_ count: Int, from total: Int) -> [Int] {
        precondition(count <= total)
        if count == total { return Array(0..<total) }
        var chosen = [Bool](repeating: false, count: total)
        var picked = 0
        // Floyd: for j in total-count..<total pick t in 0...j; insert t or j.
        for j in (total - count)..<total {
            let t = nextInt(below: j + 1)
            if chosen[t] { chosen[j] = true } else { chosen[t] = true }
            picked += 1
        }
        var result: [Int] = []
        result.reserveCapacity(count)
        for i in 0..<total where chosen[i] { result.append(i) }
        return result
    }

    /// A seed for a sub-stream (per iteration, per tree), so streams do not depend on how many numbers others drew.
    static func derive(_ seed: UInt64, _ stream: UInt64) -> UInt64 {
        var g = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return g.next()
    }
}
