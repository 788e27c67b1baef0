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
        // Estimated counts carry rounding noise; half a row of slack makes the check act like rounding them.
        let minCount = Double(settings.minDataInLeaf) - 0.5
        let minHessian = settings.minSumHessianInLeaf
        var best: SplitCandidate?
        var bestGain = settings.minGainToSplit
        for f in features {
            let bins = data.featureBins[f]
            let base = histogram + data.histogramOffsets[f] * 2
            if bins.isCategorical {
                let leaf = LeafSums(gradient: gradient, hessian: hessian, count: count)
                if let candidate = bestCategorical(feature: f, histogram: base, bins: bins, leaf: leaf),
                   candidate.gain > bestGain
                {
                    bestGain = candidate.gain
                    best = candidate
                }
                continue
            }
            // Scalars rather than a `SplitCandidate` in the loop: the candidate holds an array, and assigning it
            // per improvement cost retain/release traffic (14% of training in a profile).
            var found = false
            var foundBin = 0, foundMissingLeft = false
            var foundG = 0.0, foundH = 0.0, foundC = 0.0
            let missing = base + bins.missingBin * 2
            let missingG = missing[0], missingH = missing[1]
            // Hessians are floored above zero, so any missing row leaves a positive hessian.
            let hasMissing = missingH > 0
            let missingC = missingH * rowsPerHessian
            var leftG = 0.0, leftH = 0.0
            for b in 0..<bins.valueBinCount {
                leftG += base[b &* 2]
                leftH += base[b &* 2 &+ 1]
                let leftC = leftH * rowsPerHessian
                // Missing values go right: left holds value bins 0...b.
                let rightC = count - leftC
                if leftC >= minCount, rightC >= minCount, leftH >= minHessian, hessian - leftH >= minHessian {
                    let gain = leafScore(leftG, leftH) + leafScore(gradient - leftG, hessian - leftH) - parentScore
                    if gain > bestGain {
                        bestGain = gain
                        found = true
                        // Without missing values in training, unseen missing values follow the larger side.
                        (foundBin, foundMissingLeft) = (b, !hasMissing && leftC > rightC)
                        (foundG, foundH, foundC) = (leftG, leftH, leftC)
                    }
                }
                // Missing values go left with bins 0...b.
                guard hasMissing else { continue }
                let withG = leftG + missingG, withH = leftH + missingH, withC = leftC + missingC
                if withC >= minCount, count - withC >= minCount, withH >= minHessian, hessian - withH >= minHessian {
                    let gain = leafScore(withG, withH) + leafScore(gradient - withG, hessian - withH) - parentScore
                    if gain > bestGain {
                        bestGain = gain
                        found = true
                        (foundBin, foundMissingLeft) = (b, true)
                        (foundG, foundH, foundC) = (withG, withH, withC)
                    }
                }
            }
            if found {
                best = SplitCandidate(gain: bestGain, feature: f, bin: foundBin, missingLeft: foundMissingLeft,
                                      leftGradient: foundG, leftHessian: foundH, leftCount: foundC)
            }
        }
        return best
    }
}
