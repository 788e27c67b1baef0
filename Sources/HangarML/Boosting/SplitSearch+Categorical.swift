/// A leaf's gradient, hessian and row sums.
struct LeafSums {
    var gradient: Double
    var hessian: Double
    var count: Double
}

extension SplitSearch {
    /// Up to this many categories, each is tried alone against the rest.
    static let maxOneHotCategories = 4
    /// Added to hessians when ordering categories, so rare categories do not jump to the ends.
    static let categorySmoothing = 10.0
    /// Extra L2 on set splits, which fit the data more easily than thresholds.
    static let categoryL2 = 10.0
    /// Most categories sent left by one split.
    static let maxCategoriesLeft = 32

    /// The best set split of a categorical feature, LightGBM's way: one category against the rest when there are
    /// few, otherwise categories ordered by gradient / hessian and every prefix (from both ends) tried as the left
    /// set. Missing values go right.
    func bestCategorical(feature f: Int, histogram base: UnsafePointer<Double>, bins: FeatureBins, leaf: LeafSums)
        -> SplitCandidate?
    {
        let lambda = settings.lambdaL2 + Self.categoryL2
        let score = { (g: Double, h: Double) in g * g / (h + lambda) }
        let parentScore = score(leaf.gradient, leaf.hessian)
        let rowsPerHessian = leaf.count / leaf.hessian
        // Estimated counts carry rounding noise; half a row of slack makes the check act like rounding them.
        let minCount = Double(settings.minDataInLeaf) - 0.5
        let minHessian = settings.minSumHessianInLeaf
        let present = (0..<bins.valueBinCount).filter { base[$0 * 2 + 1] > 0 }
        guard present.count >= 2 else { return nil }
        var orders: [[Int]]
        if present.count <= Self.maxOneHotCategories {
            orders = present.map { [$0] }
        } else {
            let ratio = { (b: Int) in base[b * 2] / (base[b * 2 + 1] + Self.categorySmoothing) }
            let sorted = present.sorted { ratio($0) < ratio($1) || (ratio($0) == ratio($1) && $0 < $1) }
            orders = [sorted, sorted.reversed()]
        }
        var best: SplitCandidate?
        var bestGain = settings.minGainToSplit
        let oneHot = present.count <= Self.maxOneHotCategories
        for order in orders {
            var leftG = 0.0, leftH = 0.0
            var chosen: [Int] = []
            for b in order.prefix(oneHot ? 1 : min(Self.maxCategoriesLeft, order.count - 1)) {
                leftG += base[b * 2]
                leftH += base[b * 2 + 1]
                chosen.append(b)
                let leftC = leftH * rowsPerHessian
                let rightC = leaf.count - leftC
                guard leftC >= minCount, rightC >= minCount, leftH >= minHessian,
                      leaf.hessian - leftH >= minHessian
                else { continue }
                let gain = score(leftG, leftH) + score(leaf.gradient - leftG, leaf.hessian - leftH) - parentScore
                if gain > bestGain {
                    bestGain = gain
                    best = SplitCandidate(gain: gain, feature: f, bin: -1, missingLeft: false, leftGradient: leftG,
                                          leftHessian: leftH, leftCount: leftC, leftCategories: chosen.sorted())
                }
            }
        }
        return best
    }
}
