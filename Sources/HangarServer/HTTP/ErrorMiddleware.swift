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
        } catch let error as HangarError {
            return JSONResponse.error(error)
        } catch let error as any HTTPResponseError {
            return JSONResponse.error(Self.translate(error, path: request.uri.path))
        } catch let error as HTTPParserError {
            // The body broke HTTP's framing (a bad chunk size, say): the connection cannot carry another request.
            var response = JSONResponse.error(HangarError(.badRequest, "Malformed HTTP request body: \(error)"))
            response.headers[.connection] = "close"
            return response
        } catch let error as StoreError {
            logger.error("store failure", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return JSONResponse.error(HangarError(.internalError, "\(error)"))
        } catch {
            logger.error("unexpected failure", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return JSONResponse.error(HangarError(.internalError, "Internal error while handling \(request.method) \(request.uri.path)"))
        }
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
