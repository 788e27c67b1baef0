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
        let minCount = Double(settings.minDataInLeaf)
        let minHessian = settings.minSumHessianInLeaf
        var best: SplitCandidate?
        var bestGain = settings.minGainToSplit
        for f in features {
            let bins = data.featureBins[f]
            let base = histogram + data.histogramOffsets[f] * 3
            let missing = base + bins.missingBin * 3
            let missingG = missing[0], missingH = missing[1], missingC = missing[2]
            var leftG = 0.0, leftH = 0.0, leftC = 0.0
            for b in 0..<bins.valueBinCount {
                leftG += base[b * 3]
                leftH += base[b * 3 + 1]
                leftC += base[b * 3 + 2]
                // Missing values go right: left holds value bins 0...b.
                let rightC = count - leftC
                if leftC >= minCount, rightC >= minCount, leftH >= minHessian, hessian - leftH >= minHessian {
                    let gain = leafScore(leftG, leftH) + leafScore(gradient - leftG, hessian - leftH) - parentScore
                    if gain > bestGain {
                        bestGain = gain
                        // Without missing values in training, unseen missing values follow the larger side.
                        let missingLeft = missingC == 0 && leftC > rightC
                        best = SplitCandidate(gain: gain, feature: f, bin: b, missingLeft: missingLeft,
                                              leftGradient: leftG, leftHessian: leftH, leftCount: leftC)
                    }
                }
                // Missing values go left with bins 0...b.
                guard missingC > 0 else { continue }
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
