import Foundation

/// Reads XGBoost's JSON model (`Booster.save_model("model.json")`, `mlflow.xgboost.log_model(booster,
/// model_format="json")`) into Hangar's tree runtime.
///
/// Predictions match `Booster.predict` bit for bit in the raw score and to about 1e-7 after the sigmoid or softmax
/// (XGBoost applies them in Float32, Hangar in double): inputs are Float32 in both, `value < threshold` becomes
/// `value <= threshold.nextDown`, and scores start from the base score as XGBoost transforms it (`-logf(1/p - 1)`
/// for logistic objectives) and add the trees' Float32 leaves in Float32, in XGBoost's order.
///
/// Inputs: numeric features as they are, missing values as NaN (XGBoost's default `missing`). Features are named
/// as in the file's `feature_names`, or `f0`, `f1`, ... when it has none. A categorical feature's levels are the
/// categories XGBoost recorded from pandas (3.1 and later), or else the codes "0", "1", ... up to the largest code
/// the trees split on; categories a split does not list go the way XGBoost sends unlisted ones.
public enum XGBoostModelImport {
    static let supportedObjectives = "binary:logistic, reg:logistic, multi:softprob, multi:softmax, "
        + "reg:squarederror, reg:squaredlogerror, reg:pseudohubererror, reg:absoluteerror, reg:quantileerror"

    /// The model in XGBoost JSON model bytes.
    public static func model(fromJSON data: Data) throws(ModelImportError) -> TabularModel {
        let file = try XGBoostModelJSON.decode(data)
        let learner = file.learner
        switch learner.gradientBooster.name {
        case "gbtree": break
        case "dart": throw .unsupportedFeature(.xgboost, feature: "DART boosting (booster='dart')")
        case "gblinear": throw .unsupportedFeature(.xgboost, feature: "linear boosting (booster='gblinear')")
        default: throw .unsupportedFeature(.xgboost, feature: "booster '\(learner.gradientBooster.name)'")
        }
        guard let trees = learner.gradientBooster.model else {
            throw .malformed(.xgboost, location: "learner.gradient_booster", reason: "no 'model'")
        }
        let parameters = learner.learnerModelParam
        if let targets = parameters.numTarget, let count = Int(targets), count > 1 {
            throw .unsupportedFeature(.xgboost, feature: "\(count) targets")
        }
        guard let featureCount = Int(parameters.numFeature), featureCount > 0,
              featureCount <= ImportedTree.largestFeatureCount
        else {
            throw .malformed(.xgboost, location: "learner.learner_model_param.num_feature",
                             reason: "'\(parameters.numFeature)' is not a feature count")
        }
        let output = try outputs(learner)
        guard trees.treeInfo.count == trees.trees.count, !trees.trees.isEmpty else {
            throw .malformed(.xgboost, location: "learner.gradient_booster.model",
                             reason: "\(trees.trees.count) trees but \(trees.treeInfo.count) entries in tree_info")
        }

        var ensemble = TreeEnsemble(outputCount: output.count, baseScores: output.baseScores, link: output.link,
                                    featureCount: featureCount)
        ensemble.precision = .float32
        var importance = [Double](repeating: 0, count: featureCount)
        var categories = [Set<Int>](repeating: [], count: featureCount)
        for (number, tree) in trees.trees.enumerated() {
            let group = trees.treeInfo[number]
            guard (0..<output.count).contains(group) else {
                throw .malformed(.xgboost, location: "learner.gradient_booster.model.tree_info[\(number)]",
                                 reason: "output \(group) of \(output.count)")
            }
            let imported = try self.tree(tree, number: number, importance: &importance, categories: &categories)
            let flat = try imported.flattened(featureCount: featureCount, library: .xgboost, tree: number)
            ensemble.append(tree: flat, output: group)
        }

        let schema = try self.schema(learner, featureCount: featureCount, cats: trees.cats, categories: categories)
        let iterations = trees.trees.count / output.count
        var model = TabularModel(schema: schema, target: output.target, family: .xgboost,
                                 report: TrainingReport(iterations: iterations, bestIteration: iterations,
                                                        featureImportance: importance),
                                 learner: .trees(ensemble))
        model.libraryVersion = "XGBoost " + (file.version.map { $0.map(String.init).joined(separator: ".") } ?? "")
        return model
    }

    /// What the objective makes of the raw scores.
    struct Outputs {
        var target: TargetSpec
        var link: OutputLink
        var count: Int
        /// Starting raw scores: XGBoost's `base_score` turned into a margin, exactly as XGBoost rounds it.
        var baseScores: [Double]
    }

    static func outputs(_ learner: XGBoostModelJSON.Learner) throws(ModelImportError) -> Outputs {
        let parameters = learner.learnerModelParam
        let location = "learner.learner_model_param.base_score"
        let texts = parameters.baseScore.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let scores = texts.compactMap { Float($0) }
        guard !scores.isEmpty, scores.count == texts.count, scores.allSatisfy(\.isFinite) else {
            throw .malformed(.xgboost, location: location, reason: "'\(parameters.baseScore)' is not a number list")
        }
        func single() throws(ModelImportError) -> Float {
            guard scores.count == 1 else {
                throw .malformed(.xgboost, location: location, reason: "\(scores.count) values for one output")
            }
            return scores[0]
        }
        func logit(_ p: Float) throws(ModelImportError) -> Double {
            guard p > 0, p < 1 else {
                throw .malformed(.xgboost, location: location, reason: "probability \(p) is not inside (0, 1)")
            }
            // XGBoost's ProbToMargin in Float32 with the C library's logf, so the margin has the same bits.
            return Double(-logf(1 / p - 1))
        }
        let objective = learner.objective.name
        switch objective {
        case "binary:logistic":
            return Outputs(target: TargetSpec(name: "label", task: .binaryClassification, classLabels: ["0", "1"]),
                           link: .sigmoid, count: 1, baseScores: [try logit(single())])
        case "reg:logistic":
            return Outputs(target: TargetSpec(name: "label", task: .regression), link: .sigmoid, count: 1,
                           baseScores: [try logit(single())])
        case "multi:softprob", "multi:softmax":
            guard let classes = Int(parameters.numClass), (3...ImportedTree.largestClassCount).contains(classes) else {
                throw .unsupportedFeature(.xgboost, feature: "'\(objective)' over \(parameters.numClass) classes")
            }
            guard scores.count == 1 || scores.count == classes else {
                throw .malformed(.xgboost, location: location, reason: "\(scores.count) values for \(classes) classes")
            }
            let labels = (0..<classes).map(String.init)
            return Outputs(target: TargetSpec(name: "label", task: .multiclassClassification, classLabels: labels),
                           link: .softmax, count: classes,
                           baseScores: (0..<classes).map { Double(scores[scores.count == 1 ? 0 : $0]) })
        case "reg:squarederror", "reg:linear", "reg:squaredlogerror", "reg:pseudohubererror", "reg:absoluteerror",
             "reg:quantileerror":
            return Outputs(target: TargetSpec(name: "label", task: .regression), link: .identity, count: 1,
                           baseScores: [Double(try single())])
        default:
            throw .unsupportedObjective(.xgboost, objective: objective, supported: supportedObjectives)
        }
    }
}
