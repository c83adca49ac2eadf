/// Every op of the protocol, declared once: its name, whether it reads or
/// writes, who may call it, and the function that answers it. The server
/// dispatches from this table; docs/protocol.md, the permission matrix and the
/// page (through `GET /api/ops`) are checked against it, so an op cannot exist
/// in one place only.
public enum OpTable {
    public struct Op: Sendable {
        public enum Kind: String, Sendable {
            /// Handled by the engine itself: the connection's session (auth,
            /// ping, subscriptions). Changes nothing stored.
            case session
            /// Answered from state; changes nothing.
            case read
            /// Decided into events, committed, then acknowledged.
            case write
        }

        public enum Handler: Sendable {
            case session
            case query(Query)
            case write(Operations.Mutation)
        }

        public typealias Query = @Sendable (Args, Actor, any QueryWorld) throws(RoadshowError) -> JSON

        public let name: String
        public let who: Who
        /// True for ops that act on one meeting (`args.meeting`).
        public let onMeeting: Bool
        public let handler: Handler

        public var kind: Kind {
            switch handler {
            case .session: .session
            case .query: .read
            case .write: .write
            }
        }

        /// Whether a client should send an `args.requestKey` with it.
        public var isMutating: Bool { kind == .write }

        public var json: JSON {
            ["op": .string(name), "kind": .string(kind == .write ? "write" : "read"), "who": .string(who.rawValue)]
        }
    }

    static func session(_ name: String, _ who: Who) -> Op {
        Op(name: name, who: who, onMeeting: false, handler: .session)
    }

    static func read(_ name: String, _ who: Who, onMeeting: Bool = true, _ query: @escaping Op.Query) -> Op {
        Op(name: name, who: who, onMeeting: onMeeting, handler: .query(query))
    }

    static func write(_ name: String, _ who: Who, _ mutation: Operations.Mutation, onMeeting: Bool = true) -> Op {
        Op(name: name, who: who, onMeeting: onMeeting, handler: .write(mutation))
    }

    static func onRecord(
        _ name: String, _ who: Who,
        _ body: @escaping @Sendable (DispatchRecord, Args, inout Context) throws(RoadshowError) -> Decision
    ) -> Op {
        write(name, who, Operations.onRecord(body), onMeeting: false)
    }

    static func onMeeting(
        _ name: String, _ who: Who,
        _ body: @escaping @Sendable (Meeting, Args, inout Context) throws(RoadshowError) -> Decision
    ) -> Op {
        write(name, who, Operations.onMeeting(body))
    }

