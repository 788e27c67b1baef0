import HangarCore
import SQLKit


extension RegistryStore {
    /// The lineage of one version.
    public func lineage(name: String, version: String) async throws -> ModelLineage {
        let mv = try await modelVersion(name: name, version: version)
        let uri = try await downloadURI(name: name, version: version)
        var runId = mv.runId
        if runId == nil, let modelId = mv.modelId {
            runId = try await database.read { db in
                try await db.raw("SELECT source_run_id FROM logged_models WHERE model_id = \(bind: modelId)").first()?.optionalString("source_run_id")
            }
        }
        guard let runId else {
            return ModelLineage(modelVersion: mv, sourceRun: nil, params: [], datasets: [], artifactUri: uri, createdBy: mv.userId)
        }
        let run = try await database.read { db in try await TrackingStore.loadRuns(ids: [runId], db: db).first }
        return ModelLineage(
            modelVersion: mv, sourceRun: run?.info, params: run?.data.params ?? [], datasets: run?.inputs.datasetInputs ?? [],
            artifactUri: uri, createdBy: mv.userId ?? run?.info.userId)
    }
}
