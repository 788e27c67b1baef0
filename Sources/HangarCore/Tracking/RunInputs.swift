/// A dataset as MLflow describes it: a name, a content digest, and where it came from.
public struct Dataset: Sendable, Codable, Equatable {
    public var name: String
    public var digest: String
    public var sourceType: String
    public var source: String
    public var schema: String?
    public var profile: String?

    public init(name: String, digest: String, sourceType: String, source: String, schema: String?, profile: String?) {
        self.name = name
        self.digest = digest
        self.sourceType = sourceType
        self.source = source
        self.schema = schema
        self.profile = profile
    }
}

/// A dataset used by a run, with tags such as `mlflow.data.context` ("training", "eval").
public struct DatasetInput: Sendable, Codable, Equatable {
    public var tags: [Tag]
    public var dataset: Dataset

    public init(tags: [Tag], dataset: Dataset) {
        self.tags = tags
        self.dataset = dataset
    }
}

/// A logged model that a run read.
public struct ModelInput: Sendable, Codable, Equatable {
    public var modelId: String

    public init(modelId: String) { self.modelId = modelId }
}

/// A logged model that a run produced, at a step.
public struct ModelOutput: Sendable, Codable, Equatable {
    public var modelId: String
    public var step: Int64

    public init(modelId: String, step: Int64) {
        self.modelId = modelId
        self.step = step
    }
}

/// What a run read.
public struct RunInputs: Sendable, Codable, Equatable {
    public var datasetInputs: [DatasetInput]
    public var modelInputs: [ModelInput]

    public init(datasetInputs: [DatasetInput] = [], modelInputs: [ModelInput] = []) {
        self.datasetInputs = datasetInputs
        self.modelInputs = modelInputs
    }
}

/// What a run wrote.
public struct RunOutputs: Sendable, Codable, Equatable {
    public var modelOutputs: [ModelOutput]

    public init(modelOutputs: [ModelOutput] = []) { self.modelOutputs = modelOutputs }
}
