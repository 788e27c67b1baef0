extension String {
    /// The length MLflow's limits count (Python's `len`: Unicode code points), computed only when the byte count
    /// alone cannot settle `<= limit`.
    public func fits(limit: Int) -> Bool {
        utf8.count <= limit || unicodeScalars.count <= limit
    }

    /// Python's `len` of this text: its Unicode code points (for messages about a limit).
    public var codePointCount: Int { unicodeScalars.count }
}
