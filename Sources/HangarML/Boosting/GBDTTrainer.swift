/// Trains gradient-boosted trees on histograms of binned features, leaf by leaf, as LightGBM does.
public struct GBDTTrainer: Sendable {
    /// The settings used.
    public var config: GBDTConfig
    /// Whether the model records a digest and profile of its training data (off for cross-validation folds).
    var recordsTrainingData = true

    /// A trainer with the given settings.
    public init(config: GBDTConfig = GBDTConfig()) {
        self.config = config
    }

    /// Trains on every column of `frame` but `target`; `validation` enables early stopping and loss tracking.
    public func train(_ frame: DataFrame, target: String, validation: DataFrame? = nil) throws(TrainingError)
        -> TabularModel
    {
        try config.validate()
        let inputs = try TrainingInputs(frame: frame, target: target, task: config.task, validation: validation)
        guard inputs.rowCount >= 2 else { throw .notEnoughRows(inputs.rowCount) }
        let data = BinnedDataset(columns: inputs.columns, rowCount: inputs.rowCount,
                                 categories: inputs.schema.categoryCounts, maxBins: config.maxBins,
                                 sampleSize: config.binSampleSize, seed: config.seed, threads: config.threads)
        let validationData = inputs.validationColumns.map {
            BinnedDataset(columns: $0, rowCount: inputs.validationRowCount, featureBins: data.featureBins,
                          threads: config.threads)
        }
        let objective = Objective(task: inputs.target.spec.task, classes: inputs.target.classCount)
        guard config.earlyStoppingMetric == .loss || inputs.target.spec.task == .binaryClassification else {
            throw .invalidSetting("early stopping on roc_auc needs binary classification")
        }
        var loop = BoostingLoop(config: config, data: data, labels: inputs.target.values, objective: objective,
                                validation: validationData.map { ($0, inputs.validationLabels!) })
        let ensemble = loop.run()
        let report = TrainingReport(iterations: ensemble.treeCount / objective.outputCount,
                                    validationLoss: loop.validationLoss, bestIteration: loop.bestIteration,
                                    featureImportance: loop.featureImportance)
        return TabularModel(schema: inputs.schema, target: inputs.target.spec, family: .gradientBoostedTrees,
                            report: report, learner: .trees(ensemble))
            .recordingTrainingData(recordsTrainingData ? frame : nil, threads: config.threads)
    }
}
