import HangarML

/// Turns request rows into the `Float` feature rows a model reads, checking names, types and missing values.
public struct InputEncoder: Sendable {
    /// How one feature reads a cell.
    struct Feature: Sendable {
        let name: String
        let kind: ColumnKind
        let levels: [String: Float]
        let allowsMissing: Bool
    }

    let features: [Feature]
    let index: [String: Int]
    /// The features' names and kinds in model order, and the positions 0..<count: the encoding loop's lookups.
    let modelOrder: [String]
    let kinds: [ColumnKind]
    let identity: [Int]
    /// The columns a request carries, in model order (positional rows are read in this order): the features, or
    /// for a model with preprocessing the raw columns its features are derived from.
    public let featureNames: [String]
    /// The model's preprocessing, replayed on each request before encoding.
    let derived: DerivedFeatures?

    /// The encoder for `model`'s schema; a feature accepts missing values when training saw them (or, without a
    /// reference profile, always).
    public init(model: TabularModel) {
        let missingRates = Dictionary(
            (model.referenceProfile?.features ?? []).map { ($0.name, $0.missingRate) }, uniquingKeysWith: { a, _ in a })
        let profiled = model.referenceProfile != nil
        features = model.schema.features.map { spec in
            var levels: [String: Float] = [:]
            for (i, level) in spec.levels.enumerated() { levels[level] = Float(i) }
            let allows = !profiled || (missingRates[spec.name] ?? 1) > 0
            return Feature(name: spec.name, kind: spec.kind, levels: levels, allowsMissing: allows)
        }
        var index: [String: Int] = [:]
        for (i, f) in features.enumerated() { index[f.name] = i }
        self.index = index
        derived = DerivedFeatures(model: model)
        featureNames = derived?.inputColumns ?? features.map(\.name)
        // Without preprocessing the same array as `featureNames`, so that columns read as that array compare equal
        // by identity.
        modelOrder = derived == nil ? featureNames : features.map(\.name)
        kinds = features.map(\.kind)
        identity = Array(features.indices)
    }

    /// Row-major feature values of every row of `table`, in model order (`NaN` = missing, categories as codes).
    public func encode(_ table: InputTable) throws(InputError) -> [Float] {
        guard table.rowCount > 0 else { throw .empty }
        let table = try derived?.apply(table) ?? table
        let width = features.count
        let rows = table.rowCount
        guard rows > 0 else { throw .empty }
        // Columns sent in model order (what clients built from the signature send) need no lookup by name.
        let position = table.columns == modelOrder ? identity : try positions(of: table.columns)
        var out = [Float](repeating: .nan, count: rows * width)
        var missingNotAllowed: Set<Int> = []
        let columnCount = table.columns.count
        try table.cells.withUnsafeBufferPointer { (cells) throws(InputError) in
            try out.withUnsafeMutableBufferPointer { (buffer) throws(InputError) in
                for r in 0..<rows {
                    let base = r * columnCount
                    for c in 0..<columnCount {
                        let f = position[c]
                        let value: Float
                        // A finite number for a numeric feature, by far the most common cell, is read here without
                        // copying the feature's description.
                        if kinds[f] == .numeric, case .number(let d) = cells[base + c], Float(d).isFinite {
                            value = Float(d)
                        } else {
                            value = try Self.read(cells[base + c], features[f], row: r)
                            if value.isNaN, !features[f].allowsMissing, Self.isMissing(cells[base + c]) {
                                missingNotAllowed.insert(f)
                            }
                        }
                        buffer[r * width + f] = value
                    }
                }
            }
        }
        if !missingNotAllowed.isEmpty { throw .missingValues(columns: missingNotAllowed.sorted().map { features[$0].name }) }
        return out
    }

    /// The feature each request column feeds, or why the columns do not fit the model.
    private func positions(of columns: [String]) throws(InputError) -> [Int] {
        var position = [Int](repeating: -1, count: columns.count)
        var seen = [Bool](repeating: false, count: features.count)
        var unknown: [String] = []
        for (c, name) in columns.enumerated() {
            guard let f = index[name] else {
                unknown.append(name)
                continue
            }
            if seen[f] { throw .duplicateColumn(name) }
            seen[f] = true
            position[c] = f
        }
        let missing = features.indices.filter { !seen[$0] }.map { features[$0].name }
        if !missing.isEmpty, !unknown.isEmpty { throw .mismatchedColumns(missing: missing, unknown: unknown) }
        if !missing.isEmpty { throw .missingColumns(missing) }
        if !unknown.isEmpty { throw .unknownColumns(unknown) }
        return position
    }

    static func isMissing(_ cell: InputValue) -> Bool {
        switch cell {
        case .missing: true
        case .number(let d): d.isNaN
        default: false
        }
    }

    @inline(__always)
    static func read(_ cell: InputValue, _ feature: Feature, row: Int) throws(InputError) -> Float {
        switch feature.kind {
        case .numeric:
            switch cell {
            case .number(let d):
                let value = Float(d)
                // NaN is a missing value; anything else must survive the model's 32-bit arithmetic.
                guard value.isFinite || d.isNaN else {
                    throw .wrongType(column: feature.name, row: row, expected: "finite numeric (within ±3.4e38)", found: "number \(d)")
                }
                return value
            case .missing: return .nan
            case .bool(let b): return b ? 1 : 0
            case .text(let s): throw .wrongType(column: feature.name, row: row, expected: "numeric", found: "text '\(s)'")
            }
        case .categorical:
            switch cell {
            case .text(let s): return feature.levels[s] ?? .nan
            case .number(let d):
                let text = d.compactText
                return feature.levels[text] ?? feature.levels[String(d)] ?? .nan
            case .bool(let b): return feature.levels[b ? "true" : "false"] ?? .nan
            case .missing: return .nan
            }
        case .boolean:
            switch cell {
            case .bool(let b): return b ? 1 : 0
            case .number(let d) where d == 0 || d == 1: return Float(d)
            case .text(let s):
                switch s.lowercased() {
                case "true", "1": return 1
                case "false", "0": return 0
                default: throw .wrongType(column: feature.name, row: row, expected: "boolean", found: "text '\(s)'")
                }
            case .number(let d): throw .wrongType(column: feature.name, row: row, expected: "boolean", found: "number \(d)")
            case .missing: return .nan
            }
        }
    }
}
