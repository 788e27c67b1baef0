// Model file format, decision record.
//
// A model file is one UTF-8 JSON document. Why JSON and not a binary container: the file must describe itself
// (input schema, target and classes, learner, training report, format and library versions) to people and tools
// that do not link HangarML, and JSON is readable by every language. What would make JSON slow or large, the tree
// nodes and other long numeric arrays, is stored as base64 of little-endian bytes ("packed arrays", one per node
// field), so a 100-tree model loads in milliseconds and thresholds keep their exact Float32 bits.
//
// Versioning: `format` is always "hangar-model" and `formatVersion` an integer raised on any change old readers
// would misread. Readers check both before anything else and refuse a newer version with a clear error rather
// than guessing. Adding optional keys does not raise the version: `metrics`, `trainingDataDigest` and
// `referenceProfile` came that way, still version 1, and files without them load with those fields empty.
// Imported LightGBM and XGBoost models stayed version 1 too: their families (`lightgbm`, `xgboost`), Float32 sums
// (`trees.precision`), zero-as-missing splits and double leaves are only in files of those families, which
// readers from before them refuse (unknown family) rather than misread; Hangar's own models write the same bytes.
//
// Version 2 added `preprocessing` (date parts, holiday calendar, lags and rolling means with the target history
// they continue from). A version-1 reader would ignore the key and load a schema of derived features it cannot
// compute, so files that carry preprocessing are written as version 2 and older binaries refuse them with "upgrade
// Hangar"; models without preprocessing are still written as version 1, byte for byte as before.
import Foundation

/// Writes and reads versioned, self-describing model files.
public enum ModelFile {
    /// The newest format version this library reads and writes (see `formatVersion(of:)`).
    public static let formatVersion = 2

    /// The version a file of `model` is written as: 2 with preprocessing, otherwise 1, so older readers keep
    /// reading every file they can understand.
    public static func formatVersion(of model: TabularModel) -> Int {
        model.preprocessing == nil ? 1 : 2
    }
    /// The value of the `format` key that marks a Hangar model file.
    public static let formatName = "hangar-model"
    /// The library version recorded in files.
    public static let libraryVersion = "HangarML 0.1.0"

    /// The model as file bytes.
    public static func encode(_ model: TabularModel) throws(ModelFileError) -> Data {
        var record = ModelRecord(format: formatName, formatVersion: formatVersion(of: model),
                                 library: model.libraryVersion,
                                 family: model.family, target: model.target, schema: model.schema,
                                 report: model.report, metrics: model.metrics.isEmpty ? nil : model.metrics,
                                 trainingDataDigest: model.trainingDataDigest,
                                 referenceProfile: model.referenceProfile, preprocessing: model.preprocessing)
        switch model.learner {
        case .trees(let ensemble): record.trees = TreesRecord(ensemble)
        case .linear(let function): record.linear = LinearRecord(function)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return try encoder.encode(record)
        } catch {
            throw .corrupt("cannot encode the model: \(error)")
        }
    }

    /// The model stored in file bytes; refuses other files, newer format versions and inconsistent content.
    public static func decode(_ data: Data) throws(ModelFileError) -> TabularModel {
        struct Probe: Decodable {
            var format: String?
            var formatVersion: Int?
        }
        let decoder = JSONDecoder()
        guard let probe = try? decoder.decode(Probe.self, from: data), probe.format == formatName,
              let version = probe.formatVersion
        else { throw .notAModelFile }
        guard version <= formatVersion else { throw .newerFormat(found: version, supported: formatVersion) }
        let record: ModelRecord
        do {
            record = try decoder.decode(ModelRecord.self, from: data)
        } catch {
            throw .corrupt("\(error)")
        }
        // Outputs the learner writes per row must match what predictions reserve for the target.
        let classes = record.target.classLabels.count
        let expectedOutputs: Int
        switch record.target.task {
        case .regression: expectedOutputs = 1
        case .binaryClassification:
            guard classes == 2 else { throw .corrupt("a binary target needs two class labels") }
            expectedOutputs = 1
        case .multiclassClassification:
            guard classes >= 3 else { throw .corrupt("a multiclass target needs three or more class labels") }
            expectedOutputs = classes
        }
        if let preprocessing = record.preprocessing, let problem = preprocessing.problem(schema: record.schema) {
            throw .corrupt(problem)
        }
        let learner: Learner
        if let trees = record.trees {
            let ensemble = try trees.ensemble()
            guard ensemble.outputCount == expectedOutputs else {
                throw .corrupt("trees have the wrong number of outputs")
            }
            guard ensemble.featureCount == record.schema.features.count else {
                let schemaCount = record.schema.features.count
                throw .corrupt("trees read \(ensemble.featureCount) features, the schema has \(schemaCount)")
            }
            learner = .trees(ensemble)
        } else if let linear = record.linear {
            let function = try linear.function()
            guard function.inputs.count == record.schema.features.count,
                  zip(function.inputs, record.schema.features).allSatisfy({ $0.kind == $1.kind })
            else { throw .corrupt("the linear model's inputs do not match the schema") }
            let linearOutputs = record.target.task == .multiclassClassification ? classes : 1
            guard function.intercepts.count == linearOutputs else {
                throw .corrupt("the linear model has the wrong number of outputs")
            }
            learner = .linear(function)
        } else {
            throw .corrupt("no learner in the file")
        }
        var model = TabularModel(schema: record.schema, target: record.target, family: record.family,
                                 report: record.report, learner: learner)
        model.metrics = record.metrics ?? [:]
        model.trainingDataDigest = record.trainingDataDigest
        model.referenceProfile = record.referenceProfile
        model.libraryVersion = record.library
        model.preprocessing = record.preprocessing
        return model
    }

    /// Writes the model to `path` atomically.
    public static func save(_ model: TabularModel, to path: String) throws(ModelFileError) {
        let data = try encode(model)
        do {
            // Through a symlink to the file it names (an atomic write would replace the link itself).
            try data.write(to: URL(fileURLWithPath: path).resolvingSymlinksInPath(), options: .atomic)
        } catch {
            throw .io(path: path, reason: FileProblem.writing(path, error))
        }
    }

    /// Reads the model at `path`.
    public static func load(from path: String) throws(ModelFileError) -> TabularModel {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .io(path: path, reason: FileProblem.reading(path, error))
        }
        return try decode(data)
    }
}
