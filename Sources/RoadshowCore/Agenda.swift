import Foundation

/// One item of the meeting's agenda, with planned and actual time.
public struct AgendaItem: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable { case planned, running, done }

    public let id: String
    public var title: String
    /// Planned length in minutes.
    public var minutes: Int
    /// The participant who speaks to this item, if one.
    public var speaker: String?
    /// A limit per speech while this item runs, in seconds (shown as a countdown).
    public var speakingLimitSeconds: Int?
    public var status: Status
    public var startedAt: Date?
    public var finishedAt: Date?

    /// Actual length in seconds, once finished.
    public var actualSeconds: Int? {
        guard let s = startedAt, let f = finishedAt else { return nil }
        return Int(f.timeIntervalSince(s).rounded())
    }
}

extension Meeting {
    func requireAgendaEditable() throws(RoadshowError) {
        guard info.phase.isOpen else {
            throw .conflict("the meeting is \(info.phase.en.lowercased()) (\(info.phase.zh)); the agenda can no longer change", zh: "会议已处于“\(info.phase.zh)”阶段，议程不能再修改。")
        }
    }

    func requireLive(_ what: String) throws(RoadshowError) {
        guard info.phase == .live else {
            throw .conflict("\(what) only while the meeting is live (会中); it is \(info.phase.rawValue) (\(info.phase.zh))", zh: "只有会议进行中（会中）才能这样做；会议现在处于“\(info.phase.zh)”阶段。")
        }
    }

    func agendaItem(_ args: Args) throws(RoadshowError) -> AgendaItem {
        let id = try args.id("item", prefix: "G-", what: "an agenda item id")
        guard let item = agenda.first(where: { $0.id == id }) else {
            throw .notFound("there is no agenda item \(id) in meeting \(self.id)", zh: "找不到这个议程项（\(id)），它可能已被删除；请刷新后重试。", field: "args.item")
        }
        return item
    }

    func speakerArg(_ args: Args) throws(RoadshowError) -> String?? {
        guard args.fields.keys.contains("speaker") else { return .none }
        if args.fields["speaker"] == .null { return .some(nil) }
        if case .string(let s)? = args.fields["speaker"], s.isEmpty { return .some(nil) }
        let id = try args.id("speaker", prefix: "P-", what: "a participant id")
        guard participant(id) != nil else {
            throw .notFound("there is no participant \(id) on the roster", zh: "所选发言人不在参会名单上，请重新选择。", field: "args.speaker")
        }
        return .some(id)
    }

    func limitArg(_ args: Args) throws(RoadshowError) -> Int?? {
        guard args.fields.keys.contains("speakingLimitSeconds") else { return .none }
        if args.fields["speakingLimitSeconds"] == .null { return .some(nil) }
        return .some(Int(try args.int("speakingLimitSeconds", in: 15...3600, what: "seconds per speech")))
    }

