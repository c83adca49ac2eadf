import DequeModule
import Foundation
import RoadshowCore

/// One stream on the service thread: its committed state, its subscribers,
/// and its pipeline of commands decided but not yet committed.
///
/// Pipelining: a stream's next command is decided against the state its
/// commands in flight will leave (`head`), not only after they commit; they
/// go to the writer in order and share its next group transaction. Nothing is
/// shown or acknowledged before its commit (replies and fan-out happen in
/// `landed`, in order). A command whose decision on the head is an error or
/// changes nothing would be answered on a state not yet stored, so it is
/// decided again once the pipeline has drained (`barrier`). If a commit
/// fails, every command decided on top of it fails too (the store's seq
/// trigger refuses their events anyway): none is acknowledged.
final class StreamSlot {
    let id: String
    /// Committed state only: nothing uncommitted is ever visible. Right after
    /// start-up it may still be an undecoded snapshot (`pending`): the first
    /// read decodes it, unless the background decoder has already.
    var state: StreamState? {
        get {
            if let p = pending {
                committed = p.resolve()
                pending = nil
                // Replayed from the log instead: its snapshot is to be stored again.
                if p.fellBack { snapshotSeq = 0 }
            }
            return committed
        }
        set {
            pending = nil
            committed = newValue
        }
    }
    private var committed: StreamState?
    private var pending: PendingState?
    /// Its start-up snapshot did not decode (the stream was replayed instead), and the state was not read since.
    var snapshotUnusable: Bool { pending?.fellBack ?? false }
    var seq: Int64
    /// The seq of the stream's latest snapshot handed to the `Snapshotter`
    /// (or read at start); 0: none.
    var snapshotSeq: Int64 = 0
    /// Subscribed sessions, by session id: fan-out walks only these.
    var subscribers: [Int: Session] = [:]
    /// The state and seq once every command in flight has landed; nil when none is.
    var head: (state: StreamState?, seq: Int64)?
    /// Tickets of the commands in flight, in the order they were decided (and land).
    var pipeline: Deque<Int> = []
    /// Commands in flight on one stream at most; more wait in `waiting`.
    static let pipelineLimit = 128
    /// True when the next command must wait for the pipeline to drain.
    var barrier = false
    /// Commands that arrived while held, decided in order when it frees.
    var waiting: Deque<PendingCommand> = []

    /// Whether a new command must queue behind others instead of being decided now.
    var isHeld: Bool { barrier || pipeline.count >= Self.pipelineLimit || !waiting.isEmpty }
    /// What the next command is decided on.
    var headState: StreamState? { head.map(\.state) ?? state }
    var headSeq: Int64 { head?.seq ?? seq }
    /// The latest event frames, so a resume with `since` rarely needs the database.
    private var recent: Deque<EventFrames> = []
    static let recentLimit = 512
    /// The meeting's snapshot parts, kept encoded between reads (made on the first).
    private(set) lazy var snapshotEncoder = MeetingSnapshotEncoder()
    /// The size of the last snapshot reply, to reserve the next one's bytes at once.
    var lastSnapshotSize = 4096

    init(id: String, state: StreamState?, seq: Int64) {
        self.id = id
        self.committed = state
        self.seq = seq
    }

    /// A slot whose state is a snapshot not decoded yet.
    init(id: String, pending: PendingState, seq: Int64) {
        self.id = id
        self.pending = pending
        self.seq = seq
    }

    func remember(_ frames: EventFrames) {
        recent.append(frames)
        if recent.count > Self.recentLimit { recent.removeFirst() }
    }

    /// Frames with seq in `after+1 ... self.seq`, if all of them are still remembered,
    /// as a viewer with this contacts limit sees them (see `hidesContacts`).
    func recentFrames(after: Int64, limitedTo viewer: Viewer) -> [OutboundMessage]? {
        if after >= seq { return [] }
        guard let first = recent.first, first.seq <= after + 1 else { return nil }
        return recent.filter { $0.seq > after }.map { $0.frame(for: viewer) }
    }

    var meeting: Meeting? { state?.meeting }
}

/// A stream's snapshot from start-up, decoded once, by whichever asks first:
/// the background decoder (`Engine.decodeInBackground`) or the service thread
/// reading the state before it got there (the other then waits for that
/// one). A snapshot that does not decode (changed by hand, or a bug) is
/// replayed from the log instead by `fallback`, which reads the database:
/// the one case a read of the service thread can reach the disk.
final class PendingState: @unchecked Sendable {  // its state is behind `condition`
    let stream: String
    let seq: Int64
    private let fallback: @Sendable (String, Int64, any Error) -> StreamState?
    private let condition = NSCondition()
    private var data: Data?
    private var claimed = false
    private var result: StreamState??

    init(stream: String, seq: Int64, data: Data, fallback: @escaping @Sendable (String, Int64, any Error) -> StreamState?) {
        self.stream = stream
        self.seq = seq
        self.data = data
        self.fallback = fallback
    }

