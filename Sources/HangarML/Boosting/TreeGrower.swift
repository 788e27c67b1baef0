/// Grows one tree leaf by leaf on binned data: always splits the leaf with the largest gain.
///
/// Owns the buffers reused across trees: row indices partitioned by leaf, and one histogram per leaf so a
/// child's histogram is its parent's minus its smaller sibling's.
final class TreeGrower {
    let data: BinnedDataset
    let settings: TreeSettings
    /// Rows of the current tree, grouped by leaf as the tree grows; callers fill `0..<rowCount` before `grow`.
    let indices: UnsafeMutablePointer<Int32>
    private let partitionScratch: UnsafeMutablePointer<Int32>
    private let histograms: UnsafeMutablePointer<Double>
    private let builder: HistogramBuilder
    private let search: SplitSearch
    private let missingBins: [Int]

    init(data: BinnedDataset, settings: TreeSettings) {
        self.data = data
        self.settings = settings
        indices = .allocate(capacity: max(1, data.rowCount))
        partitionScratch = .allocate(capacity: max(1, data.rowCount))
        let length = data.totalBins * 3
        histograms = .allocate(capacity: length * settings.maxLeaves)
        builder = HistogramBuilder(
            data: data, threads: settings.threads,
            scratch: .allocate(capacity: length * HistogramBuilder.maxChunks),
            blocks: .allocate(byteCount: HistogramBuilder.blockBytes(rowStride: data.rowStride) * HistogramBuilder.maxChunks,
                              alignment: 64))
        search = SplitSearch(settings: settings, data: data)
        missingBins = data.featureBins.map(\.missingBin)
    }

    deinit {
        indices.deallocate()
        partitionScratch.deallocate()
        histograms.deallocate()
        builder.scratch.deallocate()
        builder.blocks.deallocate()
    }

    private struct Leaf {
        var node: Int
        var begin: Int
        var count: Int
        var gradient: Double
        var hessian: Double
        var depth: Int
        var slot: Int
        var split: SplitCandidate?
    }

    /// Grows a tree on rows `indices[0..<rowCount]` using `features`; `seed` drives per-split feature sampling.
    func grow(rowCount: Int, gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>,
              features: [Int], seed: UInt64) -> GrownTree
    {
        var generator = SplitMix64(seed: seed)
        let length = builder.histogramLength
        var rootGradient = 0.0, rootHessian = 0.0
        for i in 0..<rowCount {
            let row = Int(indices[i])
            rootGradient += Double(gradients[row])
            rootHessian += Double(hessians[row])
        }
        var nodes = [GrowNode()]
        var leaves = [Leaf(node: 0, begin: 0, count: rowCount, gradient: rootGradient, hessian: rootHessian,
                           depth: 0, slot: 0, split: nil)]
        if canSplit(leaves[0]) {
            builder.build(into: histograms, indices: indices, count: rowCount,
                          features: features, gradients: gradients, hessians: hessians)
            leaves[0].split = findSplit(leaves[0], features: features, generator: &generator)
        }
        var nextSlot = 1
        while leaves.count < settings.maxLeaves {
            var chosen = -1
            for (i, leaf) in leaves.enumerated() {
                guard let split = leaf.split else { continue }
                if chosen < 0 || split.gain > leaves[chosen].split!.gain { chosen = i }
            }
            guard chosen >= 0, let split = leaves[chosen].split else { break }
            let parent = leaves[chosen]
            let leftCount = partition(parent, split: split)
            let leftNode = nodes.count, rightNode = nodes.count + 1
            nodes.append(GrowNode())
            nodes.append(GrowNode())
            nodes[parent.node] = GrowNode(feature: split.feature, bin: split.bin, missingLeft: split.missingLeft,
                                          left: leftNode, right: rightNode, gain: split.gain)
            var left = Leaf(node: leftNode, begin: parent.begin, count: leftCount, gradient: split.leftGradient,
                            hessian: split.leftHessian, depth: parent.depth + 1, slot: parent.slot, split: nil)
            var right = Leaf(node: rightNode, begin: parent.begin + leftCount, count: parent.count - leftCount,
                             gradient: parent.gradient - split.leftGradient,
                             hessian: parent.hessian - split.leftHessian, depth: parent.depth + 1, slot: parent.slot,
                             split: nil)
            if canSplit(left) || canSplit(right) {
                // Build the smaller child's histogram; the larger child's is the parent's minus it.
                let leftIsSmaller = left.count <= right.count
                let small = leftIsSmaller ? left : right
                let smallHistogram = histograms + nextSlot * length
                builder.build(into: smallHistogram, indices: indices + small.begin, count: small.count,
                              features: features, gradients: gradients, hessians: hessians)
                builder.subtract(smallHistogram, from: histograms + parent.slot * length)
                if leftIsSmaller { left.slot = nextSlot } else { right.slot = nextSlot }
                nextSlot += 1
                if canSplit(left) { left.split = findSplit(left, features: features, generator: &generator) }
                if canSplit(right) { right.split = findSplit(right, features: features, generator: &generator) }
            }
            leaves[chosen] = left
            leaves.append(right)
        }
        var grown = GrownTree(nodes: nodes, leaves: [])
        for leaf in leaves {
            grown.nodes[leaf.node].value = -leaf.gradient / (leaf.hessian + settings.lambdaL2) * settings.learningRate
            grown.leaves.append((leaf.node, leaf.begin, leaf.count))
        }
        return grown
    }

    private func canSplit(_ leaf: Leaf) -> Bool {
        leaf.count >= 2 * settings.minDataInLeaf && (settings.maxDepth <= 0 || leaf.depth < settings.maxDepth)
    }

    private func findSplit(_ leaf: Leaf, features: [Int], generator: inout SplitMix64) -> SplitCandidate? {
        var candidates = features
        if settings.featureFractionByNode < 1 {
            let keep = max(1, Int((Double(features.count) * settings.featureFractionByNode).rounded()))
            candidates = generator.sampleIndices(keep, from: features.count).map { features[$0] }
        }
        return search.best(histogram: histograms + leaf.slot * builder.histogramLength, features: candidates,
                           gradient: leaf.gradient, hessian: leaf.hessian, count: Double(leaf.count))
    }

    /// Stable partition of the leaf's rows: left rows first. Returns how many went left.
    private func partition(_ leaf: Leaf, split: SplitCandidate) -> Int {
        let feature = split.feature
        let missingBin = missingBins[feature]
        let threshold = split.bin
        let missingLeft = split.missingLeft
        var left = 0, right = 0
        for i in leaf.begin..<(leaf.begin + leaf.count) {
            let row = indices[i]
            let bin = data.bin(row: Int(row), feature: feature)
            let goLeft = bin == missingBin ? missingLeft : bin <= threshold
            if goLeft {
                indices[leaf.begin + left] = row
                left += 1
            } else {
                partitionScratch[right] = row
                right += 1
            }
        }
        (indices + leaf.begin + left).update(from: partitionScratch, count: right)
        return left
    }

    /// Missing-value bin per feature, for walking grown trees over binned rows.
    func withMissingBins<R>(_ body: (UnsafePointer<Int>) -> R) -> R {
        missingBins.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
