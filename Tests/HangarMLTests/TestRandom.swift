/// A seeded PCG32 generator for test data, independent of the library's own generator.
struct TestRandom {
    private var state: UInt64
    private let increment: UInt64 = 1_442_695_040_888_963_407

    init(seed: UInt64) {
        state = seed &+ increment
        _ = nextUInt32()
    }

    mutating func nextUInt32() -> UInt32 {
        let old = state
        state = old &* 6_364_136_223_846_793_005 &+ increment
        let xorShifted = UInt32(truncatingIfNeeded: ((old >> 18) ^ old) >> 27)
        let rotation = UInt32(truncatingIfNeeded: old >> 59)
        return (xorShifted >> rotation) | (xorShifted << ((~rotation &+ 1) & 31))
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double {
        Double(nextUInt32()) / 4_294_967_296.0
    }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// Standard normal via Box-Muller.
    mutating func normal() -> Double {
        let u1 = max(uniform(), 1e-12)
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// Uniform integer in 0..<bound.
    mutating func int(below bound: Int) -> Int {
        Int(nextUInt32()) % bound
    }
}

import Foundation
