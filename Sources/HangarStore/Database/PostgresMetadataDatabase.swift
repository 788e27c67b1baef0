import Foundation
import Logging
import PostgresKit

/// The scale-out store: a PostgreSQL server reached through a connection pool shared by many Hangar processes.
public final class PostgresMetadataDatabase: MetadataDatabase {
    public let kind = DatabaseKind.postgres
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    private init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        self.runner = Task { await client.run() }
    }

    /// Connects to the server a `postgres://user:password@host:port/database` URL names.
    public static func open(url: String) async throws -> PostgresMetadataDatabase {
        guard let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty else {
            throw StoreError.unsupportedURL(url)
        }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        var configuration = PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: parts.user ?? "postgres",
            password: parts.password, database: database.isEmpty ? nil : database, tls: .disable)
        configuration.options.maximumConnections = 16
        try await probe(host: host, port: parts.port ?? 5432, username: parts.user ?? "postgres", password: parts.password,
                        database: database.isEmpty ? nil : database)
        var logger = Logger(label: "hangar.postgres")
        // The pool warns when the first lease races `run()` starting in its task; the lease waits and succeeds.
        logger.logLevel = .error
        let db = PostgresMetadataDatabase(client: PostgresClient(configuration: configuration, backgroundLogger: logger), logger: logger)
        // Fail at start-up, with the server's own message, rather than on the first request.
        do {
            _ = try await db.read { try await $0.raw("SELECT 1").all() }
        } catch {
            await db.close()
            throw StoreError.unreachable("cannot reach PostgreSQL at \(host):\(parts.port ?? 5432)/\(database): \(error)")
        }
        return db
    }

    /// One direct connection first, with a short timeout: the pool retries a failing server for a minute and then
    /// reports only that its circuit breaker tripped, while a single attempt fails at once with the server's reason
    /// (a wrong password, a missing database, nothing listening).
    private static func probe(host: String, port: Int, username: String, password: String?, database: String?) async throws {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        var logger = Logger(label: "hangar.postgres.probe")
        logger.logLevel = .critical
        let target = "\(host):\(port)/\(database ?? username)"
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try? await connection.close()
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] {
                throw StoreError.unreachable("PostgreSQL at \(target) refused the connection: \(message)")
            }
            let cause = error.underlying.map { "\($0)" } ?? "\(error.code)"
            throw StoreError.unreachable("cannot connect to PostgreSQL at \(target): \(cause)")
        } catch {
            throw StoreError.unreachable("cannot connect to PostgreSQL at \(target): \(error)")
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await StoreTimers.measure(StoreTimers.read) {
            try await client.withConnection { connection in try await body(connection.sql(queryLogLevel: nil)) }
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await StoreTimers.measure(StoreTimers.write) {
            try await client.withConnection { connection in
                let db = connection.sql(queryLogLevel: nil)
                try await db.raw("BEGIN").run()
                do {
                    let value = try await body(db)
                    try await db.raw("COMMIT").run()
                    return value
                } catch {
                    try? await db.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }

    /// Holds one pooled connection in LISTEN on `channel` and yields once per NOTIFY; reconnects after failures.
    public func notifications(channel: String) -> AsyncStream<Void>? {
        let client = self.client
        let logger = self.logger
        return AsyncStream { continuation in
            let task = Task {
                while !Task.isCancelled {
                    do {
                        try await client.withConnection { connection in
                            try await connection.listen(on: channel) { notifications in
                                for try await _ in notifications { continuation.yield() }
                            }
                        }
                    } catch {
                        if Task.isCancelled { break }
                        logger.warning("LISTEN \(channel) failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }
}
