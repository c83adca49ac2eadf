import CLibWebSockets
import Foundation
import Logging
import RoadshowCore
import RoadshowStore

/// Everything the service thread owns: connections, streams, subscriptions,
/// credentials and the commands in flight. Only the lws service thread touches
/// it (checked in debug builds), in the spirit of swift-nio's `NIOLoopBound`;
/// other threads reach it only through the `Inbox`.
final class Hub: @unchecked Sendable {
    let config: ServerConfiguration
    let store: EventStore
    let inbox = Inbox()
    let metrics: Metrics
    let logger: Logger
    var writer: Writer!
    var context: OpaquePointer?
    private var serviceThread: pthread_t?

    var connections: [Int: Connection] = [:]
    var connectionsByActor: [String: Set<Int>] = [:]
    var nextConnectionId = 1
    var streams: [String: StreamSlot] = [:]
    /// Token hash → credential.
    var credentials: [String: Credential] = [:]
    /// Full first replies of recent requests, by (actor, scope, key); the store
    /// keeps every one, without secrets.
    var replies = RecentReplies(limit: 20_000)
    /// requestKeys whose command is with the writer, and repeats waiting for them.
    var keysInFlight: Set<String> = []
    var waitingOnKey: [String: [(PendingCommand, String?)]] = [:]
    var inflight: [Int: InFlight] = [:]
    var nextTicket = 1
    /// Set once a shutdown is requested: no new requests; what was received finishes.
    var draining = false
    /// Set by `stop()` when draining took too long: the loop ends regardless.
    var forceStop = false
    /// Bodies of HTTP responses waiting for their writeable callback.
    var httpBodies: [OpaquePointer: OutboundMessage] = [:]
    let startedAt = Date()
    /// The port lws listens on (known once the context exists).
    var listenPort = 0

    init(config: ServerConfiguration, store: EventStore, metrics: Metrics) {
        self.config = config
        self.store = store
        self.metrics = metrics
        self.logger = config.logger
    }

    // MARK: - Thread confinement

    func bindToCurrentThread() { serviceThread = pthread_self() }

    @inline(__always) func assertOnServiceThread() {
        #if DEBUG
        if let t = serviceThread { precondition(pthread_equal(t, pthread_self()) != 0, "Hub used off the service thread") }
        #endif
    }

    // MARK: - Loading

    /// Replays the event log into memory and loads the credentials.
    func load() throws {
        for (stream, events) in try store.allStreams() {
            let state = StreamState.applying(events.map(\.event), to: nil)
            streams[stream] = StreamSlot(id: stream, state: state, seq: events.last?.seq ?? 0)
        }
        for c in try store.credentials() { credentials[c.tokenHash] = c }
    }

    /// On the first start, the accounts stream and the admin token.
    func bootstrapIfNeeded(adminToken: String) throws -> Bool {
        guard streams[AccountDirectory.stream] == nil else { return false }
        let now = Date()
        let decision = AccountDirectory.bootstrap(token: adminToken, now: now)
        let events = decision.events.enumerated().map { i, e in
            RecordedEvent(stream: AccountDirectory.stream, seq: Int64(i + 1), at: now, by: AccountDirectory.adminId, event: e)
        }
        try store.commit([Commit(events: events, credentials: decision.credentials)])
        let state = StreamState.applying(decision.events, to: nil)
        streams[AccountDirectory.stream] = StreamSlot(id: AccountDirectory.stream, state: state, seq: Int64(events.count))
        applyCredentialChanges(decision.credentials)
        return true
    }

    // MARK: - Connections

    func opened(wsi: OpaquePointer, peer: String) -> Connection {
        assertOnServiceThread()
        let c = Connection(id: nextConnectionId, wsi: wsi, peer: peer, burst: config.limits.requestBurst, now: monotonicSeconds())
        nextConnectionId += 1
        connections[c.id] = c
        metrics.add(metrics.connectionsOpen)
        metrics.add(metrics.connectionsTotal)
        return c
    }

    func closed(_ c: Connection) {
        assertOnServiceThread()
        for s in c.subscriptions { streams[s]?.subscribers.removeValue(forKey: c.id) }
        metrics.add(metrics.subscriptions, -c.subscriptions.count)
        c.subscriptions.removeAll()
        if let a = c.actor { connectionsByActor[a.id]?.remove(c.id) }
        connections.removeValue(forKey: c.id)
        metrics.add(metrics.connectionsOpen, -1)
    }

    /// Queues a frame for a connection and asks lws for a writeable callback.
    func send(_ message: OutboundMessage, to c: Connection) {
        guard c.closing == nil else { return }
        if c.queuedCount >= config.limits.maxQueuedMessages || c.outboxBytes + message.count > config.limits.maxQueuedBytes {
            metrics.add(metrics.slowClientsDropped)
            close(c, code: rs_close_policy, reason: "too slow: outgoing queue full; reconnect and resume with since")
            return
        }
        c.enqueue(message)
        metrics.add(metrics.framesQueued)
        lws_callback_on_writable(c.wsi)
    }

    func send(_ bytes: [UInt8], to c: Connection) { send(OutboundMessage(bytes), to: c) }

    func reply(_ c: Connection, _ id: String?, result: JSON) {
        metrics.add(metrics.requestsOK)
        send(Reply.ok(id, result), to: c)
    }

    func reply(_ c: Connection, _ id: String?, error: RoadshowError) {
        metrics.add(metrics.requestsFailed)
        send(Reply.error(id, error), to: c)
    }

    /// Closes a connection from outside its own callback: the next writeable
    /// callback sends the close frame.
    func close(_ c: Connection, code: Int32, reason: String) {
        guard c.closing == nil else { return }
        c.closing = (code, reason)
        c.outbox.removeAll()
        c.outboxHead = 0
        c.outboxBytes = 0
        lws_callback_on_writable(c.wsi)
    }

    func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    // MARK: - Credentials

    func applyCredentialChanges(_ changes: [CredentialChange]) {
        for change in changes {
            switch change {
            case .issue(let c): credentials[c.tokenHash] = c
            case .revokeActor(let actor):
                credentials = credentials.filter { $0.value.actor != actor }
            }
        }
    }

    /// The actor a token stands for now, or nil.
    func actor(forToken token: String) -> (Actor, String)? {
        let hash = Identifiers.tokenHash(token)
        guard let c = credentials[hash] else { return nil }
        var actor = Actor(id: c.actor, name: c.name, kind: c.kind, meeting: c.meeting)
        if c.kind == .participant {
            guard let m = c.meeting.flatMap({ streams[$0]?.meeting }), let p = m.participant(c.actor) else { return nil }
            actor.name = p.displayName
        } else if let account = streams[AccountDirectory.stream]?.state?.accounts?.account(c.actor) {
            actor.name = account.name
        }
        return (actor, hash)
    }

    // MARK: - Inbox

    /// Runs on the service thread after `lws_cancel_service`.
    func drainInbox() {
        assertOnServiceThread()
        for item in inbox.drain() {
            switch item {
            case .committed(let tickets): for t in tickets { landed(ticket: t) }
            case .failed(let tickets, let error): for t in tickets { failed(ticket: t, error: error) }
            case .shutdown: draining = true
            }
        }
    }

    /// True once a shutdown has been requested and everything received has been
    /// committed and answered.
    var drained: Bool {
        forceStop || (draining && inflight.isEmpty && !connections.values.contains { $0.hasOutput && $0.closing == nil })
    }
}
