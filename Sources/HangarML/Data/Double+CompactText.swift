extension Double {
    /// The number as files and requests spell it: whole numbers without a fraction (`3`, not `3.0`), other numbers as
    /// Swift prints them. A number read where a category or class name is expected becomes this text, so `3` from a
    /// CSV file and `3` from a JSON request are the same category.
    public var compactText: String {
        self == rounded() && Swift.abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }
}
