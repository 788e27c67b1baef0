/// Settings of a random forest on binned features.
public struct RandomForestConfig: Sendable, Codable, Equatable {
    /// What to predict; `nil` detects it from the target column.
    public var task: TaskKind?
    /// Number of trees (per class for multiclass, one-vs-rest).
    public var trees = 100
    /// Most leaves per tree; the cap keeps model files small where unbounded trees grow with the data.
    public var maxLeaves = 256
    /// Deepest level a leaf may be split at; 0 or less means no limit.
    public var maxDepth = -1
    /// Fewest training rows in a leaf.
    public var minDataInLeaf = 2
    /// Share of features each split chooses from; `nil` means sqrt(F)/F for classifiers and all for regression.
    public var featureFractionByNode: Double?
    /// Share of rows drawn with replacement for each tree.
    public var sampleFraction = 1.0
    /// Value bins per feature (at most 255).
    public var maxBins = 255
    /// Seed of the bootstrap samples and feature choices.
    public var seed: UInt64 = 0
    /// Threads used for binning and histograms.
    public var threads = ProcessorCount.available

    /// scikit-learn-like defaults with a cap on tree size.
    public init() {}
}

/// Trains a random forest: bootstrapped trees grown on gradient histograms of squared error, which makes each
/// split the variance (or, for 0/1 class indicators, Gini) reduction, and leaves the class frequencies.
public struct RandomForestTrainer: Sendable {
    /// The settings used.
    public var config: RandomForestConfig
    /// Whether the model records a digest and profile of its training data (off for cross-validation folds).
    var recordsTrainingData = true

    /// A trainer with the given settings.
    public init(config: RandomForestConfig = RandomForestConfig()) {
        self.config = config
    }

    /// Trains on every column of `frame` but `target`.
    public func train(_ frame: DataFrame, target: String) throws(TrainingError) -> TabularModel {
        guard config.trees >= 1, config.maxLeaves >= 2, config.minDataInLeaf >= 1, config.threads >= 1 else {
            throw .invalidSetting("trees, maxLeaves, minDataInLeaf and threads must be positive (maxLeaves >= 2)")
        }
        guard config.sampleFraction > 0, config.sampleFraction <= 1, config.maxBins >= 2, config.maxBins <= 255 else {
            throw .invalidSetting("sampleFraction must be in (0, 1] and maxBins in 2...255")
        }
        let inputs = try TrainingInputs(frame: frame, target: target, task: config.task, validation: nil)
        let n = inputs.rowCount
        let data = BinnedDataset(columns: inputs.columns, rowCount: n, categories: inputs.schema.categoryCounts,
                                 maxBins: config.maxBins, sampleSize: 200_000,
                                 seed: config.seed, threads: config.threads)
        let task = inputs.target.spec.task
        let outputs = task == .multiclassClassification ? inputs.target.classCount : 1
        let byNode = config.featureFractionByNode
            ?? (task.isClassification ? Double(data.featureCount).squareRoot() / Double(data.featureCount) : 1)
        let settings = TreeSettings(maxLeaves: config.maxLeaves, maxDepth: config.maxDepth,
                                    minDataInLeaf: config.minDataInLeaf, minSumHessianInLeaf: 0, lambdaL2: 0,
                                    minGainToSplit: 0, learningRate: 1, featureFractionByNode: min(1, byNode),
                                    threads: config.threads)
        let grower = TreeGrower(data: data, settings: settings)
        let link: OutputLink = switch task {
        case .regression: .identity
        case .binaryClassification: .clip
        case .multiclassClassification: .normalize
        }
        var ensemble = TreeEnsemble(outputCount: outputs, baseScores: [Double](repeating: 0, count: outputs),
                                    link: link, featureCount: data.featureCount)
        var pairs = [GradientPair](repeating: .zero, count: n)
        let features = Array(0..<data.featureCount)
        let draws = max(1, Int(Double(n) * config.sampleFraction))
        for t in 0..<config.trees {
            // Bootstrap: a row drawn m times weighs m (gradient and hessian scaled by m).
            var generator = SplitMix64(seed: SplitMix64.derive(config.seed, 0xF0 &+ UInt64(t)))
            var multiplicity = [Float](repeating: 0, count: n)
            for _ in 0..<draws { multiplicity[generator.nextInt(below: n)] += 1 }
            let rows = (0..<n).filter { multiplicity[$0] > 0 }.map { Int32($0) }
            for k in 0..<outputs {
                for r in 0..<n {
                    let y = task == .multiclassClassification
                        ? (Int(inputs.target.values[r]) == k ? 1.0 : 0.0) : inputs.target.values[r]
                    pairs[r] = GradientPair(Float(-y) * multiplicity[r], multiplicity[r])
                }
                rows.withUnsafeBufferPointer { grower.indices.update(from: $0.baseAddress!, count: rows.count) }
                let tree = pairs.withUnsafeBufferPointer { p in
                    grower.grow(rowCount: rows.count, pairs: p.baseAddress!, features: features,
                                seed: SplitMix64.derive(config.seed, UInt64(t * outputs + k)))
                }
                ensemble.append(tree: tree.runtimeNodes(featureBins: data.featureBins), output: k)
            }
        }
        ensemble.scaleLeaves(by: 1 / Float(config.trees))
        let report = TrainingReport(iterations: config.trees, bestIteration: config.trees)
        return TabularModel(schema: inputs.schema, target: inputs.target.spec, family: .randomForest,
                            report: report, learner: .trees(ensemble))
            .recordingTrainingData(recordsTrainingData ? frame : nil, threads: config.threads)
    }
}
