import Foundation

/// Who may see and act on a dispatch record: the admin; the organizer that
/// owns it (the meeting's owner); the handling unit it is assigned to.
public enum RecordAccess {
    public static func canView(_ actor: Actor, _ r: DispatchRecord) -> Bool {
        switch actor.kind {
        case .admin: true
        case .organizer: r.owner == actor.id
        case .unit: r.handlingUnit.id == actor.id
        case .participant: false
        }
    }

    public static func canOwn(_ actor: Actor, _ r: DispatchRecord) -> Bool {
        actor.kind == .admin || (actor.kind == .organizer && r.owner == actor.id)
    }

    public static func notVisible(_ actor: Actor, _ id: String) -> RoadshowError {
        switch actor.kind {
        case .unit: .forbidden("dispatch record \(id) is assigned to another unit", zh: "转办件 \(id) 已交办给其他单位，您无权查看。")
        case .participant: .forbidden("a participant's invite link opens its meeting only, not dispatch records", zh: "个人邀请链接只能打开所属会议，不能查看转办件。")
        default: .forbidden("dispatch record \(id) belongs to another organizer", zh: "转办件 \(id) 属于其他组织方。")
        }
    }

    static func requireView(_ actor: Actor, _ r: DispatchRecord) throws(RoadshowError) {
        guard canView(actor, r) else { throw notVisible(actor, r.id) }
    }

    static func requireOwn(_ actor: Actor, _ r: DispatchRecord) throws(RoadshowError) {
        try requireView(actor, r)
        guard canOwn(actor, r) else {
            throw .forbidden("only the organizer that owns \(r.id) can do this; as its handling unit you post feedback and escalate", zh: "只有负责 \(r.id) 的组织方可以这样做；承办单位可以填报进展和申请提级协调。")
        }
    }
}

extension Meeting {
    /// `dispatch.create`: the record, and the meeting moved to `dispatched`.
    func dispatchCreate(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        guard ctx.actor.kind == .admin || (ctx.actor.kind == .organizer && info.owner == ctx.actor.id) else {
            throw .forbidden("only the organizer that owns \(id) dispatches it", zh: "只有会议的组织方可以转办。")
        }
        try args.rejectUnknown(["meeting", "handlingUnit", "commissioner", "stage", "district", "summary", "requestKey"])
        guard info.phase == .ended else {
            if info.phase == .dispatched { throw .conflict("\(id) was already dispatched as \(info.dispatch ?? "a record")", zh: "这场会议已经转办（\(info.dispatch ?? "转办件")）。") }
            throw .conflict("only an ended meeting can be dispatched: \(id) is in \(info.phase.rawValue) (\(info.phase.zh))", zh: "会议结束后才能转办；会议现在处于“\(info.phase.zh)”阶段。")
        }
        let unitId = try args.id("handlingUnit", prefix: "A-", what: "a unit account id such as A-7Q2K9M (see account.list)")
        guard let account = ctx.world?.account(unitId) else {
            throw .notFound("there is no account \(unitId); the admin creates unit accounts (account.create with kind unit)", zh: "找不到承办单位账号 \(unitId)：请管理员先新建该单位账号（类型：承办单位）。", field: "args.handlingUnit")
        }
        guard account.kind == .unit else {
            throw .badRequest("\(unitId) is an \(account.kind.rawValue) account, not a unit account", zh: "\(unitId) 不是承办单位账号，请选择一个承办单位。", field: "args.handlingUnit")
        }
        let category = info.project.category
        let stage = try DispatchRecord.stageArg(args, category)
        let commissioner = try Commissioner.parse(args, "commissioner")
        let of = { (k: MinutesEntry.Kind) in self.minutes.filter { $0.kind == k }.map(\.text) }
        let district = try args.optionalString("district", maxLength: 60, what: "the district or county") ?? followup.intent?.district
        let summary = try args.optionalString("summary", maxLength: 2000, what: "a summary for the handling unit")
            ?? (of(.intent).isEmpty ? info.title : of(.intent).joined(separator: "；"))
        let recordId = ctx.makeId("D", length: 6)
        let record = DispatchRecord(
            id: recordId, meeting: id, meetingTitle: info.title, meetingAt: info.startsAt, owner: info.owner, ownerName: info.ownerName,
            company: info.company, project: info.project, category: category, stage: stage, status: .open, level: .county,
            handlingUnit: .init(id: account.id, name: account.name), commissioner: commissioner, district: district,
            summary: summary,
            minutes: .init(intent: of(.intent), needs: of(.needs), prospects: of(.prospects), decisions: of(.decision)),
            actions: minutes.filter { $0.kind == .action }.map { .init(text: $0.text, owner: $0.owner, due: $0.due) },
            assessments: followup.assessments, intent: followup.intent, feedback: [], escalations: [],
            stages: [.init(stage: stage, at: ctx.now)], closure: nil, closures: nil, reopenings: nil,
            createdAt: ctx.now, createdBy: ctx.actor.id, updatedAt: ctx.now)
        let due = record.due(now: ctx.now, policy: ctx.policy)
        var decision = Decision()
        decision.spawned = (recordId, [.dispatchCreated(record, due)])
        var advanced = info
        let transition = PhaseTransition(from: .ended, to: .dispatched, at: ctx.now, by: ctx.actor.id, forced: false, reason: nil, blockers: nil)
        advanced.phase = .dispatched
        advanced.dispatch = recordId
        advanced.updatedAt = ctx.now
        advanced.transitions = (advanced.transitions ?? []) + [transition]
        decision.events.append(.meetingAdvanced(advanced))
        if let tick = tickFollowup("dispatch_or_close", ctx) { decision.events.append(tick) }
        decision.result["record"] = record.full(now: ctx.now, policy: ctx.policy)
        return decision
    }
}

