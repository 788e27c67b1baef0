import Foundation

/// Settings of logistic regression; defaults match scikit-learn's `LogisticRegression()` (C = 1).
public struct LogisticRegressionConfig: Sendable, Codable, Equatable {
    /// L2 penalty `l2 / 2 * |w|^2` on standardized coefficients, added to the summed log loss (scikit-learn's 1/C).
    public var l2 = 1.0
    /// Most optimizer iterations.
    public var maxIterations = 500
    /// Threads that evaluate the loss over row chunks.
    public var threads = ProcessorCount.available

    /// scikit-learn's defaults.
    public init() {}
}

/// Fits binary or multinomial logistic regression on standardized features with L-BFGS.
public struct LogisticRegressionTrainer: Sendable {
    /// The settings used.
    public var config: LogisticRegressionConfig
    /// Whether the model records a digest and profile of its training data (off for cross-validation folds).
    var recordsTrainingData = true

    /// A trainer with the given settings.
    public init(config: LogisticRegressionConfig = LogisticRegressionConfig()) {
        self.config = config
    }

    /// Fits `target` (two classes: binary, more: multinomial softmax) on every other column of `frame`.
    public func train(_ frame: DataFrame, target: String) throws(TrainingError) -> TabularModel {
        guard config.l2 >= 0 else { throw .invalidSetting("l2 must not be negative") }
        guard config.maxIterations >= 1, config.threads >= 1 else {
            throw .invalidSetting("maxIterations and threads must be at least 1")
        }
        var inputs = try TrainingInputs(frame: frame, target: target, task: nil, validation: nil)
        if inputs.target.spec.task == .regression {
            // A numeric target with many values: read it as classes anyway, as asked.
            inputs = try TrainingInputs(frame: frame, target: target, task: .binaryClassification, validation: nil)
        }
        let n = inputs.rowCount
        let design = LinearFunction.inputs(schema: inputs.schema, columns: inputs.columns, rowCount: n)
        let x = LinearFunction.designMatrix(inputs: design, columns: inputs.columns, rowCount: n)
        let p = design.reduce(0) { $0 + $1.width }
        let classes = inputs.target.classCount
        let outputs = classes == 2 ? 1 : classes
        let loss = LogisticLoss(x: x, labels: inputs.target.values, rows: n, width: p, outputs: outputs,
                                l2: config.l2, threads: config.threads)
        var optimizer = LBFGS()
        optimizer.maxIterations = config.maxIterations
        optimizer.gradientTolerance = 1e-5
        let parameters = optimizer.minimize(start: [Double](repeating: 0, count: outputs * (p + 1))) { w, gradient in
            loss.evaluate(w, gradient: &gradient)
        }
        // Parameters: per output, p weights then the intercept.
        var weights: [Double] = []
        var intercepts: [Double] = []
        for k in 0..<outputs {
            weights += parameters[(k * (p + 1))..<(k * (p + 1) + p)]
            intercepts.append(parameters[k * (p + 1) + p])
        }
        let function = LinearFunction(inputs: design, weights: weights, intercepts: intercepts,
                                      link: outputs == 1 ? .sigmoid : .softmax)
        return TabularModel(schema: inputs.schema, target: inputs.target.spec, family: .logisticRegression,
                            report: TrainingReport(iterations: 1, bestIteration: 1), learner: .linear(function))
            .recordingTrainingData(recordsTrainingData ? frame : nil, threads: config.threads)
    }
}

/// Summed log loss plus the L2 penalty, and its gradient, over a row-major design matrix.
struct LogisticLoss: Sendable {
    let x: [Double]
    let labels: [Double]
    let rows: Int
    let width: Int
    let outputs: Int
    let l2: Double
    let threads: Int

    func evaluate(_ w: [Double], gradient: inout [Double]) -> Double {
        let chunks = max(1, min(8, rows / 8_192))
        let parts = ChunkResults<(Double, [Double])>(count: chunks)
        parallelFor(chunks: chunks, threads: threads) { chunk in
            parts.set(chunk, self.partial(w, rows: chunkRange(chunk, of: chunks, count: self.rows)))
        }
        var value = 0.0
        for i in gradient.indices { gradient[i] = 0 }
        for (partValue, partGradient) in parts.collect() {
            value += partValue
            for i in gradient.indices { gradient[i] += partGradient[i] }
        }
        let stride = width + 1
        for k in 0..<outputs {
            for j in 0..<width {
                let weight = w[k * stride + j]
                value += 0.5 * l2 * weight * weight
                gradient[k * stride + j] += l2 * weight
            }
        }
        return value
    }

    private func partial(_ w: [Double], rows range: Range<Int>) -> (Double, [Double]) {
        let stride = width + 1
        var gradient = [Double](repeating: 0, count: w.count)
        var value = 0.0
        var scores = [Double](repeating: 0, count: outputs)
        x.withUnsafeBufferPointer { x in
            for r in range {
                let row = x.baseAddress! + r * width
                for k in 0..<outputs {
                    var s = w[k * stride + width]
                    for j in 0..<width { s += w[k * stride + j] * row[j] }
                    scores[k] = s
                }
                let label = Int(labels[r])
                if outputs == 1 {
                    let s = label == 1 ? scores[0] : -scores[0]
                    value += s > 0 ? log1p(exp(-s)) : -s + log1p(exp(s))
                    let residual = 1 / (1 + exp(-scores[0])) - Double(label)
                    for j in 0..<width { gradient[j] += residual * row[j] }
                    gradient[width] += residual
                } else {
                    let maximum = scores.max()!
                    var sum = 0.0
                    for k in 0..<outputs { sum += exp(scores[k] - maximum) }
                    value += maximum + log(sum) - scores[label]
                    for k in 0..<outputs {
                        let residual = exp(scores[k] - maximum) / sum - (k == label ? 1 : 0)
                        for j in 0..<width { gradient[k * stride + j] += residual * row[j] }
                        gradient[k * stride + width] += residual
                    }
                }
            }
        }
        return (value, gradient)
    }
}
