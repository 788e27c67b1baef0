import HangarCore
import HangarML
import HangarServing
import Hummingbird
import NIOCore

/// The Open Inference Protocol V2 (KServe, Triton, MLServer): health, model metadata, readiness and infer.
///
/// Tabular inputs come as one tensor per column (`name` = column, shape `[n]` or `[n, 1]`) or as one `[n, k]`
/// tensor of all features in the model's order. Outputs are `prediction` (FP64 for regression, BYTES labels for
/// classifiers) and, for classifiers, one FP64 `proba_<label>` tensor per class.
struct OpenInferenceRoutes {
    let inference: Inference
    let maxRequestBytes: Int

    func register(on router: Router<HangarRequestContext>) {
        let inference = self.inference
        let limit = maxRequestBytes
        router.get("/v2") { _, _ in
            var writer = JSONWriter()
            writer.object { w in
                w.field("name", "hangar")
                w.field("version", HangarVersion.current)
                w.key("extensions")
                w.array(strings: [])
            }
            return ServingResponses.json(writer).response
        }
        router.get("/v2/health/live") { _, _ in Response(status: .ok) }
        router.get("/v2/health/ready") { _, _ in Response(status: inference.hub.isReady ? .ok : .serviceUnavailable) }
        router.get("/v2/models/{name}") { _, context in
            await ServingResponses.guarded { try Self.metadata(inference, context: context, pinned: nil) }
        }
        router.get("/v2/models/{name}/versions/{version}") { _, context in
            await ServingResponses.guarded {
                try Self.metadata(inference, context: context, pinned: try context.parameters.requireDecoded("version"))
            }
        }
        router.get("/v2/models/{name}/ready") { _, context in
            await ServingResponses.guarded {
                let name = try context.parameters.requireDecoded("name")
                let model = try inference.model(name)
                guard model.isReady else { throw HangarError(.temporarilyUnavailable, "Model '\(name)' has no version loaded yet") }
                return Response(status: .ok)
            }
        }
        router.get("/v2/models/{name}/versions/{version}/ready") { _, context in
            await ServingResponses.guarded {
                let name = try context.parameters.requireDecoded("name")
                let version = try context.parameters.requireDecoded("version")
                guard try inference.model(name).version(version) != nil else {
                    throw HangarError(.temporarilyUnavailable, "Version '\(version)' of model '\(name)' is not loaded")
                }
                return Response(status: .ok)
            }
        }
        router.post("/v2/models/{name}/infer") { request, context in
            await ServingResponses.guarded { try await Self.infer(request, context: context, inference: inference, pinned: nil, limit: limit) }
        }
        router.post("/v2/models/{name}/versions/{version}/infer") { request, context in
            await ServingResponses.guarded {
                try await Self.infer(request, context: context, inference: inference, pinned: try context.parameters.requireDecoded("version"), limit: limit)
            }
        }
    }

    static func metadata(_ inference: Inference, context: HangarRequestContext, pinned: String?) throws -> Response {
        let name = try context.parameters.requireDecoded("name")
        let model = try inference.model(name)
        let version: ServedVersion
        if let pinned {
            guard let found = model.version(pinned)?.version else {
                throw HangarError.notFound("Version \(pinned) of model '\(name)' is not loaded here")
            }
            version = found
        } else {
            guard let primary = model.route(key: "")?.version else {
                throw ServingUnavailable(message: "Model '\(name)' has no version loaded yet")
            }
            version = primary
        }
        var writer = JSONWriter()
        writer.object { w in
            w.field("name", name)
            w.key("versions")
            w.array(strings: Array(Set(model.slots.values.map(\.version))).sorted())
            w.field("platform", "hangar_\(version.flavor)")
            w.key("inputs")
            // The columns a caller sends: for a model with preprocessing, the raw (date, group) columns its
            // features are derived from; dates travel as ISO 8601 text.
            let kinds = Dictionary(
                version.tabular.schema.features.map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a })
            w.array(version.tabular.inputColumns.map {
                TensorSpec(name: $0, datatype: kinds[$0].map(datatype(of:)) ?? "BYTES", shape: [-1])
            })
            w.key("outputs")
            var outputs = [TensorSpec(name: "prediction", datatype: version.classLabels.isEmpty ? "FP64" : "BYTES", shape: [-1])]
            outputs += version.classLabels.map { TensorSpec(name: "proba_" + $0, datatype: "FP64", shape: [-1]) }
            w.array(outputs)
        }
        return ServingResponses.json(writer).response
    }

    static func datatype(of kind: ColumnKind) -> String {
        switch kind {
        case .numeric: "FP64"
        case .categorical: "BYTES"
        case .boolean: "BOOL"
        }
    }

    static func infer(
        _ request: Request, context: HangarRequestContext, inference: Inference, pinned: String?, limit: Int
    ) async throws -> Response {
        try ServingRoutes.checkLength(request, limit: limit)
        let name = try context.parameters.requireDecoded("name")
        var request = request
        let body = try await request.collectBody(upTo: limit)
        let headers = PredictionHeaders(request.headers)
        return try await offEventLoop {
            PredictionEndpoints(inference: inference)
                .openInference(name: name, version: pinned, headers: headers, body: body).response
        }
    }
}

/// A tensor's name, type and shape in model metadata.
struct TensorSpec: JSONWritable {
    let name: String
    let datatype: String
    let shape: [Int64]

    func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("name", name)
            w.field("datatype", datatype)
            w.key("shape")
            w.array(shape.map(IntValue.init))
        }
    }
}

struct IntValue: JSONWritable {
    let value: Int64
    init(_ value: Int64) { self.value = value }
    func write(to writer: inout JSONWriter) { writer.int(value) }
}

