/// Settings of least-squares linear regression.
public struct LinearRegressionConfig: Sendable, Codable, Equatable {
    /// Ridge penalty on the coefficients of standardized features (0 = ordinary least squares).
    public var l2 = 0.0

    /// Ordinary least squares.
    public init() {}
}

/// Fits linear regression in closed form: the normal equations of centered, standardized features.
public struct LinearRegressionTrainer: Sendable {
    /// The settings used.
    public var config: LinearRegressionConfig
    /// Whether the model records a digest and profile of its training data (off for cross-validation folds).
    var recordsTrainingData = true

    /// A trainer with the given settings.
    public init(config: LinearRegressionConfig = LinearRegressionConfig()) {
        self.config = config
    }

    /// Fits `target` on every other column of `frame`.
    public func train(_ frame: DataFrame, target: String) throws(TrainingError) -> TabularModel {
        guard config.l2 >= 0 else { throw .invalidSetting("l2 must not be negative") }
        let inputs = try TrainingInputs(frame: frame, target: target, task: .regression, validation: nil)
        let n = inputs.rowCount
        let design = LinearFunction.inputs(schema: inputs.schema, columns: inputs.columns, rowCount: n)
        let x = LinearFunction.designMatrix(inputs: design, columns: inputs.columns, rowCount: n)
        let p = design.reduce(0) { $0 + $1.width }
        let y = inputs.target.values
        // Centering every design column and the target leaves the intercept out of the system.
        var means = [Double](repeating: 0, count: p)
        for r in 0..<n { for j in 0..<p { means[j] += x[r * p + j] } }
        for j in 0..<p { means[j] /= Double(n) }
        let meanY = y.reduce(0, +) / Double(n)
        var gram = [Double](repeating: 0, count: p * p)
        var moment = [Double](repeating: 0, count: p)
        var centered = [Double](repeating: 0, count: p)
        for r in 0..<n {
            for j in 0..<p { centered[j] = x[r * p + j] - means[j] }
            let yc = y[r] - meanY
            for i in 0..<p {
                moment[i] += centered[i] * yc
                for j in 0...i { gram[i * p + j] += centered[i] * centered[j] }
            }
        }
        for i in 0..<p {
            for j in 0..<i { gram[j * p + i] = gram[i * p + j] }
            gram[i * p + i] += config.l2
        }
        let weights = p == 0 ? [] : CholeskySolver.solve(gram, moment, n: p)
        let intercept = meanY - zip(weights, means).reduce(0) { $0 + $1.0 * $1.1 }
        let function = LinearFunction(inputs: design, weights: weights, intercepts: [intercept], link: .identity)
        return TabularModel(schema: inputs.schema, target: inputs.target.spec, family: .linearRegression,
                            report: TrainingReport(iterations: 1, bestIteration: 1), learner: .linear(function))
            .recordingTrainingData(recordsTrainingData ? frame : nil, threads: ProcessorCount.available)
    }
}
