/// Builds gradient histograms of a leaf's rows: per feature and bin, the sums of gradients and hessians.
///
/// Layout: `histogram[(offset[f] + bin) * 2 + {0: gradient, 1: hessian}]`, `Double` sums of `Float` gradients as
/// LightGBM does. Row counts are not summed (a third read-modify-write per row and feature, about 25% of the
/// loop); like LightGBM, split search estimates them from hessians. A leaf's rows are cut into chunks whose number
/// depends only on the row count; each
/// chunk fills its own histogram and chunks are added in order, so results do not depend on the thread count.
/// Within a chunk, rows are handled in blocks: first the block's scattered rows (bins and gradients) are copied
/// next to each other, a short loop that keeps many cache misses in flight, then the block is summed from cache,
/// four features at a time, so the bins being added to (4 KB per feature) stay in L1 (row by row, every feature's
/// bins, 114 KB for 28 features, are touched in turn: L2) and each row's sums are read once per four features.
/// Blocks of consecutive rows (the root without bagging, dense leaves) are read in place. Row indices of a leaf
/// are always ascending, as partitioning is stable.
struct HistogramBuilder {
    static let rowsPerChunk = 16_384
    static let maxChunks = 8
    static let blockRows = 256
    /// Rows from which a leaf too small for row chunks is still split among threads, by features.
    static let featureParallelRows = 4_096

    let data: BinnedDataset
    let threads: Int
    /// `maxChunks` scratch histograms, then per chunk a block buffer of gathered bins and gradients.
    let scratch: UnsafeMutablePointer<Double>
    let blocks: UnsafeMutableRawPointer

    var histogramLength: Int { data.totalBins * 2 }
    /// Bytes of one chunk's block buffer: bins, then gradient pairs, then the pairs as `Double`s.
    static func blockBytes(rowStride: Int) -> Int { blockRows * (rowStride + 8 + 16) }

    /// Fills `target` from the rows `indices[0..<count]`, reading only `features`.
    func build(into target: UnsafeMutablePointer<Double>, indices: UnsafePointer<Int32>, count: Int,
               features: [Int], pairs: UnsafePointer<GradientPair>)
    {
        let length = histogramLength
        let chunks = max(1, min(Self.maxChunks, count / Self.rowsPerChunk))
        let offsets = features.map { data.histogramOffsets[$0] * 2 }
        let context = SharedBuildContext(scratch: scratch, blocks: blocks, indices: indices, pairs: pairs,
                                         bins: data.bins, rowStride: data.rowStride,
                                         featureCount: data.featureCount)
        let blockBytes = Self.blockBytes(rowStride: data.rowStride)
        if chunks == 1 {
            target.update(repeating: 0, count: length)
            let groups = min(threads, Self.maxChunks, features.count)
            guard groups > 1, count >= Self.featureParallelRows else {
                Self.accumulate(into: target, block: blocks, context: context, range: 0..<count, features: features,
                                offsets: offsets)
                return
            }
            // A leaf too small to split by rows is split by features: each task sums every row into its own
            // features' bins, which no other task touches, so the sums are the same as on one thread.
            let shared = SharedTarget(pointer: target)
            parallelFor(chunks: groups, threads: threads) { group in
                let part = chunkRange(group, of: groups, count: features.count)
                Self.accumulate(into: shared.pointer, block: context.blocks + group * blockBytes, context: context,
                                range: 0..<count, features: Array(features[part]), offsets: Array(offsets[part]))
            }
            return
        }
        parallelFor(chunks: chunks, threads: threads) { chunk in
            let histogram = context.scratch + chunk * length
            histogram.update(repeating: 0, count: length)
            Self.accumulate(into: histogram, block: context.blocks + chunk * blockBytes, context: context,
                            range: chunkRange(chunk, of: chunks, count: count), features: features, offsets: offsets)
        }
        target.update(from: scratch, count: length)
        for chunk in 1..<chunks {
            let source = scratch + chunk * length
            for i in 0..<length { target[i] += source[i] }
        }
    }