extension DispatchRecord {
    static func stageArg(_ args: Args, _ category: ProjectCategory, key: String = "stage") throws(RoadshowError) -> DispatchStage {
        let stage = try args.enumValue(key, DispatchStage.self)
        let allowed = DispatchStage.stages(of: category)
        guard allowed.contains(stage) else {
            throw .badRequest(
                "\(stage.rawValue) is not a stage of a \(category == .industrial ? "an industrial" : "non-industrial") record: use \(allowed.map(\.rawValue).joined(separator: ", "))", zh: "这个推进阶段不适用于该类项目，请从列出的阶段中选择。",
                field: args.fieldPath(key))
        }
        return stage
    }

    func requireOpen() throws(RoadshowError) {
        guard status == .open else {
            let how = closure?.outcome == .shelved ? "; reopen it first (dispatch.reopen)" : ""
            throw .conflict("\(id) was closed as \(closure?.outcome.rawValue ?? "done") (\(closure?.outcome.zh ?? "办结")); it takes no more feedback\(how)", zh: "该转办件已办结（\(closure?.outcome.zh ?? "办结")），不再接受反馈\(closure?.outcome == .shelved ? "；如需继续，请先重新启动" : "")。")
        }
    }

    func changed(_ r: DispatchRecord, _ ctx: Context) -> DispatchChange {
        DispatchChange(r, due: r.due(now: ctx.now, policy: ctx.policy))
    }

    mutating func enter(_ stage: DispatchStage, at: Date) {
        if self.stage != stage || stages.isEmpty { stages.append(.init(stage: stage, at: at)) }
        self.stage = stage
    }

