/// How raw tree sums become predictions.
enum OutputLink: String, Sendable, Codable {
    /// The sum is the prediction (regression).
    case identity
    /// One output, the probability of the positive class through the logistic function.
    case sigmoid
    /// One output per class, probabilities through softmax.
    case softmax
    /// One output per class holding averaged class frequencies (random forest); rescaled to sum to 1.
    case normalize
    /// One output, an averaged frequency of the positive class (binary random forest), kept within [0, 1].
    case clip
}

/// The precision raw scores are summed in.
enum ScorePrecision: String, Sendable, Codable {
    /// Double sums of the leaf values (Hangar's own trees, LightGBM).
    case double
    /// Float32 sums rounded after every tree, as XGBoost computes them: the only way to reproduce its predictions
    /// bit for bit when the sums are large.
    case float32
}

/// A set of decision trees in one flat node array, evaluated by summing leaf values per output.
public struct TreeEnsemble: Sendable, Equatable {
    /// All nodes of all trees.
    var nodes: [TreeNode]
    /// The root node index of each tree.
    var roots: [Int32]
    /// The output (class) each tree adds to.
    var treeOutputs: [Int32]
    /// Bitsets of categorical splits.
    var categoryWords: [UInt32]
    /// How many outputs the trees add to (1, or one per class).
    var outputCount: Int
    /// Starting score per output before any tree.
    var baseScores: [Double]
    var link: OutputLink
    /// How raw scores are summed.
    var precision: ScorePrecision = .double
    /// How many feature values each row has.
    var featureCount: Int

    init(outputCount: Int, baseScores: [Double], link: OutputLink, featureCount: Int) {
        nodes = []
        roots = []
        treeOutputs = []
        categoryWords = []
        self.outputCount = outputCount
        self.baseScores = baseScores
        self.link = link
        self.featureCount = featureCount
    }

    /// The number of trees.
    public var treeCount: Int { roots.count }

    /// Appends a tree given in the flat layout with node indices relative to its own root at 0, and category
    /// bitset offsets relative to `words`.
    mutating func append(tree: (nodes: [TreeNode], words: [UInt32]), output: Int) {
        let offset = Int32(nodes.count)
        let wordOffset = UInt32(categoryWords.count)
        roots.append(offset)
        treeOutputs.append(Int32(output))
        nodes.append(contentsOf: tree.nodes.map { node in
            var node = node
            if !node.isLeaf { node.child += offset }
            if !node.isLeaf, node.flags & TreeNode.categorical != 0 {
                node.threshold = Float(bitPattern: node.threshold.bitPattern + wordOffset)
            }
            return node
        })
        categoryWords += tree.words
    }

    /// Keeps the first `count` trees (early stopping keeps the best iteration's trees).
    mutating func truncate(toTrees count: Int) {
        guard count < roots.count else { return }
        let end = Int(roots[count])
        nodes.removeSubrange(end...)
        roots.removeSubrange(count...)
        treeOutputs.removeSubrange(count...)
    }

    /// Scales every `Float` leaf (random forests average their trees).
    mutating func scaleLeaves(by factor: Float) {
        for i in nodes.indices where nodes[i].isLeaf { nodes[i].threshold *= factor }
    }
}
