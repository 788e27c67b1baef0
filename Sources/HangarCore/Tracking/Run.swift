/// Where a run is in its life (MLflow's `RunStatus`).
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running = "RUNNING"
    case scheduled = "SCHEDULED"
    case finished = "FINISHED"
    case failed = "FAILED"
    case killed = "KILLED"
}

/// The descriptive part of a run: who, when, where its artifacts live.
public struct RunInfo: Sendable, Codable, Equatable {
    public var runId: String
    public var runUuid: String
    public var runName: String
    public var experimentId: String
    public var userId: String
    public var status: RunStatus
    public var startTime: Int64
    public var endTime: Int64?
    public var artifactUri: String
    public var lifecycleStage: LifecycleStage

    public init(
        runId: String, runName: String, experimentId: String, userId: String, status: RunStatus,
        startTime: Int64, endTime: Int64?, artifactUri: String, lifecycleStage: LifecycleStage
    ) {
        self.runId = runId
        self.runUuid = runId
        self.runName = runName
        self.experimentId = experimentId
        self.userId = userId
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.artifactUri = artifactUri
        self.lifecycleStage = lifecycleStage
    }
}

/// One value of a metric at a step; `value` may be NaN or infinite.
public struct Metric: Sendable, Codable, Equatable {
    public var key: String
    public var value: Double
    public var timestamp: Int64
    public var step: Int64
    public var modelId: String?
    public var datasetName: String?
    public var datasetDigest: String?
    public var runId: String?

    public init(
        key: String, value: Double, timestamp: Int64, step: Int64,
        modelId: String? = nil, datasetName: String? = nil, datasetDigest: String? = nil, runId: String? = nil
    ) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step
        self.modelId = modelId
        self.datasetName = datasetName
        self.datasetDigest = datasetDigest
        self.runId = runId
    }

    public static func == (lhs: Metric, rhs: Metric) -> Bool {
        lhs.key == rhs.key && lhs.timestamp == rhs.timestamp && lhs.step == rhs.step
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }
}

/// A run parameter: written once, never changed.
public struct Param: Sendable, Codable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// What a run recorded: latest value per metric, params and tags.
public struct RunData: Sendable, Codable, Equatable {
    public var metrics: [Metric]
    public var params: [Param]
    public var tags: [Tag]

    public init(metrics: [Metric] = [], params: [Param] = [], tags: [Tag] = []) {
        self.metrics = metrics
        self.params = params
        self.tags = tags
    }
}

/// A run: info, data, and the datasets and models it used and produced.
public struct Run: Sendable, Codable, Equatable {
    public var info: RunInfo
    public var data: RunData
    public var inputs: RunInputs
    public var outputs: RunOutputs

    public init(info: RunInfo, data: RunData, inputs: RunInputs = .init(), outputs: RunOutputs = .init()) {
        self.info = info
        self.data = data
        self.inputs = inputs
        self.outputs = outputs
    }
}
