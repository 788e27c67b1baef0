/// Why a version could not be loaded for serving; the alias keeps serving what it served.
public enum ServingLoadError: Error, Equatable, CustomStringConvertible {
    /// The version's files have no `MLmodel` (and no Hangar model file).
    case noModelFiles(String)
    case malformedMLmodel(String)
    /// The model is in a format Hangar's runtime does not execute (e.g. a pickled scikit-learn model).
    case unsupportedFlavor([String])
    case unsupportedXGBoostFormat(String)
    /// The model file named by the flavor could not be read or parsed.
    case unreadableModel(flavor: String, reason: String)
    case warmUpFailed(String)
    case source(String)

    public var description: String {
        switch self {
        case .noModelFiles(let location): "no MLmodel file at \(location)"
        case .malformedMLmodel(let reason): "the MLmodel file cannot be read: \(reason)"
        case .unsupportedFlavor(let flavors):
            "the model's flavors (\(flavors.joined(separator: ", "))) cannot be served natively; Hangar serves "
                + "hangar, lightgbm (Booster) and xgboost (model_format=\"json\") models"
        case .unsupportedXGBoostFormat(let format):
            "the xgboost model is saved as '\(format)'; log it with mlflow.xgboost.log_model(..., model_format=\"json\")"
        case .unreadableModel(let flavor, let reason): "the \(flavor) model file cannot be loaded: \(reason)"
        case .warmUpFailed(let reason): "the model failed its warm-up prediction: \(reason)"
        case .source(let reason): reason
        }
    }
}
