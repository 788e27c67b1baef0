import Foundation

/// The number of cores this process may use.
public enum ProcessorCount {
    /// Active processors as the system reports them (at least 1).
    public static var available: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
