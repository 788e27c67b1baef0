extension Double {
    /// A number written in decimal (`12`, `-0.5`, `1.5e3`), or nil. Swift's `Double(String)` would also read
    /// hexadecimal (`0x10`) and `nan`/`inf` spellings, which Python, pandas and MLflow's clients treat as text or
    /// spell differently; every place that reads a number from text the user typed uses this instead.
    public init?(decimalText text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || "+-.eE".utf8.contains($0) })
        else { return nil }
        guard let value = Double(String(text)) else { return nil }
        self = value
    }
}
