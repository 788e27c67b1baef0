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
    /// Values per numeric column used to place bin edges; larger columns are read at an even stride.
    static let edgeSample = 100_000

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
        case .double, .float:
            let values = (0..<rows).lazy.map { column.numericValue(at: $0) }.filter { !$0.isNaN }
            let present = Array(values)
            let step = max(1, present.count / edgeSample)
            let sample = stride(from: 0, to: present.count, by: step).map { present[$0] }.sorted()
            var edges: [Double] = []
            if !sample.isEmpty {
                for i in 1..<bins {
                    let edge = sample[min(sample.count - 1, (sample.count * i) / bins)]
                    if edges.last != edge { edges.append(edge) }
                }
            }
            var counts = [Int](repeating: 0, count: edges.count + 1)
            for v in present { counts[firstEdge(atLeast: v, in: edges)] += 1 }
            profile.binEdges = edges
            profile.binCounts = counts
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

    /// The index of the first edge >= `value` (the bin holding it), or `edges.count` above the last edge.
    static func firstEdge(atLeast value: Double, in edges: [Double]) -> Int {
        var low = 0, high = edges.count
        while low < high {
            let mid = (low + high) / 2
            if edges[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
