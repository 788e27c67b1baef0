/// Settings of gradient-boosted trees; names and defaults follow LightGBM.
public struct GBDTConfig: Sendable, Codable, Equatable {
    /// What to predict; `nil` detects it from the target column.
    public var task: TaskKind?
    /// Boosting iterations (one tree per iteration, or one per class for multiclass).
    public var trees = 100
    /// Most leaves per tree.
    public var numLeaves = 31
    /// Deepest level a leaf may be split at; 0 or less means no limit.
    public var maxDepth = -1
    /// Fewest training rows in a leaf.
    public var minDataInLeaf = 20
    /// Smallest hessian sum in a leaf.
    public var minSumHessianInLeaf = 1e-3
    /// L2 regularization of leaf values.
    public var lambdaL2 = 0.0
    /// Smallest loss reduction that makes a split.
    public var minGainToSplit = 0.0
    /// Shrinkage of each tree's contribution.
    public var learningRate = 0.1
    /// Share of rows each tree trains on (1 = all), drawn without replacement.
    public var baggingFraction = 1.0
    /// Redraw the rows every this many iterations.
    public var baggingFrequency = 1
    /// Share of features each tree may split on (1 = all).
    public var featureFraction = 1.0
    /// Value bins per feature (at most 255; one more bin holds missing values).
    public var maxBins = 255
    /// Rows sampled to place bin bounds.
    public var binSampleSize = 200_000
    /// Stop when the validation loss has not improved for this many iterations (0 = never; needs validation data).
    public var earlyStoppingRounds = 0
    /// What early stopping watches on the validation rows.
    public var earlyStoppingMetric = EarlyStoppingMetric.loss
    /// The early-stopping patience of searches and AutoML, which score boosting on each fold's validation rows.
    public static let searchPatience = 30
    /// Seed of every random choice (bin sample, bagging, feature sampling).
    public var seed: UInt64 = 0
    /// Threads used for binning, histograms and gradients.
    public var threads = ProcessorCount.available

    /// LightGBM's defaults.
    public init() {}

    func validate() throws(TrainingError) {
        guard trees >= 1 else { throw .invalidSetting("trees must be at least 1") }
        guard numLeaves >= 2 else { throw .invalidSetting("numLeaves must be at least 2") }
        guard minDataInLeaf >= 1 else { throw .invalidSetting("minDataInLeaf must be at least 1") }
        guard learningRate > 0 else { throw .invalidSetting("learningRate must be positive") }
        guard lambdaL2 >= 0 else { throw .invalidSetting("lambdaL2 must not be negative") }
        guard baggingFraction > 0, baggingFraction <= 1 else {
            throw .invalidSetting("baggingFraction must be in (0, 1]")
        }
        guard featureFraction > 0, featureFraction <= 1 else {
            throw .invalidSetting("featureFraction must be in (0, 1]")
        }
        guard maxBins >= 2, maxBins <= 255 else { throw .invalidSetting("maxBins must be in 2...255") }
        guard threads >= 1 else { throw .invalidSetting("threads must be at least 1") }
    }
}

/// What boosting's early stopping watches on the validation rows.
public enum EarlyStoppingMetric: String, Sendable, Codable, CaseIterable {
    /// The training objective's loss (squared error, log loss).
    case loss
    /// ROC AUC (binary classification only): log loss can turn up while the ranking still improves, so a search
    /// ranking by AUC stops on AUC.
    case rocAUC = "roc_auc"
}