    var isResolved: Bool { condition.withLock { result != nil } }

    /// The snapshot did not decode: the state came from the log.
    var fellBack: Bool { condition.withLock { failed } }
    private var failed = false

    func resolve() -> StreamState? {
        condition.lock()
        if let r = result {
            condition.unlock()
            return r
        }
        if claimed {
            while result == nil { condition.wait() }
            let r = result!
            condition.unlock()
            return r
        }
        claimed = true
        let bytes = data!
        condition.unlock()
        let state: StreamState?
        var failed = false
        do { state = try StreamState(snapshotData: bytes) } catch {
            failed = true
            state = fallback(stream, seq, error)
        }
        condition.lock()
        self.failed = failed
        result = .some(state)
        data = nil
        condition.broadcast()
        condition.unlock()
        return state
    }
}

/// One event's frames, encoded once when it was decided: the full frame, and
/// the one that viewers limited to their own contacts get when it differs.
struct EventFrames {
    let seq: Int64
    let full: OutboundMessage
    let withoutContacts: OutboundMessage?
    /// What the company gets, when it differs: for an event about someone
    /// else (`outsider`) and about itself (`outsiderSelf`).
    let outsider: OutboundMessage?
    let outsiderSelf: OutboundMessage?
    /// The participant the event is about, if any.
    let about: String?

    init(_ e: RecordedEvent) {
        seq = e.seq
        full = OutboundMessage(e.frame())
        // Those who see only their own contacts are not the organizer side:
        // what is for it alone reaches them as `event.withheld`.
        withoutContacts = e.event.isOrganizerOnly
            ? OutboundMessage(e.withheldFrame())
            : e.event.dataWithoutContacts.map { OutboundMessage(e.frame(data: $0.encodedBytes)) }
        about = e.event.participantId
        switch e.event.forOutsider {
        case .withheld:
            outsider = OutboundMessage(e.withheldFrame())
            outsiderSelf = e.event.isOwnCardEvent ? nil : outsider
        case .replaced(let type, let data):
            outsider = OutboundMessage(e.frame(data: data.encodedBytes, type: type))
            outsiderSelf = e.event.isOwnCardEvent ? nil : outsider
        case .same:
            outsider = e.event.outsiderParticipant(isViewer: false).map { OutboundMessage(e.frame(data: $0.encodedBytes)) }
            outsiderSelf = e.event.outsiderParticipant(isViewer: true).map { OutboundMessage(e.frame(data: $0.encodedBytes)) }
        }
    }

    /// True when every viewer gets the same frame.
    var isUniform: Bool { withoutContacts == nil && outsider == nil && outsiderSelf == nil }

    /// The frame this viewer gets.
    func frame(for viewer: Viewer) -> OutboundMessage {
        if viewer.outsider {
            if about != nil, about == viewer.contactsOf { return outsiderSelf ?? full }
            // About someone else: the outsider frame (contacts and notes cut), else the contacts rule.
            if let outsider { return outsider }
        }
        guard let withoutContacts, Self.hidesContacts(about: about, from: viewer.contactsOf) else { return full }
        return withoutContacts
    }

    /// The one rule for contacts in events: a viewer limited to its own contacts
    /// (`limit` is its id; nil for those who see everyone's) gets an event about
    /// someone else without phone and e-mail.
    static func hidesContacts(about subject: String?, from limit: String?) -> Bool {
        limit != nil && subject != limit
    }
}

/// A mutating request, parsed and waiting for its turn on a stream.
struct PendingCommand {
    let session: Int
    let requestId: String
    let op: String
    let args: Args
    let mutation: Operations.Mutation
    let target: Operations.Target
    let key: String?
    let actor: Actor

    /// Where its reply is remembered: (actor, scope, requestKey); nil without a key.
    var replyKey: String? { key.map { ReplyCache.key(actor: actor.id, scope: target.keyScope, key: $0) } }

    /// The stream it acts on, if that exists already.
    var stream: String? {
        switch target {
        case .accounts: AccountDirectory.stream
        case .meeting(let id), .record(let id): id
        case .new: nil
        }
    }
}

/// A command whose events are with the writer.
struct InFlight {
    /// A stream started with it (`dispatch.create`'s record).
    struct Spawned {
        let stream: String
        let lastSeq: Int64
        let frames: [EventFrames]
        let state: StreamState?
    }

    let stream: String
    let isNew: Bool
    let spawned: Spawned?
    let lastSeq: Int64
    let frames: [EventFrames]
    let newState: StreamState?
    let command: PendingCommand
    let decision: Decision
}

/// What a subscriber may see of a stream's events: `contactsOf` is its own id
/// when it sees only its own phone and e-mail (nil: everyone's); `outsider`
/// is true for the company, which gets internal events withheld.
struct Viewer: Equatable {
    var contactsOf: String?
    var outsider = false
    static let everything = Viewer(contactsOf: nil, outsider: false)
}
