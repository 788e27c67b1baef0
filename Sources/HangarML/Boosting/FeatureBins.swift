/// How one feature's values map to at most 255 value bins plus one bin for missing values.
///
/// Value bin `b` holds values `v` with `upperBounds[b-1] < v <= upperBounds[b]`; the last value bin is unbounded.
/// The missing bin comes right after the value bins.
struct FeatureBins: Sendable, Equatable {
    /// Inclusive upper bounds of all value bins but the last, ascending.
    var upperBounds: [Float]
    /// Whether bins are categories (bin `b` holds category code `b`) split by sets rather than thresholds.
    var isCategorical = false

    /// One bin per category code `0..<categories` (at most 255).
    init(categories: Int) {
        upperBounds = (0..<max(0, categories - 1)).map { Float($0) + 0.5 }
        isCategorical = categories > 1
    }

    /// The number of value bins (at least 1).
    var valueBinCount: Int { upperBounds.count + 1 }
    /// The bin of missing values.
    var missingBin: Int { upperBounds.count + 1 }
    /// Value bins plus the missing bin.
    var totalBins: Int { upperBounds.count + 2 }

    /// The bin of `value`.
    @inline(__always)
    func bin(_ value: Float) -> UInt8 {
        if value.isNaN { return UInt8(truncatingIfNeeded: missingBin) }
        var low = 0
        var high = upperBounds.count
        // First bound >= value.
        while low < high {
            let mid = (low + high) >> 1
            if upperBounds[mid] < value { low = mid + 1 } else { high = mid }
        }
        return UInt8(truncatingIfNeeded: low)
    }

    /// Bins every value of `values` into `out`; the same bins as `bin(_:)` value by value.
    ///
    /// A column of thousands of values goes through a bucket table: the range of the bounds is cut into
    /// `lookupBuckets` equal buckets, and a value's bucket says which few bounds can be at or above it, usually none
    /// or one to compare. A binary search over up to 254 bounds costs eight dependent, mostly mispredicted steps per
    /// value, the bulk of binning a training set.
    func bin(_ values: [Float], into out: UnsafeMutablePointer<UInt8>) {
        let missing = UInt8(truncatingIfNeeded: missingBin)
        upperBounds.withUnsafeBufferPointer { bounds in
            values.withUnsafeBufferPointer { values in
                guard values.count >= Self.lookupBuckets, let table = BucketTable(bounds: bounds) else {
                    for (r, value) in values.enumerated() {
                        out[r] = value.isNaN ? missing : UInt8(truncatingIfNeeded: Self.lowerBound(value, in: bounds))
                    }
                    return
                }
                table.starts.withUnsafeBufferPointer { starts in
                    for (r, value) in values.enumerated() {
                        if value.isNaN {
                            out[r] = missing
                            continue
                        }
                        let bucket = table.bucket(of: value)
                        var low = Int(starts[bucket])
                        let high = Int(starts[bucket &+ 1])
                        if high &- low > 8 {
                            low &+= Self.lowerBound(value, in: UnsafeBufferPointer(rebasing: bounds[low..<high]))
                        } else {
                            while low < high, bounds[low] < value { low &+= 1 }
                        }
                        out[r] = UInt8(truncatingIfNeeded: low)
                    }
                }
            }
        }
    }

    /// Buckets of the bound range a column is binned through.
    static let lookupBuckets = 1024

    /// Which bounds fall in which bucket: bounds `starts[b]..<starts[b+1]` are those in bucket `b`.
    ///
    /// Buckets are numbered by a monotone function of the value, so every bound in an earlier bucket is below a
    /// value and every bound in a later one is above it: a value's bin is between its bucket's two starts.
    private struct BucketTable {
        let low: Float
        let scale: Float
        var starts: [UInt16]

