import HTTPTypes
import Hummingbird
import Metrics
import NIOCore
import Synchronization

/// Per-route request counters and latency timers, under the labels Hummingbird's `MetricsMiddleware` uses
/// (`hb.requests`, `http.server.request.duration`, `hb.request.errors`, `http.server.active_requests`), so `/metrics`
/// reads the same whichever path answered a request.
final class RouteMetrics: Sendable {
    private struct Key: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: Int
    }

    private struct Endpoint {
        let counter: Counter
        let timer: Timer
    }

    private let endpoints = Mutex<[Key: Endpoint]>([:])
    private let errors = Mutex<[Key: Counter]>([:])
    private let active = Mutex<[HTTPRequest.Method: Meter]>([:])

    /// Counts a request answered with `status` and records its latency since `start` (`NIODeadline` nanoseconds).
    func record(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status, since start: UInt64) {
        let key = Key(route: route, method: method, status: status.code)
        let endpoint = endpoints.withLock { endpoints in
            if let found = endpoints[key] { return found }
            let dimensions = Self.dimensions(key)
            let made = Endpoint(
                counter: Counter(label: "hb.requests", dimensions: dimensions),
                timer: Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds))
            endpoints[key] = made
            return made
        }
        endpoint.counter.increment()
        endpoint.timer.recordNanoseconds(Int64(Self.now() - start))
    }

    /// Counts a request that ended in an error no middleware turned into a response.
    func recordError(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status) {
        let key = Key(route: route, method: method, status: status.code)
        let counter = errors.withLock { errors in
            if let found = errors[key] { return found }
            let made = Counter(label: "hb.request.errors", dimensions: [
                ("http.route", route), ("http.request.method", method.rawValue), ("error.type", String(status.code)),
            ])
            errors[key] = made
            return made
        }
        counter.increment()
    }

    /// The gauge of requests in progress with this method.
    func activeRequests(_ method: HTTPRequest.Method) -> Meter {
        active.withLock { active in
            if let found = active[method] { return found }
            let made = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.rawValue)])
            active[method] = made
            return made
        }
    }

    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

    private static func dimensions(_ key: Key) -> [(String, String)] {
        [("http.route", key.route), ("http.request.method", key.method.rawValue), ("http.response.status_code", String(key.status))]
    }
}

/// Records every routed request in `RouteMetrics`, in place of Hummingbird's `MetricsMiddleware`.
///
/// Hummingbird's middleware stops its timer once the body is written, by wrapping the body in a closure; a wrapped
/// body loses the server's single write of head, body and end, so every JSON answer went out in two `write`s (two
/// loopback segments, the client woken twice). Here a response whose length is known and at most `bufferedLimit` is
/// timed when the handler returns it (its body is in memory: writing it takes microseconds) and left as it is;
/// larger or unsized bodies (artifact downloads stream from disk) are still timed until written.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    static var bufferedLimit: Int { 1 << 20 }

    let metrics = RouteMetrics()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = RouteMetrics.now()
        let method = request.method
        let active = metrics.activeRequests(method)
        active.increment()
        do {
            var response = try await next(request, context)
            let route = context.endpointPath ?? "Unknown"
            let status = response.status
            if let length = response.body.contentLength, length <= Self.bufferedLimit {
                metrics.record(route: route, method: method, status: status, since: start)
                active.decrement()
            } else {
                let body = response.body
                response.body = ResponseBody(contentLength: body.contentLength) { [metrics] writer in
                    defer {
                        metrics.record(route: route, method: method, status: status, since: start)
                        active.decrement()
                    }
                    try await body.write(writer)
                }
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            let route = context.endpointPath ?? "NotFound"
            metrics.record(route: route, method: method, status: status, since: start)
            metrics.recordError(route: route, method: method, status: status)
            active.decrement()
            throw error
        }
    }
}
