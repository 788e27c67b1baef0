/// Training data made ready for learners: schema, encoded target and feature columns, and the same for validation.
struct TrainingInputs {
    var schema: FeatureSchema
    var target: EncodedTarget
    var columns: [FeatureColumn]
    var rowCount: Int
    var validationColumns: [FeatureColumn]?
    var validationLabels: [Double]?
    var validationRowCount: Int

    /// Every column but the target is a feature; validation rows are encoded with the training classes.
    init(frame: DataFrame, target name: String, task: TaskKind?, validation: DataFrame?) throws(TrainingError) {
        target = try EncodedTarget.encode(frame: frame, name: name, task: task)
        schema = FeatureSchema(frame: frame, excluding: [name])
        guard !schema.features.isEmpty else { throw .noFeatures }
        do {
            columns = try FeatureColumn.columns(of: frame, schema: schema)
        } catch {
            throw .invalidSetting(error.description)
        }
        rowCount = frame.rowCount
        validationRowCount = validation?.rowCount ?? 0
        guard let validation else { return }
        do {
            validationColumns = try FeatureColumn.columns(of: validation, schema: schema)
        } catch {
            throw .validationMismatch(error.description)
        }
        guard let column = validation[name] else { throw .validationMismatch("no target column '\(name)'") }
        guard target.spec.task.isClassification else {
            validationLabels = (0..<validation.rowCount).map { column.numericValue(at: $0) }
            guard !validationLabels!.contains(where: \.isNaN) else {
                throw .validationMismatch("missing or non-numeric target values")
            }
            return
        }
        var index: [String: Double] = [:]
        for (i, label) in target.spec.classLabels.enumerated() { index[label] = Double(i) }
        var labels: [Double] = []
        for row in 0..<validation.rowCount {
            let text = classText(column, row)
            guard let text, let label = index[text] else {
                throw .validationMismatch("target value '\(text ?? "missing")' was not seen in training")
            }
            labels.append(label)
        }
        validationLabels = labels
    }

    /// Class names are written the way `EncodedTarget` writes them: whole numbers without a fraction.
    private func classText(_ column: Column, _ row: Int) -> String? {
        switch column.values {
        case .double, .float:
            let v = column.numericValue(at: row)
            guard !v.isNaN else { return nil }
            return v.compactText
        default:
            return column.text(at: row)
        }
    }
}
