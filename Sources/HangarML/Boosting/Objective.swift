import Foundation

/// A row's gradient and hessian side by side, so gathering a leaf's rows reads one 8-byte value per row.
typealias GradientPair = SIMD2<Float>

/// The loss boosting minimizes, with its gradients and starting scores.
///
/// Scores and gradient pairs are class-major: output `k` of row `r` is at `k * rowCount + r`.
enum Objective: Sendable {
    /// Squared error on numbers.
    case squaredError
    /// Log loss on the probability of class 1.
    case binaryLogLoss
    /// Log loss on softmax probabilities of `classes` classes.
    case softmax(classes: Int)

    init(task: TaskKind, classes: Int) {
        switch task {
        case .regression: self = .squaredError
        case .binaryClassification: self = .binaryLogLoss
        case .multiclassClassification: self = .softmax(classes: classes)
        }
    }

    /// How many scores each row has (trees per iteration).
    var outputCount: Int {
        if case .softmax(let classes) = self { return classes }
        return 1
    }

    var link: OutputLink {
        switch self {
        case .squaredError: .identity
        case .binaryLogLoss: .sigmoid
        case .softmax: .softmax
        }
    }

    /// The best constant score per output: the mean, the log-odds of the base rate, or log class priors.
    func initialScores(labels: [Double]) -> [Double] {
        let n = Double(labels.count)
        switch self {
        case .squaredError:
            return [labels.reduce(0, +) / n]
        case .binaryLogLoss:
            let p = min(max(labels.reduce(0, +) / n, 1e-15), 1 - 1e-15)
            return [log(p / (1 - p))]
        case .softmax(let classes):
            var counts = [Double](repeating: 0, count: classes)
            for label in labels { counts[Int(label)] += 1 }
            return counts.map { log(max($0 / n, 1e-15)) }
        }
    }

    /// Writes the gradient pairs of rows `range` for the current scores.
    func gradients(scores: UnsafePointer<Double>, labels: UnsafePointer<Double>, rowCount n: Int, range: Range<Int>,
                   pairs: UnsafeMutablePointer<GradientPair>)
    {
        switch self {
        case .squaredError:
            for r in range { pairs[r] = GradientPair(Float(scores[r] - labels[r]), 1) }
        case .binaryLogLoss:
            for r in range {
                let p = 1 / (1 + exp(-scores[r]))
                pairs[r] = GradientPair(Float(p - labels[r]), Float(max(p * (1 - p), 1e-16)))
            }
        case .softmax(let classes):
            // LightGBM's factor K/(K-1) keeps hessians comparable to the binary case.
            let factor = Double(classes) / Double(classes - 1)
            withUnsafeTemporaryAllocation(of: Double.self, capacity: classes) { p in
                for r in range {
                    var maximum = -Double.infinity
                    for k in 0..<classes { maximum = max(maximum, scores[k * n + r]) }
                    var sum = 0.0
                    for k in 0..<classes {
                        p[k] = exp(scores[k * n + r] - maximum)
                        sum += p[k]
                    }
                    let label = Int(labels[r])
                    for k in 0..<classes {
                        let probability = p[k] / sum
                        pairs[k * n + r] = GradientPair(Float(probability - (k == label ? 1 : 0)),
                                                        Float(max(factor * probability * (1 - probability), 1e-16)))
                    }
                }
            }
        }
    }

    /// Mean loss of scores against labels: squared error, or log loss of the predicted probabilities.
    func loss(scores: UnsafePointer<Double>, labels: UnsafePointer<Double>, rowCount n: Int) -> Double {
        guard n > 0 else { return 0 }
        var total = 0.0
        switch self {
        case .squaredError:
            for r in 0..<n { total += (scores[r] - labels[r]) * (scores[r] - labels[r]) }
        case .binaryLogLoss:
            for r in 0..<n {
                // log(1 + exp(-s)) for label 1, log(1 + exp(s)) for label 0, computed stably.
                let s = labels[r] > 0.5 ? scores[r] : -scores[r]
                total += s > 0 ? log1p(exp(-s)) : -s + log1p(exp(s))
            }
        case .softmax(let classes):
            for r in 0..<n {
                var maximum = -Double.infinity
                for k in 0..<classes { maximum = max(maximum, scores[k * n + r]) }
                var sum = 0.0
                for k in 0..<classes { sum += exp(scores[k * n + r] - maximum) }
                total += maximum + log(sum) - scores[Int(labels[r]) * n + r]
            }
        }
        return total / Double(n)
    }
}
