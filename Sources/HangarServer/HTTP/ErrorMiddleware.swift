import HangarCore
import HangarStore
import Hummingbird
import Logging
import NIOHTTP1

/// Turns every failure into MLflow's JSON error body with a 4xx status where the request was at fault.
///
/// A 500 is reserved for real server faults: MLflow's client retries 5xx for minutes, so a request the server
/// cannot accept must never be answered with one.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (failure, closes) = Self.failure(for: error, path: request.uri.path, logger: logger, method: "\(request.method)")
            var response = JSONResponse.error(failure)
            if closes { response.headers[.connection] = "close" }
            return response
        }
    }

    /// The JSON error a failure is answered with, and whether the connection must close after it.
    static func failure(for error: any Error, path: String, logger: Logger?, method: String = "POST") -> (HangarError, closes: Bool) {
        switch error {
        case let error as HangarError:
            return (error, false)
        case let error as any HTTPResponseError:
            return (translate(error, path: path), false)
        case let error as HTTPParserError:
            // The body broke HTTP's framing (a bad chunk size, say): the connection cannot carry another request.
            return (HangarError(.badRequest, "Malformed HTTP request body: \(error)"), true)
        case let error as StoreError:
            logger?.error("store failure", metadata: ["error": "\(error)", "path": "\(path)"])
            return (HangarError(.internalError, "\(error)"), false)
        default:
            logger?.error("unexpected failure", metadata: ["error": "\(String(reflecting: error))", "path": "\(path)"])
            return (HangarError(.internalError, "Internal error while handling \(method) \(path)"), false)
        }
    }

    /// `failure(for:)` as the raw-bytes path writes it.
    static func reply(for error: any Error, path: String, logger: Logger? = nil) -> ServingReply {
        let failure = failure(for: error, path: path, logger: logger).0
        return ServingReply(
            status: .init(code: failure.code.httpStatus), headers: [.contentType: "application/json"],
            body: JSONResponse.errorBody(failure))
    }

    static func translate(_ error: any HTTPResponseError, path: String) -> HangarError {
        switch error.status {
        case .notFound: HangarError(.endpointNotFound, "No API endpoint at \(path)")
        case .contentTooLarge: HangarError(.badRequest, "Request body is too large")
        case .methodNotAllowed: HangarError(.badRequest, "Method not allowed for \(path)")
        case .unauthorized: HangarError(.unauthenticated, "Authentication required")
        default:
            error.status.code < 500
                ? HangarError(.badRequest, error.status.reasonPhrase)
                : HangarError(.temporarilyUnavailable, error.status.reasonPhrase)
        }
    }
}
