/// Whether an entity is live or soft-deleted (MLflow's `lifecycle_stage`).
public enum LifecycleStage: String, Sendable, Codable {
    case active
    case deleted
}

/// A key/value tag on an experiment, run or model.
public struct Tag: Sendable, Codable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A named group of runs; its id is a decimal string, "0" being the default experiment.
public struct Experiment: Sendable, Codable, Equatable {
    public var experimentId: String
    public var name: String
    public var artifactLocation: String
    public var lifecycleStage: LifecycleStage
    public var lastUpdateTime: Int64
    public var creationTime: Int64
    public var tags: [Tag]

    public init(
        experimentId: String, name: String, artifactLocation: String, lifecycleStage: LifecycleStage,
        lastUpdateTime: Int64, creationTime: Int64, tags: [Tag]
    ) {
        self.experimentId = experimentId
        self.name = name
        self.artifactLocation = artifactLocation
        self.lifecycleStage = lifecycleStage
        self.lastUpdateTime = lastUpdateTime
        self.creationTime = creationTime
        self.tags = tags
    }
}

/// Which lifecycle stages a search returns (MLflow's `ViewType`).
public enum ViewType: String, Sendable, Codable {
    case activeOnly = "ACTIVE_ONLY"
    case deletedOnly = "DELETED_ONLY"
    case all = "ALL"

    /// The stages this view includes.
    public var stages: [LifecycleStage] {
        switch self {
        case .activeOnly: [.active]
        case .deletedOnly: [.deleted]
        case .all: [.active, .deleted]
        }
    }
}
