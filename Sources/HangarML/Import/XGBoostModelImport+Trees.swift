import Foundation

extension XGBoostModelImport {
    /// One tree with its node indices; adds split gains to `importance` and split categories to `categories`.
    static func tree(_ tree: XGBoostModelJSON.Tree, number: Int, importance: inout [Double],
                     categories: inout [Set<Int>]) throws(ModelImportError) -> ImportedTree
    {
        let location = "learner.gradient_booster.model.trees[\(number)]"
        func fail(_ key: String, _ reason: String) -> ModelImportError {
            .malformed(.xgboost, location: location + "." + key, reason: reason)
        }
        if let size = tree.treeParam?.sizeLeafVector, let count = Int(size), count > 1 {
            throw .unsupportedFeature(.xgboost, feature: "vector leaves (multi_strategy='multi_output_tree')")
        }
        let count = tree.leftChildren.count
        let lengths = [("right_children", tree.rightChildren.count), ("split_indices", tree.splitIndices.count),
                       ("split_conditions", tree.splitConditions.count),
                       ("default_left", tree.defaultLeft.values.count), ("split_type", tree.splitType?.count ?? count)]
        for (key, length) in lengths where length != count { throw fail(key, "\(length) values for \(count) nodes") }

        // The categories of each categorical split: those listed go right in XGBoost.
        var listed: [Int: [Int]] = [:]
        if let nodes = tree.categoriesNodes, !nodes.isEmpty {
            let all = tree.categories ?? [], starts = tree.categoriesSegments ?? [], sizes = tree.categoriesSizes ?? []
            guard starts.count == nodes.count, sizes.count == nodes.count else {
                throw fail("categories_segments", "lengths differ from categories_nodes")
            }
            for (k, node) in nodes.enumerated() {
                guard starts[k] >= 0, sizes[k] >= 0, starts[k] + sizes[k] <= all.count else {
                    throw fail("categories_segments", "segment \(k) is outside 'categories'")
                }
                let set = Array(all[starts[k]..<(starts[k] + sizes[k])])
                guard set.allSatisfy({ (0..<ImportedTree.largestCategory).contains($0) }) else {
                    throw fail("categories", "a category of node \(node) is negative or above 2^24")
                }
                listed[node] = set
            }
        }

        var nodes: [ImportedNode] = []
        nodes.reserveCapacity(count)
        for i in 0..<count {
            let left = tree.leftChildren[i], right = tree.rightChildren[i]
            if left == -1 {
                nodes.append(.leaf(Double(tree.splitConditions[i])))
                continue
            }
            let feature = tree.splitIndices[i]
            if let gain = tree.lossChanges?[safe: i], importance.indices.contains(feature) {
                importance[feature] += gain
            }
            if tree.splitType?[i] == 1 {
                guard let set = listed[i] else { throw fail("categories_nodes", "categorical node \(i) is not listed") }
                if categories.indices.contains(feature) { categories[feature].formUnion(set) }
                // Hangar sends set categories left: the children swap, and so does the missing direction.
                nodes.append(.categorical(feature: feature, words: categoryWords(set),
                                          missingLeft: !tree.defaultLeft.values[i], left: right, right: left))
            } else {
                nodes.append(.numeric(feature: feature, threshold: tree.splitConditions[i].nextDown,
                                      missingLeft: tree.defaultLeft.values[i], zeroIsMissing: false,
                                      left: left, right: right))
            }
        }
        return ImportedTree(nodes: nodes)
    }

    /// Features named from the file (or `f0`, `f1`, ...), categorical where XGBoost says so or a split is.
    static func schema(_ learner: XGBoostModelJSON.Learner, featureCount: Int, cats: XGBoostModelJSON.Categories?,
                       categories: [Set<Int>]) throws(ModelImportError) -> FeatureSchema
    {
        var names = learner.featureNames ?? []
        if names.isEmpty { names = (0..<featureCount).map { "f\($0)" } }
        guard names.count == featureCount else {
            throw .malformed(.xgboost, location: "learner.feature_names",
                             reason: "\(names.count) names for \(featureCount) features")
        }
        let types = learner.featureTypes ?? []
        var features: [FeatureSpec] = []
        for (f, name) in names.enumerated() {
            guard types[safe: f] == "c" || !categories[f].isEmpty else {
                features.append(FeatureSpec(name: name, kind: .numeric))
                continue
            }
            var levels = (0..<((categories[f].max() ?? -1) + 1)).map(String.init)
            if let encoding = cats?.enc[safe: f], let recorded = try recordedLevels(encoding, feature: f) {
                levels = recorded
            }
            features.append(FeatureSpec(name: name, kind: .categorical, levels: levels))
        }
        return FeatureSchema(features: features)
    }

    /// The categories XGBoost recorded for a feature, in code order; `nil` when none are recorded.
    static func recordedLevels(_ encoding: XGBoostModelJSON.Encoding, feature: Int) throws(ModelImportError)
        -> [String]?
    {
        guard let values = encoding.values, !values.isEmpty else { return nil }
        guard let offsets = encoding.offsets, !offsets.isEmpty else {
            return values.map(LightGBMModelImport.levelName)
        }
        // Text categories: UTF-8 bytes, category k from offsets[k] to offsets[k + 1].
        guard offsets.first == 0, offsets.last == values.count,
              zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }),
              values.allSatisfy({ (0...255).contains($0) })
        else {
            throw .malformed(.xgboost, location: "learner.gradient_booster.model.cats.enc[\(feature)]",
                             reason: "category text offsets do not fit the bytes")
        }
        let bytes = values.map { UInt8($0) }
        return zip(offsets, offsets.dropFirst()).map { String(decoding: bytes[$0..<$1], as: UTF8.self) }
    }
}

extension Array {
    /// The element at `index`, or `nil` outside the array.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