    /// `dispatch.feedback`: the handling unit's periodic feedback, under the rule of mechanism 3.
    func postFeedback(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try RecordAccess.requireView(ctx.actor, self)
        try args.rejectUnknown(["record", "text", "stage", "commissioner", "corrects", "requestKey"])
        try requireOpen()
        guard case .string(let text)? = args.fields["text"] else {
            if args.has("text") { throw .badRequest("args.text must be a string (this period's progress)", zh: "请用文字填写本期进展。", field: "args.text") }
            throw .badRequest("args.text is required: this period's progress", zh: "必填：请写明本期进展。", field: "args.text", reason: "required")
        }
        if text.count > 4000 {
            try args.reject(args.fault("text", "too_long", ["max": 4000], en: "is too long: at most 4000 characters", zh: "太长了：最多 4000 个字"))
        }
        let stage = try Self.stageArg(args, category)
        let commissioner = try Commissioner.parse(args, "commissioner")
        let corrects = try args.optionalId("corrects", prefix: "F-", what: "the feedback entry this one corrects")
        if let corrects, !feedback.contains(where: { $0.id == corrects }) {
            throw .notFound("there is no feedback \(corrects) on \(id)", zh: "找不到要更正的那条反馈（\(corrects)）。", field: "args.corrects")
        }
        let others = ctx.world?.latestFeedback(handledBy: handlingUnit.id, except: id) ?? []
        let verdict = FeedbackRule.check(text, previous: feedback.last?.text, others: others)
        let similar: FeedbackRule.Similar?
        switch verdict {
        case .rejected(let reason): throw FeedbackRule.error(reason)
        case .accepted(let s): similar = s
        }
        let entry = Feedback(
            id: "F-\(feedback.count + 1)", text: text.trimmingCharacters(in: .whitespacesAndNewlines), stage: stage,
            commissioner: commissioner, by: ctx.actor.id, byName: ctx.actor.name, at: ctx.now, corrects: corrects,
            similarTo: similar.map { [Feedback.Similar(record: $0.record, similarity: ($0.similarity * 100).rounded() / 100)] })
        var next = self
        next.feedback.append(entry)
        next.enter(stage, at: ctx.now)
        next.commissioner = commissioner
        next.updatedAt = ctx.now
        let change = changed(next, ctx)
        var decision = Decision()
        decision.events.append(.dispatchFeedbackPosted(entry, change))
        decision.result["feedback"] = JSON(encoding: entry)
        decision.result["record"] = next.row(now: ctx.now, policy: ctx.policy)
        return decision
    }

    /// `dispatch.escalate`: county → city → province, each with a 15-day clock.
    func escalate(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try RecordAccess.requireView(ctx.actor, self)
        try args.rejectUnknown(["record", "to", "reason", "problem", "requestKey"])
        try requireOpen()
        let to = try args.enumValue("to", EscalationLevel.self)
        guard let next = level.next else {
            throw .conflict("\(id) is at province level (省) already, the highest there is", zh: "该转办件已提级到省级，不能再提级。", field: "args.to")
        }
        guard to == next else {
            throw .conflict("\(id) is at \(level.rawValue) level (\(level.zh)); the next level is \(next.rawValue) (\(next.zh))", zh: "该转办件目前为\(level.zh)级，只能提级到\(next.zh)级。", field: "args.to")
        }
        let reason = try args.string("reason", maxLength: 1000, what: "why this level cannot solve it")
        let problem = try args.optionalString("problem", maxLength: 1000, what: "the problem to solve") ?? reason
        let today = ctx.policy.calendar.day(of: ctx.now)
        let esc = Escalation(
            id: "E-\(escalations.count + 1)", from: level, to: to, reason: reason, problem: problem, at: ctx.now,
            by: ctx.actor.id, byName: ctx.actor.name, due: Deadlines.coordinationAnswer(raised: today).description, answer: nil)
        var record = self
        record.escalations.append(esc)
        record.level = to
        record.updatedAt = ctx.now
        var decision = Decision()
        decision.events.append(.dispatchEscalated(esc, changed(record, ctx)))
        decision.result["escalation"] = JSON(encoding: esc)
        decision.result["record"] = record.row(now: ctx.now, policy: ctx.policy)
        return decision
    }

