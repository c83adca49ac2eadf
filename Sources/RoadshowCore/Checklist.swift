import Foundation

/// One item of the preparation / rehearsal checklist.
public struct ChecklistItem: Sendable, Codable, Equatable {
    public let id: String
    public var text: String
    /// The English text of a default item; items people add have only `text`.
    public var textEn: String?
    /// The phase the item belongs to (`preparing` or `rehearsal`).
    public var phase: Phase
    public var owner: String?
    /// Due date, `YYYY-MM-DD`.
    public var due: String?
    public var done: Bool
    public var doneBy: String?
    public var doneAt: Date?
    public var note: String?
    /// Stable key of a default item (`confirm_intent`, ...), nil for added items.
    public var key: String?
}

extension Meeting {
    /// Items before the meeting change while it is open; follow-up items while it is ended.
    func requireChecklistOpen(_ phase: Phase) throws(RoadshowError) {
        if phase == .ended {
            guard info.phase == .ended else {
                throw .conflict(info.phase.isOpen
                    ? "follow-up items belong to the time after the meeting; add them once it has ended"
                    : "the meeting is \(info.phase.en.lowercased()) (\(info.phase.zh)); its follow-up checklist can no longer change",
                    zh: info.phase.isOpen ? "会后跟进事项在会议结束后添加。" : "会议已处于“\(info.phase.zh)”阶段，会后跟进清单不能再修改。")
            }
        } else {
            try requireOpen("the checklist")
        }
    }

    func checklistItem(_ args: Args) throws(RoadshowError) -> ChecklistItem {
        let id = try args.id("item", prefix: "C-", what: "a checklist item id")
        guard let item = checklist.first(where: { $0.id == id }) else {
            throw .notFound("there is no checklist item \(id) in meeting \(self.id)", zh: "找不到这个清单事项（\(id)），它可能已被删除；请刷新后重试。", field: "args.item")
        }
        return item
    }

    static func checklistPhase(_ args: Args) throws(RoadshowError) -> Phase? {
        guard let phase = try args.optionalEnum("phase", Phase.self) else { return nil }
        guard phase == .preparing || phase == .rehearsal || phase == .ended else {
            throw .badRequest("args.phase must be preparing, rehearsal or ended (the follow-up): the checklist covers the time before and after the meeting", zh: "清单阶段只能是会议准备、会前联调或会后跟进。", field: "args.phase")
        }
        return phase
    }

    func checklistAdd(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "text", "phase", "owner", "due", "requestKey"])
        let phase = try Self.checklistPhase(args) ?? (info.phase == .ended ? .ended : info.phase == .rehearsal ? .rehearsal : .preparing)
        try requireChecklistOpen(phase)
        guard checklist.count < 200 else { throw RoadshowError(.tooLarge, "a checklist holds at most 200 items; remove some first") }
        let item = ChecklistItem(
            id: "C-\(nextChecklistNumber)",
            text: try args.string("text", maxLength: 300, what: "what has to be done"),
            phase: phase,
            owner: try args.optionalString("owner", maxLength: 100, what: "who does it"),
            due: try args.optionalDate("due"),
            done: false)
        var decision = Decision()
        decision.events.append(.checklistItemAdded(item))
        decision.result["item"] = JSON(encoding: item)
        return decision
    }

    func checklistSet(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "item", "done", "note", "requestKey"])
        var item = try checklistItem(args)
        try requireChecklistOpen(item.phase)
        let done = try args.bool("done")
        let note = try args.clearableString("note", maxLength: 500, what: "a note")
        var decision = Decision()
        if item.done != done {
            item.done = done
            item.doneBy = done ? ctx.actor.id : nil
            item.doneAt = done ? ctx.now : nil
        }
        if let note { item.note = note.isEmpty ? nil : note }
        if item != (try checklistItem(args)) { decision.events.append(.checklistItemSet(item)) }
        decision.result["item"] = JSON(encoding: item)
        return decision
    }

    func checklistRemove(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "item", "requestKey"])
        let item = try checklistItem(args)
        try requireChecklistOpen(item.phase)
        var decision = Decision()
        decision.events.append(.checklistItemRemoved(id: item.id))
        return decision
    }
}
