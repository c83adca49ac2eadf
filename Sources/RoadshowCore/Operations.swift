/// The pieces the op table (`OpTable`) builds writes from: which stream a
/// mutation targets and how it is decided.
public enum Operations {
    public enum Target: Sendable, Equatable {
        /// The `accounts` stream.
        case accounts
        /// A stream this command creates.
        case new(scope: String)
        /// An existing meeting.
        case meeting(String)
        /// An existing dispatch record.
        case record(String)

        /// The stream a `requestKey` is scoped to.
        public var keyScope: String {
            switch self {
            case .accounts: AccountDirectory.stream
            case .new(let scope): scope
            case .meeting(let id), .record(let id): id
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
                throw .notFound("there is no meeting \(args.fields["meeting"]?.stringValue ?? "")", zh: "找不到这场会议，它可能已被删除；请返回会议列表。", field: "args.meeting")
            }
            try Permissions.requireView(ctx.actor, meeting)
            return try body(meeting, args, &ctx)
        }
    }

    static let recordWhat = "a dispatch record id such as D-7Q2K9M"

    /// Runs `body` on the dispatch record, after checking the actor may see it.
    static func onRecord(
        _ body: @escaping @Sendable (DispatchRecord, Args, inout Context) throws(RoadshowError) -> Decision
    ) -> Mutation {
        Mutation(target: { args throws(RoadshowError) in .record(try args.id("record", prefix: "D-", what: recordWhat)) }) { args, state, ctx throws(RoadshowError) in
            guard let record = state?.record else {
                throw .notFound("there is no dispatch record \(args.fields["record"]?.stringValue ?? "")", zh: "找不到这个转办件，请返回转办台账。", field: "args.record")
            }
            try RecordAccess.requireView(ctx.actor, record)
            return try body(record, args, &ctx)
        }
    }

    /// Runs `body` on the account directory.
    static func accounts(
        _ body: @escaping @Sendable (AccountDirectory, Args, inout Context) throws(RoadshowError) -> Decision
    ) -> Mutation {
        Mutation(target: { _ in .accounts }) { args, state, ctx throws(RoadshowError) in
            try body(state?.accounts ?? AccountDirectory(), args, &ctx)
        }
    }

    static let meetingCreate = Mutation(target: { _ in .new(scope: "meeting.create") }) { args, _, ctx throws(RoadshowError) in
        try Meeting.create(args, &ctx)
    }

    /// The mutating ops of the op table, by name.
    public static let mutations: [String: Mutation] = Dictionary(uniqueKeysWithValues: OpTable.all.compactMap { op in
        if case .write(let m) = op.handler { return (op.name, m) }
        return nil
    })

    /// A `requestKey`, if the request carries one.
    public static func requestKey(_ args: Args) throws(RoadshowError) -> String? {
        try args.optionalString("requestKey", maxLength: 64, what: "a retry key chosen by the client")
    }
}
