import Foundation

/// One entry of the minutes (mechanism 7 §4: the company's concrete
/// investment intent, its landing needs, the project's prospects, and who
/// follows up what, when and how).
public struct MinutesEntry: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable, Labelled {
        case note, intent, needs, prospects, decision, action, contact
        case nextContact = "next_contact"

        public var zh: String {
            switch self {
            case .note: "记录"
            case .intent: "投资合作意向"
            case .needs: "落地需求"
            case .prospects: "发展前景"
            case .decision: "议定事项"
            case .action: "后续分工"
            case .contact: "联系方式"
            case .nextContact: "下次沟通"
            }
        }

        public var en: String {
            switch self {
            case .note: "Note"
            case .intent: "Investment intent"
            case .needs: "Landing needs"
            case .prospects: "Prospects"
            case .decision: "Decision"
            case .action: "Action"
            case .contact: "Contact details"
            case .nextContact: "Next contact"
            }
        }
    }

    public let id: String
    public var kind: Kind
    public var text: String
    /// Who does it (actions).
    public var owner: String?
    /// By when, YYYY-MM-DD (actions, next contact).
    public var due: String?
    public var agendaItem: String?
    public let by: String
    public let at: Date
    /// Who may read it: absent or `government` (the default: the units and
    /// the organizer side); `everyone` shares it with the company too.
    public var visibility: Audience?

    /// Shared with the company?
    public var isShared: Bool { visibility == .everyone }
    public var editedBy: String?
    public var editedAt: Date?
}

extension Meeting {
    func minutesEntry(_ args: Args) throws(RoadshowError) -> MinutesEntry {
        let id = try args.id("entry", prefix: "N-", what: "a minutes entry id")
        guard let e = minutes.first(where: { $0.id == id }) else {
            throw .notFound("there is no minutes entry \(id) in meeting \(self.id)", zh: "找不到这条纪要（\(id)），它可能已被删除；请刷新后重试。", field: "args.entry")
        }
        return e
    }

    func requireMinutesOpen() throws(RoadshowError) {
        guard info.phase == .rehearsal || info.phase == .live || info.phase == .ended else {
            throw .conflict("minutes are kept from the joint test until the follow-up; the meeting is \(info.phase.rawValue) (\(info.phase.zh))", zh: "纪要从会前联调记到会后跟进；会议现在处于“\(info.phase.zh)”阶段。")
        }
    }

    func agendaRef(_ args: Args) throws(RoadshowError) -> String? {
        guard let id = try args.optionalId("agendaItem", prefix: "G-", what: "an agenda item id") else { return nil }
        guard agenda.contains(where: { $0.id == id }) else {
            throw .notFound("there is no agenda item \(id)", zh: "找不到所选议程项，请重新选择。", field: "args.agendaItem")
        }
        return id
    }

    /// Entries the minutes hold at most: a bound on what every snapshot carries.
    static let minutesLimit = 500

    func minutesAdd(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireMinutes(ctx.actor, self)
        try args.rejectUnknown(["meeting", "kind", "text", "owner", "due", "agendaItem", "visibility", "requestKey"])
        try requireMinutesOpen()
        guard minutes.count < Self.minutesLimit else {
            throw .tooLarge(
                "the minutes hold at most \(Self.minutesLimit) entries; merge some or remove those no longer needed",
                zh: "纪要最多 \(Self.minutesLimit) 条，已达上限；请合并或删除不再需要的条目。", reason: "minutes_limit",
                params: ["limit": .int(Int64(Self.minutesLimit))])
        }
        let kind = try args.enumValue("kind", MinutesEntry.Kind.self)
        let visibility = try args.optionalEnum("visibility", Audience.self)
        let entry = MinutesEntry(
            id: "N-\(nextMinutesNumber)", kind: kind,
            text: try args.string("text", maxLength: 4000, what: "what was said or agreed"),
            owner: try args.optionalString("owner", maxLength: 100, what: "who follows it up"),
            due: try args.optionalDate("due"),
            agendaItem: try agendaRef(args) ?? currentAgendaItem?.id,
            by: ctx.actor.id, at: ctx.now, visibility: visibility == .everyone ? .everyone : nil)
        var decision = Decision()
        decision.events.append(.minutesAdded(entry))
        decision.result["entry"] = JSON(encoding: entry)
        return decision
    }

    func minutesEdit(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireMinutes(ctx.actor, self)
        try args.rejectUnknown(["meeting", "entry", "kind", "text", "owner", "due", "agendaItem", "visibility", "requestKey"])
        try requireMinutesOpen()
        let old = try minutesEntry(args)
        var e = old
        if let k = try args.optionalEnum("kind", MinutesEntry.Kind.self) { e.kind = k }
        if let t = try args.optionalString("text", maxLength: 4000, what: "what was said or agreed") { e.text = t }
        if let v = try args.optionalEnum("visibility", Audience.self) { e.visibility = v == .everyone ? .everyone : nil }
        if let o = try args.clearableString("owner", maxLength: 100, what: "who follows it up") { e.owner = o.isEmpty ? nil : o }
        if case .string(let s)? = args.fields["due"], s.isEmpty { e.due = nil } else if let d = try args.optionalDate("due") { e.due = d }
        if args.fields.keys.contains("agendaItem") {
            if args.fields["agendaItem"] == .null || args.fields["agendaItem"] == .string("") {
                e.agendaItem = nil
            } else {
                e.agendaItem = try agendaRef(args)
            }
        }
        var decision = Decision()
        if e != old {
            e.editedBy = ctx.actor.id
            e.editedAt = ctx.now
            decision.events.append(.minutesEdited(e))
        }
        decision.result["entry"] = JSON(encoding: e)
        return decision
    }

    func minutesRemove(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireMinutes(ctx.actor, self)
        try args.rejectUnknown(["meeting", "entry", "requestKey"])
        try requireMinutesOpen()
        let e = try minutesEntry(args)
        var decision = Decision()
        decision.events.append(.minutesRemoved(id: e.id))
        return decision
    }
}
