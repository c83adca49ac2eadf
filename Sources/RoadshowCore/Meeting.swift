import Foundation

public struct Company: Sendable, Codable, Equatable {
    public var name: String
    public var contact: String?
    public var phone: String?
}

public struct Project: Sendable, Codable, Equatable {
    public var name: String
    public var category: ProjectCategory
    public var industry: String?
    /// Planned investment in 亿元 (100 million CNY).
    public var investment: Double?
}

/// The video-meeting system the roadshow runs in (Tencent Meeting, Zoom, ...).
public struct MeetingSystem: Sendable, Codable, Equatable {
    public var name: String
    public var room: String?
    public var link: String?
}

/// A meeting's own fields: what lists show and what `meeting.created` /
/// `meeting.updated` carry.
public struct MeetingInfo: Sendable, Codable, Equatable {
    public let id: String
    public var title: String
    /// The account that controls the meeting (an organizer, or the admin).
    public let owner: String
    public var ownerName: String
    public var phase: Phase
    public var company: Company
    public var project: Project
    public var startsAt: Date
    public var durationMinutes: Int
    public var system: MeetingSystem
    public let createdAt: Date
    public var updatedAt: Date
    /// Phase changes so far, oldest first (absent until the first one).
    public var transitions: [PhaseTransition]?
    /// The dispatch record (`D-…`) once the meeting is dispatched.
    public var dispatch: String?
    /// How many times the meeting's details changed (`meeting.update`): the
    /// `.ics` SEQUENCE, so calendars replace the event they hold. Absent: 0.
    public var sequence: Int?
    /// The kind of online meeting (mechanism 7 §1). Events stored before
    /// kinds existed have none: they decode as `project_pitch`.
    public var kind: MeetingKind = .projectPitch

    /// The reason a go-live was forced, if it was.
    public var forcedGoLive: PhaseTransition? { transitions?.last { $0.to == .live && $0.forced } }
}

extension MeetingInfo {
    enum CodingKeys: String, CodingKey {
        case id, title, owner, ownerName, phase, company, project, startsAt, durationMinutes, system, createdAt, updatedAt
        case transitions, dispatch, sequence, kind
    }

    /// As synthesized, but a missing `kind` (every event before kinds) is `project_pitch`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        owner = try c.decode(String.self, forKey: .owner)
        ownerName = try c.decode(String.self, forKey: .ownerName)
        phase = try c.decode(Phase.self, forKey: .phase)
        company = try c.decode(Company.self, forKey: .company)
        project = try c.decode(Project.self, forKey: .project)
        startsAt = try c.decode(Date.self, forKey: .startsAt)
        durationMinutes = try c.decode(Int.self, forKey: .durationMinutes)
        system = try c.decode(MeetingSystem.self, forKey: .system)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
        transitions = try c.decodeIfPresent([PhaseTransition].self, forKey: .transitions)
        dispatch = try c.decodeIfPresent(String.self, forKey: .dispatch)
        sequence = try c.decodeIfPresent(Int.self, forKey: .sequence)
        kind = try c.decodeIfPresent(MeetingKind.self, forKey: .kind) ?? .projectPitch
    }
}

/// The state of one meeting stream. Codable in full (counters included) for
/// stream snapshots (`StreamState.snapshotData`); what clients see is `snapshot`.
public struct Meeting: Sendable, Equatable, Codable {
    public var info: MeetingInfo
    public var checklist: [ChecklistItem] = []
    public var roster: [Participant] = []
    /// The number the next checklist item gets (`C-<n>`).
    public var nextChecklistNumber = 1
    public var agenda: [AgendaItem] = []
    public var nextAgendaNumber = 1
    /// Hands raised, in the order the floor goes to them.
    public var queue: [QueueEntry] = []
    public var floor: Floor?
    public var speeches: [Speech] = []
    public var nextQueueNumber = 1
    public var minutes: [MinutesEntry] = []
    public var nextMinutesNumber = 1
    /// The government side's follow-up (assessments, the company's intent).
    public var followup = Followup()
    /// Cards shared with consent (`contacts.share`), one per participant.
    public var contacts: [ContactShare] = []
    /// The host's prompt to exchange cards; whether the company's card is shared.
    public var contactExchange = ContactExchange()
    /// The meeting's files and who opened them (`Materials.swift`).
    public var materials = Materials()

    public init(info: MeetingInfo) { self.info = info }

