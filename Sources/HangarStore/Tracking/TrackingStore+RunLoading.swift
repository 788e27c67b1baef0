import Foundation
import HangarCore
import SQLKit

extension TrackingStore {
    /// Loads whole runs for these ids (in the given order), with four batched queries for their data.
    static func loadRuns(ids: [String], db: any SQLDatabase) async throws -> [Run] {
        guard !ids.isEmpty else { return [] }
        var infos: [String: RunInfo] = [:]
        var metrics: [String: [Metric]] = [:]
        var params: [String: [Param]] = [:]
        var tags: [String: [Tag]] = [:]
        var datasets: [String: [DatasetInput]] = [:]
        var modelInputs: [String: [ModelInput]] = [:]
        var modelOutputs: [String: [ModelOutput]] = [:]
        for chunk in chunks(ids) {
            let binds = Array(chunk)
            for row in try await db.raw("SELECT * FROM runs WHERE run_id IN (\(binds: binds))").all() {
                let info = try runInfo(from: row)
                infos[info.runId] = info
            }
            for row in try await db.raw("SELECT * FROM latest_metrics WHERE run_id IN (\(binds: binds)) ORDER BY key").all() {
                metrics[try row.string("run_id"), default: []].append(try metric(from: row))
            }
            for row in try await db.raw("SELECT run_id, key, value FROM params WHERE run_id IN (\(binds: binds)) ORDER BY key").all() {
                params[try row.string("run_id"), default: []].append(Param(key: try row.string("key"), value: try row.string("value")))
            }
            for row in try await db.raw("SELECT run_id, key, value FROM tags WHERE run_id IN (\(binds: binds)) ORDER BY key").all() {
                tags[try row.string("run_id"), default: []].append(Tag(key: try row.string("key"), value: try row.string("value")))
            }
            for row in try await db.raw("SELECT * FROM run_datasets WHERE run_id IN (\(binds: binds)) ORDER BY name").all() {
                datasets[try row.string("run_id"), default: []].append(try datasetInput(from: row))
            }
            for row in try await db.raw("SELECT * FROM run_model_io WHERE run_id IN (\(binds: binds)) ORDER BY step, model_id").all() {
                let runId = try row.string("run_id")
                let modelId = try row.string("model_id")
                if try row.string("direction") == "input" {
                    modelInputs[runId, default: []].append(ModelInput(modelId: modelId))
                } else {
                    modelOutputs[runId, default: []].append(ModelOutput(modelId: modelId, step: try row.int64("step")))
                }
            }
        }
        return ids.compactMap { id in
            guard let info = infos[id] else { return nil }
            return Run(
                info: info,
                data: RunData(metrics: metrics[id] ?? [], params: params[id] ?? [], tags: tags[id] ?? []),
                inputs: RunInputs(datasetInputs: datasets[id] ?? [], modelInputs: modelInputs[id] ?? []),
                outputs: RunOutputs(modelOutputs: modelOutputs[id] ?? []))
        }
    }

    static func runInfo(from row: any SQLRow) throws -> RunInfo {
        RunInfo(
            runId: try row.string("run_id"), runName: try row.string("run_name"),
            experimentId: String(try row.int64("experiment_id")), userId: try row.string("user_id"),
            status: RunStatus(rawValue: try row.string("status")) ?? .running, startTime: try row.int64("start_time"),
            endTime: try row.optionalInt64("end_time"), artifactUri: try row.string("artifact_uri"),
            lifecycleStage: LifecycleStage(rawValue: try row.string("lifecycle_stage")) ?? .active)
    }

    static func metric(from row: any SQLRow) throws -> Metric {
        let isNaN = try row.int64("is_nan") != 0
        return Metric(
            key: try row.string("key"), value: isNaN ? .nan : try row.double("value"),
            timestamp: try row.int64("timestamp"), step: try row.int64("step"))
    }

    static func datasetInput(from row: any SQLRow) throws -> DatasetInput {
        let tagsJSON = try row.string("tags_json")
        let tags = (try? JSONCoding.decoder.decode([Tag].self, from: Data(tagsJSON.utf8))) ?? []
        return DatasetInput(
            tags: tags,
            dataset: Dataset(
                name: try row.string("name"), digest: try row.string("digest"), sourceType: try row.string("source_type"),
                source: try row.string("source"), schema: try row.optionalString("schema_json"), profile: try row.optionalString("profile")))
    }
}
