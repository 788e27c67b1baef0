/// Finds the best split of a leaf from its histogram, trying both directions for missing values.
struct SplitSearch {
    let settings: TreeSettings
    let data: BinnedDataset

    /// The score of a leaf with these sums: G^2 / (H + lambda), the loss reduction a leaf value gives.
    @inline(__always)
    func leafScore(_ gradient: Double, _ hessian: Double) -> Double {
        gradient * gradient / (hessian + settings.lambdaL2)
    }

    /// The best split over `features`, or `nil` when none gains more than `minGainToSplit`.
    func best(histogram: UnsafePointer<Double>, features: [Int], gradient: Double, hessian: Double, count: Double)
        -> SplitCandidate?
    {
        let parentScore = leafScore(gradient, hessian)
        // Rows per unit of hessian, to estimate child row counts from hessian sums (exact for squared error).
        let rowsPerHessian = count / hessian
        let minCount = Double(settings.minDataInLeaf)
        let minHessian = settings.minSumHessianInLeaf
        var best: SplitCandidate?
        var bestGain = settings.minGainToSplit
        for f in features {
            let bins = data.featureBins[f]
            let base = histogram + data.histogramOffsets[f] * 2
            let missing = base + bins.missingBin * 2
            let missingG = missing[0], missingH = missing[1]
            // Hessians are floored above zero, so any missing row leaves a positive hessian.
            let hasMissing = missingH > 0
            let missingC = (missingH * rowsPerHessian).rounded()
            var leftG = 0.0, leftH = 0.0
            for b in 0..<bins.valueBinCount {
                leftG += base[b * 2]
                leftH += base[b * 2 + 1]
                let leftC = (leftH * rowsPerHessian).rounded()
                // Missing values go right: left holds value bins 0...b.
                let rightC = count - leftC
                if leftC >= minCount, rightC >= minCount, leftH >= minHessian, hessian - leftH >= minHessian {
                    let gain = leafScore(leftG, leftH) + leafScore(gradient - leftG, hessian - leftH) - parentScore
                    if gain > bestGain {
                        bestGain = gain
                        // Without missing values in training, unseen missing values follow the larger side.
                        let missingLeft = !hasMissing && leftC > rightC
                        best = SplitCandidate(gain: gain, feature: f, bin: b, missingLeft: missingLeft,
                                              leftGradient: leftG, leftHessian: leftH, leftCount: leftC)
                    }
                }
                // Missing values go left with bins 0...b.
                guard hasMissing else { continue }
                let withG = leftG + missingG, withH = leftH + missingH, withC = leftC + missingC
                if withC >= minCount, count - withC >= minCount, withH >= minHessian, hessian - withH >= minHessian {
                    let gain = leafScore(withG, withH) + leafScore(gradient - withG, hessian - withH) - parentScore
                    if gain > bestGain {
                        bestGain = gain
                        best = SplitCandidate(gain: gain, feature: f, bin: b, missingLeft: true,
                                              leftGradient: withG, leftHessian: withH, leftCount: withC)
                    }
                }
            }
        }
        return best
    }
}
