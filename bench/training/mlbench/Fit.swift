import Foundation
import HangarML

/// `mlbench fit TRAIN.csv TEST.csv TARGET [THREADS]`: trains GBDT with the bench settings (100 trees, 31 leaves,
/// learning rate 0.1) and prints one JSON line: read, train and profile seconds and the test metric (ROC AUC for
/// a binary target, RMSE otherwise). `bench/training/run_bench.py` reads the line.
func fit(trainPath: String, testPath: String, target: String, threads: Int) throws {
    var start = DispatchTime.now()
    var options = CSVReadOptions()
    options.threads = threads
    let train = try CSVReader.read(fileAt: trainPath, options: options)
    let test = try CSVReader.read(fileAt: testPath, options: options)
    let readSeconds = seconds(start)
    var config = GBDTConfig()
    config.trees = 100
    config.numLeaves = 31
    config.learningRate = 0.1
    config.threads = threads
    start = DispatchTime.now()
    let cpu = cpuSeconds()
    var model = try GBDTTrainer(config: config).train(train, target: target)
    let trainSeconds = seconds(start), trainCPU = cpuSeconds() - cpu
    // The digest and reference profile are part of training; time them alone too.
    start = DispatchTime.now()
    _ = TrainingDataDigest.digest(of: train, threads: threads)
    let digestSeconds = seconds(start)
    start = DispatchTime.now()
    let profileCPUStart = cpuSeconds()
    model.recordTrainingData(train, threads: threads)
    let profileSeconds = seconds(start), profileCPU = cpuSeconds() - profileCPUStart
    start = DispatchTime.now()
    let predictions = try model.predict(test, threads: threads)
    let predictSeconds = seconds(start)
    let column = test[target]!
    let truth = (0..<test.rowCount).map { column.numericValue(at: $0) }
    let metricName: String, metric: Double
    if let positive = predictions.positiveProbabilities {
        metricName = "auc"
        metric = try RankingMetrics.rocAUC(labels: truth.map { $0 == 1 }, scores: positive)
    } else {
        metricName = "rmse"
        metric = try RegressionMetrics.rmse(targets: truth, predictions: predictions.values)
    }
    let result: [String: Any] = [
        "read_seconds": readSeconds, "train_seconds": trainSeconds, "train_cpu_seconds": trainCPU,
        "profile_seconds": profileSeconds, "profile_cpu_seconds": profileCPU, "digest_seconds": digestSeconds, "predict_seconds": predictSeconds, metricName: metric,
        "train_rows": train.rowCount, "test_rows": test.rowCount,
    ]
    let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
