import Foundation

/// One attending unit's assessment after the meeting (mechanism 7 §5.2).
public struct UnitAssessment: Sendable, Codable, Equatable {
    public let unit: String
    public var feasible: Bool
    /// 承接意向: willing to host the project.
    public var willingToHost: Bool
    public var comment: String
    public let by: String
    public let byName: String
    public let at: Date
}

/// The company's further intent after the meeting (mechanism 7 §5.3).
public struct CompanyIntent: Sendable, Codable, Equatable {
    public var furtherTalks: Bool
    /// 拟落户区县.
    public var district: String?
    public var unitsNeeded: [String]?
    public var comment: String?
    /// The organizer's recommendation for the leadership report.
    public var recommendation: String?
    public let by: String
    public let at: Date
}

/// The follow-up of an ended meeting: the government side's, never the company's.
public struct Followup: Sendable, Equatable, Codable {
    public var assessments: [UnitAssessment] = []
    public var intent: CompanyIntent?
}

/// The follow-up checklist (mechanism 7 §5), added when the meeting ends,
/// each item due a number of working days after the meeting's day.
public enum FollowupChecklist {
    public struct Seed: Sendable {
        public let key: String
        public let workingDays: Int
        public let zh: String
        public let en: String
    }

    public static let items: [Seed] = [
        Seed(key: "report_leadership", workingDays: 2,
             zh: "向本单位领导汇报路演情况", en: "Report the roadshow to the unit's leadership"),
        Seed(key: "unit_assessments", workingDays: 5,
             zh: "征求各参会单位评估意见及承接意向", en: "Collect each attending unit's assessment and willingness to host"),
        Seed(key: "company_intent", workingDays: 5,
             zh: "了解企业进一步洽谈意向、拟落户区县及需对接单位",
             en: "Ask the company about further talks, its intended district and the units it needs"),
        Seed(key: "client_information", workingDays: Deadlines.clientInformationWorkingDays,
             zh: "录入客商信息（对接后5个工作日内）", en: "Enter the client information (within 5 working days of the contact)"),
        Seed(key: "dispatch_or_close", workingDays: 10,
             zh: "通过调度平台转办，或说明理由结束", en: "Dispatch through the platform, or close with a reason"),
    ]
}

extension Meeting {
    /// The units expected to assess: roster entries with role `unit` that did
    /// not decline, by unit name, in roster order.
    public var attendingUnits: [String] {
        var seen: Set<String> = []
        return roster.filter { $0.role == .unit && $0.attending != false }.compactMap { seen.insert($0.unit).inserted ? $0.unit : nil }
    }

    /// The follow-up as a snapshot shows it.
    var followupJSON: JSON {
        var o: [String: JSON] = [
            "units": JSON(encoding: attendingUnits),
            "assessments": JSON(encoding: followup.assessments),
        ]
        if let i = followup.intent { o["intent"] = JSON(encoding: i) }
        return .object(o)
    }

    /// Is this actor outside the government side (the company)? It sees no follow-up.
    public func isOutsider(_ actor: Actor) -> Bool {
        actor.kind == .participant && participant(actor.id)?.role == .company
    }

    /// The checklist items added with the advance to `ended`.
    func followupChecklist(endedAt now: Date, _ ctx: Context) -> [ChecklistItem] {
        let end = max(now, info.startsAt.addingTimeInterval(Double(info.durationMinutes) * 60))
        let day = ctx.policy.calendar.day(of: min(now, end))
        var number = nextChecklistNumber
        return FollowupChecklist.items.map { seed in
            defer { number += 1 }
            let due = ctx.policy.calendar.addWorkingDays(seed.workingDays, to: day).value
            return ChecklistItem(
                id: "C-\(number)", text: seed.zh, textEn: seed.en, phase: .ended, due: due.description, done: false, key: seed.key)
        }
    }

    /// The event that ticks a follow-up item, if it is there and not done.
    func tickFollowup(_ key: String, _ ctx: Context) -> DomainEvent? {
        guard var item = checklist.first(where: { $0.key == key && $0.phase == .ended }), !item.done else { return nil }
        item.done = true
        item.doneBy = ctx.actor.id
        item.doneAt = ctx.now
        return .checklistItemSet(item)
    }

