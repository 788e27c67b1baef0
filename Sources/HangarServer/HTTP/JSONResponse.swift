import Foundation
import HangarCore
import Hummingbird

/// Builds JSON responses in MLflow's wire conventions.
enum JSONResponse {
    private static let encoder = JSONCoding.encoder

    /// A 200 response with `value` encoded as JSON.
    static func ok(_ value: some Encodable) throws -> Response {
        let data = try encoder.encode(value)
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A 200 response written with `JSONWriter` (the fast path for tracking responses).
    static func ok(_ value: some JSONWritable) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.write(value))))
    }

    /// A 200 response with a JSON body already written.
    static func ok(bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A 200 response with an empty JSON object, MLflow's answer to successful writes.
    static func empty() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
    }

    /// An error response: `{"error_code": ..., "message": ...}` with the code's HTTP status.
    static func error(_ error: HangarError) -> Response {
        Response(
            status: .init(code: error.code.httpStatus), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: errorBody(error))))
    }

    /// The body of an error response.
    static func errorBody(_ error: HangarError) -> [UInt8] {
        let body = ["error_code": error.code.rawValue, "message": error.message]
        return Array((try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8))
    }
}
