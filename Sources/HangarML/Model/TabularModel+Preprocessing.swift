extension TabularModel {
    /// The columns a caller supplies: the schema's features, with derived ones replaced by the date, time and
    /// group columns they are computed from. Rows may also carry the target, which lags then read.
    public var inputColumns: [String] {
        guard let preprocessing else { return schema.features.map(\.name) }
        let derived = Set(preprocessing.outputNames)
        var names = preprocessing.dateParts.map(\.column)
        if let history = preprocessing.targetHistory {
            names.append(history.timeColumn)
            if let group = history.groupColumn { names.append(group) }
        }
        names += schema.features.map(\.name).filter { !derived.contains($0) }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// The frame the learner reads: `frame` with the model's preprocessing replayed, unchanged without one.
    /// Callers that encode rows themselves (`predict(rows:)`) use this first.
    public func prepare(_ frame: DataFrame) throws(ModelInputError) -> DataFrame {
        guard let preprocessing else { return frame }
        do {
            return try preprocessing.apply(frame)
        } catch {
            if case .missingColumn(let name) = error { throw .missingColumn(name) }
            throw .preprocessing(error)
        }
    }
}
