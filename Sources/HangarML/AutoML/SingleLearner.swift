/// Trains one learner family with fixed settings: scores it on a seeded holdout (stratified for classifiers),
/// then refits it on all rows. The result has AutoML's shape, with a one-entry leaderboard.
public enum SingleLearner {
    /// Scores `family` with `parameters` on a 20% holdout and refits it on every row.
    public static func run(_ frame: DataFrame, target: String, task: TaskKind? = nil, family: TabularModel.Family,
                           parameters: ParameterSet, seed: UInt64 = 0,
                           threads: Int = ProcessorCount.available) throws(AutoMLError) -> AutoMLResult
    {
        let encoded: EncodedTarget
        do {
            encoded = try EncodedTarget.encode(frame: frame, name: target, task: task)
        } catch {
            throw .training(error)
        }
        let task = encoded.spec.task
        guard family.supports(task) else {
            throw .training(.invalidSetting("learner \(family.rawValue) cannot learn a \(task.rawValue) task"))
        }
        let fold: Fold
        do {
            fold = try Splits.holdout(
                rowCount: frame.rowCount, validationFraction: 0.2, seed: seed,
                stratifyBy: task.isClassification ? encoded.values.map { Int($0) } : nil)
        } catch {
            throw .split(error)
        }
        var validation: CrossValidation
        do {
            validation = try CrossValidation(frame: frame, target: target, task: task, folds: [fold])
        } catch {
            throw .training(error)
        }
        validation.threads = threads
        let trial = validation.evaluate(family, parameters: parameters, seed: seed)
        if let failure = trial.failure { throw .training(.invalidSetting(failure)) }
        var model: TabularModel
        do {
            model = try family.train(
                frame, target: target, task: task, parameters: parameters, seed: seed, threads: threads)
        } catch {
            throw .training(error)
        }
        model.metrics["holdout_\(validation.metric.rawValue)"] = trial.mean
        return AutoMLResult(
            task: task, metric: validation.metric, leaderboard: [LeaderboardEntry(trial)], trials: [trial],
            model: model)
    }
}