    /// In the order docs/protocol.md lists them.
    public static let all: [Op] = [
        session("auth", .anyone),
        session("ping", .anyone),
        session("stream.subscribe", .viewers),
        session("stream.unsubscribe", .anyone),
        write("account.create", .admin, Operations.accounts { d, a, c throws(RoadshowError) in try d.create(a, &c) }, onMeeting: false),
        write("account.reissue", .admin, Operations.accounts { d, a, c throws(RoadshowError) in try d.reissue(a, &c) }, onMeeting: false),
        read("account.list", .admin, onMeeting: false, Queries.accountList),
        write("meeting.create", .organizers, Operations.meetingCreate, onMeeting: false),
        read("meeting.list", .listing, onMeeting: false, Queries.meetingList),
        read("meeting.get", .viewers, Queries.meetingGet),
        onMeeting("meeting.update", .managers) { m, a, c throws(RoadshowError) in try m.update(a, &c) },
        onMeeting("meeting.advance", .managers) { m, a, c throws(RoadshowError) in try m.advance(a, &c) },
        onMeeting("checklist.add", .managers) { m, a, c throws(RoadshowError) in try m.checklistAdd(a, &c) },
        onMeeting("checklist.set", .managers) { m, a, c throws(RoadshowError) in try m.checklistSet(a, &c) },
        onMeeting("checklist.remove", .managers) { m, a, c throws(RoadshowError) in try m.checklistRemove(a, &c) },
        onMeeting("roster.add", .managers) { m, a, c throws(RoadshowError) in try m.rosterAdd(a, &c) },
        onMeeting("roster.update", .managers) { m, a, c throws(RoadshowError) in try m.rosterUpdate(a, &c) },
        onMeeting("roster.remove", .managers) { m, a, c throws(RoadshowError) in try m.rosterRemove(a, &c) },
        onMeeting("roster.link", .managers) { m, a, c throws(RoadshowError) in try m.rosterLink(a, &c) },
        onMeeting("roster.confirm", .selfParticipant) { m, a, c throws(RoadshowError) in try m.rosterConfirm(a, &c) },
        read("roster.invitation", .viewers, Queries.rosterInvitation),
        onMeeting("av.self", .selfParticipant) { m, a, c throws(RoadshowError) in try m.avSelf(a, &c) },
        onMeeting("av.mark", .managers) { m, a, c throws(RoadshowError) in try m.avMark(a, &c) },
        onMeeting("agenda.add", .managers) { m, a, c throws(RoadshowError) in try m.agendaAdd(a, &c) },
        onMeeting("agenda.suggest", .managers) { m, a, c throws(RoadshowError) in try m.agendaSuggest(a, &c) },
        onMeeting("agenda.update", .managers) { m, a, c throws(RoadshowError) in try m.agendaUpdate(a, &c) },
        onMeeting("agenda.move", .managers) { m, a, c throws(RoadshowError) in try m.agendaMove(a, &c) },
        onMeeting("agenda.remove", .managers) { m, a, c throws(RoadshowError) in try m.agendaRemove(a, &c) },
        onMeeting("agenda.start", .managers) { m, a, c throws(RoadshowError) in try m.agendaStart(a, &c) },
        onMeeting("agenda.next", .managers) { m, a, c throws(RoadshowError) in try m.agendaNext(a, &c) },
        onMeeting("agenda.finish", .managers) { m, a, c throws(RoadshowError) in try m.agendaFinish(a, &c) },
        onMeeting("queue.raise", .selfParticipant) { m, a, c throws(RoadshowError) in try m.queueRaise(a, &c) },
        onMeeting("queue.lower", .selfParticipant) { m, a, c throws(RoadshowError) in try m.queueLower(a, &c) },
        onMeeting("queue.upvote", .selfParticipant) { m, a, c throws(RoadshowError) in try m.queueUpvote(a, &c) },
        onMeeting("queue.grant", .managers) { m, a, c throws(RoadshowError) in try m.queueGrant(a, &c) },
        onMeeting("queue.next", .managers) { m, a, c throws(RoadshowError) in try m.queueNext(a, &c) },
        onMeeting("queue.release", .floorHolder) { m, a, c throws(RoadshowError) in try m.queueRelease(a, &c) },
        onMeeting("queue.remove", .managers) { m, a, c throws(RoadshowError) in try m.queueRemove(a, &c) },
        onMeeting("presence.set", .selfParticipant) { m, a, c throws(RoadshowError) in try m.presenceSet(a, &c) },
        onMeeting("minutes.add", .minutesWriters) { m, a, c throws(RoadshowError) in try m.minutesAdd(a, &c) },
        onMeeting("minutes.edit", .minutesWriters) { m, a, c throws(RoadshowError) in try m.minutesEdit(a, &c) },
        onMeeting("minutes.remove", .minutesWriters) { m, a, c throws(RoadshowError) in try m.minutesRemove(a, &c) },
        read("export.minutes", .viewers, Queries.exportMinutes),
        read("export.ics", .viewers, Queries.exportICS),
        onMeeting("contacts.share", .selfParticipant) { m, a, c throws(RoadshowError) in try m.contactsShare(a, &c) },
        onMeeting("contacts.prompt", .managers) { m, a, c throws(RoadshowError) in try m.contactsPrompt(a, &c) },
        read("contacts.sheet", .viewers, Queries.contactsSheet),
        read("materials.list", .viewers, Queries.materialsList),
        onMeeting("materials.remove", .managers) { m, a, c throws(RoadshowError) in try m.materialsRemove(a, &c) },
        read("materials.receipts", .managers, Queries.materialsReceipts),
        onMeeting("followup.assess", .assessors) { m, a, c throws(RoadshowError) in try m.followupAssess(a, &c) },
        onMeeting("followup.intent", .managers) { m, a, c throws(RoadshowError) in try m.followupIntent(a, &c) },
        read("followup.report", .minutesWriters, DispatchQueries.followupReport),
        onMeeting("dispatch.create", .organizers) { m, a, c throws(RoadshowError) in try m.dispatchCreate(a, &c) },
        read("dispatch.get", .recordViewers, onMeeting: false, DispatchQueries.get),
        read("dispatch.list", .recordListing, onMeeting: false, DispatchQueries.list),
        onRecord("dispatch.feedback", .recordViewers) { r, a, c throws(RoadshowError) in try r.postFeedback(a, &c) },
        onRecord("dispatch.escalate", .recordViewers) { r, a, c throws(RoadshowError) in try r.escalate(a, &c) },
        onRecord("dispatch.answer", .recordOwners) { r, a, c throws(RoadshowError) in try r.answer(a, &c) },
        onRecord("dispatch.close", .recordOwners) { r, a, c throws(RoadshowError) in try r.close(a, &c) },
        onRecord("dispatch.reopen", .recordOwners) { r, a, c throws(RoadshowError) in try r.reopen(a, &c) },
        read("dispatch.remind", .recordOwners, onMeeting: false, DispatchQueries.remind),
        read("export.dispatch", .recordListing, onMeeting: false, DispatchQueries.export),
        read("report.monthly", .reporters, onMeeting: false, DispatchQueries.monthly),
    ]

    public static let byName: [String: Op] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    public static subscript(_ name: String) -> Op? { byName[name] }

