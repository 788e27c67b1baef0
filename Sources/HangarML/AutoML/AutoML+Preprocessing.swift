extension AutoML {
    /// Fits the preprocessing to `frame` and returns it with the frame learners train on: derived features in,
    /// date columns and the time column out.
    static func learnerFrame(_ frame: DataFrame, target: String, timeColumn: String?, groupColumn: String?,
                             options: PreprocessingOptions) throws(AutoMLError) -> (Preprocessing?, DataFrame)
    {
        do {
            let preprocessing = try Preprocessing.fit(frame, target: target, timeColumn: timeColumn,
                                                      groupColumn: groupColumn, options: options)
            var features = try preprocessing?.trainingFrame(frame) ?? frame
            if let timeColumn { features = features.dropping(column: timeColumn) }
            return (preprocessing, features)
        } catch {
            throw .preprocessing(error)
        }
    }

    /// `model` (trained on the derived frame) with its preprocessing, and the digest of the data as given.
    static func attaching(_ preprocessing: Preprocessing?, to model: TabularModel, given frame: DataFrame,
                          threads: Int) -> TabularModel
    {
        guard let preprocessing else { return model }
        var model = model
        model.preprocessing = preprocessing
        model.trainingDataDigest = TrainingDataDigest.digest(of: frame, threads: threads)
        return model
    }
}
