/// Metrics of how well scores rank positives above negatives (binary labels: `true` is positive).
public enum RankingMetrics {
    /// Area under the ROC curve; tied scores count one half (the Mann-Whitney statistic).
    public static func rocAUC(labels: [Bool], scores: [Double]) throws(MetricError) -> Double {
        try checkLengths(labels.count, scores.count)
        let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { throw .singleClass }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        // Sum of the average ranks of the positives, ranks starting at 1, ties sharing their average rank.
        var rankSum = 0.0
        var i = 0
        while i < order.count {
            var j = i
            var positivesInTie = 0
            while j < order.count, j == i || scores[order[j]] == scores[order[i]] {
                if labels[order[j]] { positivesInTie += 1 }
                j += 1
            }
            let averageRank = Double(i + 1 + j) / 2
            rankSum += averageRank * Double(positivesInTie)
            i = j
        }
        let p = Double(positives)
        return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// Area under the precision-recall curve as average precision: sum over thresholds of
    /// (recall gain) x precision, the step-wise definition scikit-learn's `average_precision_score` uses.
    public static func prAUC(labels: [Bool], scores: [Double]) throws(MetricError) -> Double {
        try checkLengths(labels.count, scores.count)
        let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard positives > 0 else { throw .singleClass }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var truePositives = 0
        var seen = 0
        var previousRecall = 0.0
        var area = 0.0
        var i = 0
        while i < order.count {
            // Rows with equal scores cross the threshold together.
            var j = i
            while j < order.count, j == i || scores[order[j]] == scores[order[i]] {
                if labels[order[j]] { truePositives += 1 }
                j += 1
            }
            seen = j
            let recall = Double(truePositives) / Double(positives)
            let precision = Double(truePositives) / Double(seen)
            area += (recall - previousRecall) * precision
            previousRecall = recall
            i = j
        }
        return area
    }
}