    public var id: String { info.id }

    public func participant(_ id: String) -> Participant? { roster.first { $0.id == id } }

    /// The whole state, as `meeting.get` and `stream.subscribe` return it.
    public var snapshot: JSON { snapshot(contactsVisible: true, viewer: nil) }

    /// The state as `actor` may see it: participants who do not run the meeting
    /// see other people's phone and e-mail left out.
    /// The meeting as this actor sees it, with `viewer.ops`: the meeting ops
    /// its role allows (`OpTable.allowedOps`), so a page offers only those.
    public func snapshot(for actor: Actor) -> JSON {
        let outsider = isOutsider(actor)
        let seen = outsider ? outsiderView : self
        guard case .object(var o) = seen.snapshot(contactsVisible: Permissions.seesContacts(actor, self), viewer: actor.id) else { return .null }
        if outsider { o.removeValue(forKey: "followup") }
        o["contacts"] = contactsJSON(outsider: outsider, viewer: actor.id)
        o["materials"] = materialsJSON(level: materialLevel(actor), viewer: actor.id)
        o["viewer"] = ["ops": .array(OpTable.allowedOps(actor, on: self).map { .string($0) })]
        return .object(o)
    }

    func snapshot(contactsVisible: Bool, viewer: String?) -> JSON {
        guard case .object(var o) = JSON(encoding: info) else { return .null }
        o["checklist"] = JSON(encoding: checklist)
        o["roster"] = JSON(encoding: contactsVisible ? roster : roster.map { $0.id == viewer ? $0 : $0.withoutContacts })
        o["agenda"] = JSON(encoding: agenda)
        o["queue"] = JSON(encoding: queue)
        o["floor"] = floor.map { JSON(encoding: $0) } ?? .null
        o["speeches"] = JSON(encoding: speeches)
        o["speakingTotals"] = speakingTotals
        o["minutes"] = JSON(encoding: minutes)
        o["followup"] = followupJSON
        o["contacts"] = contactsJSON(outsider: false, viewer: viewer)
        o["materials"] = materialsJSON(level: .organizer)
        return .object(o)
    }
}

// MARK: - Commands

extension Meeting {
    static let createArguments: Set<String> = [
        "title", "kind", "company", "project", "startsAt", "durationMinutes", "system", "requestKey",
    ]

    /// `meeting.create`: a new meeting stream, seeded with the default checklist.
    static func create(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        guard ctx.actor.kind == .organizer || ctx.actor.kind == .admin else {
            throw .forbidden("only an organizer account can create meetings", zh: "只有组织方账号可以新建会议。")
        }
        try args.rejectUnknown(createArguments)
        let companyArgs = try args.object("company")
        let projectArgs = try args.object("project")
        let systemArgs = try args.object("system")
        let id = ctx.makeId("M", length: 4)
        var info = MeetingInfo(
            id: id,
            title: try args.string("title", what: "the meeting's title"),
            owner: ctx.actor.id,
            ownerName: ctx.actor.name,
            phase: .preparing,
            company: try Self.company(companyArgs, partialOf: nil),
            project: try Self.project(projectArgs, partialOf: nil),
            startsAt: try Self.startsAt(args),
            durationMinutes: Int(try args.int("durationMinutes", in: 10...1440, what: "the planned length in minutes")),
            system: try Self.system(systemArgs, partialOf: nil),
            createdAt: ctx.now,
            updatedAt: ctx.now,
            transitions: nil,
            kind: try args.optionalEnum("kind", MeetingKind.self) ?? .projectPitch)
        info.updatedAt = ctx.now
        var decision = Decision(newStream: id)
        decision.events.append(.meetingCreated(info))
        for (number, seed) in DefaultChecklist.items.enumerated() {
            decision.events.append(.checklistItemAdded(seed.item(id: "C-\(number + 1)")))
        }
        decision.result["meeting"] = JSON(encoding: info)
        if info.startsAt < ctx.now { decision.result["warnings"] = Self.startsInPast }
        return decision
    }

    /// Said beside a meeting created or moved to a time already past: allowed
    /// (a meeting may be recorded afterwards), but most likely a typo.
    static let startsInPast: JSON = [[
        "field": "args.startsAt", "reason": "starts_in_past",
        "message": "the start time is in the past; check the date if the meeting is still to come",
        "text": ["zh": "开始时间已经过去；如果会议尚未举行，请检查日期。", "en": "The start time is in the past; check the date if the meeting is still to come."],
    ]]

