import Hummingbird

/// The per-request context: Hummingbird's core storage with Hangar's body limit.
public struct HangarRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// JSON request bodies above this size are refused with 413; artifact uploads stream and are not limited by it.
    public var maxUploadSize: Int { 64 * 1024 * 1024 }
}
