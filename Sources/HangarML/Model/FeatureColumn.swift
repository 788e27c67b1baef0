/// One input column made ready to read as `Float` feature values the way the model was trained.
///
/// Categorical codes are mapped from the frame's levels to the schema's levels; unseen categories become missing.
enum FeatureColumn: Sendable {
    case double([Double])
    case float([Float])
    case codes([Int32], toSchema: [Float])
    case boolean([Bool?])

    /// Reads `spec`'s column of `frame`, checking it exists and has a usable kind.
    init(frame: DataFrame, spec: FeatureSpec) throws(ModelInputError) {
        guard let column = frame[spec.name] else { throw .missingColumn(spec.name) }
        if spec.kind == .categorical, column.dateKind != nil {
            // Dates trained as text (a value that was no date kept the training column text): match levels by the
            // instant they name, whatever their spelling.
            var index: [Double: Float] = [:]
            for (i, level) in spec.levels.enumerated() {
                if let (seconds, _) = ISODate.parse(level), index[seconds] == nil { index[seconds] = Float(i) }
            }
            self = .float((0..<column.count).map { index[column.numericValue(at: $0)] ?? .nan })
            return
        }
        switch (spec.kind, column.values) {
        case (.categorical, .categorical(let codes, let levels)):
            var index: [String: Float] = [:]
            for (i, level) in spec.levels.enumerated() { index[level] = Float(i) }
            self = .codes(codes, toSchema: levels.map { index[$0] ?? .nan })
        case (.categorical, .double), (.categorical, .float):
            // Categories read as numbers in this file (e.g. all codes numeric): match them by value, so 3 finds the
            // level "3" (imported LightGBM models name their integer categories so).
            var index: [Double: Float] = [:]
            for (i, level) in spec.levels.enumerated() {
                if let number = Double(level), index[number] == nil { index[number] = Float(i) }
            }
            self = .float((0..<column.count).map { index[column.numericValue(at: $0)] ?? .nan })
        case (.categorical, .boolean):
            // Categories read as true/false in this file: match them as text.
            var index: [String: Float] = [:]
            for (i, level) in spec.levels.enumerated() { index[level] = Float(i) }
            let texts = (0..<column.count).map { column.text(at: $0) }
            var distinct: [String: Int32] = [:]
            var levels: [String] = []
            let codes: [Int32] = texts.map { text in
                guard let text else { return -1 }
                if let code = distinct[text] { return code }
                distinct[text] = Int32(levels.count)
                levels.append(text)
                return Int32(levels.count - 1)
            }
            self = .codes(codes, toSchema: levels.map { index[$0] ?? .nan })
        case (_, .double(let values)): self = .double(values)
        case (_, .float(let values)): self = .float(values)
        case (_, .boolean(let values)): self = .boolean(values)
        case (_, .categorical):
            throw .kindMismatch(column: spec.name, expected: spec.kind, found: .categorical)
        }
    }

    /// The feature value of `row`; `NaN` when missing.
    @inline(__always)
    func value(at row: Int) -> Float {
        switch self {
        case .double(let v): Float(v[row])
        case .float(let v): v[row]
        case .codes(let codes, let toSchema): codes[row] < 0 ? .nan : toSchema[Int(codes[row])]
        case .boolean(let v): v[row].map { $0 ? 1 : 0 } ?? .nan
        }
    }

    /// All values as `Float`, switching on the storage once rather than per row.
    func floats() -> [Float] {
        switch self {
        case .double(let v): v.map { Float($0) }
        case .float(let v): v
        case .codes(let codes, let toSchema): codes.map { $0 < 0 ? .nan : toSchema[Int($0)] }
        case .boolean(let v): v.map { $0.map { $0 ? 1 : 0 } ?? .nan }
        }
    }

    /// Reads all columns of a schema from a frame.
    static func columns(of frame: DataFrame, schema: FeatureSchema) throws(ModelInputError) -> [FeatureColumn] {
        var columns: [FeatureColumn] = []
        for spec in schema.features { columns.append(try FeatureColumn(frame: frame, spec: spec)) }
        return columns
    }

    /// Row-major `Float` values of rows `range`, `columns.count` values per row.
    static func rowMajor(_ columns: [FeatureColumn], rows range: Range<Int>) -> [Float] {
        let width = columns.count
        var out = [Float](repeating: .nan, count: range.count * width)
        out.withUnsafeMutableBufferPointer { buffer in
            for (f, column) in columns.enumerated() {
                column.withFloats(range) { values in
                    for i in values.indices { buffer[i * width + f] = values[i] }
                }
            }
        }
        return out
    }

    /// Calls `body` with rows `range` as contiguous `Float` values, switching on the storage once.
    func withFloats(_ range: Range<Int>, _ body: (UnsafeBufferPointer<Float>) -> Void) {
        switch self {
        case .float(let v): v[range].withUnsafeBufferPointer(body)
        case .double(let v): v[range].map { Float($0) }.withUnsafeBufferPointer(body)
        case .codes(let codes, let toSchema):
            codes[range].map { $0 < 0 ? .nan : toSchema[Int($0)] }.withUnsafeBufferPointer(body)
        case .boolean(let v): v[range].map { $0.map { $0 ? 1 : 0 } ?? .nan }.withUnsafeBufferPointer(body)
        }
    }
}
