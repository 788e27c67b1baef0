import Foundation
import HangarCore
import Testing

@Suite struct IdsTests {
    @Test func runIDsAreVersion7UUIDsInLowercaseHex() {
        let ids = (0..<1000).map { _ in Ids.newRunID() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.utf8.count == 32)
            #expect(id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) })
            #expect(Array(id)[12] == "7")
            #expect("89ab".contains(Array(id)[16]))
            #expect(Ids.isRunID(id))
        }
        #expect(Ids.isLoggedModelID(Ids.newLoggedModelID()))
    }

    @Test func runIDsStartWithTheirCreationTimeInMilliseconds() {
        let now = Date(timeIntervalSince1970: 1_765_000_000.1235)
        let id = Ids.newRunID(now: now)
        let millis: UInt64? = UInt64(String(id.prefix(12)), radix: 16)
        #expect(millis == 1_765_000_000_123)
        // Ids made a millisecond apart sort in time order, whatever their random bits.
        let later = Ids.newRunID(now: now.addingTimeInterval(0.001))
        #expect(id < later)
    }
}

@Suite struct JSONCodingTests {
    private struct Body: Decodable { let records: [Record] }
    private struct Record: Decodable { let requestId: String; let row: Int }

    @Test func decodingFailuresNameTheWireField() {
        func failure(_ json: String) -> String {
            do {
                _ = try JSONCoding.decoder.decode(Body.self, from: Data(json.utf8))
                return "decoded"
            } catch {
                return JSONCoding.describe(error)
            }
        }
        #expect(failure(#"{"records": [{"request_id": "a", "row": 0}, {"row": 1}]}"#) == "records[1].request_id: missing")
        #expect(failure(#"{"records": [{"request_id": "a", "row": "x"}]}"#) == "records[0].row: expected Int")
    }
}
