/// Feature columns must hold finite numbers: an infinite value has no bin in a tree's histogram and turns a linear
/// model's normal equations into NaN.
enum FiniteFeatures {
    static func check(_ frame: DataFrame, except target: String) throws(TrainingError) {
        for column in frame.columns where column.name != target {
            let infinite: (count: Int, first: Int?)
            switch column.values {
            case .double(let v): infinite = (v.count(where: \.isInfinite), v.firstIndex(where: \.isInfinite))
            case .float(let v): infinite = (v.count(where: \.isInfinite), v.firstIndex(where: \.isInfinite))
            case .categorical, .boolean: continue
            }
            if let first = infinite.first {
                throw .infiniteFeatureValues(column: column.name, rows: infinite.count, firstRow: first + 1)
            }
        }
    }
}
