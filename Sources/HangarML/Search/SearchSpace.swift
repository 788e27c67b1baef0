import Foundation

/// Hyperparameter values by name, as a search draws them; whole-number settings hold whole numbers.
public struct ParameterSet: Sendable, Codable, Hashable, CustomStringConvertible {
    /// Values by parameter name.
    public var values: [String: Double]

    /// Creates a set from values by name.
    public init(_ values: [String: Double] = [:]) {
        self.values = values
    }

    /// The value of `name`, or `fallback` when the set does not hold it.
    public func value(_ name: String, or fallback: Double) -> Double {
        values[name] ?? fallback
    }

    /// Parameters in name order, e.g. `learningRate=0.1 numLeaves=31`.
    public var description: String {
        values.keys.sorted().map { name in
            let v = values[name]!
            return v == v.rounded() && abs(v) < 1e9 ? "\(name)=\(Int(v))" : "\(name)=\(String(format: "%.4g", v))"
        }.joined(separator: " ")
    }
}

/// The values one hyperparameter may take.
public enum ParameterRange: Sendable, Equatable {
    /// Whole numbers in a range; with `logScale`, drawn uniformly in log space.
    case integer(ClosedRange<Int>, logScale: Bool)
    /// Real numbers in a range; with `logScale`, drawn uniformly in log space (bounds must be positive).
    case real(ClosedRange<Double>, logScale: Bool)

    /// One value drawn from the range.
    func sample(_ generator: inout SplitMix64) -> Double {
        let u = Double(generator.next() >> 11) * 0x1.0p-53
        switch self {
        case .integer(let range, let logScale):
            let low = Double(range.lowerBound), high = Double(range.upperBound) + 1
            let v = logScale ? exp(log(low) + u * (log(high) - log(low))) : low + u * (high - low)
            return min(Double(range.upperBound), max(Double(range.lowerBound), v.rounded(.down)))
        case .real(let range, let logScale):
            let low = range.lowerBound, high = range.upperBound
            return logScale ? exp(log(low) + u * (log(high) - log(low))) : low + u * (high - low)
        }
    }
}

/// One named hyperparameter and its range.
public struct SearchParameter: Sendable, Equatable {
    /// The parameter name, as the learner family reads it.
    public var name: String
    /// The values it may take.
    public var range: ParameterRange

    /// Creates a parameter.
    public init(_ name: String, _ range: ParameterRange) {
        self.name = name
        self.range = range
    }
}

/// The hyperparameters a search varies, and the starting point it tries first.
public struct SearchSpace: Sendable, Equatable {
    /// The parameters varied, in draw order.
    public var parameters: [SearchParameter]
    /// Settings tried as the first candidate (a learner's defaults), so a search never does worse than them.
    public var initial: ParameterSet

    /// Creates a space.
    public init(parameters: [SearchParameter], initial: ParameterSet = ParameterSet()) {
        self.parameters = parameters
        self.initial = initial
    }

    /// `count` candidates: the initial point, then draws from `generator` (the same seed gives the same list).
    func candidates(_ count: Int, generator: inout SplitMix64) -> [ParameterSet] {
        guard count > 0 else { return [] }
        var result = [initial]
        while result.count < count {
            var values = initial.values
            for parameter in parameters { values[parameter.name] = parameter.range.sample(&generator) }
            result.append(ParameterSet(values))
        }
        return result
    }
}
