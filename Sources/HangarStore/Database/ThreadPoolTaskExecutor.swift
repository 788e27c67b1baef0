import NIOPosix

/// Runs a task's jobs on the threads of a `NIOThreadPool`.
///
/// A read on the embedded store runs its whole body (every statement, synchronously on a direct SQLite connection)
/// under this executor: one hop to a pool thread and one back per read, where SQLiteNIO hopped out and back for each
/// statement. The pool's threads are SwiftNIO's shared blocking pool, the one SQLiteNIO used.
final class ThreadPoolTaskExecutor: TaskExecutor {
    static let shared = ThreadPoolTaskExecutor(pool: .singleton)

    private let pool: NIOThreadPool

    init(pool: NIOThreadPool) {
        self.pool = pool
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        // A pool that is no longer active runs the closure at once on this thread; the job must run either way.
        pool.submit { _ in job.runSynchronously(on: executor) }
    }
}
