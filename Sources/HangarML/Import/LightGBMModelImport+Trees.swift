import Foundation

extension LightGBMModelImport {
    /// One tree: split nodes keep their index, leaf `j` (a child `~j` in LightGBM) follows them at `splits + j`.
    ///
    /// Adds each split's gain to `importance` and each categorical split's categories to `categories`.
    static func tree(_ fields: LightGBMTreeFields, leafScale: Double, importance: inout [Double],
                     categories: inout [Set<Int>]) throws(ModelImportError) -> ImportedTree
    {
        if fields.fields["is_linear"] == "1" {
            throw .unsupportedFeature(.lightgbm, feature: "linear trees (linear_tree=true)")
        }
        let leafCount: Int = try fields.value("num_leaves")
        guard leafCount >= 1 else { throw fields.fail("num_leaves", "\(leafCount) leaves") }
        let leafValues: [Double] = try fields.array("leaf_value", count: leafCount)
        let splits = leafCount - 1
        var nodes: [ImportedNode] = []
        nodes.reserveCapacity(splits + leafCount)
        if splits > 0 {
            let features: [Int] = try fields.array("split_feature", count: splits)
            let thresholds: [Double] = try fields.array("threshold", count: splits)
            let decisions: [Int] = try fields.array("decision_type", count: splits)
            let lefts: [Int] = try fields.array("left_child", count: splits)
            let rights: [Int] = try fields.array("right_child", count: splits)
            let gains: [Double]? = try? fields.array("split_gain", count: splits)
            let bitsets = try categoryBitsets(fields)
            func child(_ c: Int, _ key: String) throws(ModelImportError) -> Int {
                guard c < splits, ~c < leafCount else { throw fields.fail(key, "child \(c) is outside the tree") }
                return c >= 0 ? c : splits + ~c
            }
            for i in 0..<splits {
                let feature = features[i], decision = decisions[i], threshold = thresholds[i]
                let left = try child(lefts[i], "left_child"), right = try child(rights[i], "right_child")
                if let gains, importance.indices.contains(feature) { importance[feature] += gains[i] }
                if decision & 1 != 0 {
                    // Categorical: the threshold is the index of the split's bitset.
                    guard let index = Int(exactly: threshold), bitsets.indices.contains(index) else {
                        throw fields.fail("threshold", "categorical split \(i) names bitset \(threshold)")
                    }
                    if categories.indices.contains(feature) { categories[feature].formUnion(setBits(bitsets[index])) }
                    nodes.append(.categorical(feature: feature, words: bitsets[index], missingLeft: false,
                                              left: left, right: right))
                    continue
                }
                guard threshold.isFinite else {
                    throw fields.fail("threshold", "split \(i) has threshold \(threshold)")
                }
                let defaultLeft = decision & 2 != 0
                let missingLeft: Bool, zeroIsMissing: Bool
                switch decision >> 2 & 3 {
                case 0: (missingLeft, zeroIsMissing) = (0 <= threshold, false)  // None: missing reads as 0
                case 1: (missingLeft, zeroIsMissing) = (defaultLeft, true)  // Zero
                case 2: (missingLeft, zeroIsMissing) = (defaultLeft, false)  // NaN
                default: throw fields.fail("decision_type", "split \(i) has unknown missing type \(decision)")
                }
                nodes.append(.numeric(feature: feature, threshold: floatThreshold(threshold),
                                      missingLeft: missingLeft, zeroIsMissing: zeroIsMissing, left: left, right: right))
            }
        }
        nodes += leafValues.map { .leaf($0 * leafScale) }
        return ImportedTree(nodes: nodes)
    }

    /// The `Float` threshold that splits `Float` inputs as LightGBM splits them with `threshold`.
    ///
    /// LightGBM reads an input within ±1e-35 (`kZeroThreshold`) as 0 before any split, so a threshold between
    /// -1e-35 and 1e-35 (LightGBM puts them at ±1e-35 to separate zero) splits those inputs as it splits 0.
    static func floatThreshold(_ threshold: Double) -> Float {
        let zero = Double(TreeNode.zeroThreshold)
        if threshold >= -zero, threshold < 0 { return (-TreeNode.zeroThreshold).nextDown }
        if threshold >= 0, threshold < zero { return TreeNode.zeroThreshold }
        return Float(atOrBelow: threshold)
    }

