import Foundation

/// How one schema feature enters a linear model: standardized numbers (missing → the training mean), or one
/// indicator per training category (missing or unseen → all zero).
struct LinearInput: Sendable, Equatable, Codable {
    var kind: ColumnKind
    var mean: Double
    var scale: Double
    var levelCount: Int

    /// How many design columns the feature takes.
    var width: Int { kind == .categorical ? levelCount : 1 }
}

/// A fitted linear function of the encoded features, with its link (identity, sigmoid or softmax).
struct LinearFunction: Sendable, Equatable {
    var inputs: [LinearInput]
    /// Weights per output over the design columns, output-major.
    var weights: [Double]
    var intercepts: [Double]
    var link: OutputLink

    /// Design columns in total.
    var width: Int { inputs.reduce(0) { $0 + $1.width } }

    /// Encodes one row of schema-ordered feature values into design columns.
    func design(row: UnsafePointer<Float>, into x: UnsafeMutablePointer<Double>) {
        var column = 0
        for (f, input) in inputs.enumerated() {
            let value = row[f]
            if input.kind == .categorical {
                for k in 0..<input.levelCount { x[column + k] = 0 }
                if !value.isNaN, value >= 0, Int(value) < input.levelCount { x[column + Int(value)] = 1 }
            } else {
                x[column] = value.isNaN ? 0 : (Double(value) - input.mean) / input.scale
            }
            column += input.width
        }
    }

    /// Writes the prediction for one row: a number, or one probability per class (two for binary).
    func predict(row: UnsafePointer<Float>, into out: UnsafeMutablePointer<Double>) {
        let width = width
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, width)) { x in
            design(row: row, into: x.baseAddress!)
            weights.withUnsafeBufferPointer { w in
                for k in intercepts.indices {
                    var sum = intercepts[k]
                    for j in 0..<width { sum += w[k * width + j] * x[j] }
                    out[k] = sum
                }
            }
        }
        switch link {
        case .identity, .clip: break
        case .sigmoid:
            let p = 1 / (1 + exp(-out[0]))
            out[0] = 1 - p
            out[1] = p
        case .softmax, .normalize:
            let maximum = (0..<intercepts.count).map { out[$0] }.max()!
            var sum = 0.0
            for k in intercepts.indices {
                out[k] = exp(out[k] - maximum)
                sum += out[k]
            }
            for k in intercepts.indices { out[k] /= sum }
        }
    }

    /// Design inputs fitted on training columns: means and standard deviations of numbers, category counts.
    static func inputs(schema: FeatureSchema, columns: [FeatureColumn], rowCount: Int) -> [LinearInput] {
        zip(schema.features, columns).map { spec, column in
            if spec.kind == .categorical {
                return LinearInput(kind: .categorical, mean: 0, scale: 1, levelCount: spec.levels.count)
            }
            var sum = 0.0, count = 0.0
            for r in 0..<rowCount where !column.value(at: r).isNaN {
                sum += Double(column.value(at: r))
                count += 1
            }
            let mean = count > 0 ? sum / count : 0
            var squares = 0.0
            for r in 0..<rowCount where !column.value(at: r).isNaN {
                let d = Double(column.value(at: r)) - mean
                squares += d * d
            }
            let deviation = count > 0 ? (squares / count).squareRoot() : 0
            return LinearInput(kind: spec.kind, mean: mean, scale: deviation > 1e-12 ? deviation : 1, levelCount: 0)
        }
    }

    /// The row-major design matrix of all training rows.
    static func designMatrix(inputs: [LinearInput], columns: [FeatureColumn], rowCount: Int) -> [Double] {
        let probe = LinearFunction(inputs: inputs, weights: [], intercepts: [], link: .identity)
        let width = probe.width
        var matrix = [Double](repeating: 0, count: rowCount * width)
        var row = [Float](repeating: 0, count: columns.count)
        matrix.withUnsafeMutableBufferPointer { m in
            for r in 0..<rowCount {
                for f in columns.indices { row[f] = columns[f].value(at: r) }
                row.withUnsafeBufferPointer { probe.design(row: $0.baseAddress!, into: m.baseAddress! + r * width) }
            }
        }
        return matrix
    }
}
