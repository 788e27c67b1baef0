import Foundation
@testable import HangarServer
import Hummingbird
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing

/// Where `EventLoopApplication` runs things: request handlers on the event loop that read the request, the
/// application's services and `offEventLoop` bodies off every loop.
///
/// HummingbirdTesting runs an application through its own wrapper (the default `run()`), so this test starts the
/// application in a `ServiceGroup` itself, as `hangar up` does, and talks to it over TCP.
@Suite struct EventLoopApplicationTests {
    /// Records whether its `run()` started on an event loop, then waits for shutdown.
    private final class Probe: Service {
        let startedOnLoop = Mutex<Bool?>(nil)

        func run() async throws {
            let onLoop = MultiThreadedEventLoopGroup.currentEventLoop != nil
            startedOnLoop.withLock { $0 = onLoop }
            try? await gracefulShutdown()
        }
    }

    @Test func handlersRunOnTheEventLoopAndServicesAndOffLoopWorkDoNot() async throws {
        let router = Router()
        router.get("/where") { _, _ -> String in
            let handler = MultiThreadedEventLoopGroup.currentEventLoop != nil
            let off = try await offEventLoop { MultiThreadedEventLoopGroup.currentEventLoop != nil }
            let after = MultiThreadedEventLoopGroup.currentEventLoop != nil
            return "handler=\(handler) off=\(off) after=\(after)"
        }
        let probe = Probe()
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = EventLoopApplication(Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            services: [OffEventLoop(service: probe)],
            onServerRunning: { channel in portSink.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "test")))
        let group = ServiceGroup(services: [app], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let answer = try await rawExchange(port: port, "GET /where HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(answer.hasSuffix("handler=true off=false after=true"))
            #expect(probe.startedOnLoop.withLock { $0 } == false)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
