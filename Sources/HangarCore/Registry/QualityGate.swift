import Foundation

/// A quality gate: `metric comparator threshold`, e.g. `roc_auc >= 0.75`.
public struct QualityGate: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Comparator: String, Sendable, Codable, CaseIterable {
        case greaterOrEqual = ">="
        case greater = ">"
        case lessOrEqual = "<="
        case less = "<"
        case equal = "=="
        case notEqual = "!="

        func holds(_ value: Double, _ threshold: Double) -> Bool {
            switch self {
            case .greaterOrEqual: value >= threshold
            case .greater: value > threshold
            case .lessOrEqual: value <= threshold
            case .less: value < threshold
            case .equal: value == threshold
            case .notEqual: value != threshold
            }
        }
    }

    public var metric: String
    public var comparator: Comparator
    public var threshold: Double

    public var description: String { "\(metric) \(comparator.rawValue) \(threshold)" }

    /// Parses a rule such as `accuracy >= 0.85`; anything else is INVALID_PARAMETER_VALUE with the reason.
    public init(parsing text: String) throws(HangarError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Two-character comparators first, so `>=` is not read as `>`.
        let ordered: [Comparator] = [.greaterOrEqual, .lessOrEqual, .equal, .notEqual, .greater, .less]
        for comparator in ordered {
            guard let range = trimmed.range(of: comparator.rawValue) else { continue }
            let metric = trimmed[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            let number = trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces)
            guard !metric.isEmpty, metric.allSatisfy({ $0.isLetter || $0.isNumber || "_.-/".contains($0) }) else {
                throw .invalid("Malformed gate '\(text)': the metric name must be letters, digits, '_', '.', '-' or '/'")
            }
            guard let threshold = Double(number), threshold.isFinite else {
                throw .invalid("Malformed gate '\(text)': '\(number)' is not a number")
            }
            self.metric = metric
            self.comparator = comparator
            self.threshold = threshold
            return
        }
        throw .invalid("Malformed gate '\(text)': expected 'metric >= number' (comparators: >=, >, <=, <, ==, !=)")
    }

    /// Whether a metric value passes this gate.
    public func passes(_ value: Double) -> Bool { !value.isNaN && comparator.holds(value, threshold) }
}

/// The outcome of evaluating a model's gates on one version.
public struct GateEvaluation: Sendable, Codable, Equatable {
    /// One gate's outcome; `value` is nil when the metric is missing.
    public struct Result: Sendable, Codable, Equatable {
        public var gate: String
        public var value: Double?
        public var passed: Bool

        public init(gate: String, value: Double?, passed: Bool) {
            self.gate = gate
            self.value = value
            self.passed = passed
        }
    }

    public var passed: Bool
    /// Why the version is not approved yet, e.g. `metric 'roc_auc' is missing`.
    public var reason: String?
    public var results: [Result]
    public var evaluatedAt: Int64

    public init(passed: Bool, reason: String?, results: [Result], evaluatedAt: Int64) {
        self.passed = passed
        self.reason = reason
        self.results = results
        self.evaluatedAt = evaluatedAt
    }

    /// Evaluates gates against the metrics a version's run or logged model recorded.
    public static func evaluate(_ gates: [QualityGate], metrics: [String: Double], at time: Int64) -> GateEvaluation {
        var results: [Result] = []
        var missing: [String] = []
        var failed: [String] = []
        for gate in gates {
            let value = metrics[gate.metric]
            let passed = value.map(gate.passes) ?? false
            if value == nil { missing.append(gate.metric) } else if !passed { failed.append(gate.description) }
            results.append(Result(gate: gate.description, value: value, passed: passed))
        }
        var reasons: [String] = []
        if !missing.isEmpty { reasons.append("missing metric(s): \(missing.joined(separator: ", "))") }
        if !failed.isEmpty { reasons.append("failed gate(s): \(failed.joined(separator: ", "))") }
        return GateEvaluation(
            passed: missing.isEmpty && failed.isEmpty, reason: reasons.isEmpty ? nil : reasons.joined(separator: "; "),
            results: results, evaluatedAt: time)
    }
}
