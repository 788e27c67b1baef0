/// Why another library's model file could not become a Hangar model.
public enum ModelImportError: Error, Equatable, CustomStringConvertible {
    /// The library whose file was read.
    public enum Library: String, Sendable {
        case lightgbm = "LightGBM"
        case xgboost = "XGBoost"
    }

    /// The bytes are not a model file of that library (or not in the format read here).
    case notAModel(Library, reason: String)
    /// The model's objective has no exact native equivalent.
    case unsupportedObjective(Library, objective: String, supported: String)
    /// The model uses something Hangar's trees cannot reproduce exactly (linear trees, DART, vector leaves, ...).
    case unsupportedFeature(Library, feature: String)
    /// The file is damaged or cut short: `location` says where (a header key, a tree and key, a JSON path).
    case malformed(Library, location: String, reason: String)

    public var description: String {
        switch self {
        case .notAModel(let library, let reason): "not a \(library.rawValue) model: \(reason)"
        case .unsupportedObjective(let library, let objective, let supported):
            "\(library.rawValue) objective '\(objective)' is not supported (supported: \(supported))"
        case .unsupportedFeature(let library, let feature):
            "\(library.rawValue) models with \(feature) are not supported"
        case .malformed(let library, let location, let reason):
            "malformed \(library.rawValue) model at \(location): \(reason)"
        }
    }
}
