import HangarCore
import Testing
@testable import HangarServing

@Suite struct RoutingTests {
    func abModel() throws -> ServedModel {
        let tabular = try trainedClassifier()
        let model = ServedModel(name: "m", policy: TrafficPolicy(routes: [.init(alias: "production", percent: 90), .init(alias: "challenger", percent: 10)]))
        model.install(served(tabular, version: "1"), alias: "production")
        model.install(served(tabular, version: "2"), alias: "challenger")
        return model
    }

    @Test func splitByKeyIsWithinTwoPointsOverTenThousandRequests() throws {
        let model = try abModel()
        var challenger = 0
        for i in 0..<10_000 where model.route(key: "user-\(i)")?.alias == "challenger" { challenger += 1 }
        #expect(abs(Double(challenger) / 100 - 10) <= 2, "challenger got \(challenger) of 10000")
    }

    @Test func splitWithoutKeysIsWithinTwoPoints() throws {
        let model = try abModel()
        var challenger = 0
        for _ in 0..<10_000 where model.route(key: nil)?.alias == "challenger" { challenger += 1 }
        // 2 points is about seven standard deviations at n = 10,000.
        #expect(abs(Double(challenger) / 100 - 10) <= 2, "challenger got \(challenger) of 10000")
    }

    @Test func theSameKeyAlwaysLandsOnTheSameAlias() throws {
        let model = try abModel()
        for i in 0..<200 {
            let first = model.route(key: "k\(i)")?.alias
            for _ in 0..<5 { #expect(model.route(key: "k\(i)")?.alias == first) }
        }
    }

    @Test func anUnloadedAliasGivesItsShareToTheOthers() throws {
        let model = try abModel()
        model.remove(alias: "challenger")
        for i in 0..<500 { #expect(model.route(key: "u\(i)")?.alias == "production") }
        model.remove(alias: "production")
        #expect(model.route(key: nil) == nil)
        #expect(!model.isReady)
    }

    @Test func theShadowRidesAlongButNeverAnswers() throws {
        let tabular = try trainedClassifier()
        let model = ServedModel(name: "m", policy: TrafficPolicy(routes: [.init(alias: "production", percent: 100)], shadow: "candidate"))
        model.install(served(tabular, version: "1"), alias: "production")
        model.install(served(tabular, version: "3"), alias: "candidate")
        for i in 0..<100 {
            let decision = try #require(model.route(key: "\(i)"))
            #expect(decision.alias == "production" && decision.version.version == "1")
            #expect(decision.shadow?.version.version == "3")
        }
    }

    @Test func aSwapLeavesARequestOnTheVersionItStartedWith() throws {
        let tabular = try trainedClassifier()
        let model = ServedModel(name: "m", policy: .single("production"))
        model.install(served(tabular, version: "1"), alias: "production")
        let held = try #require(model.route(key: nil)).version
        model.install(served(tabular, version: "2"), alias: "production")
        #expect(held.version == "1")
        #expect(model.route(key: nil)?.version.version == "2")
    }

    @Test func policiesAreValidated() {
        #expect(throws: HangarError.self) { try TrafficPolicy(routes: []).validate() }
        #expect(throws: HangarError.self) { try TrafficPolicy(routes: [.init(alias: "a", percent: 60), .init(alias: "b", percent: 30)]).validate() }
        #expect(throws: HangarError.self) { try TrafficPolicy(routes: [.init(alias: "a", percent: 100)], shadow: "a").validate() }
        #expect(throws: HangarError.self) { try TrafficPolicy(routes: [.init(alias: "a", percent: 50), .init(alias: "a", percent: 50)]).validate() }
        #expect(throws: Never.self) { try TrafficPolicy(routes: [.init(alias: "a", percent: 90), .init(alias: "b", percent: 10)], shadow: "c").validate() }
    }

    @Test func admissionStopsAtTheLimit() {
        let hub = ServingHub(maxInFlight: 2)
        #expect(hub.enter() && hub.enter())
        #expect(!hub.enter())
        hub.leave()
        #expect(hub.enter())
    }
}
