import ArgumentParser
import Foundation
import HangarML

/// `hangar train`: AutoML (or one learner with fixed settings) on a CSV, optionally logged and registered.
struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model from a CSV: AutoML by default, or one --learner with fixed settings.")

    enum Task: String, ExpressibleByArgument, CaseIterable { case classification, regression }
    enum Learner: String, ExpressibleByArgument, CaseIterable { case gbdt, forest, linear, logistic }

    @Argument(help: "Training data (CSV with a header row).") var data: String
    @Option(help: "The column to predict.") var target: String
    @Option(help: "classification or regression (default: detected from the target).") var task: Task?
    @Option(help: "AutoML time budget in seconds.") var timeBudget: Double = 60
    @Option(help: "AutoML trial budget (cross-validated evaluations).") var trials: Int = 60
    @Option(help: "AutoML cross-validation folds (default: one 80/20 holdout split from 50,000 rows, else 5).")
    var folds: Int?
    @Flag(help: "Print every AutoML trial (learner, share of rows, score, seconds, settings) as it finishes.")
    var verbose = false
    @Option(help: "Column that orders rows in time (forecasting: folds never train on the future).") var timeColumn: String?
    @Option(help: "Column whose groups stay within one fold (e.g. a lounge id); lags follow each group.")
    var groupColumn: String?
    @OptionGroup var derived: DerivedFeatureOptions
    @Option(help: "Train this learner with fixed settings instead of AutoML.") var learner: Learner?
    @Option(help: "Trees (gbdt, forest).") var trees: Int?
    @Option(help: "Leaves per tree (gbdt) or leaf cap (forest).") var leaves: Int?
    @Option(help: "Learning rate (gbdt).") var learningRate: Double?
    @Option(help: "Threads.") var threads: Int = ProcessorCount.available
    @Option(help: "Seed of every random choice.") var seed: UInt64 = 0
    @Option(help: "Where to write the model file.") var output: String = "model.hangar"
    @Option(help: "Log the run and the model to this Hangar (or MLflow-compatible) server.") var trackingUri: String?
    @Option(help: "Experiment to log to (with --tracking-uri).") var experiment: String = "Default"
    @Option(help: "Register the model as a new version of this registered model (with --tracking-uri).") var register: String?

    func validate() throws {
        if register != nil && trackingUri == nil { throw CLIError("--register needs --tracking-uri") }
        if trials < 1 || trials > 100_000 { throw CLIError("--trials must be between 1 and 100000") }
        if !(timeBudget > 0 && timeBudget <= 31_536_000) {
            throw CLIError("--time-budget must be a number of seconds above 0 and at most 31536000 (a year)")
        }
        if let folds, folds < 2 || folds > 100 { throw CLIError("--folds must be between 2 and 100") }
        if let trees, trees < 1 || trees > 100_000 { throw CLIError("--trees must be between 1 and 100000") }
        if let leaves, leaves < 2 || leaves > 131_072 { throw CLIError("--leaves must be between 2 and 131072") }
        if let learningRate, !(learningRate > 0 && learningRate <= 1) {
            throw CLIError("--learning-rate must be above 0 and at most 1")
        }
        if threads < 1 || threads > 1024 { throw CLIError("--threads must be between 1 and 1024") }
        try checkLearnerSettings()
        try derived.validate(timeColumn: timeColumn)
        if let trackingUri { try RemoteURL.check(trackingUri, option: "--tracking-uri") }
        if let register, register.isEmpty || register.contains("/") || register.contains(":") || register.count > 256 {
            throw CLIError("--register '\(register)' is not a model name: at most 256 characters, without '/' or ':'")
        }
        try OutputPath.check(output, option: "--output", inputs: [data])
    }

    func run() async throws {
        let frame: DataFrame
        do {
            frame = try CSVReader.read(fileAt: data)
        } catch {
            throw CLIError("\(data): \(error)")
        }
        let preprocessing = try derived.options()
        let taskKind: TaskKind? = task.map { $0 == .regression ? .regression : .binaryClassification }
        let started = ContinuousClock.now
        let result: AutoMLResult
        do {
            if let learner {
                result = try SingleLearner.run(
                    frame, target: target, task: taskKind, family: learner.family, parameters: fixedParameters(),
                    timeColumn: timeColumn, groupColumn: groupColumn, preprocessing: preprocessing, seed: seed,
                    threads: max(1, threads))
            } else {
                let bar = ProgressBar(total: trials)
                result = try AutoML.run(
                    frame, target: target, task: taskKind, timeColumn: timeColumn, groupColumn: groupColumn,
                    preprocessing: preprocessing, budget: SearchBudget(trials: trials, seconds: timeBudget),
                    folds: folds, seed: seed, threads: max(1, threads)
                ) { progress in
                    if verbose { bar.log(progress.latest) }
                    bar.update(done: progress.finished, planned: progress.planned, best: progress.best)
                }
                bar.finish()
            }
        } catch {
            throw CLIError("\(data): \(error)")
        }
        do {
            try ModelFile.save(result.model, to: output)
        } catch {
            throw CLIError("cannot write \(output): \(error)")
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        print(Leaderboard.text(result, seconds: seconds))
        print("model written to \(output)")
        if let trackingUri {
            let recorded = try await TrainingRecorder(serverURL: trackingUri).record(
                result, modelPath: output, experiment: experiment, register: register, dataPath: data, settings: settings())
            print(recorded)
        }
    }

    /// Refuses settings the chosen mode would ignore: a learner's settings without `--learner` (AutoML tunes its own),
    /// settings the learner has no use for, and AutoML's folds with a fixed learner.
    private func checkLearnerSettings() throws {
        let given = [("--trees", trees != nil), ("--leaves", leaves != nil), ("--learning-rate", learningRate != nil)]
            .filter(\.1).map(\.0)
        guard let learner else {
            if !given.isEmpty {
                throw CLIError("\(given.joined(separator: ", ")) set a fixed learner's settings: add --learner gbdt or "
                    + "--learner forest (AutoML tunes them itself)")
            }
            return
        }
        let accepted: [String] =
            switch learner {
            case .gbdt: ["--trees", "--leaves", "--learning-rate"]
            case .forest: ["--trees", "--leaves"]
            case .linear, .logistic: []
            }
        if let unused = given.first(where: { !accepted.contains($0) }) {
            throw CLIError("\(unused) does not apply to --learner \(learner.rawValue)"
                + (accepted.isEmpty ? " (it has no settings)" : " (it takes \(accepted.joined(separator: ", ")))"))
        }
        if folds != nil { throw CLIError("--folds applies to AutoML; --learner \(learner.rawValue) is scored on one 20% holdout") }
    }

    private func fixedParameters() -> ParameterSet {
        var values: [String: Double] = [:]
        if let trees { values["trees"] = Double(trees) }
        if let leaves { values[learner == .forest ? "maxLeaves" : "numLeaves"] = Double(leaves) }
        if let learningRate { values["learningRate"] = learningRate }
        return ParameterSet(values)
    }

    private func settings() -> [String: String] {
        var settings = ["target": target, "seed": String(seed), "mode": learner == nil ? "automl" : "fixed"]
        if let task { settings["task"] = task.rawValue }
        if let timeColumn { settings["time_column"] = timeColumn }
        if let groupColumn { settings["group_column"] = groupColumn }
        settings.merge(derived.settings) { a, _ in a }
        if learner == nil {
            settings["time_budget"] = String(timeBudget)
            settings["trials"] = String(trials)
        }
        return settings
    }
}

extension Train.Learner {
    var family: TabularModel.Family {
        switch self {
        case .gbdt: .gradientBoostedTrees
        case .forest: .randomForest
        case .linear: .linearRegression
        case .logistic: .logisticRegression
        }
    }
}
