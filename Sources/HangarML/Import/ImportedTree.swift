/// One node of a tree as another library stores it, with its decision already in Hangar's terms.
enum ImportedNode {
    /// A leaf adding `value` to its output's score.
    case leaf(Double)
    /// `value <= threshold` goes to `left`; missing values go where `missingLeft` says, and so do values within
    /// ±1e-35 when `zeroIsMissing`.
    case numeric(feature: Int, threshold: Float, missingLeft: Bool, zeroIsMissing: Bool, left: Int, right: Int)
    /// Categories whose bit is set in `words` go to `left`, all others to `right`; missing values go where
    /// `missingLeft` says.
    case categorical(feature: Int, words: [UInt32], missingLeft: Bool, left: Int, right: Int)
}

/// A tree of another library: nodes by their index in the source file, laid out for Hangar's runtime by
/// `flattened`.
struct ImportedTree {
    /// Category codes from here up are refused (XGBoost's own limit), so a damaged file cannot ask for a huge
    /// bitset or level list.
    static let largestCategory = 1 << 24
    /// Feature counts above this are refused as implausible, for the same reason.
    static let largestFeatureCount = 1 << 24
    /// More classes than this are refused, as Hangar's own classifiers refuse them.
    static let largestClassCount = 1_000

    var nodes: [ImportedNode]
    var root = 0

    /// The tree in the runtime's layout: breadth first, the children of a split side by side after it.
    ///
    /// Refuses a child index outside the tree, a node reached twice (which would also catch cycles) and a feature
    /// index beyond `featureCount`, naming `tree` in the error.
    func flattened(featureCount: Int, library: ModelImportError.Library, tree: Int) throws(ModelImportError)
        -> (nodes: [TreeNode], words: [UInt32])
    {
        func fail(_ reason: String) -> ModelImportError {
            .malformed(library, location: "tree \(tree)", reason: reason)
        }
        guard nodes.indices.contains(root) else { throw fail("the tree has no root node") }
        var out = [TreeNode.leaf(0)]
        var words: [UInt32] = []
        var reached = [Bool](repeating: false, count: nodes.count)
        var queue = [(source: root, slot: 0)]
        var next = 0
        while next < queue.count {
            let (source, slot) = queue[next]
            next += 1
            guard nodes.indices.contains(source) else { throw fail("a child index \(source) is outside the tree") }
            guard !reached[source] else { throw fail("node \(source) is reached twice") }
            reached[source] = true
            let child = out.count
            switch nodes[source] {
            case .leaf(let value):
                out[slot] = .leaf(double: value)
                continue
            case .numeric(let feature, let threshold, let missingLeft, let zeroIsMissing, let left, let right):
                guard (0..<featureCount).contains(feature) else { throw fail("feature \(feature) does not exist") }
                var node = TreeNode.split(feature: feature, threshold: threshold, missingLeft: missingLeft,
                                          child: child)
                if zeroIsMissing { node.flags |= TreeNode.zeroIsMissing }
                out[slot] = node
                queue += [(left, child), (right, child + 1)]
            case .categorical(let feature, let bits, let missingLeft, let left, let right):
                guard (0..<featureCount).contains(feature) else { throw fail("feature \(feature) does not exist") }
                out[slot] = .categoricalSplit(feature: feature, wordOffset: words.count, wordCount: bits.count,
                                              missingLeft: missingLeft, child: child)
                words += bits
                queue += [(left, child), (right, child + 1)]
            }
            out += [.leaf(0), .leaf(0)]
        }
        return (out, words)
    }
}

extension Float {
    /// The largest `Float` at or below `threshold`: for every `Float` value `x`, `x <= result` exactly when
    /// `Double(x) <= threshold`, so a double threshold keeps its decisions on `Float` inputs.
    init(atOrBelow threshold: Double) {
        let nearest = Float(threshold)
        self = Double(nearest) > threshold ? nearest.nextDown : nearest
    }
}

/// A category bitset with the bits of `categories` set: bit `c % 32` of word `c / 32`.
func categoryWords(_ categories: [Int]) -> [UInt32] {
    let categories = categories.filter { $0 >= 0 }
    guard let largest = categories.max() else { return [] }
    var words = [UInt32](repeating: 0, count: largest / 32 + 1)
    for category in categories { words[category / 32] |= 1 << UInt32(category % 32) }
    return words
}
