import Foundation

/// A change of phase, kept on the meeting: a forced go-live keeps its reason
/// and what it overrode, for the minutes and the leadership report.
public struct PhaseTransition: Sendable, Codable, Equatable {
    public let from: Phase
    public let to: Phase
    public let at: Date
    public let by: String
    public let forced: Bool
    public let reason: String?
    /// What stood in the way when the change was forced.
    public let blockers: [Blocker]?
}

/// Something that stands in the way of the next phase.
public struct Blocker: Sendable, Codable, Equatable {
    /// `checklist`, `participant`, `roster` or `minutes`.
    public let kind: String
    public let id: String?
    public let text: String
    /// For a participant: the checks still missing.
    public let missing: [AVCheckKind]?
}

extension Meeting {
    /// The phase after the current one, in mechanism 7's order.
    public var nextPhase: Phase? {
        switch info.phase {
        case .preparing: .rehearsal
        case .rehearsal: .live
        case .live: .ended
        case .ended: .closed
        case .dispatched, .closed: nil
        }
    }

    /// What must be done before moving to `phase`.
    public func blockers(for phase: Phase) -> [Blocker] {
        switch phase {
        case .live:
            var out: [Blocker] = checklist.filter { !$0.done }.map {
                Blocker(kind: "checklist", id: $0.id, text: $0.text, missing: nil)
            }
            if expectedParticipants.isEmpty {
                out.append(Blocker(kind: "roster", id: nil, text: "no one on the roster is expected to attend", missing: nil))
            }
            for p in expectedParticipants where !p.readiness.ready {
                out.append(Blocker(kind: "participant", id: p.id, text: p.displayName, missing: p.readiness.missing))
            }
            return out
        case .ended:
            var out: [Blocker] = []
            if !minutes.contains(where: { $0.kind == .intent }) {
                out.append(Blocker(kind: "minutes", id: "intent", text: "the minutes have no investment intent (投资合作意向)", missing: nil))
            }
            if !minutes.contains(where: { $0.kind == .nextContact }) {
                out.append(Blocker(kind: "minutes", id: "next_contact", text: "the minutes have no next contact (下次沟通)", missing: nil))
            }
            return out
        default:
            return []
        }
    }

    /// `meeting.advance`: to the next phase, or `conflict` listing the blockers
    /// unless forced with a reason.
    func advance(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "to", "force", "reason", "requestKey"])
        let to = try args.enumValue("to", Phase.self)
        let force = try args.optionalBool("force") ?? false
        let reason = try args.optionalString("reason", maxLength: 500, what: "why the meeting goes ahead anyway")
        guard to != info.phase else {
            throw .conflict("the meeting is already in \(to.rawValue) (\(to.zh))", zh: "会议已经处于“\(to.zh)”阶段。", field: "args.to")
        }
        if to == .dispatched {
            throw .conflict("a meeting is dispatched with dispatch.create, which names the handling unit", zh: "转办请在会后跟进中进行，需选定承办单位。", field: "args.to")
        }
        if info.phase == .dispatched || info.phase == .closed {
            throw .conflict("\(info.phase.rawValue) (\(info.phase.zh)) is the meeting's last phase", zh: "“\(info.phase.zh)”是会议的最后阶段。", field: "args.to")
        }
        guard let next = nextPhase, to == next else {
            let hint = nextPhase.map { "the next phase is \($0.rawValue) (\($0.zh))" } ?? "this meeting has no next phase here"
            throw .conflict("cannot go from \(info.phase.rawValue) to \(to.rawValue): \(hint)", zh: "不能从“\(info.phase.zh)”直接进入“\(to.zh)”。", field: "args.to")
        }
        if to == .closed && reason == nil {
            throw .badRequest("args.reason is required to close a meeting without a dispatch: say why it is not dispatched", zh: "必填：不转办就结束会议，需要写明原因。", field: "args.reason")
        }
        if force && reason == nil {
            throw .badRequest("args.reason is required when forcing: say why the meeting goes ahead anyway", zh: "必填：强制推进需要写明原因——为什么仍要继续？", field: "args.reason")
        }
        let blockers = blockers(for: to)
        if !blockers.isEmpty && !force {
            let summary = blockers.prefix(3).map(\.text).joined(separator: "; ")
            throw .conflict(
                "\(blockers.count) thing(s) to finish before moving to \(to.rawValue) (\(to.zh)): \(summary)\(blockers.count > 3 ? "; …" : "")"
                    + " — finish them, or force with a reason",
                zh: "进入“\(to.zh)”前还有 \(blockers.count) 项未完成：\(summary)\(blockers.count > 3 ? "；……" : "")。请先完成，或写明原因后强制推进。",
                field: "args.to",
                details: ["blockers": JSON(encoding: blockers)])
        }
        let transition = PhaseTransition(
            from: info.phase, to: to, at: ctx.now, by: ctx.actor.id, forced: force && !blockers.isEmpty,
            reason: reason, blockers: blockers.isEmpty ? nil : blockers)
        var advanced = info
        advanced.phase = to
        advanced.updatedAt = ctx.now
        advanced.transitions = (advanced.transitions ?? []) + [transition]
        var decision = Decision()
        if to == .ended {
            // The meeting is over: whoever has the floor is done, and so is the running item.
            if floor != nil {
                decision.events.append(.queueReleased(change(queue: [], floor: nil, speech: endSpeech(ctx.now))))
            } else if !queue.isEmpty {
                decision.events.append(.queueRemoved(change(queue: [], floor: nil)))
            }
            finishRunning(&decision, ctx)
            for item in followupChecklist(endedAt: ctx.now, ctx) { decision.events.append(.checklistItemAdded(item)) }
        }
        if to == .closed, let tick = tickFollowup("dispatch_or_close", ctx) { decision.events.append(tick) }
        decision.events.append(.meetingAdvanced(advanced))
        decision.result["meeting"] = JSON(encoding: advanced)
        decision.result["transition"] = JSON(encoding: transition)
        return decision
    }
}
