import Foundation
import HangarCore
import HangarServing
import HTTPTypes
import Hummingbird
import NIOCore

/// Responses of the prediction routes: MLflow's and the Open Inference Protocol's shapes, and their errors.
enum ServingResponses {
    /// Runs a prediction route, turning its failures into JSON errors every client understands: MLflow's
    /// `error_code` and `message`, and the Open Inference Protocol's `error`.
    static func guarded(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            return failure(error).response
        }
    }

    /// `guarded` for the synchronous prediction core, which both HTTP paths call.
    static func guarded(_ body: () throws -> ServingReply) -> ServingReply {
        do {
            return try body()
        } catch {
            return failure(error)
        }
    }

    /// The JSON error reply for anything a prediction route throws: 4xx for the caller's mistakes, 503 with
    /// Retry-After when the server cannot answer now; never a 500.
    static func failure(_ error: any Error) -> ServingReply {
        switch error {
        case let error as InputError:
            return self.error(status: .badRequest, code: ErrorCode.badRequest.rawValue, message: error.description)
        case let error as HangarError:
            return self.error(status: .init(code: error.code.httpStatus), code: error.code.rawValue, message: error.message)
        case let error as ServingUnavailable:
            var reply = self.error(
                status: .serviceUnavailable, code: ErrorCode.temporarilyUnavailable.rawValue, message: error.message)
            reply.headers[.retryAfter] = "1"
            return reply
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            return self.error(
                status: .contentTooLarge, code: ErrorCode.badRequest.rawValue,
                message: "The request body is larger than the server accepts")
        case let error as any HTTPResponseError:
            let translated = ErrorMiddleware<HangarRequestContext>.translate(error, path: "")
            return self.error(status: error.status, code: translated.code.rawValue, message: translated.message)
        default:
            return self.error(status: .badRequest, code: ErrorCode.badRequest.rawValue, message: "\(error)")
        }
    }

    static func error(status: HTTPResponse.Status, code: String, message: String) -> ServingReply {
        var writer = JSONWriter(capacity: 128 + message.utf8.count)
        writer.object { w in
            w.field("error_code", code)
            w.field("message", message)
            w.field("error", message)
        }
        return ServingReply(status: status, headers: [.contentType: "application/json"], body: writer.bytes)
    }

    static func json(_ writer: JSONWriter, answer: Inference.Answer? = nil) -> ServingReply {
        // One literal: its fields are appended as they are, where each later assignment would search the fields.
        let headers: HTTPFields = if let answer {
            [.contentType: "application/json", .requestId: answer.requestId, .modelVersion: answer.version.version,
             .modelAlias: answer.alias]
        } else {
            [.contentType: "application/json"]
        }
        return ServingReply(status: .ok, headers: headers, body: writer.bytes)
    }

    /// MLflow's `{"predictions": [...]}`: numbers for regression; for classifiers one record per row with the
    /// `prediction` (the most probable label) and a `proba_<label>` per class.
    static func mlflow(_ answer: Inference.Answer) -> ServingReply {
        var writer = JSONWriter(capacity: 64 + answer.rowCount * 24 * max(1, answer.version.outputWidth))
        let labels = answer.version.classLabels
        writer.object { w in
            w.key("predictions")
            if labels.isEmpty {
                w.array(doubles: answer.outputs)
            } else {
                w.array((0..<answer.rowCount).lazy.map { ClassifierRow(outputs: answer.outputs, labels: labels, row: $0) })
            }
        }
        return json(writer, answer: answer)
    }

    /// A label as JSON: a number when the label is one (e.g. "0", "1"), text otherwise.
    static func writeLabel(_ label: String, to w: inout JSONWriter) {
        if let number = Int64(label) { w.int(number) } else { w.string(label) }
    }
}

/// A prediction route's answer, independent of the HTTP stack that writes it (Hummingbird's router or the
/// event-loop fast path).
struct ServingReply {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: [UInt8]

    var response: Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// One classifier row of MLflow's response: the label and the class probabilities.
struct ClassifierRow: JSONWritable {
    let outputs: [Double]
    let labels: [String]
    let row: Int

    func write(to writer: inout JSONWriter) {
        let width = labels.count
        let base = row * width
        var best = 0
        for k in 1..<width where outputs[base + k] > outputs[base + best] { best = k }
        writer.object { w in
            w.key("prediction")
            ServingResponses.writeLabel(labels[best], to: &w)
            for k in 0..<width {
                w.key("proba_" + labels[k])
                w.double(outputs[base + k])
            }
        }
    }
}
