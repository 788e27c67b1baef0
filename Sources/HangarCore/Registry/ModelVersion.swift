/// Whether a person or a rule has cleared a version for production.
public enum ApprovalState: String, Sendable, Codable, CaseIterable {
    case pending
    case approved
    case rejected
}

/// A version's approval: the state, and who set it, when and why.
public struct Approval: Sendable, Codable, Equatable {
    public var state: ApprovalState
    public var user: String?
    public var timestamp: Int64?
    public var comment: String?

    public init(state: ApprovalState, user: String?, timestamp: Int64?, comment: String?) {
        self.state = state
        self.user = user
        self.timestamp = timestamp
        self.comment = comment
    }
}

/// MLflow's deprecated stages, still used by many scripts.
public enum ModelStage: String, Sendable, Codable, CaseIterable {
    case none = "None"
    case staging = "Staging"
    case production = "Production"
    case archived = "Archived"

    /// Parses a stage name case-insensitively, as MLflow does.
    public init?(caseInsensitive raw: String) {
        guard let stage = Self.allCases.first(where: { $0.rawValue.lowercased() == raw.lowercased() }) else { return nil }
        self = stage
    }
}

/// One version of a registered model (MLflow's `ModelVersion`, plus Hangar's approval and gate evaluation).
public struct ModelVersion: Sendable, Codable, Equatable {
    public var name: String
    public var version: String
    public var creationTimestamp: Int64
    public var lastUpdatedTimestamp: Int64
    public var userId: String?
    public var currentStage: String
    public var description: String?
    public var source: String
    public var runId: String?
    public var status: String
    public var statusMessage: String?
    public var tags: [Tag]?
    public var runLink: String?
    public var aliases: [String]?
    public var modelId: String?
    /// Hangar: the approval state with who, when and a comment.
    public var approval: Approval
    /// Hangar: the last evaluation of the model's quality gates on this version, if the model has gates.
    public var gateEvaluation: GateEvaluation?

    public init(
        name: String, version: String, creationTimestamp: Int64, lastUpdatedTimestamp: Int64, userId: String?,
        currentStage: String, description: String?, source: String, runId: String?, status: String = "READY",
        statusMessage: String? = nil, tags: [Tag]?, runLink: String?, aliases: [String]?, modelId: String?,
        approval: Approval, gateEvaluation: GateEvaluation?
    ) {
        self.name = name
        self.version = version
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
        self.userId = userId
        self.currentStage = currentStage
        self.description = description
        self.source = source
        self.runId = runId
        self.status = status
        self.statusMessage = statusMessage
        self.tags = tags
        self.runLink = runLink
        self.aliases = aliases
        self.modelId = modelId
        self.approval = approval
        self.gateEvaluation = gateEvaluation
    }
}

/// An alias and the version it points at.
public struct ModelAlias: Sendable, Codable, Equatable {
    public var alias: String
    public var version: String

    public init(alias: String, version: String) {
        self.alias = alias
        self.version = version
    }
}

/// A registered model (MLflow's `RegisteredModel`, plus Hangar's approval policy and gates).
public struct RegisteredModel: Sendable, Codable, Equatable {
    public var name: String
    public var creationTimestamp: Int64
    public var lastUpdatedTimestamp: Int64
    public var description: String?
    public var latestVersions: [ModelVersion]?
    public var tags: [Tag]?
    public var aliases: [ModelAlias]?
    /// Hangar: whether aliases may point only at approved versions (nil: the server-wide default applies).
    public var requireApproval: Bool?
    /// Hangar: quality gates that approve a version automatically when they all pass.
    public var gates: [String]?

    public init(
        name: String, creationTimestamp: Int64, lastUpdatedTimestamp: Int64, description: String?,
        latestVersions: [ModelVersion]?, tags: [Tag]?, aliases: [ModelAlias]?, requireApproval: Bool?, gates: [String]?
    ) {
        self.name = name
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
        self.description = description
        self.latestVersions = latestVersions
        self.tags = tags
        self.aliases = aliases
        self.requireApproval = requireApproval
        self.gates = gates
    }
}
