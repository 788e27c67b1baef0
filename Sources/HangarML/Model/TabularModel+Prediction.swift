/// Predictions for many rows: a value per row for regression, class probabilities per row for classifiers.
public struct Predictions: Sendable, Equatable {
    /// What was predicted.
    public var task: TaskKind
    /// Class names in probability order (classifiers).
    public var classLabels: [String]
    /// Row-major values, `width` per row.
    public var values: [Double]
    /// Values per row: 1 for regression, the class count for classifiers.
    public var width: Int

    /// The number of rows.
    public var rowCount: Int { values.count / width }

    /// Row `row`'s values (its number, or its class probabilities).
    public func row(_ row: Int) -> [Double] {
        Array(values[(row * width)..<((row + 1) * width)])
    }

    /// The most probable class index per row (classifiers), or `nil` for regression.
    public var predictedClasses: [Int]? {
        guard task.isClassification else { return nil }
        return (0..<rowCount).map { r in
            let probabilities = row(r)
            return probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
        }
    }

    /// The probability of the second class per row (binary classifiers), or `nil`.
    public var positiveProbabilities: [Double]? {
        guard task == .binaryClassification else { return nil }
        return (0..<rowCount).map { values[$0 * 2 + 1] }
    }
}

extension TabularModel {
    /// Predicts every row of `frame`, which must hold the `inputColumns` (others are ignored); the model's
    /// preprocessing is replayed first.
    public func predict(_ frame: DataFrame, threads: Int = ProcessorCount.available) throws(ModelInputError)
        -> Predictions
    {
        let frame = try prepare(frame)
        let columns = try FeatureColumn.columns(of: frame, schema: schema)
        var values = [Double](repeating: 0, count: frame.rowCount * outputWidth)
        let blockRows = 65_536
        var start = 0
        while start < frame.rowCount {
            let range = start..<min(frame.rowCount, start + blockRows)
            let matrix = FeatureColumn.rowMajor(columns, rows: range)
            values.withUnsafeMutableBufferPointer { out in
                matrix.withUnsafeBufferPointer { rows in
                    predict(rows: rows.baseAddress!, rowCount: range.count,
                            into: out.baseAddress! + range.lowerBound * outputWidth, threads: threads)
                }
            }
            start = range.upperBound
        }
        return Predictions(task: target.task, classLabels: target.classLabels, values: values, width: outputWidth)
    }

    /// Predicts one row of feature values in schema order (`NaN` = missing; categories as level indices).
    public func predict(row: [Float]) throws(ModelInputError) -> [Double] {
        guard row.count == schema.features.count else {
            throw .wrongFeatureCount(expected: schema.features.count, found: row.count)
        }
        var out = [Double](repeating: 0, count: outputWidth)
        row.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                predict(row: input.baseAddress!, into: output.baseAddress!)
            }
        }
        return out
    }

    /// The allocation-free single-row path: `row` holds `schema.features.count` values, `out` `outputWidth`.
    public func predict(row: UnsafePointer<Float>, into out: UnsafeMutablePointer<Double>) {
        switch learner {
        case .trees(let ensemble):
            ensemble.predict(row: row, into: out)
            if target.task == .binaryClassification {
                out[1] = out[0]
                out[0] = 1 - out[1]
            }
        case .linear(let function):
            function.predict(row: row, into: out)
        }
    }

    /// Predicts row-major feature rows (`schema.features.count` values each, schema order) into `out`
    /// (`outputWidth` values per row): the batch path for callers that encode rows themselves.
    public func predict(rows: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Double>,
                        threads: Int = ProcessorCount.available) throws(ModelInputError)
    {
        let width = schema.features.count
        guard width > 0, rows.count % width == 0 else {
            throw .wrongFeatureCount(expected: width, found: rows.count % max(width, 1))
        }
        let rowCount = rows.count / width
        precondition(out.count >= rowCount * outputWidth, "output buffer too small")
        guard rowCount > 0 else { return }
        predict(rows: rows.baseAddress!, rowCount: rowCount, into: out.baseAddress!, threads: threads)
    }

    /// Predicts `rowCount` row-major rows into `out` (`outputWidth` values per row).
    func predict(rows: UnsafePointer<Float>, rowCount: Int, into out: UnsafeMutablePointer<Double>, threads: Int) {
        switch learner {
        case .trees(let ensemble) where target.task == .binaryClassification:
            var positive = [Double](repeating: 0, count: rowCount)
            positive.withUnsafeMutableBufferPointer { p in
                ensemble.predict(rows: rows, rowCount: rowCount, into: p.baseAddress!, threads: threads)
            }
            for r in 0..<rowCount {
                out[r * 2] = 1 - positive[r]
                out[r * 2 + 1] = positive[r]
            }
        case .trees(let ensemble):
            ensemble.predict(rows: rows, rowCount: rowCount, into: out, threads: threads)
        case .linear(let function):
            let width = schema.features.count
            for r in 0..<rowCount { function.predict(row: rows + r * width, into: out + r * outputWidth) }
        }
    }
}
