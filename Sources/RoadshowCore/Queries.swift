import Foundation

/// What a read op may look at: the committed state of every stream and the
/// deployment's settings. The server's engine provides it; tests can too.
public protocol QueryWorld {
    func meeting(_ id: String) -> Meeting?
    /// The committed seq of a stream (0 if it has none).
    func seq(of stream: String) -> Int64
    /// Every meeting, in no particular order.
    func forEachMeeting(_ body: (Meeting) -> Void)
    var accounts: AccountDirectory? { get }
    var now: Date { get }
    /// The zone times are shown in (`serve --timezone`).
    var timeZone: TimeZone { get }
    /// Where people open the page, for links in invitations.
    var publicBaseURL: String { get }
    func record(_ id: String) -> DispatchRecord?
    /// Every dispatch record, in no particular order.
    func forEachRecord(_ body: (DispatchRecord) -> Void)
    /// The working-day calendar and the feedback period.
    var policy: DispatchPolicy { get }
    /// A participant's current token, when the server can derive it again
    /// from its invite key (see `InviteKey`); nil otherwise.
    func inviteToken(meeting: String, participant: String) -> String?
    /// Writes `.docx` files (`format: "docx"`); nil where no writer is linked in.
    var docx: (any DocxEncoding)? { get }
}

extension QueryWorld {
    public func inviteToken(meeting: String, participant: String) -> String? { nil }
    public var docx: (any DocxEncoding)? { nil }
}

/// The read ops, and the visibility rules they share with subscriptions.
public enum Queries {
    static let meetingWhat = "a meeting id such as M-7Q2K"

