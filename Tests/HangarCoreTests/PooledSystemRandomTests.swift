import HangarCore
import Testing

@Suite struct PooledSystemRandomTests {
    @Test func wordsAreDistinctAndEveryBitIsSetAboutHalfTheTime() {
        var random = PooledSystemRandom()
        // Many refills of the 32-word pool, so words from different system calls are compared too.
        let words = (0..<20_000).map { _ in random.next() }
        #expect(Set(words).count == words.count)
        for bit in 0..<64 {
            let set = words.count { $0 & (1 << UInt64(bit)) != 0 }
            // Binomial(20,000, 1/2) has a standard deviation of about 71: 9,500...10,500 is seven of them.
            #expect((9_500...10_500).contains(set), "bit \(bit) set in \(set) of \(words.count) words")
        }
    }

    @Test func threadsDrawingAtOnceNeverGetTheSameWord() async {
        let batches = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var random = PooledSystemRandom()
                    return (0..<2_000).map { _ in random.next() }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(batches).count == batches.count)
    }
}
