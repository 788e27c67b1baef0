@testable import HangarCore
import Testing

@Suite struct EntityKeyTests {
    @Test(arguments: ["acc", "val/loss", "a.b-c d:e", "précision", "m_1", "步骤", "x1/y2/z3", "a..b"])
    func namesMLflowAllowsPass(key: String) throws {
        try EntityKey.check(key)
    }

    @Test(arguments: ["bad\u{0}key", "new\nline", "back\\slash", "semi;colon", "quote\"d", "tab\tbed"])
    func otherCharactersAreRefusedWithMLflowsMessage(key: String) {
        #expect { try EntityKey.check(key) } throws: { error in
            guard let error = error as? HangarError else { return false }
            return error.code == .invalidParameterValue && error.message.contains("Names may only contain")
        }
    }

    @Test(arguments: ["a//b", "./a", "a/./b", "a/", "/a", ".", "..", "..a", "a/../b"])
    func namesAPathNormalisationWouldChangeAreRefused(key: String) {
        #expect { try EntityKey.check(key) } throws: { error in
            (error as? HangarError)?.message.contains("must not resolve to other names") == true
        }
    }
}

@Suite struct EntityKeyFastPathTests {
    /// Every key over letters, `.`, `/`, `_` and space up to five characters: the one-pass ASCII check accepts exactly
    /// the keys the full rule (allowed characters and a stable path) accepts.
    @Test func plainASCIIAgreesWithTheFullRule() {
        let alphabet: [Character] = ["a", ".", "/", "_", " "]
        var keys: [String] = [""]
        var frontier: [String] = [""]
        for _ in 1...5 {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + String($0) } }
            keys += frontier
        }
        for key in keys {
            let full = !key.isEmpty && key.unicodeScalars.allSatisfy(EntityKey.isAllowed) && EntityKey.isNormalPath(key)
            #expect(EntityKey.isPlainASCII(key) == full, "\(key.debugDescription)")
        }
    }

    @Test func lengthsCountCodePointsAsPythonDoes() {
        #expect("é".fits(limit: 1))
        #expect("👍🏽".codePointCount == 2)
        #expect(!"👍🏽".fits(limit: 1))
        #expect(String(repeating: "ü", count: 250).fits(limit: 250))
    }
}
