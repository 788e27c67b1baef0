import Foundation

/// Trains a good model from a table and a target with no tuning by hand: tries the learner families, tunes
/// each by cross-validation, and refits the best on all rows.
public enum AutoML {
    /// Runs AutoML on `frame`.
    /// - Parameters:
    ///   - task: what to predict; `nil` detects it from the target column.
    ///   - timeColumn: orders rows for forecasting; folds then never train on the future, and the column is not
    ///     used as a feature.
    ///   - groupColumn: keeps the rows of a group (e.g. a lounge) in one fold when there is no time column, and
    ///     separates the series of lags and rolling means.
    ///   - preprocessing: holiday calendar, lags and rolling means; date columns always become date parts. The
    ///     fitted steps are saved in the model and replayed by `predict`.
    ///   - budget: trials in total (each family gets a share, at least one) and an optional time limit.
    ///   - folds: cross-validation folds (time-ordered splits use this many windows); `nil` picks by size: one
    ///     stratified 80/20 holdout split from `holdoutRows` rows on (when there is no time or group column), else
    ///     5 folds.
    ///   - metric: ranks candidates; `nil` uses ROC AUC, log loss or RMSE by task.
    ///   - seed: makes the run reproducible for a given trial budget.
    ///   - progress: called after every trial.
    public static func run(_ frame: DataFrame, target: String, task: TaskKind? = nil, timeColumn: String? = nil,
                           groupColumn: String? = nil, preprocessing: PreprocessingOptions = PreprocessingOptions(),
                           budget: SearchBudget, folds: Int? = nil,
                           metric: SelectionMetric? = nil, seed: UInt64 = 0,
                           threads: Int = ProcessorCount.available,
                           progress: ((AutoMLProgress) -> Void)? = nil) throws(AutoMLError) -> AutoMLResult
    {
        let start = ContinuousClock.now
        let encoded: EncodedTarget
        do {
            encoded = try EncodedTarget.encode(frame: frame, name: target, task: task)
            try FiniteFeatures.check(frame, except: target)
        } catch {
            throw .training(error)
        }
        let task = encoded.spec.task
        let splits = try Self.folds(frame: frame, target: encoded, timeColumn: timeColumn, groupColumn: groupColumn,
                                    count: folds, seed: seed)
        let (steps, features) = try learnerFrame(frame, target: target, timeColumn: timeColumn,
                                                 groupColumn: groupColumn, options: preprocessing)
        var validation: CrossValidation
        do {
            validation = try CrossValidation(frame: features, target: target, task: task, folds: splits, metric: metric)
        } catch {
            throw .training(error)
        }
        validation.threads = threads
        let plan = familyPlan(task: task, trials: budget.trials)
        guard budget.trials >= plan.count else { throw .budgetTooSmall(trials: budget.trials, needed: plan.count) }
        var trials: [Trial] = []
        var finished = 0
        var best: Double?
        // Counts every trial, keeps the best score on all rows, and tells the caller.
        let report = { (trial: Trial) in
            finished += 1
            if trial.resource == 1, trial.failure == nil,
               best.map({ validation.metric.isBetter(trial.mean, than: $0) }) ?? true
            {
                best = trial.mean
            }
            progress?(AutoMLProgress(finished: finished, planned: budget.trials, latest: trial, best: best))
        }
        for (index, (family, share, strategy)) in plan.enumerated() {
            // Time left is shared among the families still to run, so cheap families hand on what they save; the
            // families get `searchShare` of the budget, the leading family's follow-up the rest.
            var familyBudget = SearchBudget(trials: share)
            if let seconds = budget.seconds {
                let left = seconds * searchShare - (ContinuousClock.now - start).seconds
                let weight = Double(share) / Double(plan[index...].reduce(0) { $0 + $1.trials })
                familyBudget.seconds = max(0, left * weight)
            }
            let search = HyperparameterSearch(family: family, strategy: strategy,
                                              seed: SplitMix64.derive(seed, UInt64(index) + 1))
            trials += search.run(validation, budget: familyBudget, progress: report)
        }
        // Time the families left unused goes on the leading family: boosting grows its best candidate while that
        // improves (see `climb`); the others get a second search, when an evaluation on all rows fits at least one
        // and a half times in it (never under a trial budget alone: that stays reproducible).
        if let seconds = budget.seconds, let leading = HyperparameterSearch.best(of: trials), leading.resource == 1 {
            let left = seconds - (ContinuousClock.now - start).seconds
            let trialsLeft = budget.trials - finished
            if leading.family == .gradientBoostedTrees {
                trials += climb(from: leading, validation: validation, budget: SearchBudget(trials: trialsLeft,
                                seconds: left), seed: seed, progress: report)
            } else if trialsLeft > 0, left > 1.5 * leading.seconds {
                // Halving pays off only when many candidates fit; otherwise each candidate goes to all rows.
                let halving = leading.family == .randomForest && left > 6 * leading.seconds
                let strategy: SearchStrategy = halving ? .successiveHalving(reduction: 3) : .random
                let search = HyperparameterSearch(family: leading.family, strategy: strategy,
                                                  seed: SplitMix64.derive(seed, 0xA5EC0D))
                trials += search.run(validation, budget: SearchBudget(trials: trialsLeft, seconds: left),
                                     progress: report)
            }
        }
        guard let winner = HyperparameterSearch.best(of: trials) else {
            throw .noSuccessfulTrial(reason: trials.first?.failure ?? "no trial ran within the time budget")
        }
        var model: TabularModel
        do {
            model = try winner.family.train(features, target: target, task: task, parameters: winner.parameters,
                                            seed: seed, threads: threads)
        } catch {
            throw .training(error)
        }
        model = attaching(steps, to: model, given: frame, threads: threads)
        model.metrics["cv_\(validation.metric.rawValue)_mean"] = winner.mean
        model.metrics["cv_\(validation.metric.rawValue)_std"] = winner.standardDeviation
        let leaderboard = trials.filter { $0.resource == winner.resource && $0.failure == nil }
            .sorted { validation.metric.isBetter($0.mean, than: $1.mean) }
            .map(LeaderboardEntry.init)
        return AutoMLResult(task: task, metric: validation.metric, leaderboard: leaderboard, trials: trials,
                            model: model)
    }

    /// Share of a time budget the families' searches get; the rest goes on the leading family (see `run`).
    static let searchShare = 0.6

    /// The families to try for `task`, with their share of the trials and their strategy: boosting gets half,
    /// the forest and the linear model a quarter each (the linear model needs few).
    static func familyPlan(task: TaskKind, trials: Int)
        -> [(family: TabularModel.Family, trials: Int, strategy: SearchStrategy)]
    {
        let linear: TabularModel.Family = task == .regression ? .linearRegression : .logisticRegression
        let linearTrials = max(1, min(8, trials / 4))
        let forestTrials = max(1, (trials - linearTrials) / 3)
        let boostingTrials = max(1, trials - linearTrials - forestTrials)
        return [
            (linear, linearTrials, .random),
            (.randomForest, forestTrials, .successiveHalving(reduction: 3)),
            (.gradientBoostedTrees, boostingTrials, .successiveHalving(reduction: 3)),
        ]
    }
}
