/// The limits and regularization of one tree, shared by boosting and random forests.
struct TreeSettings: Sendable {
    var maxLeaves: Int
    /// Leaves deeper than this are not split; 0 or less means no limit.
    var maxDepth: Int
    var minDataInLeaf: Int
    var minSumHessianInLeaf: Double
    var lambdaL2: Double
    var minGainToSplit: Double
    /// Multiplies leaf values (boosting's shrinkage; 1 for forests).
    var learningRate: Double
    /// Share of the tree's features each split may choose from (1 = all; forests use about sqrt(F)/F).
    var featureFractionByNode: Double
    var threads: Int
}

/// A split found in a leaf's histogram: value bins `0...bin` go left, missing values as `missingLeft` says.
struct SplitCandidate: Sendable {
    var gain: Double
    var feature: Int
    var bin: Int
    var missingLeft: Bool
    var leftGradient: Double
    var leftHessian: Double
    var leftCount: Double
    /// For set splits on categorical features: the categories (bins) that go left; missing values go right.
    var leftCategories: [Int] = []
}

/// A node of a tree while it grows, splitting on bins rather than values.
struct GrowNode: Sendable {
    var feature: Int = -1
    var bin: Int = 0
    var missingLeft = false
    var left = -1
    var right = -1
    var value: Double = 0
    /// Loss reduction of the split (feature importance).
    var gain: Double = 0
    /// Set split: bit `b` set when category bin `b` goes left (empty for threshold splits).
    var leftCategories: [UInt32] = []

    /// Whether a row with this bin goes left.
    @inline(__always)
    func goesLeft(bin: Int, missingBin: Int) -> Bool {
        if !leftCategories.isEmpty {
            guard bin != missingBin, bin >> 5 < leftCategories.count else { return false }
            return leftCategories[bin >> 5] >> (bin & 31) & 1 == 1
        }
        return bin == missingBin ? missingLeft : bin <= self.bin
    }

    var isLeaf: Bool { feature < 0 }
}

/// A grown tree: its nodes and, for every leaf, the rows (in the grower's index buffer) that reached it.
struct GrownTree: Sendable {
    var nodes: [GrowNode]
    /// (node index, first position in the index buffer, row count) per leaf.
    var leaves: [(node: Int, begin: Int, count: Int)]

    /// The leaf value of a binned row (`row` points at the row's first feature bin).
    @inline(__always)
    func value(row: UnsafePointer<UInt8>, missingBins: UnsafePointer<Int>) -> Double {
        var index = 0
        while true {
            let node = nodes[index]
            if node.feature < 0 { return node.value }
            let goLeft = node.goesLeft(bin: Int(row[node.feature]), missingBin: missingBins[node.feature])
            index = goLeft ? node.left : node.right
        }
    }

    /// The tree in the runtime layout, with bins turned into `Float` thresholds and children placed side by side,
    /// and the category bitsets its set splits use (offsets relative to the returned words).
    func runtimeNodes(featureBins: [FeatureBins]) -> (nodes: [TreeNode], words: [UInt32]) {
        var words: [UInt32] = []
        var out: [TreeNode] = [TreeNode.leaf(0)]
        var queue: [(grow: Int, slot: Int)] = [(0, 0)]
        var head = 0
        while head < queue.count {
            let (g, slot) = queue[head]
            head += 1
            let node = nodes[g]
            if node.isLeaf {
                out[slot] = .leaf(Float(node.value))
                continue
            }
            let child = out.count
            out.append(.leaf(0))
            out.append(.leaf(0))
            if node.leftCategories.isEmpty {
                out[slot] = .split(feature: node.feature,
                                   threshold: featureBins[node.feature].threshold(afterBin: node.bin),
                                   missingLeft: node.missingLeft, child: child)
            } else {
                // Bins of categorical features are category codes, so the bin bitset is the category bitset.
                out[slot] = .categoricalSplit(feature: node.feature, wordOffset: words.count,
                                              wordCount: node.leftCategories.count, missingLeft: false, child: child)
                words += node.leftCategories
            }
            queue.append((node.left, child))
            queue.append((node.right, child + 1))
        }
        return (out, words)
    }
}
