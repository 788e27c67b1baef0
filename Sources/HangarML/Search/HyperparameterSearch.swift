import Foundation

/// Tunes one learner family by random search or successive halving over its search space.
///
/// Candidates are drawn up front from the seed, and every trial trains with a seed derived from the candidate,
/// so a given seed and trial budget always produce the same trials; a time budget stops the list early (see `run`).
public struct HyperparameterSearch: Sendable {
    /// The family tuned.
    public var family: TabularModel.Family
    /// The hyperparameters varied (the family's own space unless replaced).
    public var space: SearchSpace
    /// How trials are spent.
    public var strategy: SearchStrategy
    /// Seed of the candidate draws and of every training.
    public var seed: UInt64

    /// A search over `family`'s default space.
    public init(family: TabularModel.Family, strategy: SearchStrategy = .random, seed: UInt64 = 0) {
        self.family = family
        self.space = family.searchSpace
        self.strategy = strategy
        self.seed = seed
    }

    /// Runs trials on `validation`'s folds within `budget`; `progress` sees each finished trial.
    /// Returns every trial in the order run; the best is `best(of:)`.
    ///
    /// Under a time budget, successive halving keeps back the time one evaluation on all rows needs (estimated from
    /// the trials so far): when the rest of the schedule no longer fits, the best candidate of the highest rung
    /// reached goes straight to all rows, so every family ends with a score on all rows to compare, slightly past
    /// the budget at worst, instead of stopping at a rung no other family's scores can be compared with.
    public func run(_ validation: CrossValidation, budget: SearchBudget,
                    progress: ((Trial) -> Void)? = nil) -> [Trial]
    {
        let deadline = budget.seconds.map { ContinuousClock.now + .milliseconds(Int64($0 * 1000)) }
        let smallestTrain = validation.folds.map(\.train.count).min() ?? 0
        let plan = HalvingPlan(budget: budget.trials, strategy: strategy, trainRows: smallestTrain)
        var generator = SplitMix64(seed: SplitMix64.derive(seed, 0x5EA5C4))
        let candidates = space.candidates(plan.candidates, generator: &generator)
        var trials: [Trial] = []
        var alive = Array(candidates.indices)
        // Seconds one evaluation on all rows takes, from the slowest trial so far scaled to all rows.
        var fullCost = 0.0
        for rung in 0..<plan.rungs {
            var scored: [(candidate: Int, score: Double)] = []
            let lastRung = rung == plan.rungs - 1
            for candidate in alive {
                if let deadline {
                    let left = (deadline - ContinuousClock.now).seconds
                    if left <= 0 || (!lastRung && !trials.isEmpty && left < fullCost) {
                        if !lastRung { finishOnAllRows(trials: &trials, candidates: candidates, validation, progress) }
                        return trials
                    }
                }
                let started = ContinuousClock.now
                let resource = plan.resource(rung: rung)
                let trial = validation.evaluate(family, parameters: candidates[candidate], candidate: candidate,
                                                resource: resource, seed: SplitMix64.derive(seed, UInt64(candidate)))
                fullCost = max(fullCost, (ContinuousClock.now - started).seconds / resource)
                trials.append(trial)
                progress?(trial)
                scored.append((candidate, trial.mean))
            }
            // Stable ranking: better score first, then earlier candidate.
            let metric = validation.metric
            scored.sort { a, b in
                metric.isBetter(a.score, than: b.score) || (!metric.isBetter(b.score, than: a.score)
                    && a.candidate < b.candidate)
            }
            alive = scored.prefix(plan.survivors(rung: rung + 1)).map(\.candidate)
        }
        return trials
    }

    /// Scores on all rows the best candidate of the highest rung any trial reached (out of time for the schedule).
    private func finishOnAllRows(
        trials: inout [Trial], candidates: [ParameterSet], _ validation: CrossValidation,
        _ progress: ((Trial) -> Void)?
    ) {
        guard let top = Self.best(of: trials), top.resource < 1 else { return }
        let candidate = top.candidate
        let trial = validation.evaluate(family, parameters: candidates[candidate], candidate: candidate, resource: 1,
                                        seed: SplitMix64.derive(seed, UInt64(candidate)))
        trials.append(trial)
        progress?(trial)
    }

    /// The best trial on all training rows (or, if none got that far, on the most rows), `nil` when all failed.
    public static func best(of trials: [Trial]) -> Trial? {
        let finished = trials.filter { $0.failure == nil }
        guard let top = finished.map(\.resource).max() else { return nil }
        return finished.filter { $0.resource == top }.reduce(nil) { best, trial in
            guard let best else { return trial }
            return trial.metric.isBetter(trial.mean, than: best.mean) ? trial : best
        }
    }
}

/// How many candidates successive halving starts with, and the rungs it climbs, within a trial budget.
struct HalvingPlan {
    var candidates: Int
    var rungs: Int
    var reduction: Int

    /// Rows of the first rung stay at least this many, so early scores are not pure noise.
    static let smallestRungRows = 100

    init(budget: Int, strategy: SearchStrategy, trainRows: Int) {
        let budget = max(1, budget)
        guard case .successiveHalving(let reduction) = strategy, reduction >= 2 else {
            self.init(candidates: budget, rungs: 1, reduction: 2)
            return
        }
        var maxRungs = 1
        var rows = trainRows
        while rows / reduction >= Self.smallestRungRows { rows /= reduction; maxRungs += 1 }
        // The most candidates whose halving schedule fits the budget.
        var best = HalvingPlan(candidates: 1, rungs: 1, reduction: reduction)
        for n in 1...budget {
            var rungs = 1
            while rungs < maxRungs, n / Self.power(reduction, rungs) >= 1 { rungs += 1 }
            let plan = HalvingPlan(candidates: n, rungs: rungs, reduction: reduction)
            if plan.evaluations <= budget { best = plan }
        }
        self = best
    }

    init(candidates: Int, rungs: Int, reduction: Int) {
        self.candidates = candidates
        self.rungs = rungs
        self.reduction = reduction
    }

    /// Candidates scored at `rung`.
    func survivors(rung: Int) -> Int {
        max(1, candidates / Self.power(reduction, rung))
    }

    /// Share of training rows at `rung`: the last rung uses all of them.
    func resource(rung: Int) -> Double {
        1 / Double(Self.power(reduction, rungs - 1 - rung))
    }

    /// Trials the schedule runs.
    var evaluations: Int {
        (0..<rungs).reduce(0) { $0 + survivors(rung: $1) }
    }

    static func power(_ base: Int, _ exponent: Int) -> Int {
        (0..<max(0, exponent)).reduce(1) { product, _ in product * base }
    }
}
