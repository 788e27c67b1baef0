/// The boosting iterations: gradients, bagging, one tree per output, score updates, early stopping.
struct BoostingLoop {
    let config: GBDTConfig
    let data: BinnedDataset
    let labels: [Double]
    let objective: Objective
    let validation: (data: BinnedDataset, labels: [Double])?
    private(set) var validationLoss: [Double] = []
    private(set) var bestIteration = 0
    private(set) var featureImportance: [Double]

    init(config: GBDTConfig, data: BinnedDataset, labels: [Double], objective: Objective,
         validation: (BinnedDataset, [Double])?)
    {
        self.config = config
        self.data = data
        self.labels = labels
        self.objective = objective
        self.validation = validation
        featureImportance = Array(repeating: 0, count: data.featureCount)
    }

    mutating func run() -> TreeEnsemble {
        let n = data.rowCount
        let outputs = objective.outputCount
        let base = objective.initialScores(labels: labels)
        var ensemble = TreeEnsemble(outputCount: outputs, baseScores: base, link: objective.link,
                                    featureCount: data.featureCount)
        var scores = ScoreBoard(rows: n, base: base)
        var validationScores = validation.map { ScoreBoard(rows: $0.data.rowCount, base: base) }
        var pairs = [GradientPair](repeating: .zero, count: n * outputs)
        let grower = TreeGrower(data: data, settings: treeSettings)
        let allFeatures = Array(0..<data.featureCount)
        var bag: [Int32] = (0..<n).map { Int32($0) }
        var inBag = [Bool](repeating: true, count: n)
        let bagging = config.baggingFraction < 1
        for iteration in 0..<config.trees {
            computeGradients(scores: scores.values, pairs: &pairs)
            if bagging, iteration % max(1, config.baggingFrequency) == 0 {
                var generator = SplitMix64(seed: SplitMix64.derive(config.seed, 0xBA6 &+ UInt64(iteration)))
                let size = max(1, Int(Double(n) * config.baggingFraction))
                bag = generator.sampleIndices(size, from: n).map { Int32($0) }
                inBag = [Bool](repeating: false, count: n)
                for row in bag { inBag[Int(row)] = true }
            }
            var features = allFeatures
            if config.featureFraction < 1 {
                var generator = SplitMix64(seed: SplitMix64.derive(config.seed, 0xFEA7 &+ UInt64(iteration)))
                let keep = max(1, Int((Double(data.featureCount) * config.featureFraction).rounded()))
                features = generator.sampleIndices(keep, from: data.featureCount)
            }
            for k in 0..<outputs {
                bag.withUnsafeBufferPointer { grower.indices.update(from: $0.baseAddress!, count: bag.count) }
                let seed = SplitMix64.derive(config.seed, UInt64(iteration * outputs + k))
                var tree = pairs.withUnsafeBufferPointer { p in
                    grower.grow(rowCount: bag.count, pairs: p.baseAddress! + k * n, features: features, seed: seed)
                }
                // Scores move by the values the runtime will use, so training and prediction agree exactly.
                for i in tree.nodes.indices { tree.nodes[i].value = Double(Float(tree.nodes[i].value)) }
                for node in tree.nodes where !node.isLeaf { featureImportance[node.feature] += node.gain }
                scores.add(tree, output: k, grower: grower, data: data, inBag: bagging ? inBag : nil,
                           threads: config.threads)
                validationScores?.addByWalking(tree, output: k, grower: grower, data: validation!.data,
                                               threads: config.threads)
                ensemble.append(tree: tree.runtimeNodes(featureBins: data.featureBins), output: k)
            }
            if let board = validationScores, let validation {
                let loss = config.earlyStoppingMetric == .rocAUC
                    ? Self.aucLoss(scores: board.values, labels: validation.labels)
                    : board.values.withUnsafeBufferPointer { s in
                        validation.labels.withUnsafeBufferPointer { l in
                            objective.loss(scores: s.baseAddress!, labels: l.baseAddress!, rowCount: board.rows)
                        }
                    }
                validationLoss.append(loss)
                if loss < validationLoss[bestIteration] { bestIteration = iteration }
                if config.earlyStoppingRounds > 0, iteration - bestIteration >= config.earlyStoppingRounds { break }
            }
        }
        if validation != nil, config.earlyStoppingRounds > 0 {
            ensemble.truncate(toTrees: (bestIteration + 1) * outputs)
        } else {
            bestIteration = ensemble.treeCount / outputs - 1
        }
        bestIteration += 1
        return ensemble
    }

    /// 1 − ROC AUC of raw binary scores (a score ranks as its probability does); 0.5 when one class is missing.
    static func aucLoss(scores: [Double], labels: [Double]) -> Double {
        let auc = try? RankingMetrics.rocAUC(labels: labels.map { $0 > 0.5 }, scores: scores)
        return 1 - (auc ?? 0.5)
    }

    private var treeSettings: TreeSettings {
        TreeSettings(maxLeaves: config.numLeaves, maxDepth: config.maxDepth, minDataInLeaf: config.minDataInLeaf,
                     minSumHessianInLeaf: config.minSumHessianInLeaf, lambdaL2: config.lambdaL2,
                     minGainToSplit: config.minGainToSplit, learningRate: config.learningRate,
                     featureFractionByNode: 1, threads: config.threads)
    }

    private func computeGradients(scores: [Double], pairs: inout [GradientPair]) {
        let n = data.rowCount
        let chunks = max(1, min(16, n / 32_768))
        let objective = objective
        scores.withUnsafeBufferPointer { s in
            labels.withUnsafeBufferPointer { l in
                pairs.withUnsafeMutableBufferPointer { p in
                    let context = GradientContext(scores: s.baseAddress!, labels: l.baseAddress!, pairs: p.baseAddress!)
                    parallelFor(chunks: chunks, threads: config.threads) { chunk in
                        objective.gradients(scores: context.scores, labels: context.labels, rowCount: n,
                                            range: chunkRange(chunk, of: chunks, count: n), pairs: context.pairs)
                    }
                }
            }
        }
    }
}

private struct GradientContext: @unchecked Sendable {
    let scores: UnsafePointer<Double>
    let labels: UnsafePointer<Double>
    let pairs: UnsafeMutablePointer<GradientPair>
}
