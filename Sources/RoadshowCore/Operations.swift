/// The mutating ops: for each, which stream it targets and how it is decided.
/// Read-only ops (`meeting.get`, `meeting.list`, `account.list`) and session ops
/// (`auth`, `ping`, `stream.*`) are answered by the server from its state.
public enum Operations {
    public enum Target: Sendable, Equatable {
        /// The `accounts` stream.
        case accounts
        /// A stream this command creates.
        case new(scope: String)
        /// An existing meeting.
        case meeting(String)

        /// The stream a `requestKey` is scoped to.
        public var keyScope: String {
            switch self {
            case .accounts: AccountDirectory.stream
            case .new(let scope): scope
            case .meeting(let id): id
            }
        }
    }

    public struct Mutation: Sendable {
        public let target: @Sendable (Args) throws(RoadshowError) -> Target
        public let decide: @Sendable (Args, StreamState?, inout Context) throws(RoadshowError) -> Decision
    }

    static func meetingTarget(_ args: Args) throws(RoadshowError) -> Target {
        .meeting(try args.id("meeting", prefix: "M-", what: "a meeting id such as M-7Q2K"))
    }

    /// Runs `body` on the meeting, after checking the actor may see it.
    static func onMeeting(
        _ body: @escaping @Sendable (Meeting, Args, inout Context) throws(RoadshowError) -> Decision
    ) -> Mutation {
        Mutation(target: meetingTarget) { args, state, ctx throws(RoadshowError) in
            guard let meeting = state?.meeting else {
                throw .notFound("there is no meeting \(args.fields["meeting"]?.stringValue ?? "")", field: "args.meeting")
            }
            try Permissions.requireView(ctx.actor, meeting)
            return try body(meeting, args, &ctx)
        }
    }

    public static let mutations: [String: Mutation] = [
        "account.create": Mutation(target: { _ in .accounts }) { args, state, ctx throws(RoadshowError) in
            try (state?.accounts ?? AccountDirectory()).create(args, &ctx)
        },
        "account.reissue": Mutation(target: { _ in .accounts }) { args, state, ctx throws(RoadshowError) in
            try (state?.accounts ?? AccountDirectory()).reissue(args, &ctx)
        },
        "meeting.create": Mutation(target: { _ in .new(scope: "meeting.create") }) { args, _, ctx throws(RoadshowError) in
            try Meeting.create(args, &ctx)
        },
        "meeting.update": onMeeting { m, a, c throws(RoadshowError) in try m.update(a, &c) },
        "checklist.add": onMeeting { m, a, c throws(RoadshowError) in try m.checklistAdd(a, &c) },
        "checklist.set": onMeeting { m, a, c throws(RoadshowError) in try m.checklistSet(a, &c) },
        "checklist.remove": onMeeting { m, a, c throws(RoadshowError) in try m.checklistRemove(a, &c) },
        "roster.add": onMeeting { m, a, c throws(RoadshowError) in try m.rosterAdd(a, &c) },
        "roster.update": onMeeting { m, a, c throws(RoadshowError) in try m.rosterUpdate(a, &c) },
        "roster.remove": onMeeting { m, a, c throws(RoadshowError) in try m.rosterRemove(a, &c) },
        "roster.link": onMeeting { m, a, c throws(RoadshowError) in try m.rosterLink(a, &c) },
        "roster.confirm": onMeeting { m, a, c throws(RoadshowError) in try m.rosterConfirm(a, &c) },
        "meeting.advance": onMeeting { m, a, c throws(RoadshowError) in try m.advance(a, &c) },
        "av.self": onMeeting { m, a, c throws(RoadshowError) in try m.avSelf(a, &c) },
        "av.mark": onMeeting { m, a, c throws(RoadshowError) in try m.avMark(a, &c) },
        "agenda.add": onMeeting { m, a, c throws(RoadshowError) in try m.agendaAdd(a, &c) },
        "agenda.update": onMeeting { m, a, c throws(RoadshowError) in try m.agendaUpdate(a, &c) },
        "agenda.move": onMeeting { m, a, c throws(RoadshowError) in try m.agendaMove(a, &c) },
        "agenda.remove": onMeeting { m, a, c throws(RoadshowError) in try m.agendaRemove(a, &c) },
        "agenda.start": onMeeting { m, a, c throws(RoadshowError) in try m.agendaStart(a, &c) },
        "agenda.next": onMeeting { m, a, c throws(RoadshowError) in try m.agendaNext(a, &c) },
        "agenda.finish": onMeeting { m, a, c throws(RoadshowError) in try m.agendaFinish(a, &c) },
        "queue.raise": onMeeting { m, a, c throws(RoadshowError) in try m.queueRaise(a, &c) },
        "queue.lower": onMeeting { m, a, c throws(RoadshowError) in try m.queueLower(a, &c) },
        "queue.upvote": onMeeting { m, a, c throws(RoadshowError) in try m.queueUpvote(a, &c) },
        "queue.grant": onMeeting { m, a, c throws(RoadshowError) in try m.queueGrant(a, &c) },
        "queue.next": onMeeting { m, a, c throws(RoadshowError) in try m.queueNext(a, &c) },
        "queue.release": onMeeting { m, a, c throws(RoadshowError) in try m.queueRelease(a, &c) },
        "queue.remove": onMeeting { m, a, c throws(RoadshowError) in try m.queueRemove(a, &c) },
        "presence.set": onMeeting { m, a, c throws(RoadshowError) in try m.presenceSet(a, &c) },
        "minutes.add": onMeeting { m, a, c throws(RoadshowError) in try m.minutesAdd(a, &c) },
        "minutes.edit": onMeeting { m, a, c throws(RoadshowError) in try m.minutesEdit(a, &c) },
        "minutes.remove": onMeeting { m, a, c throws(RoadshowError) in try m.minutesRemove(a, &c) },
    ]

    /// A `requestKey`, if the request carries one.
    public static func requestKey(_ args: Args) throws(RoadshowError) -> String? {
        try args.optionalString("requestKey", maxLength: 64, what: "a retry key chosen by the client")
    }
}
