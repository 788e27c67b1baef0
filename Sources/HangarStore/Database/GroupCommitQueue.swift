import Logging
import NIOPosix
import SQLKit
import Synchronization

/// Serialises writes on SQLite's one writer connection and groups the writes that arrive together into one commit.
///
/// Each write runs inside its own savepoint, so one failing request rolls back only itself; all callers are
/// answered after the shared COMMIT, so an acknowledged write is always a committed one.
///
/// A write that finds no group running runs one on its own task; otherwise a drain task runs the groups. The
/// connection executes each statement synchronously where it is awaited, so BEGIN, every write's statements and
/// COMMIT follow each other without a thread hop; writes that arrive while a group runs join it before its COMMIT (up
/// to `maxGroup`). What waits for the disk runs on `diskThread`, so no cooperative
/// thread serving requests waits for an fsync: COMMIT when it fsyncs (`--durability full`), and WAL checkpoints.
final class GroupCommitQueue: Sendable {
    private let connection: DirectSQLiteConnection
    private let database: DirectSQLiteDatabase
    private let diskThread: NIOThreadPool
    private let fsyncOnCommit: Bool
    private let checkpointPages: Int
    private let logger: Logger
    private let state = Mutex(State())
    private let maxGroup = 256

    private struct State {
        var pending: [PendingWrite] = []
        var draining = false
        /// The latest checkpoint started after a lone write (`submit`), awaited by `finish()`.
        var checkpointing: Task<Void, Never>?
    }

