/// One node of a decision tree in the flat runtime layout: 16 bytes, children next to each other.
///
/// The layout carries what LightGBM and XGBoost models need, so they can be imported into it: `Float` thresholds
/// compared as `value <= threshold`, a learned direction for missing values, categorical splits as bitsets,
/// LightGBM's zero-as-missing splits, and leaf values to about 48 bits (LightGBM's leaves are doubles).
struct TreeNode: Sendable, Equatable {
    /// Feature index read by a split; `-1` marks a leaf.
    var feature: Int32
    /// Split threshold; the leaf value for leaves; for categorical splits the bit pattern is the offset of the
    /// category bitset in `TreeEnsemble.categoryWords`.
    var threshold: Float
    /// Index of the left child in the ensemble's node array; the right child is `child + 1`.
    var child: Int32
    /// Splits: bit 0: missing values go left; bit 1: categorical split; bit 2: values within ±1e-35 count as
    /// missing; bits 8 and up: bitset length in 32-bit words. Leaves: the bit pattern of a `Float` added to
    /// `threshold` for the leaf value (0 for Hangar's own trees, whose leaves are `Float`).
    var flags: UInt32

    static let missingGoesLeft: UInt32 = 1
    static let categorical: UInt32 = 2
    /// LightGBM's `missing_type=Zero`: zero, and anything LightGBM rounds to zero, takes the missing direction.
    static let zeroIsMissing: UInt32 = 4
    /// Splits decided by more than `value <= threshold`, which take the slower path in prediction.
    static let specialSplit: UInt32 = categorical | zeroIsMissing
    /// LightGBM's `kZeroThreshold` (`1e-35f`): values with a magnitude up to it count as zero.
    static let zeroThreshold: Float = 1e-35

    /// A leaf that adds `value` to the score.
    static func leaf(_ value: Float) -> TreeNode {
        TreeNode(feature: -1, threshold: value, child: -1, flags: 0)
    }

    /// A leaf that adds a double `value`: the nearest `Float` and the remainder as a second `Float`, so the leaf
    /// keeps about 48 of the double's 53 bits (an error near 1e-15 of the value) in the same 16 bytes.
    static func leaf(double value: Double) -> TreeNode {
        let high = Float(value)
        let low = high.isFinite ? Float(value - Double(high)) : 0
        return TreeNode(feature: -1, threshold: high, child: -1, flags: low.bitPattern)
    }

    /// What a leaf adds to the score.
    @inline(__always)
    var leafValue: Double { Double(threshold) + Double(Float(bitPattern: flags)) }

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
