import DequeModule
import RoadshowCore

/// One client connection as the engine sees it: who it is, what it follows,
/// and the frames waiting to be written. Knows no socket: the transport asks
/// for the next frame when the socket is writable (`Engine.nextOutput`).
/// Lives on the service thread only.
final class Session {
    let id: Int
    let peer: String
    var actor: Actor?
    /// The hash of the token this session signed in with.
    var tokenHash: String?
    /// Streams this session is subscribed to.
    var subscriptions: Set<String> = []
    /// Streams being resumed from the store, a page at a time as the
    /// connection drains (`Engine+Subscriptions`); live events of such a
    /// stream are not queued meanwhile: a later page reads them.
    var catchingUp: [String: CatchUp] = [:]
    /// When the socket last took a frame (monotonic seconds): a slow reader
    /// is one that leaves bytes untaken for long, not one that got a burst.
    var lastTaken: Double = 0
    /// Frames waiting for the socket, oldest first; each released once written.
    private(set) var outbox: Deque<OutboundMessage> = []
    private(set) var outboxBytes = 0
    /// Frames queued to this session so far, and taken for the socket:
    /// the frame numbered `n` is written once `taken` reaches `n`.
    private(set) var queued = 0
    private(set) var taken = 0
    /// Fan-outs waiting for this session to take their last frame (its
    /// number), oldest first (`Engine.settleFanOuts`).
    var fanOutsWaiting: Deque<(upTo: Int, fanOut: FanOutTiming)> = []
    /// When set, the transport closes the connection with this code next.
    var closing: (code: Int32, reason: String)?
    // Token bucket for rate limiting.
    private var tokens: Double
    private var lastRefill: Double

    init(id: Int, peer: String, burst: Double, now: Double) {
        self.id = id
        self.peer = peer
        self.tokens = burst
        self.lastRefill = now
    }

    var hasOutput: Bool { !outbox.isEmpty }
    var queuedCount: Int { outbox.count }

    func enqueue(_ message: OutboundMessage) {
        outbox.append(message)
        outboxBytes += message.count
        queued += 1
    }

    func dequeue() -> OutboundMessage? {
        guard let m = outbox.popFirst() else { return nil }
        outboxBytes -= m.count
        taken += 1
        return m
    }

    var queuedBytes: Int { outboxBytes }

    func dropOutput() {
        outbox.removeAll()
        outboxBytes = 0
        taken = queued
        catchingUp.removeAll()
    }

    /// Takes one request from the bucket; false when the session is over its rate.
    func admit(now: Double, rate: Double, burst: Double) -> Bool {
        tokens = min(burst, tokens + (now - lastRefill) * rate)
        lastRefill = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

/// A participant's budget across its connections: requests and reply bytes
/// left, refilled at the configured rates since `at`.
struct ParticipantBudget {
    var requests: Double
    var bytes: Double
    var at: Double
}

/// A resume from further back than the frames kept in memory: the events
/// up to `cursor` are queued; the next page is read when the queue has
/// drained below the low-water mark (and none is being read).
struct CatchUp {
    let requestId: String
    /// When the subscribe arrived (`Metrics.now()`), for its reply's time.
    let started: UInt64
    let viewer: Viewer
    var cursor: Int64
    /// The read of the next page, while it is with the reader.
    var reading: Int?
}

/// One commit's fan-out, timed until the last subscriber it queued frames to
/// has taken them for the socket (or was dropped).
final class FanOutTiming {
    /// When the commit landed on the service thread (`Metrics.now()`).
    let started: UInt64
    /// Subscribers still to take their last frame of it.
    var waiting = 0

    init(started: UInt64) { self.started = started }
}

/// What the transport does next for a session whose socket is writable.
enum Output {
    case nothing
    /// Write this frame; `more` when others wait behind it.
    case frame(OutboundMessage, more: Bool)
    /// Close the connection with this code and reason.
    case close(code: Int32, reason: String)
}

/// WebSocket close codes the engine uses (RFC 6455 §7.4.1).
enum CloseCode {
    static let policy: Int32 = 1008
    /// The server is at its connection limit, for now: RFC 6455's registered
    /// 1013 "Try Again Later" in the private-use range, because libwebsockets
    /// 4.1 sends no close codes between 1012 and 2999 (it puts 1002 instead).
    static let tryAgainLater: Int32 = 4013
}

/// What the engine asks of its transport: a writable callback for a session
/// that has output. Called on the service thread.
protocol EnginePort: AnyObject {
    func wantsWrite(_ session: Int)
    /// The answer to an HTTP request the engine took its time over (an upload).
    func httpAnswered(_ request: Int, _ answer: Engine.HTTPAnswer)
}

extension EnginePort {
    func httpAnswered(_ request: Int, _ answer: Engine.HTTPAnswer) {}
}
