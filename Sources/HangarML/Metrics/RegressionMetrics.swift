/// Metrics of predicted numbers against true numbers.
public enum RegressionMetrics {
    /// Root mean squared error.
    public static func rmse(targets: [Double], predictions: [Double]) throws(MetricError) -> Double {
        try checkLengths(targets.count, predictions.count)
        let sum = zip(targets, predictions).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return (sum / Double(targets.count)).squareRoot()
    }

    /// Mean absolute error.
    public static func mae(targets: [Double], predictions: [Double]) throws(MetricError) -> Double {
        try checkLengths(targets.count, predictions.count)
        return zip(targets, predictions).reduce(0.0) { $0 + abs($1.0 - $1.1) } / Double(targets.count)
    }

    /// Mean absolute percentage error as a fraction (0.1 = 10%); a zero target makes it undefined.
    public static func mape(targets: [Double], predictions: [Double]) throws(MetricError) -> Double {
        try checkLengths(targets.count, predictions.count)
        var sum = 0.0
        for (target, prediction) in zip(targets, predictions) {
            guard target != 0 else { throw .invalidValue("MAPE is undefined when a target is 0") }
            sum += abs((target - prediction) / target)
        }
        return sum / Double(targets.count)
    }

    /// Coefficient of determination: 1 - SSE / total sum of squares (1 is perfect, 0 is the mean's score).
    public static func r2(targets: [Double], predictions: [Double]) throws(MetricError) -> Double {
        try checkLengths(targets.count, predictions.count)
        let mean = targets.reduce(0, +) / Double(targets.count)
        let total = targets.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }
        let residual = zip(targets, predictions).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        guard total > 0 else { return residual == 0 ? 1 : 0 }
        return 1 - residual / total
    }
}
