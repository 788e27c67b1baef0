extension AutoML {
    /// Most leaves a climb grows a boosting candidate to.
    static let climbMaxLeaves = 1024
    /// Least learning rate of a grown candidate.
    static let climbLearningRate = 0.1
    /// Most trees a climb lets a boosting candidate keep.
    static let climbMaxTrees = 5000

    /// Grows the leading boosting candidate while its score on all rows improves, as FLAML's cost-frugal search
    /// does: each step doubles the leaves and lets the trees (stopped early on the validation rows) reach twice the
    /// count the candidate kept. A random draw rarely lands on large trees the data rewards, and the search's early
    /// rungs, on few rows, favour small ones; growing from the best candidate finds them at the cost of a few trials.
    ///
    /// A step starts only when its expected cost (the last step's, grown as the last step grew, twice at first) and
    /// a refit on all rows fit in the time left.
    static func climb(from leading: Trial, validation: CrossValidation, budget: SearchBudget, seed: UInt64,
                      progress: (Trial) -> Void) -> [Trial]
    {
        let start = ContinuousClock.now
        var current = leading
        var trials: [Trial] = []
        // How much dearer a step is than the one before: early stopping keeps it well under the leaves' doubling.
        var growth = 2.0
        while trials.count < budget.trials, let next = grown(current.parameters) {
            if let seconds = budget.seconds {
                let left = seconds - (ContinuousClock.now - start).seconds
                guard left > growth * current.seconds + refitSeconds(current, validation) else { break }
            }
            let trial = validation.evaluate(.gradientBoostedTrees, parameters: next, candidate: current.candidate,
                                            resource: 1, seed: SplitMix64.derive(seed, 0xC11B + UInt64(trials.count)))
            trials.append(trial)
            progress(trial)
            guard trial.failure == nil, validation.metric.isBetter(trial.mean, than: current.mean) else { break }
            growth = max(1.2, trial.seconds / max(current.seconds, 1e-3))
            current = trial
        }
        return trials
    }

    /// The next, larger candidate: twice the leaves, room for twice the trees kept, and a learning rate of at least
    /// `climbLearningRate`; `nil` at the leaf cap.
    static func grown(_ parameters: ParameterSet) -> ParameterSet? {
        let leaves = Int(parameters.value("numLeaves", or: Double(GBDTConfig().numLeaves)))
        guard leaves < climbMaxLeaves else { return nil }
        let trees = Int(parameters.value("trees", or: Double(GBDTConfig().trees)))
        var next = parameters
        next.values["numLeaves"] = Double(min(climbMaxLeaves, leaves * 2))
        next.values["trees"] = Double(min(climbMaxTrees, max(100, trees * 2)))
        // Large trees learn fast at a learning rate of 0.1 and up; early stopping guards against overshooting.
        next.values["learningRate"] = max(climbLearningRate, parameters.value("learningRate", or: 0.1))
        return next
    }

    /// Seconds a refit on all rows is expected to take, from an evaluation's cost per fold and rows per fold.
    static func refitSeconds(_ trial: Trial, _ validation: CrossValidation) -> Double {
        let folds = Double(validation.folds.count)
        let trainRows = Double(validation.folds.map(\.train.count).reduce(0, +)) / folds
        return trial.seconds / folds * Double(validation.frame.rowCount) / max(1, trainRows)
    }
}
