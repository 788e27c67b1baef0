/// One tuned candidate on the AutoML leaderboard.
public struct LeaderboardEntry: Sendable, Equatable {
    /// The learner family.
    public var family: TabularModel.Family
    /// Its hyperparameters.
    public var parameters: ParameterSet
    /// Cross-validated metric, mean over folds.
    public var mean: Double
    /// Cross-validated metric, standard deviation over folds.
    public var standardDeviation: Double
    /// Share of training rows the score was measured on (1 unless a halving rung stopped it earlier).
    public var resource: Double
    /// Wall-clock seconds of the trial.
    public var seconds: Double

    init(_ trial: Trial) {
        family = trial.family
        parameters = trial.parameters
        mean = trial.mean
        standardDeviation = trial.standardDeviation
        resource = trial.resource
        seconds = trial.seconds
    }
}

/// What AutoML reports while it runs.
public struct AutoMLProgress: Sendable, Equatable {
    /// Trials finished so far.
    public var finished: Int
    /// Trials the budget allows.
    public var planned: Int
    /// The trial just finished.
    public var latest: Trial
    /// The best mean score so far on all training rows, if any.
    public var best: Double?
}

/// The outcome of AutoML: the refit model and how every family did.
public struct AutoMLResult: Sendable {
    /// The task learned (given or detected).
    public var task: TaskKind
    /// The metric candidates were ranked by.
    public var metric: SelectionMetric
    /// Candidates scored on all training rows, best first; `trials` also holds the halving rungs.
    public var leaderboard: [LeaderboardEntry]
    /// Every trial in the order run.
    public var trials: [Trial]
    /// The best candidate refit on all rows, with its cross-validated metric among its training metrics.
    public var model: TabularModel
}

/// Why AutoML could not produce a model.
public enum AutoMLError: Error, Equatable, CustomStringConvertible {
    /// The target or the settings are unusable.
    case training(TrainingError)
    /// The rows cannot be split into folds.
    case split(SplitError)
    /// A time or group column is missing or has a kind that cannot order or group rows.
    case unusableColumn(name: String, reason: String)
    /// Derived features (date parts, lags, rolling means) cannot be computed.
    case preprocessing(PreprocessingError)
    /// The budget is too small to try every family once.
    case budgetTooSmall(trials: Int, needed: Int)
    /// Every trial failed; `reason` is the first failure.
    case noSuccessfulTrial(reason: String)

    public var description: String {
        switch self {
        case .training(let error): error.description
        case .split(let error): error.description
        case .unusableColumn(let name, let reason): "column '\(name)' cannot be used: \(reason)"
        case .preprocessing(let error): error.description
        case .budgetTooSmall(let trials, let needed):
            "a budget of \(trials) trials cannot try each of the \(needed) learner families once"
        case .noSuccessfulTrial(let reason): "every trial failed; the first failure: \(reason)"
        }
    }
}
