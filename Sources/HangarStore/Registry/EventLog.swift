import Foundation
import HangarCore
import SQLKit
import Synchronization

/// Appends registry events inside the transaction of the change they describe, and wakes readers after commit.
///
/// Ids follow commit order: on SQLite there is one writer; on PostgreSQL every appending transaction first takes
/// an advisory lock held until it commits, so a later id is never committed before an earlier one.
public final class EventLog: Sendable {
    let database: any MetadataDatabase
    private let waiters = EventWaiters()
    private let listener: Task<Void, Never>?

    public init(database: any MetadataDatabase) {
        self.database = database
        // Commits of other processes (other `hangar server` replicas on PostgreSQL) wake readers through NOTIFY.
        if let stream = database.notifications(channel: EventLog.channel) {
            let waiters = self.waiters
            listener = Task {
                for await _ in stream { waiters.wakeAll() }
            }
        } else {
            listener = nil
        }
    }

    deinit {
        listener?.cancel()
    }

    /// The PostgreSQL NOTIFY channel of registry events.
    static let channel = "hangar_events"

    static let appendLockKey: Int64 = 7_466_172

    /// Appends one event; call inside `database.write`.
    static func append(
        _ type: String, model: String, version: Int64? = nil, alias: String? = nil, user: String?,
        payload: [String: String] = [:], db: any SQLDatabase, kind: DatabaseKind
    ) async throws {
        if kind == .postgres {
            try await db.raw("SELECT pg_advisory_xact_lock(\(bind: appendLockKey))").run()
        }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]), as: UTF8.self)
        try await db.raw("""
            INSERT INTO registry_events (timestamp, type, model, version, alias, user_id, payload)
            VALUES (\(bind: nowMillis()), \(bind: type), \(bind: model), \(bind: version), \(bind: alias), \(bind: user), \(bind: json))
            """).run()
        if kind == .postgres {
            try await db.raw("NOTIFY \(unsafeRaw: channel)").run()
        }
    }

    /// Wakes readers in this process; stores call it after a write that appended events has committed.
    public func committed() {
        waiters.wakeAll()
    }

    /// The id of the newest event, 0 when there is none: where a reader that only wants what comes next starts.
    public func latestID() async throws -> Int64 {
        try await database.read { db in
            let row = try await db.raw("SELECT MAX(id) AS id FROM registry_events").first()
            return try row?.optionalInt64("id") ?? 0
        }
    }

    /// Events with ids above `after`, oldest first, at most `limit`.
    public func events(after: Int64, limit: Int = 1000) async throws -> [RegistryEvent] {
        try await database.read { db in
            try await db.raw("SELECT * FROM registry_events WHERE id > \(bind: after) ORDER BY id LIMIT \(bind: limit)").all().map { row in
                RegistryEvent(
                    id: try row.int64("id"), timestamp: try row.int64("timestamp"), type: try row.string("type"),
                    model: try row.string("model"), version: try row.optionalInt64("version").map { String($0) },
                    alias: try row.optionalString("alias"), user: try row.optionalString("user_id"), payload: try row.string("payload"))
            }
        }
    }

    /// Events above `after`, waiting up to `timeout` for the first one to arrive (an HTTP long-poll's core).
    ///
    /// Readers wake at once for commits in this process and, on PostgreSQL, on NOTIFY from other processes; a
    /// 200 ms re-check while waiting bounds the delay should a notification be lost (e.g. while reconnecting).
    /// Throws when the calling task is cancelled (`CancellationError`, or the database driver's cancellation error).
    public func waitForEvents(after: Int64, timeout: Duration, limit: Int = 1000) async throws -> [RegistryEvent] {
        let deadline = ContinuousClock.now + timeout
        while true {
            // A cancelled wait returns at once, so without this check a cancelled reader would query in a tight loop
            // until the deadline.
            try Task.checkCancellation()
            let found = try await events(after: after, limit: limit)
            if !found.isEmpty || ContinuousClock.now >= deadline { return found }
            let remaining = deadline - ContinuousClock.now
            await waiters.wait(upTo: min(remaining, .milliseconds(200)))
        }
    }
}

/// Parked readers, woken together when a write commits.
final class EventWaiters: Sendable {
    private enum Slot {
        case waiting(CheckedContinuation<Void, Never>)
        case expired
    }

    private let slots = Mutex<[UUID: Slot]>([:])

    func wakeAll() {
        let parked: [CheckedContinuation<Void, Never>] = slots.withLock { slots in
            var woken: [CheckedContinuation<Void, Never>] = []
            for (id, slot) in slots {
                if case .waiting(let continuation) = slot {
                    woken.append(continuation)
                    slots[id] = nil
                }
            }
            return woken
        }
        for continuation in parked { continuation.resume() }
    }

    /// Returns at the next `wakeAll()` or after `duration`, whichever comes first.
    func wait(upTo duration: Duration) async {
        let id = UUID()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let expired = self.slots.withLock { slots -> Bool in
                        if case .expired? = slots[id] { return true }
                        slots[id] = .waiting(continuation)
                        return false
                    }
                    if expired { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: duration)
                let parked = self.slots.withLock { slots -> CheckedContinuation<Void, Never>? in
                    if case .waiting(let continuation)? = slots[id] {
                        slots[id] = nil
                        return continuation
                    }
                    slots[id] = .expired
                    return nil
                }
                parked?.resume()
            }
            await group.next()
            group.cancelAll()
            await group.waitForAll()
        }
        slots.withLock { $0[id] = nil }
    }
}
