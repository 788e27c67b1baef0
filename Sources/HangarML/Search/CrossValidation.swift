import Foundation

/// Cross-validates learner settings on fixed folds of one frame: the shared work of searches and AutoML.
public struct CrossValidation: Sendable {
    /// The rows (features and target).
    public let frame: DataFrame
    /// The target column.
    public let target: String
    /// The task, fixed so every fold encodes the target the same way.
    public let task: TaskKind
    /// The folds scored.
    public let folds: [Fold]
    /// The metric scored on each fold.
    public let metric: SelectionMetric
    /// Threads each training may use.
    public var threads = ProcessorCount.available
    /// Whether boosting stops early on each fold's validation rows: its `trees` setting is then a cap, and a trial
    /// records the trees the folds kept on average, so searches tune the tree count for free.
    public var stopsBoostingEarly = true
    let truth: EncodedTarget

    /// Prepares cross-validation; `task` `nil` detects it from the target, `metric` `nil` picks the task's.
    public init(frame: DataFrame, target: String, task: TaskKind? = nil, folds: [Fold],
                metric: SelectionMetric? = nil) throws(TrainingError)
    {
        truth = try EncodedTarget.encode(frame: frame, name: target, task: task)
        let task = truth.spec.task
        let metric = metric ?? .preferred(for: task)
        guard metric.applies(to: task) else { throw .invalidSetting("\(metric.rawValue) cannot score \(task)") }
        guard !folds.isEmpty else { throw .invalidSetting("cross-validation needs at least one fold") }
        self.frame = frame
        self.target = target
        self.task = task
        self.folds = folds
        self.metric = metric
    }

    /// Trains on each fold's training rows (a seeded `resource` share of them) and scores its validation rows.
    /// Boosting stops early on the validation rows unless `stopsBoostingEarly` is off (see there).
    ///
    /// A training failure is recorded in the trial rather than thrown, so one bad candidate does not end a search.
    public func evaluate(_ family: TabularModel.Family, parameters: ParameterSet, candidate: Int = 0,
                         resource: Double = 1, seed: UInt64 = 0) -> Trial
    {
        let start = ContinuousClock.now
        var trial = Trial(family: family, parameters: parameters, candidate: candidate, resource: resource,
                          metric: metric, foldScores: [], failure: nil, seconds: 0)
        var trees: [Int] = []
        for (k, fold) in folds.enumerated() {
            var rows = fold.train
            if resource < 1 {
                // The same rows for every candidate of a rung, so candidates are compared on equal data.
                var generator = SplitMix64(seed: SplitMix64.derive(seed ^ 0x5A5A, UInt64(k)))
                let count = max(2, Int((Double(rows.count) * resource).rounded()))
                rows = generator.sampleIndices(min(count, rows.count), from: rows.count).map { fold.train[$0] }
            }
            do throws(TrainingError) {
                // Validation rows are copied out before training only when boosting watches them (memory peaks
                // while the training copy is alive).
                let stopping = stopsBoostingEarly && family == .gradientBoostedTrees
                let watched = stopping ? frame.selecting(rows: fold.validation) : nil
                let model = try family.train(frame.selecting(rows: rows), target: target, task: task,
                                             parameters: parameters, seed: SplitMix64.derive(seed, UInt64(k)),
                                             threads: threads, recordsTrainingData: false, validation: watched,
                                             stoppingMetric: metric == .rocAUC ? .rocAUC : .loss)
                if stopping { trees.append(model.report.bestIteration) }
                let predictions = try predict(model, frame: watched ?? frame.selecting(rows: fold.validation))
                trial.foldScores.append(try score(predictions, rows: fold.validation))
            } catch {
                trial.failure = error.description
                break
            }
        }
        if trial.failure == nil, !trees.isEmpty {
            // The trees the folds kept are the setting the candidate stands for (a refit on all rows uses them).
            trial.parameters.values["trees"] = (Double(trees.reduce(0, +)) / Double(trees.count)).rounded()
        }
        trial.seconds = (ContinuousClock.now - start).seconds
        return trial
    }

    private func predict(_ model: TabularModel, frame: DataFrame) throws(TrainingError) -> Predictions {
        do {
            return try model.predict(frame, threads: threads)
        } catch {
            throw .validationMismatch(error.description)
        }
    }

    private func score(_ predictions: Predictions, rows: [Int]) throws(TrainingError) -> Double {
        do {
            return try metric.score(predictions, truth: ScoredTruth(truth, rows: rows))
        } catch {
            throw .validationMismatch("cannot score a fold: \(error.description)")
        }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
