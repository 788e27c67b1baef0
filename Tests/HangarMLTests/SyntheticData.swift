import Foundation
import HangarML

/// Seeded synthetic tables for learner tests.
enum SyntheticData {
    /// A binary problem: the label is drawn from a logistic model of five normal features (one with missing values).
    static func binary(rows: Int, seed: UInt64) -> DataFrame {
        var random = TestRandom(seed: seed)
        var x = Array(repeating: [Double](), count: 5)
        var label: [Double] = []
        for _ in 0..<rows {
            let v = (0..<5).map { _ in random.normal() }
            let logit = 3 * v[0] - 2 * v[1] + 2 * v[2] * v[3] + (v[4] > 0.5 ? 1.5 : 0)
            let y: Double = random.uniform() < 1 / (1 + exp(-logit)) ? 1 : 0
            for f in 0..<5 { x[f].append(f == 4 && random.uniform() < 0.1 ? .nan : v[f]) }
            label.append(y)
        }
        var columns = (0..<5).map { Column(name: "x\($0)", values: .double(x[$0])) }
        columns.append(Column(name: "label", values: .double(label)))
        return try! DataFrame(columns: columns)
    }

    /// A three-class problem split by regions of two features, plus a noise feature and a categorical one.
    static func multiclass(rows: Int, seed: UInt64) -> DataFrame {
        var random = TestRandom(seed: seed)
        var a: [Double] = [], b: [Double] = [], noise: [Double] = [], colour: [Int32] = [], species: [Int32] = []
        for _ in 0..<rows {
            let x = random.uniform(-1, 1), y = random.uniform(-1, 1)
            let c = Int32(random.int(below: 3))
            var k: Int32 = x + y > 0.3 ? 2 : (x < -0.2 ? 0 : 1)
            if c == 2, random.uniform() < 0.5 { k = 1 }
            a.append(x)
            b.append(y)
            noise.append(random.normal())
            colour.append(c)
            species.append(k)
        }
        return try! DataFrame(columns: [
            Column(name: "a", values: .double(a)), Column(name: "b", values: .double(b)),
            Column(name: "noise", values: .double(noise)),
            Column(name: "colour", values: .categorical(codes: colour, levels: ["red", "green", "blue"])),
            Column(name: "species",
                   values: .categorical(codes: species, levels: ["setosa", "versicolor", "virginica"])),
        ])
    }

    /// A smooth regression problem with small noise.
    static func regression(rows: Int, seed: UInt64) -> DataFrame {
        var random = TestRandom(seed: seed)
        var x = Array(repeating: [Double](), count: 4)
        var y: [Double] = []
        for _ in 0..<rows {
            let v = (0..<4).map { _ in random.uniform(-2, 2) }
            y.append(3 * sin(v[0]) + v[1] * v[1] + 0.5 * v[2] + 0.1 * random.normal())
            for f in 0..<4 { x[f].append(v[f]) }
        }
        var columns = (0..<4).map { Column(name: "x\($0)", values: .double(x[$0])) }
        columns.append(Column(name: "y", values: .double(y)))
        return try! DataFrame(columns: columns)
    }

    /// First `count` rows and the rest.
    static func split(_ frame: DataFrame, at count: Int) -> (DataFrame, DataFrame) {
        (frame.selecting(rows: Array(0..<count)), frame.selecting(rows: Array(count..<frame.rowCount)))
    }
}
