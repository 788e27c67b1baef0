import Foundation

/// Reads LightGBM's text model format (`Booster.save_model`, the `model.lgb` of `mlflow.lightgbm.log_model`) into
/// Hangar's tree runtime.
///
/// Predictions match `Booster.predict` (probabilities, or values for regression) to about 1e-15 for every input of
/// `Float` values: thresholds become the largest `Float` at or below LightGBM's double threshold, leaves keep about
/// 48 bits, scores are summed in double in LightGBM's order, and missing values follow the split's `missing_type`
/// (`None`: a missing value reads as 0; `Zero`: 0, anything within ±1e-35 and missing take the default direction;
/// `NaN`: missing takes the default direction).
///
/// Inputs: numeric features as they are. A categorical feature's schema levels are its category codes, "0", "1",
/// ... up to the largest code in the model, so a value (or text) `3` is level 3 and reaches the bitset as LightGBM
/// reads it; codes the model never saw, negative values and missing values go right, as in LightGBM (x86 builds).
/// When the model was trained on pandas categories (`pandas_categorical` in the file), the levels are those
/// categories instead, in pandas' code order, so inputs are matched by their category names.
public enum LightGBMModelImport {
    /// The objectives read, with the output each gives.
    static let supportedObjectives = "binary, multiclass, regression, regression_l1, huber, fair, quantile, mape"

    /// Regression objectives whose prediction is the raw score.
    static let identityObjectives: Set<String> = [
        "regression", "regression_l2", "l2", "mean_squared_error", "mse", "l2_root", "root_mean_squared_error", "rmse",
        "regression_l1", "l1", "mean_absolute_error", "mae", "huber", "fair", "quantile", "mape",
        "mean_absolute_percentage_error",
    ]

    /// The model described by LightGBM model text.
    public static func model(fromText text: String) throws(ModelImportError) -> TabularModel {
        let file = try LightGBMModelText(parsing: text)
        if file.headerFlags.contains("average_output") {
            throw .unsupportedFeature(.lightgbm, feature: "averaged trees (boosting=rf)")
        }
        let output = try outputs(file)
        let largestFeature = try file.headerInteger("max_feature_idx")
        guard largestFeature < ImportedTree.largestFeatureCount else {
            throw .malformed(.lightgbm, location: "header key 'max_feature_idx'",
                             reason: "\(largestFeature) is implausible")
        }
        let featureCount = largestFeature + 1
        let names = (file.header["feature_names"] ?? "").split(separator: " ").map(String.init)
        guard names.count == featureCount, featureCount > 0 else {
            throw .malformed(.lightgbm, location: "header key 'feature_names'",
                             reason: "\(names.count) names for \(featureCount) features")
        }
        if let sizes = file.header["tree_sizes"], sizes.split(separator: " ").count != file.trees.count {
            throw .malformed(.lightgbm, location: "trees", reason: "\(file.trees.count) trees, the header lists "
                             + "\(sizes.split(separator: " ").count); the file is cut short")
        }
        guard !file.trees.isEmpty, file.trees.count % output.treesPerIteration == 0 else {
            throw .malformed(.lightgbm, location: "trees", reason: "\(file.trees.count) trees do not make whole "
                             + "iterations of \(output.treesPerIteration)")
        }

        var ensemble = TreeEnsemble(outputCount: output.count, baseScores: [Double](repeating: 0, count: output.count),
                                    link: output.link, featureCount: featureCount)
        var importance = [Double](repeating: 0, count: featureCount)
        var categories = [Set<Int>](repeating: [], count: featureCount)
        for (number, fields) in file.trees.enumerated() {
            let tree = try self.tree(LightGBMTreeFields(fields: fields, tree: number), leafScale: output.leafScale,
                                     importance: &importance, categories: &categories)
            let flat = try tree.flattened(featureCount: featureCount, library: .lightgbm, tree: number)
            ensemble.append(tree: flat, output: number % output.treesPerIteration)
        }

        let schema = try self.schema(file, names: names, categories: categories)
        let iterations = file.trees.count / output.treesPerIteration
        var model = TabularModel(schema: schema, target: output.target, family: .lightgbm,
                                 report: TrainingReport(iterations: iterations, bestIteration: iterations,
                                                        featureImportance: importance),
                                 learner: .trees(ensemble))
        model.libraryVersion = "LightGBM, model format " + (file.header["version"] ?? "unknown")
        return model
    }

    /// What the objective makes of the raw scores.
    struct Outputs {
        var target: TargetSpec
        var link: OutputLink
        var count: Int
        var treesPerIteration: Int
        /// LightGBM's `sigmoid:` parameter, folded into the leaves (1 for other objectives).
        var leafScale: Double
    }

    static func outputs(_ file: LightGBMModelText) throws(ModelImportError) -> Outputs {
        guard let objective = file.header["objective"] else {
            throw .unsupportedObjective(.lightgbm, objective: "none (a custom objective?)",
                                        supported: supportedObjectives)
        }
        let words = objective.split(separator: " ")
        let name = String(words.first ?? "")
        var parameters: [String: String] = [:]
        for word in words.dropFirst() {
            let parts = word.split(separator: ":", maxSplits: 1)
            guard let key = parts.first else { continue }
            parameters[String(key)] = parts.count > 1 ? String(parts[1]) : ""
        }
        let classCount = try file.headerInteger("num_class")
        let treesPerIteration = file.header["num_tree_per_iteration"] == nil
            ? classCount : try file.headerInteger("num_tree_per_iteration")
        func check(_ expected: Int) throws(ModelImportError) {
            guard treesPerIteration == expected else {
                throw .malformed(.lightgbm, location: "header key 'num_tree_per_iteration'",
                                 reason: "\(treesPerIteration) for objective '\(objective)'")
            }
        }
        switch name {
        case "binary":
            try check(1)
            let sigmoid = parameters["sigmoid"].map { Double($0) } ?? 1
            guard let sigmoid, sigmoid.isFinite, sigmoid > 0 else {
                throw .malformed(.lightgbm, location: "header key 'objective'", reason: "bad sigmoid in '\(objective)'")
            }
            return Outputs(target: TargetSpec(name: "label", task: .binaryClassification, classLabels: ["0", "1"]),
                           link: .sigmoid, count: 1, treesPerIteration: 1, leafScale: sigmoid)
        case "multiclass", "softmax":
            guard classCount <= ImportedTree.largestClassCount else {
                throw .unsupportedFeature(.lightgbm, feature: "\(classCount) classes")
            }
            guard classCount >= 3 else {
                throw .unsupportedFeature(.lightgbm, feature: "a multiclass objective over \(classCount) classes")
            }
            try check(classCount)
            let labels = (0..<classCount).map(String.init)
            return Outputs(target: TargetSpec(name: "label", task: .multiclassClassification, classLabels: labels),
                           link: .softmax, count: classCount, treesPerIteration: classCount, leafScale: 1)
        case _ where identityObjectives.contains(name):
            guard parameters["sqrt"] == nil else {
                throw .unsupportedObjective(.lightgbm, objective: objective, supported: supportedObjectives)
            }
            try check(1)
            return Outputs(target: TargetSpec(name: "label", task: .regression), link: .identity, count: 1,
                           treesPerIteration: 1, leafScale: 1)
        default:
            throw .unsupportedObjective(.lightgbm, objective: name, supported: supportedObjectives)
        }
    }
}
