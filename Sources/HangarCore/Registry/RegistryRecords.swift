/// Records the registry keeps about versions and aliases, as the API returns them.

/// Where a version came from: its source run, that run's params and input datasets, its files and its creator.
public struct ModelLineage: Sendable, Codable, Equatable {
    public var modelVersion: ModelVersion
    public var sourceRun: RunInfo?
    public var params: [Param]
    public var datasets: [DatasetInput]
    public var artifactUri: String
    public var createdBy: String?

    public init(modelVersion: ModelVersion, sourceRun: RunInfo?, params: [Param], datasets: [DatasetInput], artifactUri: String, createdBy: String?) {
        self.modelVersion = modelVersion
        self.sourceRun = sourceRun
        self.params = params
        self.datasets = datasets
        self.artifactUri = artifactUri
        self.createdBy = createdBy
    }
}

/// One entry of a version's approval audit trail.
public struct ApprovalRecord: Sendable, Codable, Equatable {
    public var state: ApprovalState
    public var user: String?
    public var comment: String?
    public var timestamp: Int64

    public init(state: ApprovalState, user: String?, comment: String?, timestamp: Int64) {
        self.state = state
        self.user = user
        self.comment = comment
        self.timestamp = timestamp
    }
}

/// One move of an alias: which version it came to point at, from which.
public struct AliasMove: Sendable, Codable, Equatable {
    public var alias: String
    public var version: String?
    public var previousVersion: String?
    /// `set`, `deleted` or `rollback`.
    public var action: String
    public var user: String?
    public var timestamp: Int64

    public init(alias: String, version: String?, previousVersion: String?, action: String, user: String?, timestamp: Int64) {
        self.alias = alias
        self.version = version
        self.previousVersion = previousVersion
        self.action = action
        self.user = user
        self.timestamp = timestamp
    }
}
