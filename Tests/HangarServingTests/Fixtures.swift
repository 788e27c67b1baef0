import Foundation
import HangarCore
import HangarML
@testable import HangarServing

/// A small classifier: `x` (numeric, with missing values in training), `y` (numeric, none missing),
/// `color` (categorical), `flag` (boolean); the label depends on x and color.
func trainedClassifier(seed: Int = 1) throws -> TabularModel {
    var lines = ["x,y,color,flag,label"]
    var state = UInt64(seed)
    func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    for i in 0..<300 {
        let x = next() * 10
        let color = ["red", "green", "blue"][i % 3]
        let label = (x > 5) != (color == "blue") ? "yes" : "no"
        let xText = i % 17 == 0 ? "" : String(format: "%.3f", x)
        lines.append("\(xText),\(String(format: "%.3f", next())),\(color),\(i % 2 == 0 ? "true" : "false"),\(label)")
    }
    var config = GBDTConfig()
    config.trees = 10
    return try GBDTTrainer(config: config).train(try CSVReader.read(lines.joined(separator: "\n")), target: "label")
}

func served(_ model: TabularModel, version: String = "1", name: String = "m") -> ServedVersion {
    ServedVersion(model: name, version: version, runId: nil, approval: .approved, flavor: "hangar", tabular: model)
}
