import Foundation

/// One person on a meeting's roster. Each has its own participant token (the
/// personal invite link) and acts in the meeting as itself.
public struct Participant: Sendable, Codable, Equatable {
    public let id: String
    public var name: String
    public var unit: String
    public var role: RosterRole
    public var title: String?
    public var phone: String?
    public var email: String?
    /// The name this person should show in the video meeting: "name-unit"
    /// (mechanism 7 §3: 姓名+单位).
    public var displayName: String
    public var attending: Bool?
    public var clientInstalled: Bool?
    public var accountRegistered: Bool?
    public var confirmedAt: Date?
    public let addedAt: Date
    /// The joint AV test: self-test and host checks.
    public var av = AVStatus()
    /// Derived from `av`, carried so every client shows the same answer.
    public var readiness = AVStatus().readiness
    /// Attendance during the joint test and the meeting.
    public var presence: Presence?

    public static func displayName(name: String, unit: String) -> String { "\(name)-\(unit)" }

    /// As other participants see this person: no phone, no e-mail.
    public var withoutContacts: Participant {
        var p = self
        p.phone = nil
        p.email = nil
        return p
    }
}

extension Participant {
    enum CodingKeys: String, CodingKey {
        case id, name, unit, role, title, phone, email, displayName, attending, clientInstalled, accountRegistered
        case confirmedAt, addedAt, av, readiness, presence
    }

    /// Decodes stored events; fields added later default when absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        unit = try c.decode(String.self, forKey: .unit)
        role = try c.decode(RosterRole.self, forKey: .role)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        displayName = try c.decode(String.self, forKey: .displayName)
        attending = try c.decodeIfPresent(Bool.self, forKey: .attending)
        clientInstalled = try c.decodeIfPresent(Bool.self, forKey: .clientInstalled)
        accountRegistered = try c.decodeIfPresent(Bool.self, forKey: .accountRegistered)
        confirmedAt = try c.decodeIfPresent(Date.self, forKey: .confirmedAt)
        addedAt = try c.decode(Date.self, forKey: .addedAt)
        av = try c.decodeIfPresent(AVStatus.self, forKey: .av) ?? AVStatus()
        readiness = av.readiness
        presence = try c.decodeIfPresent(Presence.self, forKey: .presence)
    }
}

extension Meeting {
    static let rosterFields: Set<String> = ["name", "unit", "role", "title", "phone", "email"]

    func rosterEntry(_ args: Args) throws(RoadshowError) -> Participant {
        let id = try args.id("participant", prefix: "P-", what: "a participant id")
        guard let p = participant(id) else {
            throw .notFound("there is no participant \(id) on the roster of meeting \(self.id)", zh: "这个人不在参会名单上，可能已被移除；请刷新后重试。", field: "args.participant")
        }
        return p
    }

    func requireOpen(_ what: String) throws(RoadshowError) {
        guard info.phase.isOpen else {
            throw .conflict("the meeting is \(info.phase.en.lowercased()) (\(info.phase.zh)); \(what) can no longer change", zh: "会议已处于“\(info.phase.zh)”阶段，\(what == "the roster" ? "参会名单" : (what == "attendance" ? "参会确认" : (what == "the checklist" ? "准备清单" : "内容")))不能再修改。")
        }
    }

    /// `roster.add`: a participant with its own token and invite link.
    func rosterAdd(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(Self.rosterFields.union(["meeting", "requestKey"]))
        try requireOpen("the roster")
        guard roster.count < 500 else { throw RoadshowError(.tooLarge, "a roster holds at most 500 participants; remove some first") }
        let name = try args.string("name", maxLength: 60, what: "the person's name")
        let unit = try args.string("unit", maxLength: 100, what: "the person's unit or company")
        var p = Participant(
            id: ctx.makeId("P", length: 8),
            name: name, unit: unit,
            role: try args.enumValue("role", RosterRole.self),
            title: try args.optionalString("title", maxLength: 60, what: "a job title"),
            displayName: Participant.displayName(name: name, unit: unit),
            addedAt: ctx.now)
        p.phone = try Validation.phone(args, "phone").flatMap { $0.isEmpty ? nil : $0 }
        p.email = try Validation.email(args, "email").flatMap { $0.isEmpty ? nil : $0 }
        if roster.contains(where: { $0.name == p.name && $0.unit == p.unit }) {
            throw .conflict("\(p.displayName) is already on the roster", zh: "\(p.displayName) 已在参会名单上。", field: "args.name")
        }
        var decision = Decision()
        decision.events.append(.rosterAdded(p))
        decision.result["participant"] = JSON(encoding: p)
        decision.issueParticipantToken(p, meeting: id, &ctx)
        return decision
    }