    func agendaAdd(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "title", "minutes", "speaker", "speakingLimitSeconds", "position", "requestKey"])
        try requireAgendaEditable()
        guard agenda.count < 100 else { throw RoadshowError(.tooLarge, "an agenda holds at most 100 items; remove some first") }
        let item = AgendaItem(
            id: "G-\(nextAgendaNumber)",
            title: try args.string("title", maxLength: 200, what: "the item's title"),
            minutes: Int(try args.int("minutes", in: 1...600, what: "planned minutes")),
            speaker: try speakerArg(args) ?? nil,
            speakingLimitSeconds: try limitArg(args) ?? nil,
            status: .planned)
        var order = agenda.map(\.id)
        let position = try args.optionalInt("position", in: 1...Int64(agenda.count + 1), what: "its place, 1 = first") ?? Int64(agenda.count + 1)
        order.insert(item.id, at: Int(position) - 1)
        var decision = Decision()
        decision.events.append(.agendaAdded(item))
        if order.last != item.id { decision.events.append(.agendaMoved(order)) }
        decision.result["item"] = JSON(encoding: item)
        return decision
    }

    /// `agenda.suggest`: the meeting kind's suggested agenda (`MeetingKind.suggestedAgenda`),
    /// added as ordinary items to an empty agenda, titled in `language` (`zh` by default).
    func agendaSuggest(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "language", "requestKey"])
        let language = try args.optionalEnum("language", Invitation.Language.self) ?? .zh
        try requireAgendaEditable()
        guard agenda.isEmpty else {
            throw .conflict(
                "the agenda already has \(agenda.count) item(s); a suggested agenda is added only to an empty one (remove the items first, or add items one by one)",
                zh: "议程中已有 \(agenda.count) 项；只有议程为空时才能套用建议议程（请先删除已有议程项，或逐项添加）。")
        }
        var decision = Decision()
        var items: [JSON] = []
        for (i, seed) in info.kind.suggestedAgenda.enumerated() {
            let item = AgendaItem(
                id: "G-\(nextAgendaNumber + i)", title: language == .zh ? seed.zh : seed.en,
                minutes: seed.minutes, speaker: nil, speakingLimitSeconds: nil, status: .planned)
            decision.events.append(.agendaAdded(item))
            items.append(JSON(encoding: item))
        }
        decision.result["items"] = .array(items)
        decision.result["kind"] = .string(info.kind.rawValue)
        return decision
    }

    func agendaUpdate(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "item", "title", "minutes", "speaker", "speakingLimitSeconds", "requestKey"])
        try requireAgendaEditable()
        let old = try agendaItem(args)
        var item = old
        if let t = try args.optionalString("title", maxLength: 200, what: "the item's title") { item.title = t }
        if let m = try args.optionalInt("minutes", in: 1...600, what: "planned minutes") { item.minutes = Int(m) }
        if let s = try speakerArg(args) { item.speaker = s }
        if let l = try limitArg(args) { item.speakingLimitSeconds = l }
        var decision = Decision()
        if item != old { decision.events.append(.agendaUpdated(item)) }
        decision.result["item"] = JSON(encoding: item)
        return decision
    }

    func agendaMove(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "item", "position", "requestKey"])
        try requireAgendaEditable()
        let item = try agendaItem(args)
        let position = Int(try args.int("position", in: 1...Int64(agenda.count), what: "its new place, 1 = first"))
        var order = agenda.map(\.id)
        order.removeAll { $0 == item.id }
        order.insert(item.id, at: position - 1)
        var decision = Decision()
        if order != agenda.map(\.id) { decision.events.append(.agendaMoved(order)) }
        decision.result["order"] = JSON(encoding: order)
        return decision
    }

    func agendaRemove(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "item", "requestKey"])
        try requireAgendaEditable()
        let item = try agendaItem(args)
        guard item.status != .running else {
            throw .conflict("\(item.id) is running; finish it before removing it", zh: "这个议程项正在进行，请先结束它再删除。", field: "args.item")
        }
        var decision = Decision()
        decision.events.append(.agendaRemoved(id: item.id))
        return decision
    }

    /// Finishes the running item, if any, into `decision`.
    func finishRunning(_ decision: inout Decision, _ ctx: Context) {
        guard var running = agenda.first(where: { $0.status == .running }) else { return }
        running.status = .done
        running.finishedAt = ctx.now
        decision.events.append(.agendaFinished(running))
    }

    func agendaStart(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "item", "requestKey"])
        try requireLive("agenda items start")
        var item = try agendaItem(args)
        guard item.status != .running else { throw .conflict("\(item.id) is already running", zh: "这个议程项已经在进行中。", field: "args.item") }
        var decision = Decision()
        finishRunning(&decision, ctx)
        item.status = .running
        item.startedAt = ctx.now
        item.finishedAt = nil
        decision.events.append(.agendaStarted(item))
        decision.result["item"] = JSON(encoding: item)
        return decision
    }

    func agendaNext(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "requestKey"])
        try requireLive("the agenda moves on")
        let runningIndex = agenda.firstIndex { $0.status == .running }
        let after = runningIndex.map { agenda.index(after: $0) } ?? agenda.startIndex
        guard var next = agenda[after...].first(where: { $0.status == .planned }) ?? agenda.first(where: { $0.status == .planned })
        else {
            throw .conflict("no planned agenda item is left; add one or finish the running item", zh: "没有待开始的议程项了：请先添加一项，或结束当前议程。")
        }
        var decision = Decision()
        finishRunning(&decision, ctx)
        next.status = .running
        next.startedAt = ctx.now
        decision.events.append(.agendaStarted(next))
        decision.result["item"] = JSON(encoding: next)
        return decision
    }

    func agendaFinish(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "requestKey"])
        try requireLive("agenda items finish")
        guard agenda.contains(where: { $0.status == .running }) else {
            throw .conflict("no agenda item is running", zh: "当前没有正在进行的议程项。")
        }
        var decision = Decision()
        finishRunning(&decision, ctx)
        return decision
    }

    /// The running agenda item, if any.
    public var currentAgendaItem: AgendaItem? { agenda.first { $0.status == .running } }
}
