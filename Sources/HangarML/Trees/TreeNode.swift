/// One node of a decision tree in the flat runtime layout: 16 bytes, children next to each other.
///
/// The layout carries what LightGBM and XGBoost models need, so they can be imported into it: `Float` thresholds
/// compared as `value <= threshold`, a learned direction for missing values, and categorical splits as bitsets.
struct TreeNode: Sendable, Equatable {
    /// Feature index read by a split; `-1` marks a leaf.
    var feature: Int32
    /// Split threshold; the leaf value for leaves; for categorical splits the bit pattern is the offset of the
    /// category bitset in `TreeEnsemble.categoryWords`.
    var threshold: Float
    /// Index of the left child in the ensemble's node array; the right child is `child + 1`.
    var child: Int32
    /// Bit 0: missing values go left. Bit 1: categorical split. Bits 8 and up: bitset length in 32-bit words.
    var flags: UInt32

    static let missingGoesLeft: UInt32 = 1
    static let categorical: UInt32 = 2

    /// A leaf that adds `value` to the score.
    static func leaf(_ value: Float) -> TreeNode {
        TreeNode(feature: -1, threshold: value, child: -1, flags: 0)
    }

    /// A numeric split: `value <= threshold` goes left, missing goes where `missingLeft` says.
    static func split(feature: Int, threshold: Float, missingLeft: Bool, child: Int) -> TreeNode {
        TreeNode(feature: Int32(feature), threshold: threshold, child: Int32(child),
                 flags: missingLeft ? missingGoesLeft : 0)
    }

    /// A categorical split: categories whose bit is set in the bitset at `wordOffset` go left.
    static func categoricalSplit(feature: Int, wordOffset: Int, wordCount: Int, missingLeft: Bool, child: Int)
        -> TreeNode
    {
        TreeNode(feature: Int32(feature), threshold: Float(bitPattern: UInt32(wordOffset)), child: Int32(child),
                 flags: (missingLeft ? missingGoesLeft : 0) | categorical | UInt32(wordCount) << 8)
    }

    var isLeaf: Bool { feature < 0 }
}
