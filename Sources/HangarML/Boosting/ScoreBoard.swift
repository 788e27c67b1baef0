/// Running raw scores of a set of rows during boosting, class-major (`values[k * rows + r]`).
struct ScoreBoard {
    let rows: Int
    var values: [Double]

    init(rows: Int, base: [Double]) {
        self.rows = rows
        values = base.flatMap { Array(repeating: $0, count: rows) }
    }

    /// Adds a tree grown on these rows: rows it trained on by leaf, the others (out of bag) by walking it.
    mutating func add(_ tree: GrownTree, output k: Int, grower: TreeGrower, data: BinnedDataset, inBag: [Bool]?,
                      threads: Int)
    {
        let offset = k * rows
        values.withUnsafeMutableBufferPointer { scores in
            // Leaves hold disjoint rows, so they can be added in parallel.
            let out = SharedPointer(base: scores.baseAddress! + offset)
            let indices = SharedReadPointer(base: UnsafePointer(grower.indices))
            let threads = tree.leaves.count > 1 && rows >= 65_536 ? threads : 1
            parallelFor(chunks: tree.leaves.count, threads: threads) { l in
                let leaf = tree.leaves[l]
                let value = tree.nodes[leaf.node].value
                for i in leaf.begin..<(leaf.begin + leaf.count) { out.base[Int(indices.base[i])] += value }
            }
        }
        guard let inBag else { return }
        addByWalking(tree, output: k, grower: grower, data: data, threads: threads, skipping: inBag)
    }

    /// Adds a tree's value to every row (or every row not in `skipping`) by walking it over the binned rows.
    mutating func addByWalking(_ tree: GrownTree, output k: Int, grower: TreeGrower, data: BinnedDataset,
                               threads: Int, skipping: [Bool]? = nil)
    {
        let rows = rows
        let chunks = max(1, min(16, rows / 16_384))
        let stride = data.rowStride
        values.withUnsafeMutableBufferPointer { scores in
            grower.withMissingBins { missingBins in
                let out = SharedPointer(base: scores.baseAddress! + k * rows)
                let bins = SharedReadPointer(base: UnsafePointer(data.bins))
                let missing = SharedReadPointer(base: missingBins)
                parallelFor(chunks: chunks, threads: threads) { chunk in
                    for r in chunkRange(chunk, of: chunks, count: rows) where skipping?[r] != true {
                        out.base[r] += tree.value(row: bins.base + r * stride, missingBins: missing.base)
                    }
                }
            }
        }
    }
}