    /// `dispatch.answer`: the answer to an open escalation (organizer).
    func answer(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try RecordAccess.requireOwn(ctx.actor, self)
        try args.rejectUnknown(["record", "escalation", "text", "requestKey"])
        let eid = try args.id("escalation", prefix: "E-", what: "an escalation id such as E-1")
        guard let i = escalations.firstIndex(where: { $0.id == eid }) else {
            throw .notFound("there is no escalation \(eid) on \(id)", zh: "找不到这条提级协调申请（\(eid)）。", field: "args.escalation")
        }
        if let a = escalations[i].answer {
            throw .conflict("\(eid) was answered on \(Timestamp.format(a.at)) by \(a.byName)", zh: "这条提级协调申请已于 \(Timestamp.format(a.at)) 由 \(a.byName) 答复。", field: "args.escalation")
        }
        var record = self
        record.escalations[i].answer = .init(
            text: try args.string("text", maxLength: 2000, what: "the answer"), at: ctx.now, by: ctx.actor.id, byName: ctx.actor.name)
        record.updatedAt = ctx.now
        var decision = Decision()
        decision.events.append(.dispatchAnswered(record.escalations[i], changed(record, ctx)))
        decision.result["escalation"] = JSON(encoding: record.escalations[i])
        decision.result["record"] = record.row(now: ctx.now, policy: ctx.policy)
        return decision
    }

    /// `dispatch.close` (办结).
    func close(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try RecordAccess.requireOwn(ctx.actor, self)
        try args.rejectUnknown(["record", "outcome", "reason", "requestKey"])
        guard status == .open else { throw .conflict("\(id) is closed already (\(closure?.outcome.zh ?? "办结"))", zh: "该转办件已经办结（\(closure?.outcome.zh ?? "办结")）。") }
        let outcome = try args.enumValue("outcome", DispatchStage.self)
        let allowed = DispatchStage.closingOutcomes(of: category)
        guard allowed.contains(outcome) else {
            let what = category == .industrial ? "an industrial record closes as started or shelved" : "a non-industrial record closes as matter_connected"
            throw .badRequest("\(what), not \(outcome.rawValue)", zh: "\(category == .industrial ? "产业类项目只能以“已开工”或“搁置”办结" : "非产业类事项只能以“事项已对接”办结")。", field: "args.outcome")
        }
        let reason = try args.optionalString("reason", maxLength: 1000, what: "why")
        if outcome == .shelved, reason == nil {
            throw .badRequest("args.reason is required: a shelved record needs a reason — why is the project not going ahead?", zh: "必填：搁置需要写明原因——项目为什么不再推进？", field: "args.reason")
        }
        var record = self
        let closure = DispatchRecord.Closure(outcome: outcome, reason: reason, at: ctx.now, by: ctx.actor.id, previousStage: stage)
        record.closure = closure
        record.closures = (closures ?? []) + [closure]
        record.status = .closed
        record.enter(outcome, at: ctx.now)
        record.updatedAt = ctx.now
        var decision = Decision()
        decision.events.append(.dispatchClosed(changed(record, ctx)))
        decision.result["record"] = record.row(now: ctx.now, policy: ctx.policy)
        return decision
    }

    /// `dispatch.reopen`: a shelved record goes on.
    func reopen(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try RecordAccess.requireOwn(ctx.actor, self)
        try args.rejectUnknown(["record", "reason", "stage", "requestKey"])
        guard status == .closed, let closure, closure.outcome == .shelved else {
            let now = status == .open ? "is open" : "was closed as \(closure?.outcome.rawValue ?? "?")"
            throw .conflict("only a shelved record can be reopened; \(id) \(now)", zh: "只有已搁置的转办件可以重新启动。")
        }
        let reason = try args.string("reason", maxLength: 1000, what: "why the project is back")
        var stage = closure.previousStage == .shelved ? DispatchStage.negotiating : closure.previousStage
        if args.has("stage") {
            stage = try Self.stageArg(args, category)
            guard stage != .shelved else { throw .badRequest("a reopened record cannot stay shelved: pick another stage", zh: "重新启动的转办件不能仍为“搁置”，请选择其他推进阶段。", field: "args.stage") }
        }
        var record = self
        record.closure = nil
        record.status = .open
        record.enter(stage, at: ctx.now)
        record.reopenings = (reopenings ?? []) + [.init(reason: reason, at: ctx.now, by: ctx.actor.id, stage: stage)]
        record.updatedAt = ctx.now
        var decision = Decision()
        decision.events.append(.dispatchReopened(changed(record, ctx)))
        decision.result["record"] = record.row(now: ctx.now, policy: ctx.policy)
        return decision
    }
}
