import Foundation

extension TreeEnsemble {
    /// The leaf of one tree that one row of feature values reaches.
    @inline(__always)
    static func leaf(
        nodes: UnsafePointer<TreeNode>, root: Int, row: UnsafePointer<Float>, words: UnsafePointer<UInt32>?
    ) -> TreeNode {
        var index = root
        while true {
            let node = nodes[index]
            if node.feature < 0 { return node }
            index = step(node, at: index, row: row, words: words)
        }
    }

    /// Negative or unknown categories go right, as in LightGBM.
    static func categoryIsLeft(_ value: Float, node: TreeNode, words: UnsafePointer<UInt32>?) -> Bool {
        guard let words, value >= 0, value < 2_147_483_648 else { return false }
        let category = Int(value)
        let offset = Int(node.threshold.bitPattern)
        let count = Int(node.flags >> 8)
        guard category >> 5 < count else { return false }
        return words[offset + category >> 5] >> UInt32(category & 31) & 1 == 1
    }

    /// The direction of a non-missing value at a categorical or zero-as-missing split, kept out of the common path.
    static func specialSplitGoesLeft(_ value: Float, node: TreeNode, words: UnsafePointer<UInt32>?) -> Bool {
        if node.flags & TreeNode.categorical != 0 { return categoryIsLeft(value, node: node, words: words) }
        if abs(value) <= TreeNode.zeroThreshold { return node.flags & TreeNode.missingGoesLeft != 0 }
        return value <= node.threshold
    }

    /// One step down a tree: a leaf stays where it is, a split moves to the child the row's value picks.
    @inline(__always)
    static func step(_ node: TreeNode, at index: Int, row: UnsafePointer<Float>, words: UnsafePointer<UInt32>?)
        -> Int
    {
        if node.feature < 0 { return index }
        let value = row[Int(node.feature)]
        let goLeft: Bool
        if value.isNaN {
            goLeft = node.flags & TreeNode.missingGoesLeft != 0
        } else if node.flags & TreeNode.specialSplit == 0 {
            goLeft = value <= node.threshold
        } else {
            goLeft = specialSplitGoesLeft(value, node: node, words: words)
        }
        return Int(node.child) &+ (goLeft ? 0 : 1)
    }

    /// Raw per-output sums for one row, before the link function.
    func rawScores(row: UnsafePointer<Float>, into out: UnsafeMutablePointer<Double>) {
        for k in 0..<outputCount { out[k] = baseScores[k] }
        addTrees(0..<roots.count, row: row, into: out)
    }

    /// Adds the leaf values of `trees` for one row to its raw scores, in the ensemble's precision.
    func addTrees(_ trees: Range<Int>, row: UnsafePointer<Float>, into out: UnsafeMutablePointer<Double>) {
        switch precision {
        case .double: addTrees(trees, row: row, into: out, summing: DoubleLeafSum.self)
        case .float32: addTrees(trees, row: row, into: out, summing: Float32LeafSum.self)
        }
    }

    /// `addTrees` for one way of summing, specialised so the hot loop has no branch on it.
    ///
    /// Four trees are walked in lockstep: each walk is a chain of dependent loads, and four independent chains
    /// keep the core busy while one waits (about 2x faster than one tree at a time). Leaves are added in tree
    /// order, so the sums round exactly as the source library's do.
    @inline(__always)
    private func addTrees<Sum: LeafSum>(
        _ trees: Range<Int>, row: UnsafePointer<Float>, into out: UnsafeMutablePointer<Double>, summing: Sum.Type
    ) {
        nodes.withUnsafeBufferPointer { nodeBuffer in
            categoryWords.withUnsafeBufferPointer { wordBuffer in
                roots.withUnsafeBufferPointer { roots in
                    treeOutputs.withUnsafeBufferPointer { outputs in
                        let nodes = nodeBuffer.baseAddress!
                        let words = wordBuffer.baseAddress
                        var t = trees.lowerBound
                        while t + 4 <= trees.upperBound {
                            var a = Int(roots[t]), b = Int(roots[t + 1]), c = Int(roots[t + 2]), d = Int(roots[t + 3])
                            while true {
                                let na = nodes[a], nb = nodes[b], nc = nodes[c], nd = nodes[d]
                                if na.feature < 0, nb.feature < 0, nc.feature < 0, nd.feature < 0 {
                                    Sum.add(na, to: &out[Int(outputs[t])])
                                    Sum.add(nb, to: &out[Int(outputs[t + 1])])
                                    Sum.add(nc, to: &out[Int(outputs[t + 2])])
                                    Sum.add(nd, to: &out[Int(outputs[t + 3])])
                                    break
                                }
                                a = Self.step(na, at: a, row: row, words: words)
                                b = Self.step(nb, at: b, row: row, words: words)
                                c = Self.step(nc, at: c, row: row, words: words)
                                d = Self.step(nd, at: d, row: row, words: words)
                            }
                            t += 4
                        }
                        while t < trees.upperBound {
                            let leaf = Self.leaf(nodes: nodes, root: Int(roots[t]), row: row, words: words)
                            Sum.add(leaf, to: &out[Int(outputs[t])])
                            t += 1
                        }
                    }
                }
            }
        }
    }

