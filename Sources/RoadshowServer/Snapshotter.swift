import Dispatch
import Foundation
import Logging
import RoadshowCore
import RoadshowStore

/// Writes stream snapshots off the service thread, at low priority, so the
/// next start reads each stream's latest state and only the events after it
/// (`EventStore.loadStreams`). The engine hands it committed states — values,
/// nothing shared — and it encodes them here and stores them in small
/// transactions of their own, between the writer's (never in them: commits
/// stay as they are). Of several states of one stream waiting, only the latest
/// is written. A failed write is logged and costs only a longer replay at the
/// next start: snapshots are a cache.
///
/// Its timer wakes the service thread every `sweepSeconds`, so the engine can
/// hand over what moved since (`Engine.sweepSnapshots`).
final class Snapshotter: @unchecked Sendable {  // its state is behind `Locked`; the timer is set up once
    struct Job: Sendable {
        let stream: String
        let seq: Int64
        let state: StreamState
    }

    private let store: any EventStorage
    private let logger: Logger
    private let queue = DispatchQueue(label: "roadshow-snapshots", qos: .utility)
    /// Waiting jobs by stream, and whether a drain is queued.
    private let pending = Locked<(jobs: [String: Job], scheduled: Bool)>(([:], false))
    private let timer: DispatchSourceTimer
    /// Snapshots stored, and writes that failed (for tests and the log).
    private let counts = Locked<(stored: Int, failed: Int)>((0, 0))
    /// At most this many snapshots per transaction, so a commit waits little.
    static let batchLimit = 32

    init(store: any EventStorage, logger: Logger, sweepSeconds: Double, wake: @escaping @Sendable () -> Void) {
        self.store = store
        self.logger = logger
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + sweepSeconds, repeating: sweepSeconds, leeway: .seconds(1))
        timer.setEventHandler(handler: wake)
        timer.resume()
    }

    var stored: Int { counts.withLock { $0.stored } }

    /// Queues states to store; returns at once.
    func submit(_ jobs: [Job]) {
        guard !jobs.isEmpty else { return }
        let schedule = pending.withLock { p -> Bool in
            for j in jobs where (p.jobs[j.stream]?.seq ?? 0) <= j.seq { p.jobs[j.stream] = j }
            if p.scheduled { return false }
            p.scheduled = true
            return true
        }
        if schedule { queue.async { [self] in drain() } }
    }

    /// Waits until everything submitted so far is stored (or has failed).
    func flush() { queue.sync {} }

    /// Stores what is waiting, then stops the timer.
    func stop() {
        timer.cancel()
        flush()
    }

    private func drain() {
        while true {
            let batch = pending.withLock { p -> [Job] in
                let take = Array(p.jobs.values.prefix(Self.batchLimit))
                for j in take { p.jobs[j.stream] = nil }
                if take.isEmpty { p.scheduled = false }
                return take
            }
            if batch.isEmpty { return }
            var snapshots: [StreamSnapshot] = []
            snapshots.reserveCapacity(batch.count)
            for j in batch {
                do { snapshots.append(try StreamSnapshot(stream: j.stream, seq: j.seq, state: j.state)) } catch {
                    logger.error("could not encode the snapshot of \(j.stream) at seq \(j.seq): \(error)")
                }
            }
            do {
                let n = try store.saveSnapshots(snapshots)
                counts.withLock { $0.stored += n }
            } catch {
                counts.withLock { $0.failed += snapshots.count }
                logger.warning("storing \(snapshots.count) stream snapshot(s) failed (the next start replays more of the log): \(error)")
            }
        }
    }
}