    /// `meeting.update`: any field of `meeting.create`; nested objects may be partial.
    func update(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(Self.createArguments.union(["meeting"]))
        guard info.phase.isOpen else {
            throw .conflict("the meeting is \(info.phase.en.lowercased()) (\(info.phase.zh)); its details can no longer change", zh: "会议已处于“\(info.phase.zh)”阶段，会议信息不能再修改。")
        }
        var next = info
        if let title = try args.optionalString("title", what: "the meeting's title") { next.title = title }
        if let kind = try args.optionalEnum("kind", MeetingKind.self) { next.kind = kind }
        if let c = try args.optionalObject("company") { next.company = try Self.company(c, partialOf: info.company) }
        if let p = try args.optionalObject("project") { next.project = try Self.project(p, partialOf: info.project) }
        if let s = try args.optionalObject("system") { next.system = try Self.system(s, partialOf: info.system) }
        if args.has("startsAt") { next.startsAt = try Self.startsAt(args) }
        if let d = try args.optionalInt("durationMinutes", in: 10...1440, what: "the planned length in minutes") {
            next.durationMinutes = Int(d)
        }
        var decision = Decision()
        if next != info {
            next.updatedAt = ctx.now
            next.sequence = (info.sequence ?? 0) + 1
            decision.events.append(.meetingUpdated(next))
        }
        decision.result["meeting"] = JSON(encoding: next)
        if args.has("startsAt"), next.startsAt < ctx.now { decision.result["warnings"] = Self.startsInPast }
        return decision
    }

    static func startsAt(_ args: Args) throws(RoadshowError) -> Date {
        let date = try args.time("startsAt")
        // 2000-01-01 ... 2100-01-01: anything outside is a typo, not a meeting.
        guard date.timeIntervalSince1970 > 946_684_800, date.timeIntervalSince1970 < 4_102_444_800 else {
            throw .badRequest("args.startsAt must be a date between the years 2000 and 2100", zh: "日期应在 2000 年到 2100 年之间，请检查年份。", field: "args.startsAt")
        }
        return date
    }

    static func company(_ a: Args, partialOf old: Company?) throws(RoadshowError) -> Company {
        try a.rejectUnknown(["name", "contact", "phone"])
        var c: Company
        if let old { c = old } else { c = Company(name: try a.string("name", what: "the company's name")) }
        if old != nil, let name = try a.optionalString("name", what: "the company's name") { c.name = name }
        if let v = try a.clearableString("contact", maxLength: 100, what: "the company's contact person") { c.contact = v.isEmpty ? nil : v }
        if let v = try Validation.phone(a, "phone") { c.phone = v.isEmpty ? nil : v }
        return c
    }

    static func project(_ a: Args, partialOf old: Project?) throws(RoadshowError) -> Project {
        try a.rejectUnknown(["name", "category", "industry", "investment"])
        var p: Project
        if let old {
            p = old
            if let name = try a.optionalString("name", what: "the project's name") { p.name = name }
            if let cat = try a.optionalEnum("category", ProjectCategory.self) { p.category = cat }
        } else {
            p = Project(
                name: try a.string("name", what: "the project's name"),
                category: try a.enumValue("category", ProjectCategory.self))
        }
        if let v = try a.clearableString("industry", maxLength: 100, what: "the industry") { p.industry = v.isEmpty ? nil : v }
        if a.fields["investment"] == .null, old != nil { p.investment = nil }
        if let v = try a.optionalNumber("investment", in: 0...1_000_000, what: "planned investment in 亿元") { p.investment = v }
        return p
    }

    static func system(_ a: Args, partialOf old: MeetingSystem?) throws(RoadshowError) -> MeetingSystem {
        try a.rejectUnknown(["name", "room", "link"])
        var s: MeetingSystem
        if let old { s = old } else { s = MeetingSystem(name: try a.string("name", maxLength: 60, what: "the meeting system, e.g. 腾讯会议")) }
        if old != nil, let name = try a.optionalString("name", maxLength: 60, what: "the meeting system") { s.name = name }
        if let v = try a.clearableString("room", maxLength: 60, what: "the room number") { s.room = v.isEmpty ? nil : v }
        if let v = try Validation.link(a, "link") { s.link = v.isEmpty ? nil : v }
        return s
    }
}
