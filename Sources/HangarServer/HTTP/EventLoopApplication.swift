import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Runs a task's jobs on the SwiftNIO event loop of the thread that enqueues them, or on one of `group`'s loops when
/// that thread is not an event loop.
///
/// A connection's task is resumed by its event loop when a request arrives, and its response is written on that
/// same loop: with this executor both happen on the loop's thread, where the default executor would wake a thread
/// of the global pool for the request and the loop's thread again for the response.
final class EventLoopTaskExecutor: TaskExecutor {
    private let group: any EventLoopGroup

    init(group: any EventLoopGroup) {
        self.group = group
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? group.next()
        loop.execute { job.runSynchronously(on: executor) }
    }
}

/// A Hummingbird application whose connection tasks run on the event loops (`EventLoopTaskExecutor`).
///
/// Only the HTTP server's tasks do: the application's other services (`services`, wrapped in `OffEventLoop`) run
/// on the global executor, so a background writer or follower never holds a loop that has requests to read.
/// Route handlers that compute for long (a large prediction batch) leave the loop themselves (`offEventLoop`).
public struct EventLoopApplication<Inner: ApplicationProtocol>: ApplicationProtocol {
    public typealias Responder = Inner.Responder
    let inner: Inner

    init(_ inner: Inner) {
        self.inner = inner
    }

    public var responder: Responder { get async throws { try await inner.responder } }
    public var server: HTTPServerBuilder { inner.server }
    public var eventLoopGroup: any EventLoopGroup { inner.eventLoopGroup }
    public var configuration: ApplicationConfiguration { inner.configuration }
    public var logger: Logger { inner.logger }
    public var services: [any Service] { inner.services }
    public var processesRunBeforeServerStart: [@Sendable () async throws -> Void] { inner.processesRunBeforeServerStart }

    @Sendable public func onServerRunning(_ channel: any Channel) async {
        await inner.onServerRunning(channel)
    }

    public func run() async throws {
        try await withTaskExecutorPreference(EventLoopTaskExecutor(group: inner.eventLoopGroup)) {
            try await inner.run()
        }
    }
}

/// A service that runs on the global executor even when started from a task that prefers the event loops.
struct OffEventLoop: Service {
    let service: any Service

    func run() async throws {
        try await offEventLoop { try await service.run() }
    }
}

/// Runs `body` on the global concurrent executor: for work that computes or blocks for longer than an event loop
/// should be held (a large prediction batch, a file copy).
func offEventLoop<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
    try await withTaskExecutorPreference(globalConcurrentExecutor) { try await body() }
}