    func rosterUpdate(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(Self.rosterFields.union(["meeting", "participant", "requestKey"]))
        try requireOpen("the roster")
        let old = try rosterEntry(args)
        var p = old
        if let v = try args.optionalString("name", maxLength: 60, what: "the person's name") { p.name = v }
        if let v = try args.optionalString("unit", maxLength: 100, what: "the person's unit or company") { p.unit = v }
        if let v = try args.optionalEnum("role", RosterRole.self) { p.role = v }
        if let v = try args.clearableString("title", maxLength: 60, what: "a job title") { p.title = v.isEmpty ? nil : v }
        if let v = try Validation.phone(args, "phone") { p.phone = v.isEmpty ? nil : v }
        if let v = try Validation.email(args, "email") { p.email = v.isEmpty ? nil : v }
        p.displayName = Participant.displayName(name: p.name, unit: p.unit)
        if p.displayName != old.displayName, p.av.check(.renamed) != nil {
            // The expected name changed: the rename has to be checked again.
            p.av.checks[AVCheckKind.renamed.rawValue] = AVCheck(
                result: .pending, source: "host", by: ctx.actor.id, at: ctx.now,
                note: "expected name changed to \(p.displayName)")
            p.refreshReadiness()
        }
        if roster.contains(where: { $0.id != p.id && $0.name == p.name && $0.unit == p.unit }) {
            throw .conflict("\(p.displayName) is already on the roster", zh: "\(p.displayName) 已在参会名单上。", field: "args.name")
        }
        var decision = Decision()
        if p != old { decision.events.append(.rosterUpdated(p)) }
        decision.result["participant"] = JSON(encoding: p)
        return decision
    }

    func rosterRemove(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "participant", "requestKey"])
        try requireOpen("the roster")
        let p = try rosterEntry(args)
        var decision = Decision()
        decision.events.append(.rosterRemoved(id: p.id))
        decision.credentials.append(.revokeActor(p.id))
        return decision
    }

    /// `roster.link`: a new invite link; the old one stops working.
    func rosterLink(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "participant", "requestKey"])
        let p = try rosterEntry(args)
        var decision = Decision()
        decision.events.append(.rosterLinkReissued(id: p.id))
        decision.credentials.append(.revokeActor(p.id))
        decision.result["participant"] = JSON(encoding: p)
        decision.issueParticipantToken(p, meeting: id, &ctx)
        return decision
    }

    /// `roster.confirm` (self): attending, client installed, account registered.
    func rosterConfirm(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        guard ctx.actor.kind == .participant, let me = participant(ctx.actor.id) else {
            throw .forbidden("roster.confirm is for a participant confirming for itself; open your personal invite link", zh: "参会确认只能由参会人本人进行：请打开您的个人邀请链接。")
        }
        try args.rejectUnknown(["meeting", "attending", "clientInstalled", "accountRegistered", "requestKey"])
        try requireOpen("attendance")
        var p = me
        p.attending = try args.bool("attending")
        if let v = try args.optionalBool("clientInstalled") { p.clientInstalled = v }
        if let v = try args.optionalBool("accountRegistered") { p.accountRegistered = v }
        p.confirmedAt = ctx.now
        var decision = Decision()
        decision.events.append(.rosterConfirmed(p))
        decision.result["participant"] = JSON(encoding: p)
        return decision
    }
}

extension Decision {
    mutating func issueParticipantToken(_ p: Participant, meeting: String, _ ctx: inout Context) {
        let token: String
        var nonce: String? = nil
        if let key = ctx.inviteKey {
            let n = String(ctx.makeId("N", length: 16).dropFirst(2))
            nonce = n
            token = key.participantToken(meeting: meeting, participant: p.id, nonce: n)
        } else {
            token = ctx.makeToken(.participant)
        }
        credentials.append(.issue(Credential(
            tokenHash: Identifiers.tokenHash(token), actor: p.id, kind: .participant, name: p.displayName, meeting: meeting,
            linkNonce: nonce)))
        result["token"] = .string(token)
        result["link"] = .string("/#/join/\(token)")
        secretResultKeys.formUnion(["token", "link"])
    }
}
