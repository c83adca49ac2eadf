import Dispatch
import Prometheus
import RoadshowCore
import RoadshowStore

/// What `/metrics` shows (Prometheus text format), kept in a swift-prometheus
/// `PrometheusCollectorRegistry` of this server's own: several servers in one
/// process (the tests) each count apart, and nothing is bootstrapped globally.
///
/// Updated on the service and writer threads, rendered by the HTTP handler.
/// The cost on the hot path (release build, measured on a busy 2-core box): a
/// counter is one relaxed atomic add, as the hand-written ones were (~4 ns);
/// a gauge a relaxed compare-and-swap loop on a Double's bits (~8 ns); a
/// histogram's `record` takes an uncontended lock and walks its buckets
/// (~40–100 ns; `Double` seconds, since `Duration` buckets cost twice that),
/// plus a clock read (~50 ns). Histograms are observed once per transaction,
/// per commit's fan-out and per subscribe, never per frame.
final class Metrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    let connectionsOpen: Gauge
    let connectionsTotal: Counter
    let connectionsRefused: Counter
    let requestsOK: Counter
    let requestsFailed: Counter
    let eventsCommitted: Counter
    let transactions: Counter
    let commitsGrouped: Counter
    let commitFailures: Counter
    let groupRetries: Counter
    let framesQueued: Counter
    let framesWritten: Counter
    let bytesWritten: Counter
    let slowClientsDropped: Counter
    let subscriptions: Gauge
    let keepaliveHangUps: Counter
    /// Turns of the service loop (each wait for lws, a timer or a wake-up that returned).
    let serviceWakeups: Counter

    /// Seconds per write transaction (`MeteredCommits`), failed ones included.
    let commitDuration: ValueHistogram
    /// Commands per write transaction (`MeteredCommits`).
    let transactionCommands: ValueHistogram
    /// Seconds from a commit landing on the service thread to its frames'
    /// being handed to the socket of the last subscriber that gets them
    /// (`Engine.settleFanOuts`).
    let fanOutDuration: ValueHistogram
    /// Seconds from a `stream.subscribe` to its reply being queued, a resume's
    /// pages from the store included.
    let subscribeDuration: ValueHistogram

    /// 100 µs … 10 s.
    static let secondsBuckets: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
    /// 1 … 1024 commands.
    static let groupBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]

    init() {
        let r = registry
        func counter(_ name: String, _ help: String) -> Counter { r.makeCounter(name: "roadshow_" + name, help: help) }
        func gauge(_ name: String, _ help: String) -> Gauge { r.makeGauge(name: "roadshow_" + name, help: help) }
        connectionsOpen = gauge("connections_open", "WebSocket connections open now.")
        connectionsTotal = counter("connections_total", "WebSocket connections accepted.")
        connectionsRefused = counter("connections_refused_total", "Connections closed at once for a cap (in all, per address, per token).")
        requestsOK = counter("requests_ok_total", "Requests answered ok.")
        requestsFailed = counter("requests_failed_total", "Requests answered with an error.")
        eventsCommitted = counter("events_committed_total", "Events durably committed.")
        transactions = counter("transactions_total", "Write transactions committed (group commits).")
        commitsGrouped = counter("commands_committed_total", "Commands committed; several may share a transaction.")
        commitFailures = counter("commit_failures_total", "Commands whose transaction failed (nothing of them stored).")
        groupRetries = counter("group_retries_total", "Grouped transactions that failed and were committed again one command at a time.")
        framesQueued = counter("frames_queued_total", "Frames queued to connections.")
        framesWritten = counter("frames_written_total", "Frames written to connections.")
        bytesWritten = counter("written_payload_bytes_total", "Payload bytes of the frames written to connections.")
        slowClientsDropped = counter("slow_clients_dropped_total", "Connections closed because their queue grew too long.")
        subscriptions = gauge("subscriptions", "Stream subscriptions open now.")
        serviceWakeups = counter("service_wakeups_total", "Turns of the service thread's loop: each wait for sockets, timers or a wake-up from another thread that returned.")
        keepaliveHangUps = counter("keepalive_hangups_total", "Connections dropped because nothing came from the peer (not even a pong to a ping) for twice the keepalive interval (60 s by default).")
        commitDuration = r.makeValueHistogram(
            name: "roadshow_commit_duration_seconds", buckets: Self.secondsBuckets,
            help: "Seconds per write transaction on the writer thread, failed ones included; the sum is the time spent in write transactions.")
        transactionCommands = r.makeValueHistogram(
            name: "roadshow_transaction_commands", buckets: Self.groupBuckets,
            help: "Commands per write transaction (the group commit's size), failed ones included.")
        fanOutDuration = r.makeValueHistogram(
            name: "roadshow_fanout_duration_seconds", buckets: Self.secondsBuckets,
            help: "Seconds from a commit landing on the service thread to its frames being handed to the socket of the last subscriber (one per commit with subscribers).")
        subscribeDuration = r.makeValueHistogram(
            name: "roadshow_subscribe_duration_seconds", buckets: Self.secondsBuckets + [30, 60],
            help: "Seconds from an accepted stream.subscribe to its reply being queued, a resume's pages from the store included.")
    }

    @inline(__always) func add(_ counter: Counter, _ n: Int = 1) { counter.increment(by: Int64(n)) }
    @inline(__always) func add(_ gauge: Gauge, _ n: Int = 1) { gauge.increment(by: Double(n)) }

    /// A monotonic clock reading for `observe(_:since:)`.
    @inline(__always) static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Records the seconds from `start` (a `now()`) to now.
    @inline(__always) func observe(_ histogram: ValueHistogram, since start: UInt64) {
        histogram.record(Double(Metrics.now() &- start) / 1e9)
    }

    /// The Prometheus text exposition of everything above.
    func render() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8 * 1024)
        registry.emit(into: &out)
        return out
    }
}

/// The writer's store, timed: each `commit` is one write transaction, so the
/// commit latency and the group size are observed here, whatever the writer
/// does around it (grouping, retrying one by one). Everything else passes through.
struct MeteredCommits: EventStorage {
    let store: any EventStorage
    let metrics: Metrics

    func commit(_ commits: [Commit]) throws {
        let start = Metrics.now()
        defer {
            metrics.observe(metrics.commitDuration, since: start)
            metrics.transactionCommands.record(Double(commits.count))
        }
        try store.commit(commits)
    }

    func allStreams() throws -> [(stream: String, events: [RecordedEvent])] { try store.allStreams() }
    func loadStreams(version: Int, deferring: Bool) throws -> StreamLoad {
        try store.loadStreams(version: version, deferring: deferring)
    }
    @discardableResult
    func saveSnapshots(_ snapshots: [StreamSnapshot]) throws -> Int { try store.saveSnapshots(snapshots) }
    func events(stream: String, after: Int64, upTo: Int64) throws -> [RecordedEvent] {
        try store.events(stream: stream, after: after, upTo: upTo)
    }
    func credentials() throws -> [Credential] { try store.credentials() }
    func storedReplyKeys() throws -> [(actor: String, scope: String, key: String)] { try store.storedReplyKeys() }
    func storedReply(actor: String, scope: String, key: String) throws -> StoredReply? {
        try store.storedReply(actor: actor, scope: scope, key: key)
    }
}
