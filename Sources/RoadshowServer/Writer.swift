import Foundation
import Logging
import RoadshowStore
import Synchronization

/// The writer thread: owns all writes to the database. It takes everything
/// queued since its last transaction and commits it in ONE transaction (group
/// commit), then tells the service thread which tickets are durable and wakes
/// it. It never touches lws itself: `wake` goes through the `Waker`.
final class Writer: @unchecked Sendable {
    private let store: any EventStorage
    private let inbox: Inbox
    private let wake: @Sendable () -> Void
    private let metrics: Metrics
    private let logger: Logger
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [(ticket: Int, commit: Commit)] = []
    private var stopping = false
    private var busy = false
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)
    /// False after a failed transaction, until one succeeds: `/healthz` reports it.
    private let healthy = Atomic<Bool>(true)

    init(store: any EventStorage, inbox: Inbox, metrics: Metrics, logger: Logger, wake: @escaping @Sendable () -> Void) {
        self.store = MeteredCommits(store: store, metrics: metrics)
        self.inbox = inbox
        self.metrics = metrics
        self.logger = logger
        self.wake = wake
    }

    var isHealthy: Bool { healthy.load(ordering: .relaxed) }

    func start() {
        let t = Thread { [self] in run() }
        t.name = "roadshow-writer"
        thread = t
        t.start()
    }

    func submit(ticket: Int, _ commit: Commit) {
        condition.lock()
        queue.append((ticket, commit))
        condition.signal()
        condition.unlock()
    }

    /// Commits what is queued, then ends the thread.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        done.wait()
    }

    private func committed(_ batch: [(ticket: Int, commit: Commit)]) {
        healthy.store(true, ordering: .relaxed)
        metrics.add(metrics.transactions)
        metrics.add(metrics.commitsGrouped, batch.count)
        metrics.add(metrics.eventsCommitted, batch.reduce(0) { $0 + $1.commit.events.count })
        inbox.post(.committed(tickets: batch.map(\.ticket)))
    }

    private func failed(_ batch: [(ticket: Int, commit: Commit)], _ error: any Error) {
        healthy.store(false, ordering: .relaxed)
        metrics.add(metrics.commitFailures)
        logger.error("commit failed, nothing of it stored: \(error)")
        inbox.post(.failed(tickets: batch.map(\.ticket), error: "\(error)"))
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
                condition.unlock()
                break
            }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()
            commit(batch)
            wake()
        }
        done.signal()
    }

    /// Commits what is queued now on the calling thread, as the writer thread
    /// would: for a writer whose thread was never started (`InProcessEngine`,
    /// the in-process fuzzer). False when nothing was queued.
    func commitQueued() -> Bool {
        precondition(thread == nil, "commitQueued is for a writer without its thread")
        condition.lock()
        let batch = queue
        queue.removeAll(keepingCapacity: true)
        condition.unlock()
        guard !batch.isEmpty else { return false }
        commit(batch)
        wake()
        return true
    }

    /// True while commands wait for a transaction.
    var hasQueued: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !queue.isEmpty
    }

    /// One group commit: the batch in one transaction; if that fails, each
    /// command alone, so only the bad one fails.
    private func commit(_ batch: [(ticket: Int, commit: Commit)]) {
        do {
            try store.commit(batch.map(\.commit))
            committed(batch)
        } catch {
            logger.error("commit of \(batch.count) command(s) failed: \(error)")
            // One bad command must not sink the others it was grouped with:
            // commit them one by one, so only the bad one fails.
            if batch.count > 1 {
                metrics.add(metrics.groupRetries)
                for item in batch {
                    do {
                        try store.commit([item.commit])
                        committed([item])
                    } catch {
                        failed([item], error)
                    }
                }
            } else {
                failed(batch, error)
            }
        }
    }
}
