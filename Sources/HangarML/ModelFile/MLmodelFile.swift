import Foundation

/// The `MLmodel` file that makes a Hangar model an MLflow 3 logged model: a `hangar` flavor naming the model file,
/// and a column signature MLflow's UI and serving tools read.
public enum MLmodelFile {
    /// The YAML text for `model`, stored as `modelFile` inside the logged model's artifacts.
    public static func yaml(
        for model: TabularModel, modelID: String, modelFile: String, created: Date = Date()
    ) -> String {
        let inputs = model.inputColumns.map { name -> String in
            #"{"type": "\#(signatureType(of: name, in: model))", "name": \#(jsonString(name)), "required": true}"#
        }
        let outputs: String
        if model.target.task.isClassification {
            let probabilities = model.target.classLabels.map {
                #"{"type": "double", "name": \#(jsonString("proba_" + $0)), "required": true}"#
            }
            let prediction = #"{"type": "string", "name": "prediction", "required": true}"#
            outputs = "[" + ([prediction] + probabilities).joined(separator: ", ") + "]"
        } else {
            outputs = #"[{"type": "double", "name": "prediction", "required": true}]"#
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return """
            artifact_path: model
            flavors:
              hangar:
                model_file: \(modelFile)
                format_version: \(ModelFile.formatVersion(of: model))
                learner: \(model.family.rawValue)
                task: \(model.target.task.rawValue)
                target: \(yamlString(model.target.name))
                library: \(yamlString(model.libraryVersion))
            model_id: \(modelID)
            signature:
              inputs: \(yamlString("[" + inputs.joined(separator: ", ") + "]"))
              outputs: \(yamlString(outputs))
              params: null
            utc_time_created: '\(formatter.string(from: created))'

            """
    }

    /// The MLflow column type of an input column: date and time columns read by preprocessing are `datetime`.
    private static func signatureType(of name: String, in model: TabularModel) -> String {
        if let preprocessing = model.preprocessing {
            if preprocessing.dateParts.contains(where: { $0.column == name }) { return "datetime" }
            if let history = preprocessing.targetHistory, history.timeColumn == name {
                return history.timeKind == nil ? "double" : "datetime"
            }
        }
        switch model.schema.features.first(where: { $0.name == name })?.kind {
        case .numeric: return "double"
        case .boolean: return "boolean"
        case .categorical, nil: return "string"
        }
    }

    static func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }

    /// A single-quoted YAML scalar.
    static func yamlString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
