/// The fitted part of a model: trees or a linear function of the encoded features.
enum Learner: Sendable, Equatable {
    case trees(TreeEnsemble)
    case linear(LinearFunction)
}

/// What training measured, kept with the model.
public struct TrainingReport: Sendable, Codable, Equatable {
    /// Iterations (trees per output) kept in the model.
    public var iterations: Int
    /// Validation loss after each iteration, when validation data was given (1 − ROC AUC when early stopping
    /// watches AUC).
    public var validationLoss: [Double]
    /// The iteration with the lowest validation loss (1-based), or the last one.
    public var bestIteration: Int
    /// Total split gain per feature, in schema order (tree learners only).
    public var featureImportance: [Double]

    /// Creates a report.
    public init(iterations: Int, validationLoss: [Double] = [], bestIteration: Int, featureImportance: [Double] = []) {
        self.iterations = iterations
        self.validationLoss = validationLoss
        self.bestIteration = bestIteration
        self.featureImportance = featureImportance
    }
}

/// A trained model: its input schema, its target, the learner, and how training went.
public struct TabularModel: Sendable, Equatable {
    /// Learner family names as stored in model files.
    public enum Family: String, Sendable, Codable {
        case gradientBoostedTrees = "gbdt"
        case randomForest = "random_forest"
        case linearRegression = "linear_regression"
        case logisticRegression = "logistic_regression"
        /// Trees imported from a LightGBM model file (see `LightGBMModelImport`); not trained by Hangar.
        case lightgbm = "lightgbm"
        /// Trees imported from an XGBoost JSON model (see `XGBoostModelImport`); not trained by Hangar.
        case xgboost = "xgboost"
    }

    /// The input columns, in the order `predict(row:)` expects their values.
    public var schema: FeatureSchema
    /// The predicted column and its classes.
    public var target: TargetSpec
    /// Which learner produced the model.
    public var family: Family
    /// Training details.
    public var report: TrainingReport
    /// Named metrics measured in training (e.g. `cv_roc_auc_mean` from AutoML), stored in the model file.
    public var metrics: [String: Double] = [:]
    /// Fingerprint of the training frame (see `TrainingDataDigest`), `nil` for files written before it existed.
    public var trainingDataDigest: String?
    /// Per-feature profile of the training data for drift monitoring, `nil` for files written before it existed.
    public var referenceProfile: ReferenceProfile?
    /// The library that trained the model (e.g. `HangarML 0.2.0`).
    public var libraryVersion: String = ModelFile.libraryVersion
    /// Features derived from the input before the learner reads them (date parts, lags), replayed by
    /// `predict(_:)`; `nil` when the learner reads input columns as they are.
    public var preprocessing: Preprocessing?
    var learner: Learner

    init(schema: FeatureSchema, target: TargetSpec, family: Family, report: TrainingReport, learner: Learner) {
        self.schema = schema
        self.target = target
        self.family = family
        self.report = report
        self.learner = learner
    }

    /// How many numbers a prediction has: 1 for regression, one probability per class otherwise.
    public var outputWidth: Int { target.task == .regression ? 1 : target.classLabels.count }
}
