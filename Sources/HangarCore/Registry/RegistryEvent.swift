/// One change in the registry, as appended to the event log in the same transaction as the change.
///
/// Ids follow commit order: a reader that has seen id N never later finds an event below N.
public struct RegistryEvent: Sendable, Codable, Equatable {
    public var id: Int64
    public var timestamp: Int64
    /// `entity.action`, e.g. `model_version.approved`, `model_version_alias.created`.
    public var type: String
    public var model: String
    public var version: String?
    public var alias: String?
    public var user: String?
    /// Event-specific details as a JSON object text.
    public var payload: String

    public init(
        id: Int64, timestamp: Int64, type: String, model: String, version: String?, alias: String?, user: String?,
        payload: String
    ) {
        self.id = id
        self.timestamp = timestamp
        self.type = type
        self.model = model
        self.version = version
        self.alias = alias
        self.user = user
        self.payload = payload
    }
}

/// The event types the registry writes.
public enum RegistryEventType {
    public static let modelCreated = "registered_model.created"
    public static let modelRenamed = "registered_model.renamed"
    public static let modelDeleted = "registered_model.deleted"
    public static let versionCreated = "model_version.created"
    public static let versionDeleted = "model_version.deleted"
    public static let versionApproved = "model_version.approved"
    public static let versionRejected = "model_version.rejected"
    public static let versionGatesEvaluated = "model_version.gates_evaluated"
    public static let versionStageChanged = "model_version.stage_transitioned"
    public static let versionTagSet = "model_version_tag.set"
    public static let versionTagDeleted = "model_version_tag.deleted"
    public static let aliasCreated = "model_version_alias.created"
    public static let aliasDeleted = "model_version_alias.deleted"
    public static let aliasRolledBack = "model_version_alias.rolled_back"
    public static let servingPolicySet = "serving_policy.set"
    public static let servingPolicyDeleted = "serving_policy.deleted"
    /// A serving process could not load or warm a version; the alias kept serving what it served.
    public static let servingLoadFailed = "serving.load_failed"
    /// A serving process swapped an alias to a newly loaded version.
    public static let servingSwapped = "serving.swapped"
}