    /// The tree's category bitsets (`cat_threshold` words cut at `cat_boundaries`).
    static func categoryBitsets(_ fields: LightGBMTreeFields) throws(ModelImportError) -> [[UInt32]] {
        let count: Int = fields.fields["num_cat"] == nil ? 0 : try fields.value("num_cat")
        guard count > 0 else { return [] }
        guard count < ImportedTree.largestCategory else { throw fields.fail("num_cat", "\(count) is implausible") }
        let boundaries: [Int] = try fields.array("cat_boundaries", count: count + 1)
        guard let total = boundaries.last else { return [] }
        let words: [UInt32] = try fields.array("cat_threshold", count: total)
        guard boundaries.first == 0, zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw fields.fail("cat_boundaries", "boundaries are not increasing from 0")
        }
        return (0..<count).map { Array(words[boundaries[$0]..<boundaries[$0 + 1]]) }
    }

    static func setBits(_ words: [UInt32]) -> [Int] {
        words.indices.flatMap { w in (0..<32).filter { words[w] >> UInt32($0) & 1 == 1 }.map { w * 32 + $0 } }
    }

    /// Numeric features, and categorical ones with their levels: category codes "0" ... up to the largest code
    /// seen in `feature_infos` or a split, or the pandas categories when the file records them.
    static func schema(_ file: LightGBMModelText, names: [String], categories: [Set<Int>])
        throws(ModelImportError) -> FeatureSchema
    {
        let infos = (file.header["feature_infos"] ?? "").split(separator: " ")
        var codes = categories
        var listed = Set<Int>()
        for (f, info) in infos.enumerated() where f < codes.count && !info.hasPrefix("[") && info != "none" {
            // A categorical feature's info lists its categories: "3:0:1:7".
            listed.insert(f)
            codes[f].formUnion(info.split(separator: ":").compactMap { Int($0) }.filter { $0 >= 0 })
        }
        let categorical = names.indices.filter { listed.contains($0) || !categories[$0].isEmpty }
        var levels: [Int: [String]] = [:]
        for f in categorical {
            let largest = codes[f].max() ?? -1
            guard largest < ImportedTree.largestCategory else {
                throw .unsupportedFeature(.lightgbm, feature: "category \(largest) (codes above 2^24)")
            }
            levels[f] = (0..<(largest + 1)).map(String.init)
        }
        if let pandas = try pandasCategories(file) {
            guard pandas.count == categorical.count else {
                throw .unsupportedFeature(.lightgbm, feature: "\(pandas.count) pandas categorical columns for "
                                          + "\(categorical.count) categorical features")
            }
            for (f, names) in zip(categorical, pandas) { levels[f] = names }
        }
        return FeatureSchema(features: names.enumerated().map { f, name in
            levels[f].map { FeatureSpec(name: name, kind: .categorical, levels: $0) }
                ?? FeatureSpec(name: name, kind: .numeric)
        })
    }

    /// The category names of each pandas categorical column, `nil` when the model was not trained on pandas
    /// categories.
    static func pandasCategories(_ file: LightGBMModelText) throws(ModelImportError) -> [[String]]? {
        guard let text = file.pandasCategorical, text.trimmingCharacters(in: .whitespaces) != "null" else { return nil }
        guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
              let columns = json as? [Any]
        else { throw .malformed(.lightgbm, location: "pandas_categorical", reason: "not a JSON list") }
        return try columns.map { column throws(ModelImportError) in
            guard let values = column as? [Any] else {
                throw .malformed(.lightgbm, location: "pandas_categorical", reason: "a column is not a JSON list")
            }
            return values.map(levelName)
        }
    }

    /// A category as text: strings as they are, whole numbers without a fraction.
    static func levelName(_ value: Any) -> String {
        if let text = value as? String { return text }
        if let number = value as? NSNumber {
            let double = number.doubleValue
            return double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : String(double)
        }
        return "\(value)"
    }
}
