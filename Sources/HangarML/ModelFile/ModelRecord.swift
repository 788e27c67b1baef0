/// The stored form of a `TabularModel`: plain values and packed arrays, in the order a reader sees them.
struct ModelRecord: Codable {
    var format: String
    var formatVersion: Int
    var library: String
    var family: TabularModel.Family
    var target: TargetSpec
    var schema: FeatureSchema
    var report: TrainingReport
    // Optional keys added without raising the format version: version 1 files without them still load.
    var metrics: [String: Double]?
    var trainingDataDigest: String?
    var referenceProfile: ReferenceProfile?
    // Version 2: derived features. Only files that carry them are written as version 2.
    var preprocessing: Preprocessing?
    var trees: TreesRecord?
    var linear: LinearRecord?
}

/// A tree ensemble as struct-of-arrays, one packed array per node field.
struct TreesRecord: Codable {
    var outputCount: Int
    var featureCount: Int
    var link: OutputLink
    var baseScores: [Double]
    var roots: PackedArray<Int32>
    var treeOutputs: PackedArray<Int32>
    var nodeFeatures: PackedArray<Int32>
    var nodeThresholds: PackedArray<Float>
    var nodeChildren: PackedArray<Int32>
    var nodeFlags: PackedArray<UInt32>
    var categoryWords: PackedArray<UInt32>
    /// Absent for double sums, so files of Hangar's own models stay as they were (format version 1).
    var precision: ScorePrecision?

    init(_ ensemble: TreeEnsemble) {
        outputCount = ensemble.outputCount
        featureCount = ensemble.featureCount
        link = ensemble.link
        baseScores = ensemble.baseScores
        roots = PackedArray(ensemble.roots)
        treeOutputs = PackedArray(ensemble.treeOutputs)
        nodeFeatures = PackedArray(ensemble.nodes.map(\.feature))
        nodeThresholds = PackedArray(ensemble.nodes.map(\.threshold))
        nodeChildren = PackedArray(ensemble.nodes.map(\.child))
        nodeFlags = PackedArray(ensemble.nodes.map(\.flags))
        categoryWords = PackedArray(ensemble.categoryWords)
        precision = ensemble.precision == .double ? nil : ensemble.precision
    }

    /// The ensemble, after checking every index so a damaged file cannot send prediction out of bounds or in loops.
    func ensemble() throws(ModelFileError) -> TreeEnsemble {
        let count = nodeFeatures.values.count
        guard nodeThresholds.values.count == count, nodeChildren.values.count == count,
              nodeFlags.values.count == count
        else { throw .corrupt("node arrays differ in length") }
        guard roots.values.count == treeOutputs.values.count else { throw .corrupt("tree arrays differ in length") }
        guard outputCount >= 1, baseScores.count == outputCount else { throw .corrupt("bad output count") }
        var ensemble = TreeEnsemble(outputCount: outputCount, baseScores: baseScores, link: link,
                                    featureCount: featureCount)
        ensemble.roots = roots.values
        ensemble.treeOutputs = treeOutputs.values
        ensemble.categoryWords = categoryWords.values
        ensemble.precision = precision ?? .double
        ensemble.nodes = (0..<count).map {
            TreeNode(feature: nodeFeatures.values[$0], threshold: nodeThresholds.values[$0],
                     child: nodeChildren.values[$0], flags: nodeFlags.values[$0])
        }
        for (t, root) in ensemble.roots.enumerated() {
            guard root >= 0, Int(root) < count else { throw .corrupt("tree \(t) has no root node") }
            guard ensemble.treeOutputs[t] >= 0, Int(ensemble.treeOutputs[t]) < outputCount else {
                throw .corrupt("tree \(t) adds to an unknown output")
            }
        }
        for (i, node) in ensemble.nodes.enumerated() where !node.isLeaf {
            // Children after their parent rule out cycles.
            guard Int(node.feature) < featureCount, node.child > Int32(i), Int(node.child) + 1 < count else {
                throw .corrupt("node \(i) points outside the tree")
            }
            if node.flags & TreeNode.categorical != 0 {
                let end = Int(node.threshold.bitPattern) + Int(node.flags >> 8)
                guard end <= ensemble.categoryWords.count else { throw .corrupt("node \(i) has a bad category set") }
            }
        }
        return ensemble
    }
}

/// A linear function with its input encoding.
struct LinearRecord: Codable {
    var inputs: [LinearInput]
    var weights: [Double]
    var intercepts: [Double]
    var link: OutputLink

    init(_ function: LinearFunction) {
        inputs = function.inputs
        weights = function.weights
        intercepts = function.intercepts
        link = function.link
    }

    func function() throws(ModelFileError) -> LinearFunction {
        guard inputs.allSatisfy({ $0.levelCount >= 0 && $0.scale.isFinite && $0.scale != 0 && $0.mean.isFinite }) else {
            throw .corrupt("linear inputs have invalid scaling")
        }
        let function = LinearFunction(inputs: inputs, weights: weights, intercepts: intercepts, link: link)
        guard !intercepts.isEmpty, weights.count == intercepts.count * function.width else {
            throw .corrupt("linear weights do not match the inputs")
        }
        return function
    }
}