    /// Applies the link function in place to one row's raw scores.
    func applyLink(_ out: UnsafeMutablePointer<Double>) {
        switch link {
        case .identity: break
        case .sigmoid: out[0] = 1 / (1 + exp(-out[0]))
        case .clip: out[0] = min(max(out[0], 0), 1)
        case .softmax:
            var maximum = -Double.infinity
            for k in 0..<outputCount { maximum = max(maximum, out[k]) }
            var sum = 0.0
            for k in 0..<outputCount {
                out[k] = exp(out[k] - maximum)
                sum += out[k]
            }
            for k in 0..<outputCount { out[k] /= sum }
        case .normalize:
            var sum = 0.0
            for k in 0..<outputCount {
                out[k] = min(max(out[k], 0), 1)
                sum += out[k]
            }
            for k in 0..<outputCount { out[k] = sum > 0 ? out[k] / sum : 1 / Double(outputCount) }
        }
    }

    /// Predictions for one row (`featureCount` values): one number, or one probability per class.
    func predict(row: UnsafePointer<Float>, into out: UnsafeMutablePointer<Double>) {
        rawScores(row: row, into: out)
        applyLink(out)
    }

    /// Predictions for `rowCount` row-major rows, `outputCount` values per row, split across threads.
    ///
    /// A block of rows meets the trees a group at a time, so the group's nodes stay in L1 cache for the whole
    /// block; within a row the four-tree lockstep walk applies. Walking one tree with several rows in lockstep was
    /// measured slower: leaf-wise trees are deep and uneven, so lanes wait for the deepest row.
    func predict(rows: UnsafePointer<Float>, rowCount: Int, into out: UnsafeMutablePointer<Double>, threads: Int) {
        let blockRows = 256
        let treesPerGroup = 16
        let blocks = (rowCount + blockRows - 1) / blockRows
        let input = SharedReadPointer(base: rows)
        let output = SharedPointer(base: out)
        let width = featureCount
        let outputs = outputCount
        parallelFor(chunks: blocks, threads: threads) { block in
            let range = (block * blockRows)..<min(rowCount, (block + 1) * blockRows)
            for r in range {
                for k in 0..<outputs { output.base[r * outputs + k] = self.baseScores[k] }
            }
            var group = 0
            while group < self.roots.count {
                let trees = group..<min(self.roots.count, group + treesPerGroup)
                for r in range { self.addTrees(trees, row: input.base + r * width, into: output.base + r * outputs) }
                group = trees.upperBound
            }
            for r in range { self.applyLink(output.base + r * outputs) }
        }
    }
}

/// How a leaf's value joins a raw score.
protocol LeafSum {
    static func add(_ leaf: TreeNode, to score: inout Double)
}

/// Double sums of double leaf values.
enum DoubleLeafSum: LeafSum {
    @inline(__always)
    static func add(_ leaf: TreeNode, to score: inout Double) { score += leaf.leafValue }
}

/// Float32 sums of `Float` leaf values, rounded after every tree as XGBoost does.
enum Float32LeafSum: LeafSum {
    @inline(__always)
    static func add(_ leaf: TreeNode, to score: inout Double) { score = Double(Float(score) + leaf.threshold) }
}
