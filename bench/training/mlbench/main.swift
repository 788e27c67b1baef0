// Release-mode timings for HangarML. Build: swift build -c release -j 1 --product mlbench
//   mlbench generate FILE ROWS     writes a 28-feature classification CSV (4 decimals, seeded)
//   mlbench csv FILE               times CSVReader on FILE
//   mlbench gbdt FILE ROWS THREADS REPEATS   best-of-N GBDT training time (100 trees, 31 leaves)
//   mlbench train FILE TRAINROWS [THREADS]  trains GBDT (100 trees, 31 leaves, lr 0.1, 2 threads), reports time and test AUC
//   mlbench fit TRAIN TEST TARGET [THREADS]  the same settings on separate files, one JSON line (bench/training)
import Foundation
import HangarML

func seconds(_ start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// Process CPU time (user + system, all threads) in seconds: the machine is shared, so wall time alone misleads.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

func report(_ label: String, wall start: DispatchTime, cpu cpuStart: Double) -> String {
    String(format: "%@: wall %.3f s, cpu %.3f s", label, seconds(start), cpuSeconds() - cpuStart)
}

struct Rng {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    mutating func normal() -> Double {
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

func appendFixed4(_ value: Double, to out: inout [UInt8]) {
    var scaled = Int64((value * 10_000).rounded())
    if scaled < 0 { out.append(UInt8(ascii: "-")); scaled = -scaled }
    let whole = scaled / 10_000, fraction = scaled % 10_000
    out.append(contentsOf: String(whole).utf8)
    out.append(UInt8(ascii: "."))
    let digits = String(fraction)
    for _ in digits.count..<4 { out.append(UInt8(ascii: "0")) }
    out.append(contentsOf: digits.utf8)
}

func generate(path: String, rows: Int) {
    var rng = Rng(state: 42)
    let centers = (0..<8).map { _ in (0..<14).map { _ in rng.normal() * 0.8 } }
    var out: [UInt8] = []
    out.reserveCapacity(rows * 220)
    out.append(contentsOf: ((0..<28).map { "f\($0)" } + ["label"]).joined(separator: ",").utf8)
    out.append(10)
    for _ in 0..<rows {
        let cluster = Int(rng.next() % 8)
        let label = cluster % 2
        var x = (0..<14).map { centers[cluster][$0] + rng.normal() }
        for k in 0..<4 { x.append(0.5 * x[k] - 0.3 * x[k + 5] + 0.2 * x[k + 9]) }
        for _ in 0..<10 { x.append(rng.normal()) }
        let flipped = rng.uniform() < 0.05 ? 1 - label : label
        for v in x { appendFixed4(v, to: &out); out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: String(flipped).utf8)
        out.append(10)
    }
    _ = FileManager.default.createFile(atPath: path, contents: Data(out))
    print("wrote \(rows) rows, \(out.count) bytes to \(path)")
}

func timeCSV(path: String) throws {
    for threads in [1, 2] {
        var options = CSVReadOptions()
        options.threads = threads
        let start = DispatchTime.now(), cpu = cpuSeconds()
        let frame = try CSVReader.read(fileAt: path, options: options)
        print(report("csv read threads=\(threads)", wall: start, cpu: cpu), "\(frame.rowCount) rows x \(frame.columns.count) columns")
    }
}

func train(path: String, trainRows: Int, threads: Int) throws {
    var start = DispatchTime.now()
    let frame = try CSVReader.read(fileAt: path)
    print("read: \(String(format: "%.3f", seconds(start))) s")
    let train = frame.selecting(rows: Array(0..<trainRows))
    let test = frame.selecting(rows: Array(trainRows..<frame.rowCount))
    var config = GBDTConfig()
    config.trees = 100
    config.numLeaves = 31
    config.learningRate = 0.1
    config.threads = threads
    start = DispatchTime.now()
    let cpu = cpuSeconds()
    let model = try GBDTTrainer(config: config).train(train, target: "label")
    print(report("gbdt train \(trainRows) rows", wall: start, cpu: cpu))
    start = DispatchTime.now()
    let predictions = try model.predict(test, threads: threads)
    let batch = seconds(start)
    let labels = (0..<test.rowCount).map { test["label"]!.numericValue(at: $0) == 1 }
    let auc = try RankingMetrics.rocAUC(labels: labels, scores: predictions.positiveProbabilities!)
    print("test AUC \(String(format: "%.4f", auc)); batch predict \(test.rowCount) rows: \(String(format: "%.3f", batch)) s = \(String(format: "%.1f", batch / Double(test.rowCount) / 100 * 1e9)) ns/row/tree (incl. column encoding)")
    // Batch prediction on an already encoded row-major matrix: the tree-walking cost alone.
    let names = model.schema.features.map(\.name)
    var matrix = [Float](repeating: 0, count: test.rowCount * names.count)
    for (f, name) in names.enumerated() {
        let column = test[name]!
        for r in 0..<test.rowCount { matrix[r * names.count + f] = Float(column.numericValue(at: r)) }
    }
    var batchOut = [Double](repeating: 0, count: test.rowCount * model.outputWidth)
    for batchThreads in [1, threads] {
        let batchStart = DispatchTime.now(), batchCpu = cpuSeconds()
        try matrix.withUnsafeBufferPointer { rows in
            try batchOut.withUnsafeMutableBufferPointer { try model.predict(rows: rows, into: $0, threads: batchThreads) }
        }
        let wall = seconds(batchStart)
        print(report("batch predict \(test.rowCount) encoded rows, threads=\(batchThreads)", wall: batchStart, cpu: batchCpu),
              String(format: "= %.1f ns/row/tree (wall)", wall / Double(test.rowCount) / 100 * 1e9))
    }
    // Single-row latency, p50 over 20k calls on real rows.
    let schema = model.schema.features.map(\.name)
    let rows: [[Float]] = (0..<20_000).map { r in schema.map { Float(test[$0]!.numericValue(at: r)) } }
    var timings: [Double] = []
    var out = [Double](repeating: 0, count: model.outputWidth)
    var sink = 0.0
    for row in rows {
        let t = DispatchTime.now()
        row.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { model.predict(row: input.baseAddress!, into: $0.baseAddress!) }
        }
        timings.append(Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds))
        sink += out[1]
    }
    timings.sort()
    print("single-row predict p50 \(String(format: "%.2f", timings[timings.count / 2] / 1000)) us, p99 \(String(format: "%.2f", timings[timings.count * 99 / 100] / 1000)) us (checksum \(sink))")
}

/// Trains `repeats` times on the first `trainRows` rows and prints the fastest run: the machine is shared.
func trainRepeated(path: String, trainRows: Int, threads: Int, repeats: Int) throws {
    let frame = try CSVReader.read(fileAt: path)
    let train = frame.selecting(rows: Array(0..<trainRows))
    var config = GBDTConfig()
    config.threads = threads
    var best = (wall: Double.infinity, cpu: Double.infinity)
    for _ in 0..<repeats {
        let start = DispatchTime.now(), cpu = cpuSeconds()
        _ = try GBDTTrainer(config: config).train(train, target: "label")
        best = (min(best.wall, seconds(start)), min(best.cpu, cpuSeconds() - cpu))
    }
    print(String(format: "gbdt train %d rows, threads=%d, best of %d: wall %.3f s, cpu %.3f s", trainRows, threads,
                 repeats, best.wall, best.cpu))
}

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "generate": generate(path: arguments[2], rows: Int(arguments[3])!)
case "csv": try timeCSV(path: arguments[2])
case "train": try train(path: arguments[2], trainRows: Int(arguments[3])!, threads: arguments.count > 4 ? Int(arguments[4])! : 2)
case "gbdt": try trainRepeated(path: arguments[2], trainRows: Int(arguments[3])!, threads: Int(arguments[4])!,
                               repeats: Int(arguments[5])!)
case "fit": try fit(trainPath: arguments[2], testPath: arguments[3], target: arguments[4],
                    threads: arguments.count > 5 ? Int(arguments[5])! : 2)
default: print("usage: mlbench generate FILE ROWS | csv FILE | train FILE TRAINROWS | fit TRAIN TEST TARGET [THREADS]")
}
