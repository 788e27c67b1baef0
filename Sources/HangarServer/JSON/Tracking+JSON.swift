import HangarCore

extension Tag: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("key", key)
            w.field("value", value)
        }
    }
}

extension Param: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("key", key)
            w.field("value", value)
        }
    }
}

extension Metric: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("key", key)
            w.field("value", value)
            w.field("timestamp", timestamp)
            w.field("step", step)
            w.field("model_id", modelId)
            w.field("dataset_name", datasetName)
            w.field("dataset_digest", datasetDigest)
            w.field("run_id", runId)
        }
    }
}

extension Experiment: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("experiment_id", experimentId)
            w.field("name", name)
            w.field("artifact_location", artifactLocation)
            w.field("lifecycle_stage", lifecycleStage.rawValue)
            w.field("last_update_time", lastUpdateTime)
            w.field("creation_time", creationTime)
            w.field("tags", tags)
        }
    }
}

extension RunInfo: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("run_id", runId)
            w.field("run_uuid", runUuid)
            w.field("run_name", runName)
            w.field("experiment_id", experimentId)
            w.field("user_id", userId)
            w.field("status", status.rawValue)
            w.field("start_time", startTime)
            w.field("end_time", endTime)
            w.field("artifact_uri", artifactUri)
            w.field("lifecycle_stage", lifecycleStage.rawValue)
        }
    }
}

extension Dataset: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("name", name)
            w.field("digest", digest)
            w.field("source_type", sourceType)
            w.field("source", source)
            w.field("schema", schema)
            w.field("profile", profile)
        }
    }
}

extension DatasetInput: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("tags", tags)
            w.field("dataset", dataset)
        }
    }
}

extension ModelInput: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in w.field("model_id", modelId) }
    }
}

extension ModelOutput: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("model_id", modelId)
            w.field("step", step)
        }
    }
}

extension Run: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("info", info)
            w.key("data")
            w.object { w in
                w.field("metrics", data.metrics)
                w.field("params", data.params)
                w.field("tags", data.tags)
            }
            w.key("inputs")
            w.object { w in
                w.field("dataset_inputs", inputs.datasetInputs)
                w.field("model_inputs", inputs.modelInputs)
            }
            w.key("outputs")
            w.object { w in w.field("model_outputs", outputs.modelOutputs) }
        }
    }
}

extension LoggedModel: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.key("info")
            w.object { w in
                w.field("model_id", info.modelId)
                w.field("experiment_id", info.experimentId)
                w.field("name", info.name)
                w.field("creation_timestamp_ms", info.creationTimestampMs)
                w.field("last_updated_timestamp_ms", info.lastUpdatedTimestampMs)
                w.field("artifact_uri", info.artifactUri)
                w.field("status", info.status.rawValue)
                w.field("status_message", info.statusMessage)
                w.field("model_type", info.modelType)
                w.field("source_run_id", info.sourceRunId)
                w.field("tags", info.tags)
            }
            w.key("data")
            w.object { w in
                w.field("params", data.params)
                w.field("metrics", data.metrics)
            }
        }
    }
}
