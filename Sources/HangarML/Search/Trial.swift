/// How much a search may spend: a number of trials, and optionally a wall-clock limit.
///
/// With the same seed and trial count a search gives the same trials. A time limit cuts that list short (sending
/// the best candidate so far to all rows when the schedule no longer fits), and AutoML gives time its families
/// leave unused to a second search of the leading family.
public struct SearchBudget: Sendable, Equatable {
    /// Most cross-validated evaluations (each candidate at each successive-halving rung counts once).
    public var trials: Int
    /// Seconds after which no new trial starts (but the one that scores the best candidate on all rows); `nil` means
    /// no limit.
    public var seconds: Double?

    /// Creates a budget.
    public init(trials: Int, seconds: Double? = nil) {
        self.trials = trials
        self.seconds = seconds
    }
}

/// How a search spends its trials.
public enum SearchStrategy: Sendable, Equatable {
    /// Every candidate is cross-validated on all training rows.
    case random
    /// Candidates are first scored on a share of the training rows; the best 1/`reduction` move on to
    /// `reduction` times more rows, until the survivors are scored on all rows.
    case successiveHalving(reduction: Int)
}

/// One cross-validated evaluation of a learner family with given hyperparameters.
public struct Trial: Sendable, Equatable {
    /// The learner family.
    public var family: TabularModel.Family
    /// The hyperparameters tried.
    public var parameters: ParameterSet
    /// Which candidate of the search this is (0 is the family's defaults).
    public var candidate: Int
    /// Share of each fold's training rows used (1 = all; less on early successive-halving rungs).
    public var resource: Double
    /// The metric scored.
    public var metric: SelectionMetric
    /// The metric on each fold.
    public var foldScores: [Double]
    /// Why training failed, if it did (then `mean` is `NaN`).
    public var failure: String?
    /// Wall-clock seconds the trial took (informational; never part of a result's reproducible content).
    public var seconds: Double

    /// Mean of the fold scores, `NaN` when the trial failed.
    public var mean: Double {
        guard failure == nil, !foldScores.isEmpty else { return .nan }
        return foldScores.reduce(0, +) / Double(foldScores.count)
    }

    /// Population standard deviation of the fold scores (as scikit-learn's `std_test_score`).
    public var standardDeviation: Double {
        guard failure == nil, !foldScores.isEmpty else { return .nan }
        let m = mean
        return (foldScores.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(foldScores.count)).squareRoot()
    }
}
