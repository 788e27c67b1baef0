import SQLKit

/// Serialises writes on SQLite's one writer connection and groups the writes that arrive together into one commit.
///
/// Each write runs inside its own savepoint, so one failing request rolls back only itself; all callers are
/// answered after the shared COMMIT, so an acknowledged write is always a committed one.
actor GroupCommitQueue {
    private let connection: any SQLDatabase
    private var pending: [PendingWrite] = []
    private var draining = false
    private let maxBatch = 256

    init(connection: any SQLDatabase) {
        self.connection = connection
    }

    private struct Outcome: Sendable {
        let succeeded: Bool
        let resume: @Sendable ((any Error)?) -> Void
    }

    private struct PendingWrite: Sendable {
        let execute: @Sendable (any SQLDatabase) async -> Outcome
        let fail: @Sendable (any Error) -> Void
    }

    /// Runs `body` in the next group commit and returns once that commit is durable.
    func submit<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let write = PendingWrite(
                execute: { db in
                    do {
                        let value = try await body(db)
                        return Outcome(succeeded: true) { error in
                            if let error {
                                continuation.resume(throwing: error)
                            } else {
                                continuation.resume(returning: value)
                            }
                        }
                    } catch {
                        return Outcome(succeeded: false) { _ in continuation.resume(throwing: error) }
                    }
                },
                fail: { continuation.resume(throwing: $0) }
            )
            pending.append(write)
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            await commit(batch)
        }
        draining = false
    }

    private func commit(_ batch: [PendingWrite]) async {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(batch.count)
        do {
            try await connection.raw("BEGIN IMMEDIATE").run()
            if batch.count == 1 {
                let outcome = await batch[0].execute(connection)
                outcomes.append(outcome)
                if !outcome.succeeded {
                    try await connection.raw("ROLLBACK").run()
                    outcome.resume(nil)
                    return
                }
            } else {
                for write in batch {
                    try await connection.raw("SAVEPOINT w").run()
                    let outcome = await write.execute(connection)
                    if !outcome.succeeded { try await connection.raw("ROLLBACK TO w").run() }
                    try await connection.raw("RELEASE w").run()
                    outcomes.append(outcome)
                }
            }
            try await connection.raw("COMMIT").run()
            for outcome in outcomes { outcome.resume(nil) }
        } catch {
            try? await connection.raw("ROLLBACK").run()
            for outcome in outcomes { outcome.succeeded ? outcome.resume(error) : outcome.resume(nil) }
            // Writes the failure stopped before they ran get the same answer.
            for write in batch.dropFirst(outcomes.count) { write.fail(error) }
        }
    }
}
