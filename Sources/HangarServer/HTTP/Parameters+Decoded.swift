import Foundation
import Hummingbird

extension Parameters {
    /// A path parameter with its percent-escapes decoded (`my%20model` is `my model`): the router matches the path as
    /// sent and leaves them in place, and a registered model's name may hold any character.
    func requireDecoded(_ key: String) throws -> String {
        let raw = try require(key)
        return raw.removingPercentEncoding ?? raw
    }
}