        init?(bounds: UnsafeBufferPointer<Float>) {
            guard let first = bounds.first, let last = bounds.last, last > first else { return nil }
            let scale = Float(FeatureBins.lookupBuckets) / (last - first)
            guard scale.isFinite, scale > 0 else { return nil }
            low = first
            self.scale = scale
            starts = [UInt16](repeating: 0, count: FeatureBins.lookupBuckets + 1)
            // starts[b] = how many bounds lie in buckets before b.
            var index = 0
            for b in 0...FeatureBins.lookupBuckets {
                while index < bounds.count, bucket(of: bounds[index]) < b { index += 1 }
                starts[b] = UInt16(index)
            }
        }

        @inline(__always)
        func bucket(of value: Float) -> Int {
            let position = (value - low) * scale
            if !(position >= 0) { return 0 }
            if position >= Float(FeatureBins.lookupBuckets - 1) { return FeatureBins.lookupBuckets - 1 }
            return Int(position)
        }
    }

    /// How many of `bounds` (ascending) are below `value`: the index of the first bound >= `value`.
    @inline(__always)
    static func lowerBound(_ value: Float, in bounds: UnsafeBufferPointer<Float>) -> Int {
        var low = 0
        var high = bounds.count
        while low < high {
            let mid = (low &+ high) >> 1
            if bounds[mid] < value { low = mid &+ 1 } else { high = mid }
        }
        return low
    }

    /// The `Float` threshold of a split that sends value bins `0...bin` left.
    func threshold(afterBin bin: Int) -> Float {
        bin < upperBounds.count ? upperBounds[bin] : .infinity
    }

    /// Bins from a sample of non-missing values: one bin per distinct value when there are few, otherwise
    /// greedy equal-count bins over distinct values so heavy ties never split across bins.
    init(sample: [Float], maxBins: Int) {
        precondition(maxBins >= 2 && maxBins <= 255)
        let sorted = Self.radixSorted(sample.filter { !$0.isNaN })
        var distinct: [Float] = []
        var counts: [Int] = []
        for v in sorted {
            if v == distinct.last { counts[counts.count - 1] += 1 } else {
                distinct.append(v)
                counts.append(1)
            }
        }
        guard distinct.count > 1 else {
            upperBounds = []
            return
        }
        if distinct.count <= maxBins {
            upperBounds = (0..<(distinct.count - 1)).map { Self.boundary(distinct[$0], distinct[$0 + 1]) }
            return
        }
        var bounds: [Float] = []
        var closed = 0
        var inBin = 0
        for i in 0..<(distinct.count - 1) where bounds.count < maxBins - 1 {
            inBin += counts[i]
            // Aim for an equal share of what is left, so heavy early values do not starve later bins.
            let target = Double(sorted.count - closed) / Double(maxBins - bounds.count)
            if Double(inBin) >= target {
                bounds.append(Self.boundary(distinct[i], distinct[i + 1]))
                closed += inBin
                inBin = 0
            }
        }
        upperBounds = bounds
    }

    /// Sorts floats by their bits in three 11-bit passes: linear time, several times faster than `sorted()` on the
    /// 200,000-value samples every feature needs.
    static func radixSorted(_ values: [Float]) -> [Float] {
        // Order-preserving map of float bits to unsigned keys: flip all bits of negatives, the sign bit of others.
        var keys = values.map { v -> UInt32 in
            let bits = v.bitPattern
            return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        }
        var buffer = [UInt32](repeating: 0, count: keys.count)
        for pass in 0..<3 {
            let shift = UInt32(pass * 11)
            var counts = [Int](repeating: 0, count: 2049)
            for key in keys { counts[Int((key >> shift) & 0x7FF) + 1] += 1 }
            for i in 1..<2049 { counts[i] += counts[i - 1] }
            for key in keys {
                let bucket = Int((key >> shift) & 0x7FF)
                buffer[counts[bucket]] = key
                counts[bucket] += 1
            }
            swap(&keys, &buffer)
        }
        return keys.map { key in
            Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
        }
    }

    /// A bound between two neighbouring distinct values: their midpoint when it rounds strictly below the upper one.
    private static func boundary(_ lower: Float, _ upper: Float) -> Float {
        let mid = Float((Double(lower) + Double(upper)) / 2)
        return mid >= lower && mid < upper ? mid : lower
    }
}