    /// The hot loop, block by block: gather the rows, then add each row's gradient pair to one bin per feature.
    private static func accumulate(
        into histogram: UnsafeMutablePointer<Double>, block: UnsafeMutableRawPointer, context: SharedBuildContext,
        range: Range<Int>, features: [Int], offsets: [Int]
    ) {
        let stride = context.rowStride
        let words = stride / 8
        let blockBins = block.assumingMemoryBound(to: UInt64.self)
        let blockPairs = (block + blockRows * stride).assumingMemoryBound(to: GradientPair.self)
        let sums = (block + blockRows * (stride + 8)).assumingMemoryBound(to: SIMD2<Double>.self)
        let sourceWords = UnsafeRawPointer(context.bins).assumingMemoryBound(to: UInt64.self)
        let allFeatures = features.count == context.featureCount && features.elementsEqual(0..<features.count)
        features.withUnsafeBufferPointer { features in
            offsets.withUnsafeBufferPointer { offsets in
                let active = features.count
                var start = range.lowerBound
                while start < range.upperBound {
                    let n = min(blockRows, range.upperBound - start)
                    let first = Int(context.indices[start])
                    var bins: UnsafePointer<UInt8>
                    var pairs: UnsafePointer<GradientPair>
                    if Int(context.indices[start &+ n &- 1]) &- first == n &- 1 {
                        // Ascending distinct indices spanning n values are consecutive rows: read them in place.
                        bins = UnsafePointer(context.bins) + first &* stride
                        pairs = context.pairs + first
                    } else {
                        for j in 0..<n {
                            let row = Int(context.indices[start &+ j])
                            blockPairs[j] = context.pairs[row]
                            for w in 0..<words { blockBins[j &* words &+ w] = sourceWords[row &* words &+ w] }
                        }
                        bins = UnsafeRawPointer(block).assumingMemoryBound(to: UInt8.self)
                        pairs = UnsafePointer(blockPairs)
                    }
                    // Four features per pass over the block (see the type's comment): their bins stay in L1, the
                    // four streams of additions are independent, and each row's sums are read once per pass.
                    for j in 0..<n { sums[j] = SIMD2(Double(pairs[j].x), Double(pairs[j].y)) }
                    var a = 0
                    while a &+ 3 < active {
                        let b0 = bins + (allFeatures ? a : features[a])
                        let b1 = bins + (allFeatures ? a &+ 1 : features[a &+ 1])
                        let b2 = bins + (allFeatures ? a &+ 2 : features[a &+ 2])
                        let b3 = bins + (allFeatures ? a &+ 3 : features[a &+ 3])
                        let t0 = Self.pairs(histogram + offsets[a])
                        let t1 = Self.pairs(histogram + offsets[a &+ 1])
                        let t2 = Self.pairs(histogram + offsets[a &+ 2])
                        let t3 = Self.pairs(histogram + offsets[a &+ 3])
                        for j in 0..<n {
                            let sum = sums[j]
                            let row = j &* stride
                            t0[Int(b0[row])] += sum
                            t1[Int(b1[row])] += sum
                            t2[Int(b2[row])] += sum
                            t3[Int(b3[row])] += sum
                        }
                        a &+= 4
                    }
                    while a < active {
                        let last = bins + (allFeatures ? a : features[a])
                        let target = Self.pairs(histogram + offsets[a])
                        for j in 0..<n { target[Int(last[j &* stride])] += sums[j] }
                        a &+= 1
                    }
                    start += n
                }
            }
        }
    }

    /// A feature's part of a histogram as (gradient, hessian) pairs.
    @inline(__always)
    private static func pairs(_ pointer: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<SIMD2<Double>> {
        UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: SIMD2<Double>.self)
    }

    /// `larger = parent - smaller`, in place in the parent's histogram.
    func subtract(_ smaller: UnsafePointer<Double>, from parent: UnsafeMutablePointer<Double>) {
        for i in 0..<histogramLength { parent[i] -= smaller[i] }
    }
}

/// The histogram feature groups write disjoint bins of.
private struct SharedTarget: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
}

/// Pointers the parallel chunks read, and the scratch space each chunk writes its own part of.
struct SharedBuildContext: @unchecked Sendable {
    let scratch: UnsafeMutablePointer<Double>
    let blocks: UnsafeMutableRawPointer
    let indices: UnsafePointer<Int32>
    let pairs: UnsafePointer<GradientPair>
    let bins: UnsafeMutablePointer<UInt8>
    let rowStride: Int
    let featureCount: Int
}
