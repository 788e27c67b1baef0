/// What one column looked like in the training data, kept with the model so drift can be measured later.
public struct FeatureProfile: Sendable, Codable, Equatable {
    /// The column name.
    public var name: String
    /// The column kind.
    public var kind: ColumnKind
    /// Rows profiled.
    public var rowCount: Int
    /// Share of rows with no value.
    public var missingRate: Double
    /// Numeric columns: upper edges of quantile bins (bin i holds values in (edge[i-1], edge[i]]; the last bin,
    /// one more than the edges, holds values above the last edge). Empty for other kinds.
    public var binEdges: [Double]
    /// Numeric columns: present values per bin, `binEdges.count + 1` of them.
    public var binCounts: [Int]
    /// Categorical and boolean columns: the values seen, in the order of `categoryCounts`.
    public var categories: [String]
    /// Categorical and boolean columns: rows per category.
    public var categoryCounts: [Int]

    /// Share of present values per category (categorical and boolean columns).
    public var categoryFrequencies: [String: Double] {
        let present = categoryCounts.reduce(0, +)
        guard present > 0 else { return [:] }
        return Dictionary(uniqueKeysWithValues: zip(categories, categoryCounts.map { Double($0) / Double(present) }))
    }
}

/// Per-feature profiles of the training data, stored in the model file for drift monitoring.
public struct ReferenceProfile: Sendable, Codable, Equatable {
    /// Quantile bins per numeric column unless asked otherwise.
    public static let defaultBins = 10
    /// Values per numeric column used to place bin edges; larger columns are read at an even stride. Decile
    /// edges from 16k values are within about half a percentile of the exact ones, and sorting stays cheap
    /// next to training (sorting 100k values per column cost 10% of a 100k-row GBDT fit).
    static let edgeSample = 16_384

    /// The feature columns, in schema order.
    public var features: [FeatureProfile]
    /// The target column.
    public var target: FeatureProfile?

    /// Profiles the `features` columns of `frame` (all columns when `nil`) and the `target` column if given.
    public init(frame: DataFrame, features names: [String]? = nil, target: String? = nil,
                bins: Int = ReferenceProfile.defaultBins, threads: Int = ProcessorCount.available)
    {
        let columns = (names ?? frame.columnNames).compactMap { frame[$0] }
        let results = ChunkResults<FeatureProfile>(count: columns.count)
        parallelFor(chunks: columns.count, threads: threads) { c in
            results.set(c, Self.profile(columns[c], bins: max(1, bins)))
        }
        features = results.collect()
        self.target = target.flatMap { frame[$0] }.map { Self.profile($0, bins: max(1, bins)) }
    }

    static func profile(_ column: Column, bins: Int) -> FeatureProfile {
        let rows = column.count
        var profile = FeatureProfile(name: column.name, kind: column.kind, rowCount: rows,
                                     missingRate: rows == 0 ? 0 : Double(column.missingCount) / Double(rows),
                                     binEdges: [], binCounts: [], categories: [], categoryCounts: [])
        switch column.values {
        case .double(let values):
            (profile.binEdges, profile.binCounts) = quantileBins(values, bins: bins)
        case .float(let values):
            (profile.binEdges, profile.binCounts) = quantileBins(values.map(Double.init), bins: bins)
        case .categorical(let codes, let levels):
            var counts = [Int](repeating: 0, count: levels.count)
            for code in codes where code >= 0 { counts[Int(code)] += 1 }
            profile.categories = levels
            profile.categoryCounts = counts
        case .boolean(let values):
            profile.categories = ["false", "true"]
            profile.categoryCounts = [values.filter { $0 == false }.count, values.filter { $0 == true }.count]
        }
        return profile
    }

    /// Edges at the quantiles of a stride sample of the present values, and counts of all present values per bin.
    static func quantileBins(_ values: [Double], bins: Int) -> (edges: [Double], counts: [Int]) {
        let step = max(1, values.count / edgeSample)
        let sample = stride(from: 0, to: values.count, by: step).map { values[$0] }.filter { !$0.isNaN }.sorted()
        var edges: [Double] = []
        if !sample.isEmpty {
            for i in 1..<bins {
                let edge = sample[min(sample.count - 1, (sample.count * i) / bins)]
                if edges.last != edge { edges.append(edge) }
            }
        }
        var counts = [Int](repeating: 0, count: edges.count + 1)
        edges.withUnsafeBufferPointer { edges in
            counts.withUnsafeMutableBufferPointer { counts in
                values.withUnsafeBufferPointer { values in
                    for v in values where !v.isNaN { counts[edgesBelow(v, edges)] += 1 }
                }
            }
        }
        return (edges, counts)
    }

    /// How many edges lie below `value`: the index of its bin. A branch-free scan, faster than a binary search
    /// over the ten or so edges a profile has.
    @inline(__always)
    static func edgesBelow(_ value: Double, _ edges: UnsafeBufferPointer<Double>) -> Int {
        var below = 0
        // The Bool as its 0/1 byte: a conditional branch here mispredicts on every other value.
        for edge in edges { below &+= Int(unsafeBitCast(edge < value, to: UInt8.self)) }
        return below
    }
}
