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
    private let leftScratch: UnsafeMutablePointer<Int32>
    private let histograms: UnsafeMutablePointer<Double>
    private let builder: HistogramBuilder
    private let search: SplitSearch
    private let missingBins: [Int]

    init(data: BinnedDataset, settings: TreeSettings) {
        self.data = data
        self.settings = settings
        indices = .allocate(capacity: max(1, data.rowCount))
        partitionScratch = .allocate(capacity: max(1, data.rowCount))
        leftScratch = .allocate(capacity: max(1, data.rowCount))
        let length = data.totalBins * 2
        histograms = .allocate(capacity: length * settings.maxLeaves)
        builder = HistogramBuilder(
            data: data, threads: settings.threads,
            scratch: .allocate(capacity: length * HistogramBuilder.maxChunks),
            blocks: .allocate(
                byteCount: HistogramBuilder.blockBytes(rowStride: data.rowStride) * HistogramBuilder.maxChunks,
                alignment: 64))
        search = SplitSearch(settings: settings, data: data)
        missingBins = data.featureBins.map(\.missingBin)
    }

    deinit {
        indices.deallocate()
        partitionScratch.deallocate()
        leftScratch.deallocate()
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
    func grow(rowCount: Int, pairs: UnsafePointer<GradientPair>, features: [Int], seed: UInt64) -> GrownTree
    {
        var generator = SplitMix64(seed: seed)
        let length = builder.histogramLength
        var rootGradient = 0.0, rootHessian = 0.0
        for i in 0..<rowCount {
            let row = Int(indices[i])
            rootGradient += Double(pairs[row].x)
            rootHessian += Double(pairs[row].y)
        }
        var nodes = [GrowNode()]
        var leaves = [Leaf(node: 0, begin: 0, count: rowCount, gradient: rootGradient, hessian: rootHessian,
                           depth: 0, slot: 0, split: nil)]
        if canSplit(leaves[0]) {
            builder.build(into: histograms, indices: indices, count: rowCount,
                          features: features, pairs: pairs)
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
                                          left: leftNode, right: rightNode, gain: split.gain,
                                          leftCategories: Self.bitset(split.leftCategories))
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
                              features: features, pairs: pairs)
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

    /// Category bins as a bitset of 32-bit words.
    static func bitset(_ categories: [Int]) -> [UInt32] {
        guard let largest = categories.max() else { return [] }
        var words = [UInt32](repeating: 0, count: largest / 32 + 1)
        for c in categories { words[c >> 5] |= 1 << UInt32(c & 31) }
        return words
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
    ///
    /// Large leaves are cut into chunks (their number depends only on the leaf size) partitioned in parallel into
    /// scratch space, then copied back chunk by chunk: lefts in order, then rights in order.
    private func partition(_ leaf: Leaf, split: SplitCandidate) -> Int {
        let chunks = leaf.count < 65_536 ? 1 : min(8, leaf.count / 32_768)
        let rule = PartitionRule(data: data, feature: split.feature,
                                 node: GrowNode(feature: split.feature, bin: split.bin, missingLeft: split.missingLeft,
                                                leftCategories: Self.bitset(split.leftCategories)),
                                 missingBin: missingBins[split.feature])
        let rows = indices + leaf.begin
        if chunks == 1 {
            let (left, right) = rule.partition(rows, count: leaf.count, lefts: rows, rights: partitionScratch)
            (rows + left).update(from: partitionScratch, count: right)
            return left
        }
        let counts = ChunkResults<(left: Int, right: Int)>(count: chunks)
        let shared = SharedPartition(rows: rows, lefts: leftScratch, rights: partitionScratch)
        let total = leaf.count
        parallelFor(chunks: chunks, threads: settings.threads) { chunk in
            let range = chunkRange(chunk, of: chunks, count: total)
            counts.set(chunk, rule.partition(shared.rows + range.lowerBound, count: range.count,
                                             lefts: shared.lefts + range.lowerBound,
                                             rights: shared.rights + range.lowerBound))
        }
        let parts = counts.collect()
        var position = 0
        for (chunk, part) in parts.enumerated() {
            let start = chunkRange(chunk, of: chunks, count: total).lowerBound
            rows.advanced(by: position).update(from: leftScratch + start, count: part.left)
            position += part.left
        }
        let leftCount = position
        for (chunk, part) in parts.enumerated() {
            let start = chunkRange(chunk, of: chunks, count: total).lowerBound
            rows.advanced(by: position).update(from: partitionScratch + start, count: part.right)
            position += part.right
        }
        return leftCount
    }

    /// Missing-value bin per feature, for walking grown trees over binned rows.
    func withMissingBins<R>(_ body: (UnsafePointer<Int>) -> R) -> R {
        missingBins.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// Which side of a split a binned row goes to.
private struct PartitionRule: @unchecked Sendable {
    let data: BinnedDataset
    let feature: Int
    let node: GrowNode
    let missingBin: Int

    /// Writes the rows going left to `lefts` and the others to `rights` (both in order); `lefts` may be `rows`.
    ///
    /// Branch-free: the side of every bin is looked up in a 256-entry table made once per split, and each row is
    /// written to both outputs while only the count of its side advances (a row's write to the other side is
    /// overwritten by the next row, or lies past the end that side keeps). Which way a row goes is as random as the
    /// data, so a branch per row would be mispredicted about half the time.
    func partition(_ rows: UnsafeMutablePointer<Int32>, count: Int, lefts: UnsafeMutablePointer<Int32>,
                   rights: UnsafeMutablePointer<Int32>) -> (left: Int, right: Int)
    {
        let table = (0..<256).map { UInt8(node.goesLeft(bin: $0, missingBin: missingBin) ? 1 : 0) }
        var left = 0, right = 0
        let column = data.column(feature)
        table.withUnsafeBufferPointer { sides in
            for i in 0..<count {
                let row = rows[i]
                let goesLeft = Int(sides[Int(column[Int(row)])])
                lefts[left] = row
                rights[right] = row
                left &+= goesLeft
                right &+= 1 &- goesLeft
            }
        }
        return (left, right)
    }
}

private struct SharedPartition: @unchecked Sendable {
    let rows: UnsafeMutablePointer<Int32>
    let lefts: UnsafeMutablePointer<Int32>
    let rights: UnsafeMutablePointer<Int32>
}