/// One output tensor of an infer response.
struct V2Output: JSONWritable {
    let name: String
    let answer: Inference.Answer
    let labels: [String]

    func write(to writer: inout JSONWriter) {
        let rows = answer.rowCount
        let width = answer.version.outputWidth
        writer.object { w in
            w.field("name", name)
            w.key("shape")
            w.array([IntValue(Int64(rows))])
            if name == "prediction" {
                if labels.isEmpty {
                    w.field("datatype", "FP64")
                    w.key("data")
                    w.array(doubles: answer.outputs)
                } else {
                    w.field("datatype", "BYTES")
                    w.key("data")
                    w.array(strings: (0..<rows).map { r in
                        var best = 0
                        for k in 1..<width where answer.outputs[r * width + k] > answer.outputs[r * width + best] { best = k }
                        return labels[best]
                    })
                }
            } else {
                let k = labels.firstIndex(of: String(name.dropFirst("proba_".count)))!
                w.field("datatype", "FP64")
                w.key("data")
                w.array(doubles: (0..<rows).lazy.map { answer.outputs[$0 * width + k] })
            }
        }
    }
}

/// OIP V2 `inputs` read into an `InputTable`.
enum V2Input {
    static func table(_ inputs: JSONValue?, featureNames: [String]) throws(InputError) -> InputTable {
        guard case .array(let tensors)? = inputs, !tensors.isEmpty else {
            throw .malformed("'inputs' must be a non-empty list of tensors with name, shape, datatype and data")
        }
        var columns: [String] = []
        var values: [[InputValue]] = []
        for (t, tensor) in tensors.enumerated() {
            guard case .object(let fields) = tensor, case .string(let name)? = fields["name"] else {
                throw .malformed("inputs[\(t)] needs a 'name'")
            }
            guard case .array(let shapeValues)? = fields["shape"] else { throw .malformed("input '\(name)' needs a 'shape'") }
            var shape: [Int] = []
            for value in shapeValues {
                guard case .integer(let n) = value, n >= 0 else { throw .malformed("input '\(name)' has a shape that is not a list of sizes") }
                shape.append(Int(n))
            }
            guard case .string(let datatype)? = fields["datatype"] else { throw .malformed("input '\(name)' needs a 'datatype'") }
            guard datatypes.contains(datatype) else {
                throw .malformed("input '\(name)' has datatype '\(datatype)'; Open Inference Protocol datatypes are \(datatypes.joined(separator: ", "))")
            }
            guard let data = fields["data"] else { throw .malformed("input '\(name)' needs 'data'") }
            // Sizes multiplied with overflow checks: a shape such as [2^62, 4] must be refused, not trap.
            var expected = 1
            for size in shape {
                let (product, overflow) = expected.multipliedReportingOverflow(by: size)
                guard !overflow else { throw .malformed("input '\(name)' has a shape \(shape) too large to hold") }
                expected = product
            }
            let single = tensors.count == 1 && shape.count == 2 && (shape[1] > 1 || !featureNames.contains(name))
            // Errors name the row and, for one [n, features] tensor, the feature of the value at fault.
            let width = shape.count == 2 ? max(shape[1], 1) : 1
            let place: (Int) -> (column: String, row: Int) = { index in
                let column = single && index % width < featureNames.count ? featureNames[index % width] : name
                return (column, index / width)
            }
            var flat: [InputValue] = []
            flat.reserveCapacity(min(expected, 1 << 20))
            try flatten(data, into: &flat, datatype: datatype, place: place)
            guard flat.count == expected else {
                throw .malformed("input '\(name)' has \(flat.count) values but its shape \(shape) holds \(expected)")
            }
            if single {
                // One [n, k] tensor of every feature in model order.
                guard shape[1] == featureNames.count else {
                    throw .malformed("input '\(name)' has \(shape[1]) columns; the model reads \(featureNames.count): \(featureNames.joined(separator: ", "))")
                }
                return InputTable(columns: featureNames, cells: flat)
            }
            guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
                throw .malformed("input '\(name)' must have shape [n] or [n, 1] (one tensor per column), or be the only input with shape [n, features]")
            }
            columns.append(name)
            values.append(flat)
        }
        let rows = values[0].count
        if let bad = values.indices.first(where: { values[$0].count != rows }) {
            throw .malformed("input '\(columns[bad])' has \(values[bad].count) rows; '\(columns[0])' has \(rows)")
        }
        var cells: [InputValue] = []
        cells.reserveCapacity(rows * columns.count)
        for r in 0..<rows { for c in columns.indices { cells.append(values[c][r]) } }
        return InputTable(columns: columns, cells: cells)
    }

    /// The tensor datatypes of the Open Inference Protocol.
    static let datatypes = [
        "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES",
    ]

    /// Appends a tensor's values in row-major order. A `BYTES` tensor may also hold numbers, so that one `[n, features]`
    /// tensor can carry a model's numeric and categorical columns together (JSON has no separate bytes type).
    static func flatten(
        _ value: JSONValue, into out: inout [InputValue], datatype: String, place: (Int) -> (column: String, row: Int)
    ) throws(InputError) {
        switch value {
        case .array(let items):
            for item in items { try flatten(item, into: &out, datatype: datatype, place: place) }
        case .integer(let i) where datatype != "BOOL": out.append(.number(Double(i)))
        case .number(let d) where datatype != "BOOL": out.append(.number(d))
        case .bool(let b) where datatype == "BOOL": out.append(.bool(b))
        case .string(let s) where datatype == "BYTES": out.append(.text(s))
        case .null: out.append(.missing)
        default:
            let (column, row) = place(out.count)
            throw .wrongType(column: column, row: row, expected: datatype, found: value.display)
        }
    }
}