    /// The meetings this actor may see, optionally of one phase, by start time.
    public static func visibleMeetings(_ actor: Actor, phase: Phase?, in world: any QueryWorld) -> [MeetingInfo] {
        var out: [MeetingInfo] = []
        if actor.kind == .participant {
            if let m = actor.meeting.flatMap(world.meeting), Permissions.canView(actor, m) { out.append(m.info) }
        } else if actor.kind != .unit {
            world.forEachMeeting { m in if Permissions.canView(actor, m.info) { out.append(m.info) } }
        }
        if let phase { out.removeAll { $0.phase != phase } }
        return out.sorted { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) }
    }

    /// The meeting, if the actor may see it.
    public static func visibleMeeting(_ id: String, _ actor: Actor, in world: any QueryWorld) throws(RoadshowError) -> Meeting {
        guard let m = world.meeting(id) else {
            if actor.kind == .participant, actor.meeting != id { throw Permissions.notVisible(actor, id) }
            throw .notFound("there is no meeting \(id); check the id with meeting.list", zh: "找不到这场会议，它可能已被删除；请返回会议列表。", field: "args.meeting")
        }
        guard Permissions.canView(actor, m) else { throw Permissions.notVisible(actor, id) }
        return m
    }

    public static func meetingArg(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> Meeting {
        try visibleMeeting(try args.id("meeting", prefix: "M-", what: meetingWhat), actor, in: world)
    }

    /// The stream `stream.subscribe` names, if this actor may follow it.
    public static func subscribableStream(_ args: Args, _ actor: Actor, in world: any QueryWorld) throws(RoadshowError) -> String {
        let id = try args.string("stream", maxLength: 64, what: "a stream id such as M-7Q2K")
        if id == AccountDirectory.stream {
            guard actor.kind == .admin, world.accounts != nil else { throw .forbidden("only the admin can follow the accounts stream", zh: "只有管理员可以查看账号动态。") }
            return id
        }
        if id.hasPrefix("D-") {
            guard let r = world.record(id) else { throw .notFound("there is no stream \(id)", zh: "找不到 \(id)。", field: "args.stream") }
            guard RecordAccess.canView(actor, r) else { throw RecordAccess.notVisible(actor, id) }
            return id
        }
        guard id.hasPrefix("M-") else {
            throw .badRequest("args.stream must be a meeting id (M-…), a dispatch record id (D-…) or \"accounts\"", zh: "应为会议编号（M-…）、转办件编号（D-…）或 accounts。", field: "args.stream")
        }
        do { return try visibleMeeting(id, actor, in: world).id } catch {
            if error.code == .notFound { throw .notFound("there is no stream \(id)", zh: "找不到 \(id)。", field: "args.stream") }
            throw error
        }
    }

    /// A stream's snapshot as this actor sees it.
    public static func snapshot(_ state: StreamState?, for actor: Actor, now: Date = Date(), policy: DispatchPolicy = DispatchPolicy()) -> JSON {
        switch state {
        case .meeting(let m)?: return m.snapshot(for: actor)
        case .dispatch(let r)?: return ["record": r.full(now: now, policy: policy)]
        case .accounts(let a)?: return ["accounts": .array(a.accounts.map { JSON(encoding: $0) })]
        case nil: return .null
        }
    }

    // MARK: - The read ops

    @Sendable static func meetingGet(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["meeting"])
        let m = try meetingArg(args, actor, world)
        return ["snapshot": m.snapshot(for: actor), "seq": .int(world.seq(of: m.id)), "serverTime": .string(Timestamp.format(world.now))]
    }

    @Sendable static func meetingList(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(Paging.keys.union(["phase"]))
        let phase = try args.optionalEnum("phase", Phase.self)
        let paging = try Paging(args)
        var result: [String: JSON] = [:]
        result["meetings"] = .array(paging.page(visibleMeetings(actor, phase: phase, in: world), into: &result).map { JSON(encoding: $0) })
        return .object(result)
    }

    @Sendable static func accountList(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        try args.rejectUnknown([])
        guard actor.kind == .admin else { throw .forbidden("only the admin can list accounts", zh: "只有管理员可以查看账号列表。") }
        return ["accounts": .array((world.accounts?.accounts ?? []).map { JSON(encoding: $0) })]
    }

    @Sendable static func exportMinutes(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(Set(["meeting"]).union(DocumentRequest.keys))
        let request = try DocumentRequest(args)
        let m = try meetingArg(args, actor, world)
        let accounts = world.accounts
        // The edition follows the caller: the company's has shared minutes only, and
        // the internal remarks are in the copy of those who run the meeting alone.
        let edition = MinutesExport.Edition.of(actor, m)
        let doc = MinutesExport.document(m, edition: edition, language: request.language, timeZone: world.timeZone) {
            accounts?.account($0)?.name
        }
        if let docx = try request.docxResult(doc, in: world) { return docx }
        return [
            "text": .string(DocumentMarkdown.render(doc)), "format": "markdown", "filename": .string(doc.basename + ".md"),
            "lang": .string(request.language.rawValue), "edition": .string(edition.rawValue), "document": doc.json,
        ]
    }

    /// The participant an export or invitation is for: given, or the caller itself.
    static func invitee(_ args: Args, _ meeting: Meeting, _ actor: Actor, required: Bool) throws(RoadshowError) -> Participant? {
        let id = try args.optionalId("participant", prefix: "P-", what: "a participant id")
            ?? (actor.kind == .participant ? actor.id : nil)
        guard let id else {
            if required { throw .badRequest("args.participant is required (a participant id)", zh: "必填：请选择参会人。", field: "args.participant") }
            return nil
        }
        guard let p = meeting.participant(id) else {
            throw .notFound("there is no participant \(id) on the roster of \(meeting.id)", zh: "这个人不在参会名单上，可能已被移除；请刷新后重试。", field: "args.participant")
        }
        if actor.kind == .participant, actor.id != id, !Permissions.canManage(actor, meeting) {
            throw .forbidden("you can get only your own invitation", zh: "您只能获取自己的邀请函。")
        }
        return p
    }

    @Sendable static func rosterInvitation(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["meeting", "participant"])
        let meeting = try meetingArg(args, actor, world)
        let p = try invitee(args, meeting, actor, required: true)
        var out: [String: JSON] = [
            "participant": p.map { ["id": .string($0.id), "displayName": .string($0.displayName)] } ?? .null,
            "timeZone": .string(world.timeZone.identifier),
        ]
        // The current personal link, derived again from the server's key: for
        // the meeting's managers (who may replace it anyway) and the person itself.
        var url: String? = nil
        if let p {
            if let token = world.inviteToken(meeting: meeting.id, participant: p.id) {
                let link = "/#/join/\(token)"
                url = world.publicBaseURL + link
                out["token"] = .string(token)
                out["link"] = .string(link)
                out["url"] = .string(world.publicBaseURL + link)
            } else {
                out["linkUnavailable"] = true
            }
        }
        out["invitation"] = Invitation.both(meeting: meeting.info, participant: p, personalLink: url, timeZone: world.timeZone)
        return .object(out)
    }

    @Sendable static func exportICS(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["meeting", "participant"])
        let meeting = try meetingArg(args, actor, world)
        let p = try invitee(args, meeting, actor, required: false)
        let text = ICalendar.event(meeting: meeting.info, participant: p, personalLink: nil, now: world.now, timeZone: world.timeZone)
        return [
            "text": .string(text), "format": "text/calendar",
            "filename": .string(FileName.safe("\(meeting.info.title)-\(LocalTime(timeZone: world.timeZone).day(meeting.info.startsAt))") + ".ics"),
        ]
    }

    /// Adds the absolute link and the ready-to-send invitation to a write's
    /// result that carries a fresh personal link (`roster.add`, `roster.link`).
    public static func withInvitation(_ result: inout [String: JSON], meeting: Meeting?, in world: any QueryWorld) {
        guard let link = result["link"]?.stringValue, let meeting,
            let id = result["participant"]?["id"]?.stringValue, let p = meeting.participant(id)
        else { return }
        let url = world.publicBaseURL + link
        result["url"] = .string(url)
        result["invitation"] = Invitation.both(meeting: meeting.info, participant: p, personalLink: url, timeZone: world.timeZone)
    }
}