    func requireFollowupPhase() throws(RoadshowError) {
        switch info.phase {
        case .ended: return
        case .dispatched:
            throw .conflict("the meeting was dispatched (已转办) as \(info.dispatch ?? "a record"); its follow-up is closed — post progress on the record", zh: "会议已转办（\(info.dispatch ?? "转办件")），会后跟进已结束：请在转办件上填报进展。")
        case .closed: throw .conflict("the meeting was closed (已结束); its follow-up is over", zh: "会议已结束，会后跟进也已结束。")
        default:
            throw .conflict("follow-up happens after the meeting: the meeting is in \(info.phase.rawValue) (\(info.phase.zh)); end it first", zh: "会后跟进在会议结束后进行；会议现在处于“\(info.phase.zh)”阶段，请先结束会议。")
        }
    }

    /// `followup.assess`: a manager for any attending unit, a unit's own participant for its unit.
    func followupAssess(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try args.rejectUnknown(["meeting", "unit", "feasible", "willingToHost", "comment", "requestKey"])
        let units = attendingUnits
        let given = try args.string("unit", maxLength: 100, what: "an attending unit's name as on the roster, or its participant id")
        let unit: String
        if given.hasPrefix("P-"), let p = participant(given), p.role == .unit { unit = p.unit } else { unit = given }
        if !Permissions.canManage(ctx.actor, self) {
            guard let me = participant(ctx.actor.id), me.role == .unit else {
                throw .forbidden("only the attending units and the organizer give assessments", zh: "只有出席的单位和组织方可以填写评估意见。")
            }
            guard me.unit == unit else { throw .forbidden("you can assess only for your own unit, \(me.unit)", zh: "您只能为本单位（\(me.unit)）填写评估意见。") }
        }
        try requireFollowupPhase()
        guard units.contains(unit) else {
            let list = units.isEmpty ? "none: add the units to the roster with role unit" : units.joined(separator: "、")
            throw .notFound("\(unit) is not an attending unit of \(id); attending units: \(list)", zh: "\(unit) 不是这场会议的出席单位；出席单位：\(list)。", field: "args.unit")
        }
        let assessment = UnitAssessment(
            unit: unit, feasible: try args.bool("feasible"), willingToHost: try args.bool("willingToHost"),
            comment: try args.string("comment", maxLength: 1000, what: "the unit's reasons"),
            by: ctx.actor.id, byName: ctx.actor.name, at: ctx.now)
        var decision = Decision()
        decision.events.append(.followupAssessed(assessment))
        var after = followup.assessments.filter { $0.unit != unit }.map(\.unit)
        after.append(unit)
        if Set(units).isSubset(of: after), let tick = tickFollowup("unit_assessments", ctx) { decision.events.append(tick) }
        decision.result["assessment"] = JSON(encoding: assessment)
        return decision
    }

    /// `followup.intent`: the company's further intent (managers).
    func followupIntent(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "furtherTalks", "district", "unitsNeeded", "comment", "recommendation", "requestKey"])
        try requireFollowupPhase()
        let intent = CompanyIntent(
            furtherTalks: try args.bool("furtherTalks"),
            district: try args.optionalString("district", maxLength: 60, what: "the intended district or county"),
            unitsNeeded: try args.stringList("unitsNeeded", maxCount: 20, maxLength: 100).flatMap { $0.isEmpty ? nil : $0 },
            comment: try args.optionalString("comment", maxLength: 1000, what: "a comment"),
            recommendation: try args.optionalString("recommendation", maxLength: 1000, what: "the recommendation to leadership"),
            by: ctx.actor.id, at: ctx.now)
        var decision = Decision()
        decision.events.append(.followupIntentRecorded(intent))
        if let tick = tickFollowup("company_intent", ctx) { decision.events.append(tick) }
        decision.result["intent"] = JSON(encoding: intent)
        return decision
    }
}