    /// - Parameters:
    ///   - connection: the writer; it must have handed checkpoints over (`takeOverCheckpoints()`).
    ///   - diskThread: a started one-thread pool for the work that waits for fsync.
    ///   - fsyncOnCommit: whether COMMIT fsyncs (`synchronous=FULL`) and so runs on `diskThread`.
    ///   - checkpointPages: WAL size (pages) from which the queue checkpoints between two groups (SQLite's default
    ///     auto-checkpoint threshold is 1,000).
    init(
        connection: DirectSQLiteConnection, database: DirectSQLiteDatabase, diskThread: NIOThreadPool,
        fsyncOnCommit: Bool, checkpointPages: Int = 1000, logger: Logger
    ) {
        self.connection = connection
        self.database = database
        self.diskThread = diskThread
        self.fsyncOnCommit = fsyncOnCommit
        self.checkpointPages = checkpointPages
        self.logger = logger
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
    ///
    /// When no group is running, the calling task runs one itself, its own write first, so a lone write costs no
    /// task and no thread hop (on a 2-core machine the hops cost more than the write). Writes arriving meanwhile wait
    /// in `pending`, join that group before its COMMIT, and whatever is left after it goes to a drain task.
    func submit<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let leads = state.withLock { state in
            if state.draining { return false }
            state.draining = true
            return true
        }
        if leads {
            let result = Mutex<Result<T, any Error>?>(nil)
            await commit([Self.write(body) { outcome in result.withLock { $0 = outcome } }])
            if connection.framesInWAL >= checkpointPages {
                // The write is committed: it is answered now, and the checkpoint runs on a task that then drains
                // what queued meanwhile (`draining` stays set, so new writes wait for it rather than for this one).
                // A client that writes now and then never waits for a checkpoint's fsyncs.
                let task = Task { await self.checkpointThenDrain() }
                state.withLock { $0.checkpointing = task }
            } else {
                let more = state.withLock { state in
                    if state.pending.isEmpty { state.draining = false }
                    return !state.pending.isEmpty
                }
                if more { Task { await self.drain() } }
            }
            // `commit` answers every write it takes, so the result is set.
            return try result.withLock { $0! }.get()
        }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let write = Self.write(body) { continuation.resume(with: $0) }
            let startDrain = state.withLock { state in
                state.pending.append(write)
                defer { state.draining = true }
                return !state.draining
            }
            if startDrain {
                Task { await self.drain() }
            }
        }
    }

    /// A queued write: runs `body`, and calls `answer` once with its value or error after the group's COMMIT.
    private static func write<T: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T,
        answer: @escaping @Sendable (Result<T, any Error>) -> Void
    ) -> PendingWrite {
        PendingWrite(
            execute: { db in
                do {
                    let value = try await body(db)
                    return Outcome(succeeded: true) { error in answer(error.map { .failure($0) } ?? .success(value)) }
                } catch {
                    return Outcome(succeeded: false) { _ in answer(.failure(error)) }
                }
            },
            fail: { answer(.failure($0)) }
        )
    }

    @concurrent
    private func drain() async {
        while true {
            let batch = state.withLock { state in
                let batch = Array(state.pending.prefix(maxGroup))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            await commit(batch)
            if connection.framesInWAL >= checkpointPages { await checkpoint() }
        }
    }

    /// Waits for a checkpoint started after a lone write; the database calls it before closing the connection.
    func finish() async {
        await state.withLock { $0.checkpointing }?.value
    }

    @concurrent
    private func checkpointThenDrain() async {
        await checkpoint()
        await drain()
    }

    /// Copies the WAL back into the database file, as SQLite's auto-checkpoint would inside the COMMIT that crossed
    /// the threshold, but between two groups and on `diskThread`: no write runs meanwhile, so the checkpoint copies
    /// every frame and the next transaction starts the WAL over (a checkpoint racing the writer never gets there, and
    /// the WAL would grow without bound), and no cooperative thread waits for its fsyncs.
    private func checkpoint() async {
        do {
            try await diskThread.runIfActive { [connection] in try connection.run("PRAGMA wal_checkpoint(PASSIVE)") }
        } catch {
            logger.warning("WAL checkpoint failed; retrying after the next group", metadata: ["error": "\(error)"])
        }
    }

    /// Writes that arrived since the group started, as many as still fit in it.
    private func late(room: Int) -> [PendingWrite] {
        guard room > 0 else { return [] }
        return state.withLock { state in
            let more = Array(state.pending.prefix(room))
            state.pending.removeFirst(more.count)
            return more
        }
    }

    private func commit(_ batch: [PendingWrite]) async {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(batch.count)
        var taken = batch
        do {
            try connection.run("BEGIN IMMEDIATE")
            if batch.count == 1 {
                // Alone in its transaction, a write needs no savepoint: if it fails, the transaction rolls back.
                let outcome = await batch[0].execute(database)
                outcomes.append(outcome)
                if !outcome.succeeded {
                    try connection.run("ROLLBACK")
                    outcome.resume(nil)
                    return
                }
            } else {
                for write in batch { outcomes.append(try await runInSavepoint(write)) }
            }
            // Writes that arrived meanwhile join the group. With several writers active, requests that are ready to
            // submit are likely waiting for this thread: yield once so they can join as well before the COMMIT, which
            // costs the same for 2 writes or 20.
            var yielded = false
            while true {
                var more = late(room: maxGroup - taken.count)
                if more.isEmpty, taken.count > 1, !yielded {
                    yielded = true
                    await Task.yield()
                    more = late(room: maxGroup - taken.count)
                }
                if more.isEmpty { break }
                taken += more
                for write in more { outcomes.append(try await runInSavepoint(write)) }
            }
            if fsyncOnCommit {
                try await diskThread.runIfActive { [connection] in try connection.run("COMMIT") }
            } else {
                try connection.run("COMMIT")
            }
            for outcome in outcomes { outcome.resume(nil) }
        } catch {
            try? connection.run("ROLLBACK")
            for outcome in outcomes { outcome.succeeded ? outcome.resume(error) : outcome.resume(nil) }
            // Writes the failure stopped before they ran get the same answer.
            for write in taken.dropFirst(outcomes.count) { write.fail(error) }
        }
    }

    private func runInSavepoint(_ write: PendingWrite) async throws -> Outcome {
        try connection.run("SAVEPOINT w")
        let outcome = await write.execute(database)
        if !outcome.succeeded { try connection.run("ROLLBACK TO w") }
        try connection.run("RELEASE w")
        return outcome
    }
}
