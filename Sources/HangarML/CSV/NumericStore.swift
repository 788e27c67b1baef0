/// The numbers of a chunk's numeric columns, one growable buffer per column, all with the same capacity.
///
/// Every record adds one value to every numeric column, so one row counter and one capacity serve all of them,
/// and the parser's hot loop stores with a single indexed write instead of an `Array.append`.
final class NumericStore: @unchecked Sendable {
    private(set) var bases: UnsafeMutablePointer<UnsafeMutablePointer<Double>>
    private(set) var capacity: Int
    private let numeric: [Bool]

    init(kinds: [CSVFieldKind], capacity: Int) {
        numeric = kinds.map(\.storesNumbers)
        self.capacity = max(16, capacity)
        bases = .allocate(capacity: max(1, kinds.count))
        for (c, isNumeric) in numeric.enumerated() {
            (bases + c).initialize(to: .allocate(capacity: isNumeric ? self.capacity : 1))
        }
    }

    deinit {
        for c in numeric.indices { bases[c].deallocate() }
        bases.deallocate()
    }

    /// Doubles the capacity of every numeric column, keeping the first `rows` values.
    func grow(keeping rows: Int) {
        let newCapacity = capacity * 2
        for (c, isNumeric) in numeric.enumerated() where isNumeric {
            let bigger = UnsafeMutablePointer<Double>.allocate(capacity: newCapacity)
            bigger.moveInitialize(from: bases[c], count: rows)
            bases[c].deallocate()
            bases[c] = bigger
        }
        capacity = newCapacity
    }

    /// Frees `column`'s buffer once its values are copied out; a column's buffer is its own, so threads may release
    /// different columns at once. The column must not be read afterwards.
    func release(column: Int) {
        guard numeric[column] else { return }
        bases[column].deallocate()
        bases[column] = .allocate(capacity: 1)
    }

    /// The first `rows` values of `column`.
    func values(column: Int, rows: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: bases[column], count: rows)
    }
}
