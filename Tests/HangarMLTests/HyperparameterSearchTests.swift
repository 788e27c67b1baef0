import Testing
@testable import HangarML

private func crossValidation(rows: Int = 400) throws -> CrossValidation {
    let frame = SyntheticData.binary(rows: rows, seed: 21)
    let labels = (0..<frame.rowCount).map { Int(frame["label"]!.numericValue(at: $0)) }
    return try CrossValidation(frame: frame, target: "label", folds: Splits.stratifiedKFold(labels: labels, folds: 3,
                                                                                            seed: 4))
}

/// The reproducible content of trials (wall-clock seconds left out).
private func content(_ trials: [Trial]) -> [String] {
    trials.map { "\($0.family.rawValue) \($0.candidate) \($0.resource) \($0.parameters) \($0.foldScores)" }
}

@Test func randomSearchIsReproducibleForASeedAndTrialBudget() throws {
    let validation = try crossValidation()
    let search = HyperparameterSearch(family: .gradientBoostedTrees, strategy: .random, seed: 9)
    let first = search.run(validation, budget: SearchBudget(trials: 4))
    let second = search.run(validation, budget: SearchBudget(trials: 4))
    #expect(first.count == 4)
    #expect(content(first) == content(second))
    // The first candidate is the learner's defaults; early stopping may have kept fewer trees than its cap.
    let initial = TabularModel.Family.gradientBoostedTrees.searchSpace.initial
    var kept = first[0].parameters
    #expect(kept.values.removeValue(forKey: "trees")! <= initial.values["trees"]!)
    kept.values["trees"] = initial.values["trees"]
    #expect(kept == initial)
    #expect(Set(first.map(\.parameters)).count == 4)
    #expect(first.allSatisfy { $0.failure == nil && $0.metric == .rocAUC && $0.mean > 0.7 })
    let other = HyperparameterSearch(family: .gradientBoostedTrees, strategy: .random, seed: 10)
    #expect(content(other.run(validation, budget: SearchBudget(trials: 4))) != content(first))
}

@Test func sampledParametersStayInTheirRanges() {
    var generator = SplitMix64(seed: 3)
    let space = TabularModel.Family.gradientBoostedTrees.searchSpace
    for candidate in space.candidates(50, generator: &generator).dropFirst() {
        for parameter in space.parameters {
            let value = candidate.values[parameter.name]!
            switch parameter.range {
            case .integer(let range, _): #expect(range.contains(Int(value)) && value == value.rounded())
            case .real(let range, _): #expect(range.contains(value))
            }
        }
    }
}

@Test func successiveHalvingPromotesTheBestToAllRows() throws {
    let validation = try crossValidation(rows: 700)
    let search = HyperparameterSearch(family: .logisticRegression, strategy: .successiveHalving(reduction: 3), seed: 2)
    let trials = search.run(validation, budget: SearchBudget(trials: 13))
    // 466 training rows per fold allow two rungs of at least 100 rows: 10 candidates on a third of the rows,
    // the best 3 on all of them: 13 trials.
    #expect(trials.map(\.resource) == [Double](repeating: 1.0 / 3, count: 10) + [1, 1, 1])
    let firstRung = trials.prefix(10).sorted { $0.mean > $1.mean }
    #expect(Set(trials[10...].map(\.candidate)) == Set(firstRung.prefix(3).map(\.candidate)))
    let best = try #require(HyperparameterSearch.best(of: trials))
    #expect(best.resource == 1)
    #expect(content(trials) == content(search.run(validation, budget: SearchBudget(trials: 13))))
}

@Test func halvingFallsBackToRandomSearchOnSmallData() {
    let plan = HalvingPlan(budget: 6, strategy: .successiveHalving(reduction: 3), trainRows: 150)
    #expect(plan.rungs == 1 && plan.candidates == 6)
    let large = HalvingPlan(budget: 10, strategy: .successiveHalving(reduction: 3), trainRows: 100_000)
    #expect(large.evaluations <= 10 && large.rungs == 2 && large.candidates == 8)
}

@Test func aTimeBudgetThatIsSpentBeforeTheFirstTrialRunsNone() throws {
    let validation = try crossValidation()
    let search = HyperparameterSearch(family: .logisticRegression, seed: 1)
    let full = search.run(validation, budget: SearchBudget(trials: 3))
    let cut = search.run(validation, budget: SearchBudget(trials: 3, seconds: 0))
    #expect(cut.isEmpty)
    #expect(full.count == 3)
}

@Test func halvingOutOfTimeStillScoresItsBestCandidateOnAllRows() throws {
    // 60 halving evaluations of boosting on 3,000 rows take many seconds; half a second fits the first rung's
    // first trials only, so the search must send its best so far straight to all rows.
    let validation = try crossValidation(rows: 3000)
    let search = HyperparameterSearch(family: .gradientBoostedTrees, strategy: .successiveHalving(reduction: 3), seed: 2)
    let trials = search.run(validation, budget: SearchBudget(trials: 60, seconds: 0.5))
    let last = try #require(trials.last)
    #expect(last.resource == 1 && last.failure == nil)
    #expect(trials.dropLast().allSatisfy { $0.resource < 1 })
    let earlier = trials.dropLast().filter { $0.resource == trials.dropLast().map(\.resource).max() }
    let bestEarlier = try #require(HyperparameterSearch.best(of: Array(earlier)))
    #expect(last.candidate == bestEarlier.candidate)
    #expect(HyperparameterSearch.best(of: trials) == last)
}

@Test func aFailingCandidateIsRecordedNotThrown() throws {
    let validation = try crossValidation()
    var search = HyperparameterSearch(family: .gradientBoostedTrees, seed: 1)
    search.space = SearchSpace(parameters: [], initial: ParameterSet(["learningRate": -1]))
    let trials = search.run(validation, budget: SearchBudget(trials: 1))
    #expect(trials.count == 1 && trials[0].failure != nil && trials[0].mean.isNaN)
    #expect(HyperparameterSearch.best(of: trials) == nil)
}

@Test func boostingTrialsRecordTheTreesEarlyStoppingKept() throws {
    var validation = try crossValidation(rows: 1500)
    let eager = ParameterSet(["trees": 400, "numLeaves": 63, "learningRate": 0.5, "minDataInLeaf": 2])
    let stopped = validation.evaluate(.gradientBoostedTrees, parameters: eager, seed: 3)
    let trees = try #require(stopped.parameters.values["trees"])
    #expect(stopped.failure == nil)
    #expect(trees >= 1 && trees < 400 && trees == trees.rounded())
    validation.stopsBoostingEarly = false
    let full = validation.evaluate(.gradientBoostedTrees, parameters: eager, seed: 3)
    #expect(full.parameters == eager)
    // Other families ignore early stopping.
    validation.stopsBoostingEarly = true
    let forest = validation.evaluate(.randomForest, parameters: ParameterSet(["trees": 20]), seed: 3)
    #expect(forest.parameters == ParameterSet(["trees": 20]))
}
