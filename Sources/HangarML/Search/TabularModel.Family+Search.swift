extension TabularModel.Family {
    /// Whether the family can learn `task` (linear regression: regression only; logistic: classification only;
    /// imported families nothing, Hangar does not train them).
    public func supports(_ task: TaskKind) -> Bool {
        switch self {
        case .gradientBoostedTrees, .randomForest: true
        case .linearRegression: task == .regression
        case .logisticRegression: task.isClassification
        case .lightgbm, .xgboost: false
        }
    }

    /// The hyperparameters worth tuning and their ranges, starting from the learner's defaults.
    public var searchSpace: SearchSpace {
        switch self {
        case .gradientBoostedTrees:
            SearchSpace(parameters: [
                SearchParameter("trees", .integer(50...1000, logScale: true)),
                SearchParameter("numLeaves", .integer(4...256, logScale: true)),
                SearchParameter("learningRate", .real(0.01...0.3, logScale: true)),
                SearchParameter("minDataInLeaf", .integer(2...64, logScale: true)),
                SearchParameter("lambdaL2", .real(0.001...10, logScale: true)),
                SearchParameter("featureFraction", .real(0.5...1, logScale: false)),
                SearchParameter("baggingFraction", .real(0.5...1, logScale: false)),
            ], initial: ParameterSet(["trees": 100, "numLeaves": 31, "learningRate": 0.1, "minDataInLeaf": 20]))
        case .randomForest:
            SearchSpace(parameters: [
                SearchParameter("maxLeaves", .integer(16...512, logScale: true)),
                SearchParameter("minDataInLeaf", .integer(1...32, logScale: true)),
                SearchParameter("featureFractionByNode", .real(0.1...1, logScale: false)),
            ], initial: ParameterSet(["trees": 100, "maxLeaves": 256, "minDataInLeaf": 2]))
        case .linearRegression:
            SearchSpace(parameters: [SearchParameter("l2", .real(0.0001...1000, logScale: true))],
                        initial: ParameterSet(["l2": 0]))
        case .logisticRegression:
            SearchSpace(parameters: [SearchParameter("l2", .real(0.001...100, logScale: true))],
                        initial: ParameterSet(["l2": 1]))
        case .lightgbm, .xgboost:
            SearchSpace(parameters: [])
        }
    }

    /// Trains the family's learner with `parameters` (missing ones keep their defaults) on every column but
    /// `target`.
    public func train(_ frame: DataFrame, target: String, task: TaskKind, parameters: ParameterSet,
                      seed: UInt64 = 0, threads: Int = ProcessorCount.available) throws(TrainingError) -> TabularModel
    {
        try train(frame, target: target, task: task, parameters: parameters, seed: seed, threads: threads,
                  recordsTrainingData: true)
    }

    /// `train` with the training-data digest and profile optional: folds of a search skip them. With `validation`,
    /// boosting stops once the validation loss has not improved for `GBDTConfig.searchPatience` trees (`trees` is
    /// then a cap, and the model keeps the trees up to the best iteration by `stoppingMetric`); other families
    /// ignore both.
    func train(_ frame: DataFrame, target: String, task: TaskKind, parameters: ParameterSet, seed: UInt64,
               threads: Int, recordsTrainingData: Bool, validation: DataFrame? = nil,
               stoppingMetric: EarlyStoppingMetric = .loss) throws(TrainingError)
        -> TabularModel
    {
        let p = parameters
        switch self {
        case .gradientBoostedTrees:
            var config = GBDTConfig()
            config.task = task
            config.trees = Int(p.value("trees", or: Double(config.trees)))
            config.numLeaves = Int(p.value("numLeaves", or: Double(config.numLeaves)))
            config.maxDepth = Int(p.value("maxDepth", or: Double(config.maxDepth)))
            config.learningRate = p.value("learningRate", or: config.learningRate)
            config.minDataInLeaf = Int(p.value("minDataInLeaf", or: Double(config.minDataInLeaf)))
            config.lambdaL2 = p.value("lambdaL2", or: config.lambdaL2)
            config.featureFraction = p.value("featureFraction", or: config.featureFraction)
            config.baggingFraction = p.value("baggingFraction", or: config.baggingFraction)
            config.seed = seed
            config.threads = threads
            if validation != nil {
                config.earlyStoppingRounds = GBDTConfig.searchPatience
                config.earlyStoppingMetric = stoppingMetric
            }
            var trainer = GBDTTrainer(config: config)
            trainer.recordsTrainingData = recordsTrainingData
            return try trainer.train(frame, target: target, validation: validation)
        case .randomForest:
            var config = RandomForestConfig()
            config.task = task
            config.trees = Int(p.value("trees", or: Double(config.trees)))
            config.maxLeaves = Int(p.value("maxLeaves", or: Double(config.maxLeaves)))
            config.minDataInLeaf = Int(p.value("minDataInLeaf", or: Double(config.minDataInLeaf)))
            config.featureFractionByNode = p.values["featureFractionByNode"]
            config.seed = seed
            config.threads = threads
            var trainer = RandomForestTrainer(config: config)
            trainer.recordsTrainingData = recordsTrainingData
            return try trainer.train(frame, target: target)
        case .linearRegression:
            var config = LinearRegressionConfig()
            config.l2 = p.value("l2", or: config.l2)
            var trainer = LinearRegressionTrainer(config: config)
            trainer.recordsTrainingData = recordsTrainingData
            return try trainer.train(frame, target: target)
        case .logisticRegression:
            var config = LogisticRegressionConfig()
            config.l2 = p.value("l2", or: config.l2)
            config.threads = threads
            var trainer = LogisticRegressionTrainer(config: config)
            trainer.recordsTrainingData = recordsTrainingData
            return try trainer.train(frame, target: target)
        case .lightgbm, .xgboost:
            throw .invalidSetting("\(rawValue) models are imported from their files, Hangar does not train them")
        }
    }
}
