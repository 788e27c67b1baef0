import HangarCore
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
