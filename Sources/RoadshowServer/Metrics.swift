import Synchronization

/// Counters for `/metrics` (Prometheus text format). Updated on the service and
/// writer threads, read by the HTTP handler.
final class Metrics: Sendable {
    let connectionsOpen = Atomic<Int>(0)
    let connectionsTotal = Atomic<Int>(0)
    let connectionsRefused = Atomic<Int>(0)
    let requestsOK = Atomic<Int>(0)
    let requestsFailed = Atomic<Int>(0)
    let eventsCommitted = Atomic<Int>(0)
    let transactions = Atomic<Int>(0)
    let commitsGrouped = Atomic<Int>(0)
    let commitFailures = Atomic<Int>(0)
    let groupRetries = Atomic<Int>(0)
    let commitMicroseconds = Atomic<Int>(0)
    let framesQueued = Atomic<Int>(0)
    let framesWritten = Atomic<Int>(0)
    let bytesWritten = Atomic<Int>(0)
    let slowClientsDropped = Atomic<Int>(0)
    let subscriptions = Atomic<Int>(0)
    let keepaliveHangUps = Atomic<Int>(0)

    func add(_ counter: borrowing Atomic<Int>, _ n: Int = 1) { counter.add(n, ordering: .relaxed) }

    func render() -> String {
        func v(_ a: borrowing Atomic<Int>) -> Int { a.load(ordering: .relaxed) }
        let rows: [(String, String, String, String)] = [
            ("connections_open", "WebSocket connections open now.", "gauge", String(v(connectionsOpen))),
            ("connections_total", "WebSocket connections accepted.", "counter", String(v(connectionsTotal))),
            ("connections_refused_total", "Connections closed at once for a cap (in all, per address, per token).", "counter", String(v(connectionsRefused))),
            ("requests_ok_total", "Requests answered ok.", "counter", String(v(requestsOK))),
            ("requests_failed_total", "Requests answered with an error.", "counter", String(v(requestsFailed))),
            ("events_committed_total", "Events durably committed.", "counter", String(v(eventsCommitted))),
            ("transactions_total", "Write transactions (group commits).", "counter", String(v(transactions))),
            ("commands_committed_total", "Commands committed; several may share a transaction.", "counter", String(v(commitsGrouped))),
            ("commit_failures_total", "Commands whose transaction failed (nothing of them stored).", "counter", String(v(commitFailures))),
            ("group_retries_total", "Grouped transactions that failed and were committed again one command at a time.", "counter", String(v(groupRetries))),
            ("commit_seconds_total", "Time spent in write transactions.", "counter", String(Double(v(commitMicroseconds)) / 1e6)),
            ("frames_queued_total", "Frames queued to connections.", "counter", String(v(framesQueued))),
            ("frames_written_total", "Frames written to connections.", "counter", String(v(framesWritten))),
            ("bytes_written_total", "Payload bytes written to connections.", "counter", String(v(bytesWritten))),
            ("slow_clients_dropped_total", "Connections closed because their queue grew too long.", "counter", String(v(slowClientsDropped))),
            ("subscriptions", "Stream subscriptions open now.", "gauge", String(v(subscriptions))),
            ("keepalive_hangups_total", "Connections dropped because nothing came from the peer (not even a pong to a ping) for about 60 s.", "counter", String(v(keepaliveHangUps))),
        ]
        var out = ""
        for (name, help, type, value) in rows {
            out += "# HELP roadshow_\(name) \(help)\n# TYPE roadshow_\(name) \(type)\nroadshow_\(name) \(value)\n"
        }
        return out
    }
}
