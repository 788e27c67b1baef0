/// Trains one learner family with fixed settings: scores it on a holdout (seeded and stratified for classifiers,
/// or the latest times with a time column), then refits it on all rows. The result has AutoML's shape, with a
/// one-entry leaderboard.
public enum SingleLearner {
    /// Scores `family` with `parameters` on a 20% holdout and refits it on every row.
    /// - Parameters:
    ///   - timeColumn: holds out the latest fifth of the times instead of random rows, feeds lags and rolling
    ///     means, and is not used as a feature (a date column still gives its date parts).
    ///   - groupColumn: separates the series of lags and rolling means.
    ///   - preprocessing: holiday calendar, lags and rolling means, as for `AutoML.run`.
    public static func run(_ frame: DataFrame, target: String, task: TaskKind? = nil, family: TabularModel.Family,
                           parameters: ParameterSet, timeColumn: String? = nil, groupColumn: String? = nil,
                           preprocessing: PreprocessingOptions = PreprocessingOptions(), seed: UInt64 = 0,
                           threads: Int = ProcessorCount.available) throws(AutoMLError) -> AutoMLResult
    {
        let encoded: EncodedTarget
        do {
            encoded = try EncodedTarget.encode(frame: frame, name: target, task: task)
            try FiniteFeatures.check(frame, except: target)
        } catch {
            throw .training(error)
        }
        let task = encoded.spec.task
        guard family.supports(task) else {
            throw .training(.invalidSetting("learner \(family.rawValue) cannot learn a \(task.rawValue) task"))
        }
        if let groupColumn, frame[groupColumn] == nil { throw .unusableColumn(name: groupColumn, reason: "not in the data") }
        let times = try timeColumn.map { name throws(AutoMLError) in try AutoML.orderKeys(frame, name) }
        let fold: Fold
        do {
            if let times {
                // The last of four expanding windows: train on the first four fifths of the times.
                fold = try Splits.timeOrdered(times: times, folds: 4).last!
            } else {
                fold = try Splits.holdout(
                    rowCount: frame.rowCount, validationFraction: 0.2, seed: seed,
                    stratifyBy: task.isClassification ? encoded.values.map { Int($0) } : nil)
            }
        } catch {
            throw .split(error)
        }
        let (steps, features) = try AutoML.learnerFrame(frame, target: target, timeColumn: timeColumn,
                                                        groupColumn: groupColumn, options: preprocessing)
        var validation: CrossValidation
        do {
            validation = try CrossValidation(frame: features, target: target, task: task, folds: [fold])
        } catch {
            throw .training(error)
        }
        validation.threads = threads
        // Fixed settings: the holdout scores exactly the trees asked for, as the refit trains them.
        validation.stopsBoostingEarly = false
        let trial = validation.evaluate(family, parameters: parameters, seed: seed)
        if let failure = trial.failure { throw .training(.invalidSetting(failure)) }
        var model: TabularModel
        do {
            model = try family.train(
                features, target: target, task: task, parameters: parameters, seed: seed, threads: threads)
        } catch {
            throw .training(error)
        }
        model = AutoML.attaching(steps, to: model, given: frame, threads: threads)
        model.metrics["holdout_\(validation.metric.rawValue)"] = trial.mean
        return AutoMLResult(
            task: task, metric: validation.metric, leaderboard: [LeaderboardEntry(trial)], trials: [trial],
            model: model)
    }
}
