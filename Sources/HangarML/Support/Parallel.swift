import Dispatch

/// Runs `body(chunk)` for every chunk in 0..<chunks on at most `threads` threads and waits for all of them.
///
/// Chunks are assigned round-robin, so which chunk computes what never depends on scheduling: callers that write
/// results per chunk and combine them in chunk order get bit-identical output for any thread count.
func parallelFor(chunks: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    let workers = max(1, min(threads, chunks))
    if workers == 1 {
        for chunk in 0..<chunks { body(chunk) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var chunk = worker
        while chunk < chunks {
            body(chunk)
            chunk += workers
        }
    }
}

/// The half-open row range of chunk `index` when `count` rows are cut into `chunks` nearly equal parts.
func chunkRange(_ index: Int, of chunks: Int, count: Int) -> Range<Int> {
    let lower = count * index / chunks
    let upper = count * (index + 1) / chunks
    return lower..<upper
}

/// A pointer that may cross into `parallelFor` bodies; each body must touch a disjoint part of the memory.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

/// A read-only pointer that may cross into `parallelFor` bodies.
struct SharedReadPointer<T>: @unchecked Sendable {
    let base: UnsafePointer<T>
}

/// One slot per chunk for results produced in parallel, read back in chunk order.
final class ChunkResults<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// Stores the result of one chunk; each chunk index must be written by exactly one body.
    func set(_ index: Int, _ value: T) {
        slots[index] = value
    }

    /// All results in chunk order; every slot must have been set.
    func collect() -> [T] {
        (0..<count).map { slots[$0]! }
    }
}
