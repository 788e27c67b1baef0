import HangarCore
import Testing

@Suite struct IdsTests {
    @Test func runIDsAreRandomVersion4UUIDsInLowercaseHex() {
        let ids = (0..<1000).map { _ in Ids.newRunID() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.utf8.count == 32)
            #expect(id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) })
            #expect(Array(id)[12] == "4")
            #expect("89ab".contains(Array(id)[16]))
            #expect(Ids.isRunID(id))
        }
        #expect(Ids.isLoggedModelID(Ids.newLoggedModelID()))
    }
}
