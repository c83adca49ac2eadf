import Foundation
import Logging
import RoadshowCore
import RoadshowDocuments
import RoadshowStore

/// The domain-facing half of the server, knowing no transport: sessions,
/// streams, subscriptions, credentials, and the decide → commit → land cycle
/// with its fan-out. It is confined to one thread (the service thread; checked
/// on every entry in debug builds, in the spirit of swift-nio's `NIOLoopBound`)
/// and not `Sendable`: other threads reach it only through the `Inbox`.
///
/// The transport calls `opened`, `received`, `nextOutput`, `closed`, `http`
/// and `drainInbox`; the engine asks it for writable callbacks through its
/// `EnginePort`. The engine never reads the database while serving: reads go
/// to the `Reader`, writes to the `Writer`, and both answer through the inbox.
final class Engine {
    let config: ServerConfiguration
    let inbox: Inbox
    let writer: Writer
    let reader: Reader
    let metrics: Metrics
    let logger: Logger
    unowned let port: any EnginePort
    private var owner: pthread_t?

    var sessions: [Int: Session] = [:]
    var sessionsByActor: [String: Set<Int>] = [:]
    /// Open connections per peer address and per signed-in token hash (the caps).
    var sessionsByPeer: [String: Int] = [:]
    var sessionsByToken: [String: Int] = [:]
    /// Each participant's budget across its connections (`Limits.participant…`).
    var budgets: [String: ParticipantBudget] = [:]
    var nextSessionId = 1
    var streams: [String: StreamSlot] = [:]
    /// Token hash → credential.
    var credentials: [String: Credential] = [:]
    var replies = ReplyCache(limit: 20_000)
    /// requestKeys whose command is with the writer (or whose stored reply is
    /// being read), and the repeats waiting for them.
    var keysInFlight: Set<String> = []
    var waitingOnKey: [String: [PendingCommand]] = [:]
    var inflight: [Int: InFlight] = [:]
    /// Ids of the new streams (a meeting, a dispatch record) whose first commit is in flight.
    var newStreamsInFlight: Set<String> = []
    /// The randomness of each decision (ids, tokens); tests replace it.
    var makeRandomness: () -> any RandomNumberGenerator = { SystemRandomNumberGenerator() }
    var nextTicket = 1
    /// Reads with the `Reader`, by read number.
    var pendingReads: [Int: PendingRead] = [:]
    var nextRead = 1
    /// Set once a shutdown is requested: no new requests; what was received finishes.
    var draining = false
    /// Set when draining took too long: the loop ends regardless.
    var forceStop = false
    let startedAt = Date()
    /// When the commits being landed now reached the service thread
    /// (`Metrics.now()`): where their fan-out's time starts.
    var landedAt: UInt64 = 0
    /// The port the transport listens on (known once it listens).
    var listenPort = 0
    let timeZone: TimeZone
    /// The calendar, zone and feedback period deadlines use.
    let policy: DispatchPolicy
    /// The key participant links are derived from (see `InviteKey`).
    let inviteKey: InviteKey?
    /// Stores stream snapshots off this thread; nil: none are written (engine tests).
    let snapshotter: Snapshotter?
    /// When the next sweep hands every stream that moved to the snapshotter.
    var nextSnapshotSweep: Double = 0
    /// Where uploaded materials are kept; nil: none (engine tests).
    var materialFiles: MaterialFiles?
    /// Wakes the service thread from another (the materials' store).
    var wake: @Sendable () -> Void = {}
    init(
        config: ServerConfiguration, store: any EventStorage, inbox: Inbox, writer: Writer, reader: Reader, metrics: Metrics,
        port: any EnginePort, inviteKey: InviteKey? = nil, snapshotter: Snapshotter? = nil
    ) throws {
        self.inviteKey = inviteKey
        self.snapshotter = snapshotter
        self.config = config
        self.inbox = inbox
        self.writer = writer
        self.reader = reader
        self.metrics = metrics
        self.logger = config.logger
        self.port = port
        self.timeZone = TimeZone(identifier: config.timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        self.policy = config.policy
        owner = pthread_self()
        try load(store)
    }

    // MARK: - Thread confinement

    @inline(__always) func checkThread() {
        #if DEBUG
        if let owner { precondition(pthread_equal(owner, pthread_self()) != 0, "Engine used off its thread") }
        #endif
    }

    // MARK: - Loading

    /// Loads every stream's state (its latest snapshot and the events after
    /// it, or its whole log) and the credentials, and asks the reader for the
    /// stored requestKeys' fingerprints: after this, serving reads no disk
    /// (but for the keys seen before those are in).
    private func load(_ store: any EventStorage) throws {
        let started = monotonicSeconds()
        let load = try store.loadStreams(version: StreamState.snapshotVersion, deferring: true)
        let loaded = monotonicSeconds()
        var due: [StreamSlot] = []
        var pending: [PendingState] = []
        let logger = self.logger
        // Up to the snapshot's seq, which is the stream's last at start: nothing lands on it before its state is read.
        let fallback: @Sendable (String, Int64, any Error) -> StreamState? = { stream, seq, error in
            logger.error("the snapshot of \(stream) does not decode (\(error)); replaying the stream from the log")
            do { return StreamState.applying(try store.events(stream: stream, after: 0, upTo: seq).map(\.event), to: nil) } catch {
                logger.critical("cannot read the log of \(stream): \(error)")
                return nil
            }
        }
        for s in load.streams {
            let slot: StreamSlot
            if let data = s.snapshot {
                let p = PendingState(stream: s.stream, seq: s.seq, data: data, fallback: fallback)
                pending.append(p)
                slot = StreamSlot(id: s.stream, pending: p, seq: s.seq)
            } else {
                slot = StreamSlot(id: s.stream, state: s.state, seq: s.seq)
            }
            slot.snapshotSeq = s.snapshotSeq
            streams[s.stream] = slot
            // Replayed from the log (no snapshot, or one not usable), or far past
            // its snapshot: stored again in the background, so the next start is quick.
            if s.seq > s.snapshotSeq, s.snapshotSeq == 0 || snapshotDue(slot) { due.append(slot) }
        }
        for c in try store.credentials() { credentials[c.tokenHash] = c }
        // The stored requestKeys' fingerprints come in the background (`ReplyCache`).
        replies.awaitStored()
        reader.storedReplyKeys()
        let ms = { (a: Double, b: Double) in Int((b - a) * 1000) }
        logger.info(
            "loaded \(load.streams.count) streams in \(ms(started, monotonicSeconds())) ms (\(ms(started, loaded)) ms the streams): \(load.fromSnapshots) from snapshots (\(pending.count) decoded in the background), \(load.eventsReplayed) events replayed")
        Self.decodeInBackground(pending, logger: logger, since: started)
        if !load.ignored.isEmpty {
            let examples = load.ignored.prefix(3).map { "\($0.stream): \($0.reason)" }.joined(separator: "; ")
            logger.notice("\(load.ignored.count) stream snapshot(s) not used, those streams replayed from the log (\(examples))")
        }
        submitSnapshots(due)
        nextSnapshotSweep = monotonicSeconds() + config.snapshotSweepSeconds
    }

    // MARK: - Snapshots

    /// Decodes the snapshots start-up left encoded, off the service thread (on
    /// all cores but one, leaving one to serve): a state read before its turn
    /// is decoded by the reader (`StreamSlot.state`).
    static func decodeInBackground(_ pending: [PendingState], logger: Logger, since started: Double) {
        guard !pending.isEmpty else { return }
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
        DispatchQueue.global(qos: .utility).async {
            let next = Locked(0)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let i = next.withLock { i in defer { i += 1 }; return i }
                    guard i < pending.count else { return }
                    _ = pending[i].resolve()
                }
            }
            let ms = Int((Double(DispatchTime.now().uptimeNanoseconds) / 1e9 - started) * 1000)
            logger.info("all \(pending.count) snapshot states decoded, \(ms) ms after the start of loading")
        }
    }

    /// Far enough past its last snapshot to store another now.
    func snapshotDue(_ slot: StreamSlot) -> Bool {
        config.snapshotEvery > 0 && slot.seq - slot.snapshotSeq >= config.snapshotEvery
    }

    /// Hands these streams' committed states to the snapshotter.
    func submitSnapshots(_ slots: [StreamSlot]) {
        guard let snapshotter, config.snapshotSweepSeconds > 0 else { return }
        var jobs: [Snapshotter.Job] = []
        for slot in slots where slot.seq > slot.snapshotSeq {
            guard let state = slot.state else { continue }
            jobs.append(Snapshotter.Job(stream: slot.id, seq: slot.seq, state: state))
            slot.snapshotSeq = slot.seq
        }
        snapshotter.submit(jobs)
    }

    /// After a commit landed on a stream.
    func noteCommitted(_ stream: String?) {
        guard let stream, let slot = streams[stream], snapshotDue(slot) else { return }
        submitSnapshots([slot])
    }

    /// Every stream that moved since its last snapshot (the periodic sweep, and the stop).
    func sweepSnapshots() {
        // A start-up snapshot that did not decode is stored again (reading the state marks it so).
        for slot in streams.values where slot.snapshotUnusable { _ = slot.state }
        submitSnapshots(streams.values.filter { $0.seq > $0.snapshotSeq })
        nextSnapshotSweep = monotonicSeconds() + config.snapshotSweepSeconds
    }

    /// At a clean stop, once the loop has ended: what moved is stored before the process exits.
    func snapshotAtStop() {
        checkThread()
        sweepSnapshots()
        snapshotter?.flush()
    }

    /// On the first start, the accounts stream and the admin token.
    func bootstrapIfNeeded(adminToken: String, store: any EventStorage) throws -> Bool {
        checkThread()
        guard streams[AccountDirectory.stream] == nil else { return false }
        let now = self.now
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

    var hasAccounts: Bool { streams[AccountDirectory.stream] != nil }

    // MARK: - Sessions (called by the transport)

    func opened(peer: String) -> Int {
        checkThread()
        let s = Session(id: nextSessionId, peer: peer, burst: config.limits.requestBurst, now: monotonicSeconds())
        nextSessionId += 1
        sessions[s.id] = s
        metrics.add(metrics.connectionsOpen)
        metrics.add(metrics.connectionsTotal)
        sessionsByPeer[peer, default: 0] += 1
        let limits = config.limits
        if limits.maxConnections > 0, sessions.count > limits.maxConnections {
            metrics.add(metrics.connectionsRefused)
            close(s, code: CloseCode.tryAgainLater, reason: "the server is at its connection limit (\(limits.maxConnections)); try again in a minute")
        } else if limits.maxConnectionsPerAddress > 0, !Self.isLoopback(peer), sessionsByPeer[peer, default: 0] > limits.maxConnectionsPerAddress {
            metrics.add(metrics.connectionsRefused)
            close(s, code: CloseCode.policy, reason: "too many connections from your address (at most \(limits.maxConnectionsPerAddress)); close other tabs or windows")
        }
        return s.id
    }

    static func isLoopback(_ peer: String) -> Bool {
        peer.hasPrefix("127.") || peer == "::1" || peer.hasPrefix("::ffff:127.") || peer == "localhost"
    }

    func closed(_ id: Int) {
        checkThread()
        guard let s = sessions.removeValue(forKey: id) else { return }
        if let n = sessionsByPeer[s.peer] { sessionsByPeer[s.peer] = n > 1 ? n - 1 : nil }
        if let h = s.tokenHash, let n = sessionsByToken[h] { sessionsByToken[h] = n > 1 ? n - 1 : nil }
        dropSubscriptions(s)
        s.dropOutput()
        settleFanOuts(s)
        if let a = s.actor { sessionsByActor[a.id]?.remove(s.id) }
        metrics.add(metrics.connectionsOpen, -1)
    }

    func dropSubscriptions(_ s: Session) {
        for stream in s.subscriptions { streams[stream]?.subscribers.removeValue(forKey: s.id) }
        metrics.add(metrics.subscriptions, -s.subscriptions.count)
        s.subscriptions.removeAll()
        s.catchingUp.removeAll()
    }

    /// What the transport writes next for this session.
    func nextOutput(_ id: Int) -> Output {
        checkThread()
        guard let s = sessions[id] else { return .close(code: CloseCode.policy, reason: "unknown connection") }
        if let closing = s.closing { return .close(code: closing.code, reason: closing.reason) }
        guard let m = s.dequeue() else { return .nothing }
        s.lastTaken = monotonicSeconds()
        if let w = s.fanOutsWaiting.first, w.upTo <= s.taken { settleFanOuts(s) }
        if !s.catchingUp.isEmpty, s.queuedBytes < Self.catchUpLowWater { continueCatchUps(s) }
        return .frame(m, more: s.hasOutput)
    }

    /// Queues a frame for a session and asks the transport for a writable callback.
    func send(_ message: OutboundMessage, to s: Session) {
        guard s.closing == nil else { return }
        // A slow reader: more bytes waiting than the cap, or a queue of more
        // than the stall allowance that the socket has not taken from for
        // `stallSeconds`. A burst of small frames read steadily is neither.
        let waiting = s.queuedBytes + message.count
        let stalled = s.hasOutput && waiting > Self.stallAllowance && monotonicSeconds() - s.lastTaken > config.limits.stallSeconds
        if waiting > config.limits.maxQueuedBytes || s.queuedCount >= config.limits.maxQueuedMessages || stalled {
            metrics.add(metrics.slowClientsDropped)
            close(s, code: CloseCode.policy, reason: "too slow: outgoing queue full; reconnect and resume with since")
            return
        }
        if !s.hasOutput { s.lastTaken = monotonicSeconds() }
        s.enqueue(message)
        metrics.add(metrics.framesQueued)
        port.wantsWrite(s.id)
    }

    func reply(_ s: Session, _ id: String?, result: JSON) {
        reply(s, Reply.ok(id, result))
    }

    /// A success already encoded (`Reply.ok`), charged to a participant's budget.
    func reply(_ s: Session, _ bytes: [UInt8]) {
        metrics.add(metrics.requestsOK)
        let message = OutboundMessage(bytes)
        if let actor = s.actor, actor.kind == .participant, budgets[actor.id] != nil {
            budgets[actor.id]!.bytes -= Double(message.count)
        }
        send(message, to: s)
    }

    func reply(_ s: Session, _ id: String?, error: RoadshowError) {
        metrics.add(metrics.requestsFailed)
        send(OutboundMessage(Reply.error(id, error)), to: s)
    }

    /// Closes a session: what is queued is dropped, the transport sends the
    /// close frame at its next writable callback.
    func close(_ s: Session, code: Int32, reason: String) {
        guard s.closing == nil else { return }
        s.closing = (code, reason)
        s.dropOutput()
        settleFanOuts(s)
        port.wantsWrite(s.id)
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

    /// A participant's current token, derived again from the invite key and
    /// checked against the stored hash; nil when its link was not derived
    /// (issued before the key existed) or the participant has no token.
    func inviteToken(meeting: String, participant: String) -> String? {
        guard let inviteKey else { return nil }
        for c in credentials.values where c.actor == participant && c.meeting == meeting {
            guard let nonce = c.linkNonce else { continue }
            let token = inviteKey.participantToken(meeting: meeting, participant: participant, nonce: nonce)
            if Identifiers.tokenHash(token) == c.tokenHash { return token }
        }
        return nil
    }

    /// The actor a token stands for now, or nil.
    func actor(forToken token: String) -> (Actor, String)? {
        let hash = Identifiers.tokenHash(token)
        guard let c = credentials[hash] else { return nil }
        var actor = Actor(id: c.actor, name: c.name, kind: c.kind, meeting: c.meeting)
        if c.kind == .participant {
            guard let m = c.meeting.flatMap(meeting), let p = m.participant(c.actor) else { return nil }
            actor.name = p.displayName
        } else if let account = accounts?.account(c.actor) {
            actor.name = account.name
        }
        return (actor, hash)
    }

    // MARK: - Inbox

    /// Runs on the service thread when woken (`lws_cancel_service`).
    func drainInbox() {
        checkThread()
        for item in inbox.drain() {
            switch item {
            case .committed(let tickets):
                landedAt = Metrics.now()
                for t in tickets {
                    let (stream, spawned) = (inflight[t]?.stream, inflight[t]?.spawned?.stream)
                    landed(ticket: t)
                    noteCommitted(stream)
                    noteCommitted(spawned)
                }
            case .failed(let tickets, let error): for t in tickets { failed(ticket: t, error: error) }
            case .shutdown: draining = true
            case .forceStop: forceStop = true
            case .storedReply(let read, let result): storedReplyRead(read, result)
            case .uploadStored(let upload, let result): uploadStored(upload, result)
            case .catchUp(let read, let result): catchUpRead(read, result)
            case .storedReplyKeys(.success(let all)): replies.noteStored(all: all)
            case .storedReplyKeys(.failure(let error)):
                // Each key is looked up until a restart: slower, not wrong.
                logger.error("reading the stored requestKeys failed: \(error.description)")
            }
        }
        if snapshotter != nil, monotonicSeconds() >= nextSnapshotSweep { sweepSnapshots() }
    }

    /// True once a shutdown has been requested and everything received has been
    /// committed and answered.
    var drained: Bool {
        forceStop || (draining && inflight.isEmpty && pendingReads.isEmpty && !sessions.values.contains { $0.hasOutput && $0.closing == nil })
    }
}

/// A read the engine asked the `Reader` for, waiting for its answer.
enum PendingRead {
    /// A keyed command whose key's fingerprint the store holds.
    case storedReply(PendingCommand)
    /// A subscription resuming from far behind.
    case catchUp(session: Int, stream: String)
}

// MARK: - What read ops see

extension Engine: QueryWorld {
    func meeting(_ id: String) -> Meeting? { streams[id]?.meeting }
    func seq(of stream: String) -> Int64 { streams[stream]?.seq ?? 0 }
    func forEachMeeting(_ body: (Meeting) -> Void) {
        for slot in streams.values { if let m = slot.meeting { body(m) } }
    }
    var accounts: AccountDirectory? { streams[AccountDirectory.stream]?.state?.accounts }
    /// The clock to the millisecond, as the log keeps times: what is decided
    /// with it equals what a restart replays.
    var now: Date { Timestamp.milliseconds(config.clock()) }
    /// The core builds documents; this module links the Word writer in.
    var docx: (any DocxEncoding)? { DocxWriter() }
    func record(_ id: String) -> DispatchRecord? { streams[id]?.state?.record }
    func forEachRecord(_ body: (DispatchRecord) -> Void) {
        for slot in streams.values { if let r = slot.state?.record { body(r) } }
    }

    /// Where people open the page: `--public-url`, or this server's own address.
    var publicBaseURL: String {
        if let url = config.publicURL { return url }
        let host = config.host == "0.0.0.0" || config.host == "::" ? "127.0.0.1" : config.host
        return "\(config.tlsCertificatePath == nil ? "http" : "https")://\(host):\(listenPort)"
    }
}

// MARK: - What decisions may look up across streams

extension Engine: DecisionWorld {
    func account(_ id: String) -> Account? { accounts?.account(id) }

    func latestFeedback(handledBy unit: String, except record: String) -> [(record: String, text: String)] {
        var out: [(record: String, text: String)] = []
        forEachRecord { r in
            if r.handlingUnit.id == unit, r.id != record, let f = r.feedback.last { out.append((r.id, f.text)) }
        }
        return out
    }
}
