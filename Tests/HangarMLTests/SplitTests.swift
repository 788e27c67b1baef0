import Testing
import HangarML

private func coversEveryRowOnce(_ folds: [Fold], rows: Int) -> Bool {
    let scored = folds.flatMap(\.validation).sorted()
    let disjoint = folds.allSatisfy { Set($0.train).isDisjoint(with: $0.validation) }
    let complete = folds.allSatisfy { $0.train.count + $0.validation.count == rows }
    return scored == Array(0..<rows) && disjoint && complete
}

@Test func kFoldScoresEveryRowExactlyOnce() throws {
    let folds = try Splits.kFold(rowCount: 103, folds: 5, seed: 1)
    #expect(folds.count == 5)
    #expect(coversEveryRowOnce(folds, rows: 103))
    #expect(Set(folds.map(\.validation.count)) == [20, 21])
}

@Test func theSameSeedGivesTheSameFoldsAndAnotherSeedOthers() throws {
    #expect(try Splits.kFold(rowCount: 50, folds: 3, seed: 7) == (try Splits.kFold(rowCount: 50, folds: 3, seed: 7)))
    #expect(try Splits.kFold(rowCount: 50, folds: 3, seed: 7) != (try Splits.kFold(rowCount: 50, folds: 3, seed: 8)))
}

@Test func stratifiedFoldsKeepEachClassShare() throws {
    // 90 rows of class 0, 30 of class 1, 15 of class 2.
    let labels = [Int](repeating: 0, count: 90) + [Int](repeating: 1, count: 30) + [Int](repeating: 2, count: 15)
    let folds = try Splits.stratifiedKFold(labels: labels, folds: 3, seed: 3)
    #expect(coversEveryRowOnce(folds, rows: labels.count))
    for fold in folds {
        let counts = [0, 1, 2].map { c in fold.validation.filter { labels[$0] == c }.count }
        #expect(counts == [30, 10, 5])
    }
}

@Test func repeatedKFoldReshufflesEachRound() throws {
    let folds = try Splits.repeatedKFold(rowCount: 40, folds: 2, repeats: 5, seed: 0)
    #expect(folds.count == 10)
    for round in 0..<5 { #expect(coversEveryRowOnce(Array(folds[(round * 2)..<(round * 2 + 2)]), rows: 40)) }
    #expect(Set(folds.map(\.validation)).count == 10)
    // The first rounds of a longer run are the shorter run: 5 x 2 is a prefix of 25 x 2.
    #expect(Array(try Splits.repeatedKFold(rowCount: 40, folds: 2, repeats: 25, seed: 0).prefix(10)) == folds)
}

@Test func holdoutKeepsTheAskedShareAndStratifies() throws {
    let labels = (0..<200).map { $0 < 150 ? 0 : 1 }
    let fold = try Splits.holdout(rowCount: 200, validationFraction: 0.2, seed: 5, stratifyBy: labels)
    #expect(fold.validation.count == 40)
    #expect(fold.validation.filter { labels[$0] == 1 }.count == 10)
    #expect((fold.train + fold.validation).sorted() == Array(0..<200))
}

@Test func timeOrderedSplitsNeverTrainOnTheFuture() throws {
    // Two lounges a day for 30 days, rows not in time order.
    let times = (0..<60).map { Double(($0 * 7) % 30) }
    let folds = try Splits.timeOrdered(times: times, folds: 4)
    #expect(folds.count == 4)
    var previousValidation = -1.0
    for fold in folds {
        let latestTrain = fold.train.map { times[$0] }.max()!
        let earliestValidation = fold.validation.map { times[$0] }.min()!
        #expect(latestTrain < earliestValidation)
        #expect(earliestValidation > previousValidation)
        previousValidation = earliestValidation
        // Both lounges of a day fall on the same side.
        for row in fold.validation { #expect(fold.validation.filter { times[$0] == times[row] }.count == 2) }
    }
    #expect(folds.map(\.train.count) == folds.map(\.train.count).sorted())
}

@Test func timeOrderedSplitsLeaveAGapBeforeValidation() throws {
    let times = (0..<50).map(Double.init)
    for fold in try Splits.timeOrdered(times: times, folds: 3, gap: 2) {
        let latestTrain = fold.train.map { times[$0] }.max()!
        #expect(fold.validation.map { times[$0] }.min()! > latestTrain + 2)
    }
}

@Test func groupFoldsKeepAGroupTogether() throws {
    let groups = (0..<100).map { $0 % 7 }
    let folds = try Splits.groupKFold(groups: groups, folds: 3)
    #expect(coversEveryRowOnce(folds, rows: 100))
    for fold in folds {
        #expect(Set(fold.train.map { groups[$0] }).isDisjoint(with: fold.validation.map { groups[$0] }))
    }
}

@Test func impossibleSplitsAreRefused() {
    #expect(throws: SplitError.invalidFoldCount(1)) { try Splits.kFold(rowCount: 10, folds: 1, seed: 0) }
    #expect(throws: SplitError.tooFewRows(needed: 5, found: 3)) { try Splits.kFold(rowCount: 3, folds: 5, seed: 0) }
    #expect(throws: SplitError.invalidFraction(1.5)) {
        try Splits.holdout(rowCount: 10, validationFraction: 1.5, seed: 0)
    }
    #expect(throws: SplitError.missingTime(row: 1)) { try Splits.timeOrdered(times: [1, .nan, 3], folds: 1) }
    #expect(throws: SplitError.tooFewRows(needed: 4, found: 3)) {
        try Splits.timeOrdered(times: [1, 2, 3, 1], folds: 3)
    }
}
