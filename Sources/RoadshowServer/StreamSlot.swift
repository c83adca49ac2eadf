import RoadshowCore

/// One stream on the service thread: its committed state, its subscribers,
/// and the commands waiting while a commit is in flight.
final class StreamSlot {
    let id: String
    /// Committed state only: nothing uncommitted is ever visible.
    var state: StreamState?
    var seq: Int64
    /// Subscribed connections, by connection id: fan-out walks only these.
    var subscribers: [Int: Connection] = [:]
    /// True while a commit for this stream is in flight.
    var busy = false
    /// Commands that arrived while busy, decided in order after the commit lands.
    var waiting: [PendingCommand] = []
    var waitingHead = 0
    /// The latest event frames, so a resume with `since` rarely needs the database.
    /// Each with the variant that participants see when it differs (no contacts).
    var recent: [(seq: Int64, frame: OutboundMessage, withoutContacts: OutboundMessage?, about: String?)] = []
    static let recentLimit = 512

    init(id: String, state: StreamState?, seq: Int64) {
        self.id = id
        self.state = state
        self.seq = seq
    }

    func remember(seq: Int64, frame: OutboundMessage, withoutContacts: OutboundMessage?, about: String?) {
        recent.append((seq, frame, withoutContacts, about))
        if recent.count > Self.recentLimit * 2 { recent.removeFirst(recent.count - Self.recentLimit) }
    }

    /// Frames with seq in `after+1 ... self.seq`, if all of them are still remembered,
    /// as a viewer with this contacts limit sees them (see `hidesContacts`).
    func recentFrames(after: Int64, limitedTo viewer: String?) -> [OutboundMessage]? {
        if after >= seq { return [] }
        guard let first = recent.first, first.seq <= after + 1 else { return nil }
        return recent.filter { $0.seq > after }.map { r in
            guard Self.hidesContacts(about: r.about, from: viewer), let limited = r.withoutContacts else { return r.frame }
            return limited
        }
    }

    /// The one rule for contacts in events: a viewer limited to its own contacts
    /// (`limit` is its id; nil for those who see everyone's) gets an event about
    /// someone else without phone and e-mail.
    static func hidesContacts(about subject: String?, from limit: String?) -> Bool {
        limit != nil && subject != limit
    }

    func popWaiting() -> PendingCommand? {
        guard waitingHead < waiting.count else { return nil }
        let p = waiting[waitingHead]
        waitingHead += 1
        if waitingHead == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            waitingHead = 0
        }
        return p
    }

    var meeting: Meeting? { state?.meeting }
}

/// A mutating request, parsed and waiting for its turn on a stream.
struct PendingCommand {
    let connection: Int
    let requestId: String
    let op: String
    let args: Args
    let mutation: Operations.Mutation
    let target: Operations.Target
    let key: String?
    let actor: Actor

    /// Where its reply is remembered: (actor, scope, requestKey); nil without a key.
    var replyKey: String? { key.map { "\(actor.id)\u{1F}\(target.keyScope)\u{1F}\($0)" } }
}

/// A command whose events are with the writer.
struct InFlight {
    let stream: String
    let isNew: Bool
    let events: [RecordedEvent]
    let newState: StreamState?
    let command: PendingCommand
    let decision: Decision
}
