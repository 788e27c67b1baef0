import Foundation
import HangarClient
import HangarCore
import HangarML

/// Logs a training result to a tracking server: a run with params and metrics, AutoML trials as child runs,
/// feature importances, the model as an MLflow 3 logged model (model file + MLmodel), and optionally a new version.
struct TrainingRecorder {
    let tracking: TrackingClient
    let artifacts: ArtifactClient

    init(serverURL: String) throws {
        guard let base = URL(string: serverURL), base.host != nil else { throw CLIError("--tracking-uri '\(serverURL)' is not a URL") }
        let client = HangarClient(baseURL: base)
        tracking = TrackingClient(client: client)
        artifacts = ArtifactClient(client: client)
    }

    /// Records everything; returns a line saying where it went.
    func record(
        _ result: AutoMLResult, modelPath: String, experiment: String, register: String?, dataPath: String,
        settings: [String: String]
    ) async throws -> String {
        do {
            return try await recordUnchecked(result, modelPath: modelPath, experiment: experiment, register: register,
                                             dataPath: dataPath, settings: settings)
        } catch let error as ClientError {
            throw CLIError("tracking: \(error)")
        }
    }

    private func recordUnchecked(
        _ result: AutoMLResult, modelPath: String, experiment: String, register: String?, dataPath: String,
        settings: [String: String]
    ) async throws -> String {
        let model = result.model
        let experimentID = try await tracking.experimentID(named: experiment)
        let run = try await tracking.startRun(
            experimentID: experimentID, name: nil,
            tags: ["mlflow.source.name": "hangar train", "mlflow.source.type": "LOCAL", "hangar.data": dataPath])
        var params = settings
        params["learner"] = model.family.rawValue
        params["task"] = model.target.task.rawValue
        if let best = result.leaderboard.first {
            for (key, value) in best.parameters.values { params["best.\(key)"] = value.compactText }
        }
        if let digest = model.trainingDataDigest { params["training_data_digest"] = digest }
        var metrics = model.metrics
        if let best = result.leaderboard.first {
            metrics["cv_\(result.metric.rawValue)_mean"] = best.mean
            metrics["cv_\(result.metric.rawValue)_std"] = best.standardDeviation
        }
        let importance = model.report.featureImportance
        for (index, feature) in model.schema.features.enumerated() where index < importance.count {
            metrics["importance.\(feature.name)"] = importance[index]
        }
        try await tracking.log(runID: run.runId, params: params, metrics: metrics)
        if result.trials.count > 1 {
            for (index, trial) in result.trials.enumerated() {
                let child = try await tracking.startRun(
                    experimentID: experimentID, name: "trial-\(index + 1)-\(trial.family.rawValue)", parentRunID: run.runId)
                var trialParams = trial.parameters.values.mapValues(\.compactText)
                trialParams["learner"] = trial.family.rawValue
                trialParams["resource"] = trial.resource.compactText
                try await tracking.log(runID: child.runId, params: trialParams, metrics: ["cv_\(trial.metric.rawValue)": trial.mean])
                try await tracking.endRun(runID: child.runId, status: trial.failure == nil ? .finished : .failed)
            }
        }
        let logged = try await tracking.createLoggedModel(
            experimentID: experimentID, runID: run.runId, name: "model", modelType: "hangar", params: params)
        let mlmodel = FileManager.default.temporaryDirectory.appendingPathComponent("MLmodel-\(UUID().uuidString)").path
        try MLmodelFile.yaml(for: model, modelID: logged.info.modelId, modelFile: ModelSource.fileName)
            .write(toFile: mlmodel, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: mlmodel) }
        try await artifacts.upload(modelPath, to: logged.info.artifactUri, as: ModelSource.fileName)
        try await artifacts.upload(mlmodel, to: logged.info.artifactUri, as: "MLmodel")
        try await tracking.finalizeLoggedModel(id: logged.info.modelId)
        try await tracking.endRun(runID: run.runId, status: .finished)
        var line = "logged run \(run.runId) in experiment '\(experiment)' with model \(logged.info.modelId)"
        if let register {
            let version = try await tracking.register(modelName: register, loggedModelID: logged.info.modelId, runID: run.runId)
            line += "; registered \(register) version \(version.version) (\(version.approval.state.rawValue))"
        }
        return line
    }
}
