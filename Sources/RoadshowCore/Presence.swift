import Foundation

/// Attendance in the live meeting: present, away or left, with a reason
/// (the etiquette asks people to explain a short or early leave).
public struct Presence: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable, Labelled {
        case present, away, left
        public var zh: String { self == .present ? "在线" : self == .away ? "暂离" : "已离会" }
        public var en: String { self == .present ? "Present" : self == .away ? "Away" : "Left" }
    }

    public struct Change: Sendable, Codable, Equatable {
        public let status: Status
        public let at: Date
        public let reason: String?
    }

    public var status: Status
    public var since: Date
    public var reason: String?
    /// Every change, oldest first: join and leave times come from here.
    public var log: [Change]

    /// When the participant first was present.
    public var joinedAt: Date? { log.first { $0.status == .present }?.at }
    /// When the participant last left, if it has not come back since.
    public var leftAt: Date? { status == .left ? since : nil }
}

extension Meeting {
    /// `presence.set` (self).
    func presenceSet(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        var p = try me(ctx, "setting presence")
        try args.rejectUnknown(["meeting", "status", "reason", "requestKey"])
        guard info.phase == .rehearsal || info.phase == .live else {
            throw .conflict("presence is kept during the joint test and the meeting; the meeting is \(info.phase.rawValue) (\(info.phase.zh))", zh: "在场状态只在会前联调和会中记录；会议现在处于“\(info.phase.zh)”阶段。")
        }
        let status = try args.enumValue("status", Presence.Status.self)
        let reason = try args.optionalString("reason", maxLength: 200, what: "why you step away or leave")
        if p.presence?.status == status && reason == p.presence?.reason {
            var decision = Decision()
            decision.result["participant"] = JSON(encoding: p)
            return decision
        }
        let change = Presence.Change(status: status, at: ctx.now, reason: reason)
        p.presence = Presence(status: status, since: ctx.now, reason: reason, log: (p.presence?.log ?? []) + [change])
        var decision = Decision()
        decision.events.append(.presenceChanged(p))
        decision.result["participant"] = JSON(encoding: p)
        return decision
    }
}