    /// The meeting ops this actor may call on this meeting by its role (phase
    /// and argument rules aside): what a page offers it.
    public static func allowedOps(_ actor: Actor, on meeting: Meeting) -> [String] {
        let seat = Who.Seat(actor, meeting)
        return all.filter { $0.onMeeting && $0.who.admits(seat) }.map(\.name)
    }

    /// What `GET /api/ops` serves: the op table, the vocabulary and the rules a
    /// page needs, so that it copies none of them.
    public static var catalogue: JSON {
        [
            "ops": .array(all.map(\.json)),
            "vocabulary": Vocabulary.json,
            "limits": FieldLimits.json,
            "rules": [
                "selfTestPassAboveDb": .double(MicrophoneLevel.passAboveDb),
                "feedbackMinimumSubstance": .int(Int64(FeedbackRule.minimumSubstance)),
                "feedbackCopyThreshold": .double(FeedbackRule.copyThreshold),
                "coordinationAnswerDays": .int(Int64(Deadlines.coordinationAnswerDays)),
            ],
        ]
    }
}

/// Who may call an op, as docs/protocol.md's "Who may do what" table says it.
/// The rules that depend on arguments or state (a participant's own export, the
/// floor holder's release) are checked by the op's own function, in the core.
public enum Who: String, Sendable, CaseIterable {
    /// Every signed-in actor.
    case anyone
    /// The admin only.
    case admin
    /// The admin and organizer accounts.
    case organizers
    /// Everyone; the answer is cut to what each may see.
    case listing
    /// Whoever may see the meeting.
    case viewers
    /// Manager rights: the admin, the owning organizer, the meeting's host.
    case managers
    /// A participant acting for itself.
    case selfParticipant = "self"
    /// The managers, and a participant while it has the floor.
    case floorHolder
    /// The managers and the recorder.
    case minutesWriters
    /// The managers, and a participant with role `unit` for its own unit.
    case assessors
    /// On a dispatch record: the admin, the owning organizer, the handling unit.
    case recordViewers
    /// On a dispatch record: the admin and the owning organizer.
    case recordOwners
    /// The admin, organizers and unit accounts; the answer is cut to their records.
    case recordListing
    /// The admin and organizers (their own records and meetings).
    case reporters

    /// The six kinds of actor of the docs' table.
    public enum Seat: String, Sendable, CaseIterable {
        case admin, organizer, host, recorder, participant, unit

        /// Where this actor sits on this meeting (an organizer of another
        /// meeting sits nowhere: it may see nothing of it).
        init?(_ actor: Actor, _ meeting: Meeting) {
            switch actor.kind {
            case .admin: self = .admin
            case .unit: self = .unit
            case .organizer:
                guard meeting.info.owner == actor.id else { return nil }
                self = .organizer
            case .participant:
                guard actor.meeting == meeting.id, let p = meeting.participant(actor.id) else { return nil }
                self = p.role == .host ? .host : p.role == .recorder ? .recorder : .participant
            }
        }
    }

    /// May an actor in this seat call the op at all?
    public func admits(_ seat: Seat?) -> Bool {
        guard let seat else { return self == .anyone || self == .listing }
        switch self {
        case .anyone, .listing: return true
        case .admin: return seat == .admin
        case .organizers: return seat == .admin || seat == .organizer
        case .viewers: return seat != .unit
        case .managers: return seat == .admin || seat == .organizer || seat == .host
        case .selfParticipant: return seat == .host || seat == .recorder || seat == .participant
        case .floorHolder: return seat != .unit
        case .minutesWriters: return seat == .admin || seat == .organizer || seat == .host || seat == .recorder
        case .assessors: return seat == .admin || seat == .organizer || seat == .host || seat == .participant
        case .recordViewers, .recordOwners, .recordListing, .reporters: return false
        }
    }

    /// Where an actor sits on one dispatch record: the seats of docs/protocol.md's
    /// second table.
    public enum RecordSeat: String, Sendable, CaseIterable {
        case admin, owner, otherOrganizer, handlingUnit, otherUnit, participant

        public init(_ actor: Actor, _ record: DispatchRecord) {
            switch actor.kind {
            case .admin: self = .admin
            case .organizer: self = record.owner == actor.id ? .owner : .otherOrganizer
            case .unit: self = record.handlingUnit.id == actor.id ? .handlingUnit : .otherUnit
            case .participant: self = .participant
            }
        }
    }

    /// May an actor in this seat on a record call the op at all?
    public func admits(_ seat: RecordSeat) -> Bool {
        switch self {
        case .anyone: return true
        case .recordViewers: return seat == .admin || seat == .owner || seat == .handlingUnit
        case .recordOwners: return seat == .admin || seat == .owner
        case .recordListing: return seat != .participant
        case .reporters: return seat == .admin || seat == .owner || seat == .otherOrganizer
        default: return false
        }
    }
}
