/// The upload state of a logged model (MLflow 3's `LoggedModelStatus`).
public enum LoggedModelStatus: String, Sendable, Codable {
    case pending = "LOGGED_MODEL_PENDING"
    case ready = "LOGGED_MODEL_READY"
    case uploadFailed = "LOGGED_MODEL_UPLOAD_FAILED"
}

/// Who, when and where of a logged model (MLflow 3's `LoggedModelInfo`).
public struct LoggedModelInfo: Sendable, Codable, Equatable {
    public var modelId: String
    public var experimentId: String
    public var name: String
    public var creationTimestampMs: Int64
    public var lastUpdatedTimestampMs: Int64
    public var artifactUri: String
    public var status: LoggedModelStatus
    public var statusMessage: String?
    public var modelType: String?
    public var sourceRunId: String?
    public var tags: [Tag]

    public init(
        modelId: String, experimentId: String, name: String, creationTimestampMs: Int64,
        lastUpdatedTimestampMs: Int64, artifactUri: String, status: LoggedModelStatus, statusMessage: String?,
        modelType: String?, sourceRunId: String?, tags: [Tag]
    ) {
        self.modelId = modelId
        self.experimentId = experimentId
        self.name = name
        self.creationTimestampMs = creationTimestampMs
        self.lastUpdatedTimestampMs = lastUpdatedTimestampMs
        self.artifactUri = artifactUri
        self.status = status
        self.statusMessage = statusMessage
        self.modelType = modelType
        self.sourceRunId = sourceRunId
        self.tags = tags
    }
}

/// Params and metrics recorded against a logged model.
public struct LoggedModelData: Sendable, Codable, Equatable {
    public var params: [Param]
    public var metrics: [Metric]

    public init(params: [Param] = [], metrics: [Metric] = []) {
        self.params = params
        self.metrics = metrics
    }
}

/// A model logged by a run or on its own (MLflow 3's `LoggedModel`).
public struct LoggedModel: Sendable, Codable, Equatable {
    public var info: LoggedModelInfo
    public var data: LoggedModelData

    public init(info: LoggedModelInfo, data: LoggedModelData) {
        self.info = info
        self.data = data
    }
}
