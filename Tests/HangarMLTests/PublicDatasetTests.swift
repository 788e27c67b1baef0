import Foundation
import Testing
import HangarML

/// The committed CSVs and scikit-learn reference scores under `datasets/` at the repository root.
private enum PublicDatasets {
    static let directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("datasets")

    struct Reference: Decodable {
        struct Dataset: Decodable {
            struct Scores: Decodable {
                var mean: Double
            }

            var metric: String
            /// Scores by scheme (`5x2`, `25x2`) and learner.
            var cv: [String: [String: Scores]]
        }

        var datasets: [String: Dataset]
    }

    /// Repeats of 2-fold CV compared: 25, because 5 x 2 means on wine move by a point between split seeds.
    static let repeats = 25

    static func frame(_ name: String) throws -> DataFrame {
        try CSVReader.read(fileAt: directory.appendingPathComponent("\(name).csv").path)
    }

    static func reference(_ dataset: String, _ learner: String, scheme: String = "\(repeats)x2") throws -> Double {
        let data = try Data(contentsOf: directory.appendingPathComponent("reference.json"))
        let reference = try JSONDecoder().decode(Reference.self, from: data)
        return try #require(reference.datasets[dataset]?.cv[scheme]?[learner]?.mean)
    }

    /// Hangar's mean score over its own seeded 25 x 2 folds (stratified for classifiers), default settings.
    /// The first ten folds are the 5 x 2 folds of the same seed; their mean is printed for the record.
    static func crossValidated(_ name: String, _ family: TabularModel.Family, task: TaskKind,
                               metric: SelectionMetric) throws -> Double
    {
        let frame = try frame(name)
        let target = try #require(frame["target"])
        let labels = task.isClassification ? (0..<frame.rowCount).map { Int(target.numericValue(at: $0)) } : nil
        let folds = try Splits.repeatedKFold(rowCount: frame.rowCount, folds: 2, repeats: repeats, seed: 0,
                                             stratifyBy: labels)
        let validation = try CrossValidation(frame: frame, target: "target", task: task, folds: folds, metric: metric)
        let trial = validation.evaluate(family, parameters: ParameterSet())
        #expect(trial.failure == nil)
        let first = trial.foldScores.prefix(10)
        print("\(name) \(family.rawValue) \(metric.rawValue): 25x2 mean \(trial.mean), 5x2 mean",
              first.reduce(0, +) / Double(first.count))
        return trial.mean
    }
}

@Test func boostingMatchesScikitLearnAccuracyOnBreastCancer() throws {
    let hangar = try PublicDatasets.crossValidated("breast_cancer", .gradientBoostedTrees,
                                                   task: .binaryClassification, metric: .accuracy)
    #expect(hangar >= (try PublicDatasets.reference("breast_cancer", "hist_gradient_boosting")) - 0.01)
}

@Test func logisticRegressionMatchesScikitLearnAccuracyOnBreastCancer() throws {
    let hangar = try PublicDatasets.crossValidated("breast_cancer", .logisticRegression,
                                                   task: .binaryClassification, metric: .accuracy)
    #expect(hangar >= (try PublicDatasets.reference("breast_cancer", "logistic_regression")) - 0.01)
}

@Test func boostingMatchesScikitLearnAccuracyOnWine() throws {
    let hangar = try PublicDatasets.crossValidated("wine", .gradientBoostedTrees,
                                                   task: .multiclassClassification, metric: .accuracy)
    #expect(hangar >= (try PublicDatasets.reference("wine", "hist_gradient_boosting")) - 0.01)
}

@Test func logisticRegressionMatchesScikitLearnAccuracyOnWine() throws {
    let hangar = try PublicDatasets.crossValidated("wine", .logisticRegression,
                                                   task: .multiclassClassification, metric: .accuracy)
    #expect(hangar >= (try PublicDatasets.reference("wine", "logistic_regression")) - 0.01)
}

@Test func boostingMatchesScikitLearnErrorOnDiabetes() throws {
    let hangar = try PublicDatasets.crossValidated("diabetes", .gradientBoostedTrees, task: .regression,
                                                   metric: .rmse)
    #expect(hangar <= (try PublicDatasets.reference("diabetes", "hist_gradient_boosting")) * 1.01)
}

@Test func linearRegressionMatchesScikitLearnErrorOnDiabetes() throws {
    let hangar = try PublicDatasets.crossValidated("diabetes", .linearRegression, task: .regression, metric: .rmse)
    #expect(hangar <= (try PublicDatasets.reference("diabetes", "linear_regression")) * 1.01)
}
