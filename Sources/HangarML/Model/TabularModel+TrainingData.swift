extension TabularModel {
    /// Records what the model was trained on: the digest of `frame` and a reference profile of its feature and
    /// target columns. Trainers call this; call it again after changing the training frame by hand.
    public mutating func recordTrainingData(_ frame: DataFrame, threads: Int = ProcessorCount.available) {
        trainingDataDigest = TrainingDataDigest.digest(of: frame, threads: threads)
        referenceProfile = ReferenceProfile(frame: frame, features: schema.features.map(\.name), target: target.name,
                                            threads: threads)
    }

    /// `self` with `recordTrainingData(frame)` applied, unchanged when `frame` is `nil`.
    func recordingTrainingData(_ frame: DataFrame?, threads: Int) -> TabularModel {
        guard let frame else { return self }
        var model = self
        model.recordTrainingData(frame, threads: threads)
        return model
    }
}
