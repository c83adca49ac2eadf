import Foundation

/// One hand raised: to speak, to ask a question, or a point of order.
public struct QueueEntry: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable, Labelled {
        case speak, question
        case pointOfOrder = "point_of_order"

        public var zh: String { self == .speak ? "发言" : self == .question ? "提问" : "程序性问题" }
        public var en: String { self == .speak ? "Speak" : self == .question ? "Question" : "Point of order" }
    }

    public let id: String
    public let participant: String
    public let displayName: String
    public let unit: String
    public let kind: Kind
    public let text: String?
    public let raisedAt: Date
    /// Participants who upvoted this question, one vote each.
    public var votes: [String]
}

/// Who has the floor now.
public struct Floor: Sendable, Codable, Equatable {
    public let entry: String?
    public let participant: String
    public let displayName: String
    public let unit: String
    public let kind: QueueEntry.Kind
    public let text: String?
    public let grantedAt: Date
    /// The running agenda item's limit per speech, if it has one: clients count down.
    public let limitSeconds: Int?
    public let agendaItem: String?
}

/// A finished speech, for speaking time per participant and per unit.
public struct Speech: Sendable, Codable, Equatable {
    public let participant: String
    public let displayName: String
    public let unit: String
    public let kind: QueueEntry.Kind
    public let start: Date
    public let end: Date
    public let seconds: Int
    public let agendaItem: String?
    public let overLimit: Bool
}

/// The queue after a change: every queue event carries the whole order and
/// the floor, so every client shows the same thing without re-deriving it.
public struct QueueChange: Sendable, Codable, Equatable {
    public var entry: QueueEntry?
    public var queue: [QueueEntry]
    public var floor: Floor?
    /// The speech that ended with this change, if one did.
    public var speech: Speech?
    /// Speaking time per participant and per unit after this change, when a
    /// speech ended (`Meeting.speakingTotals`): clients show it as sent.
    public var speakingTotals: JSON?
}

extension Meeting {
    /// Points of order first, then first come, first served.
    static func ordered(_ entries: [QueueEntry]) -> [QueueEntry] {
        entries.enumerated().sorted { a, b in
            let pa = a.element.kind == .pointOfOrder, pb = b.element.kind == .pointOfOrder
            if pa != pb { return pa }
            if a.element.raisedAt != b.element.raisedAt { return a.element.raisedAt < b.element.raisedAt }
            return a.offset < b.offset
        }.map(\.element)
    }

    func queueEntry(_ args: Args) throws(RoadshowError) -> QueueEntry {
        let id = try args.id("entry", prefix: "Q-", what: "a queue entry id")
        guard let e = queue.first(where: { $0.id == id }) else {
            throw .conflict("\(id) is not waiting in the queue (it may have been granted, lowered or removed)", zh: "这条发言申请已不在等候队列中（可能已被安排、撤回或移除）。", field: "args.entry")
        }
        return e
    }

    func me(_ ctx: Context, _ what: String) throws(RoadshowError) -> Participant {
        guard ctx.actor.kind == .participant, let p = participant(ctx.actor.id) else {
            throw .forbidden("\(what) is done by a participant for itself; open your personal invite link", zh: "这项操作只能由参会人本人进行：请打开您的个人邀请链接。")
        }
        return p
    }

    func change(entry: QueueEntry? = nil, queue: [QueueEntry], floor: Floor?, speech: Speech? = nil) -> QueueChange {
        QueueChange(
            entry: entry, queue: Self.ordered(queue), floor: floor, speech: speech,
            speakingTotals: speech.map { Self.speakingTotals(speeches + [$0]) })
    }

    /// The speech of whoever has the floor, ended now.
    func endSpeech(_ now: Date) -> Speech? {
        guard let f = floor else { return nil }
        let seconds = max(0, Int(now.timeIntervalSince(f.grantedAt).rounded()))
        return Speech(
            participant: f.participant, displayName: f.displayName, unit: f.unit, kind: f.kind, start: f.grantedAt, end: now,
            seconds: seconds, agendaItem: f.agendaItem, overLimit: f.limitSeconds.map { seconds > $0 } ?? false)
    }

    func queueRaise(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        let p = try me(ctx, "raising a hand")
        try args.rejectUnknown(["meeting", "kind", "text", "requestKey"])
        try requireLive("hands are raised")
        let kind = try args.enumValue("kind", QueueEntry.Kind.self)
        let text = try args.optionalString("text", maxLength: 500, what: "your question")
        if kind == .question && text == nil {
            throw .badRequest("args.text is required for a question: write the question", zh: "必填：请写下您的问题。", field: "args.text")
        }
        if let mine = queue.first(where: { $0.participant == p.id }) {
            throw .conflict("you are already in the queue (\(mine.id)); lower your hand first to change it", zh: "您已在发言队列中，如需修改，请先撤回举手。")
        }
        let entry = QueueEntry(
            id: "Q-\(nextQueueNumber)", participant: p.id, displayName: p.displayName, unit: p.unit, kind: kind,
            text: text, raisedAt: ctx.now, votes: [])
        var decision = Decision()
        decision.events.append(.queueRaised(change(entry: entry, queue: queue + [entry], floor: floor)))
        decision.result["entry"] = JSON(encoding: entry)
        decision.result["position"] = .int(Int64((Self.ordered(queue + [entry]).firstIndex { $0.id == entry.id } ?? 0) + 1))
        return decision
    }

    func queueLower(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        let p = try me(ctx, "lowering a hand")
        try args.rejectUnknown(["meeting", "requestKey"])
        guard let mine = queue.first(where: { $0.participant == p.id }) else {
            throw .conflict("your hand is not raised", zh: "您没有举手。")
        }
        var decision = Decision()
        decision.events.append(.queueLowered(change(entry: mine, queue: queue.filter { $0.id != mine.id }, floor: floor)))
        return decision
    }

    func queueUpvote(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        let p = try me(ctx, "upvoting")
        try args.rejectUnknown(["meeting", "entry", "requestKey"])
        try requireLive("questions are upvoted")
        var entry = try queueEntry(args)
        guard entry.kind == .question else { throw .conflict("only questions can be upvoted", zh: "只有提问可以点赞。", field: "args.entry") }
        guard entry.participant != p.id else { throw .conflict("you cannot upvote your own question", zh: "不能给自己的提问点赞。", field: "args.entry") }
        guard !entry.votes.contains(p.id) else { throw .conflict("you already upvoted \(entry.id): one vote each", zh: "您已经为这个提问点过赞了：每人一票。", field: "args.entry") }
        entry.votes.append(p.id)
        var decision = Decision()
        decision.events.append(.queueUpvoted(change(entry: entry, queue: queue.map { $0.id == entry.id ? entry : $0 }, floor: floor)))
        decision.result["entry"] = JSON(encoding: entry)
        return decision
    }

    /// Speeches a meeting records at most: a bound on what every snapshot
    /// carries (a day-long meeting has a few hundred).
    static let speechLimit = 1000

    func grant(_ entry: QueueEntry, _ ctx: Context) throws(RoadshowError) -> Decision {
        guard speeches.count < Self.speechLimit else {
            throw .tooLarge(
                "this meeting has recorded \(Self.speechLimit) speeches, the most one meeting holds; continue in a new meeting",
                zh: "本场会议已记录 \(Self.speechLimit) 次发言，已达上限；请另开一场会议继续。", reason: "speech_limit",
                params: ["limit": .int(Int64(Self.speechLimit))])
        }
        let current = currentAgendaItem
        let f = Floor(
            entry: entry.id, participant: entry.participant, displayName: entry.displayName, unit: entry.unit,
            kind: entry.kind, text: entry.text, grantedAt: ctx.now, limitSeconds: current?.speakingLimitSeconds,
            agendaItem: current?.id)
        var decision = Decision()
        decision.events.append(.queueGranted(change(
            entry: entry, queue: queue.filter { $0.id != entry.id }, floor: f, speech: endSpeech(ctx.now))))
        decision.result["floor"] = JSON(encoding: f)
        return decision
    }

    func queueGrant(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireFloor(ctx.actor, self)
        try args.rejectUnknown(["meeting", "entry", "requestKey"])
        try requireLive("the floor is granted")
        return try grant(try queueEntry(args), ctx)
    }

    /// `queue.next`: the first in order, or with `by: votes` the most upvoted question.
    func queueNext(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireFloor(ctx.actor, self)
        try args.rejectUnknown(["meeting", "by", "requestKey"])
        try requireLive("the floor is granted")
        let byVotes = try args.optionalEnum("by", NextOrder.self) == .votes
        let ordered = Self.ordered(queue)
        let pick: QueueEntry?
        if byVotes {
            pick = ordered.filter { $0.kind == .question }.enumerated()
                .max { a, b in a.element.votes.count != b.element.votes.count ? a.element.votes.count < b.element.votes.count : a.offset > b.offset }?
                .element
            if pick == nil { throw .conflict("no question is waiting", zh: "没有等候中的提问。", field: "args.by") }
        } else {
            pick = ordered.first
        }
        guard let entry = pick else { throw .conflict("the queue is empty", zh: "发言队列是空的。") }
        return try grant(entry, ctx)
    }

    enum NextOrder: String, CaseIterable { case order, votes }

    func queueRelease(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try args.rejectUnknown(["meeting", "requestKey"])
        if !(ctx.actor.kind == .participant && ctx.actor.id == floor?.participant) {
            try Permissions.requireFloor(ctx.actor, self)
        }
        guard floor != nil else { throw .conflict("no one has the floor", zh: "现在没有人在发言。") }
        var decision = Decision()
        let speech = endSpeech(ctx.now)
        decision.events.append(.queueReleased(change(queue: queue, floor: nil, speech: speech)))
        decision.result["speech"] = speech.map { JSON(encoding: $0) } ?? .null
        return decision
    }

    func queueRemove(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireFloor(ctx.actor, self)
        try args.rejectUnknown(["meeting", "entry", "requestKey"])
        try requireLive("the queue changes")
        let entry = try queueEntry(args)
        var decision = Decision()
        decision.events.append(.queueRemoved(change(entry: entry, queue: queue.filter { $0.id != entry.id }, floor: floor)))
        return decision
    }

    /// Speaking time per participant and per unit, longest first.
    public var speakingTotals: JSON { Self.speakingTotals(speeches) }

    static func speakingTotals(_ speeches: [Speech]) -> JSON {
        var byParticipant: [String: (name: String, unit: String, seconds: Int, count: Int)] = [:]
        var byUnit: [String: Int] = [:]
        for s in speeches {
            var t = byParticipant[s.participant] ?? (s.displayName, s.unit, 0, 0)
            t.seconds += s.seconds
            t.count += 1
            byParticipant[s.participant] = t
            byUnit[s.unit, default: 0] += s.seconds
        }
        let people: [JSON] = byParticipant.sorted { ($1.value.seconds, $0.key) < ($0.value.seconds, $1.key) }.map { id, t in
            ["participant": .string(id), "displayName": .string(t.name), "unit": .string(t.unit),
             "seconds": .int(Int64(t.seconds)), "speeches": .int(Int64(t.count))]
        }
        let units: [JSON] = byUnit.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { unit, seconds in
            ["unit": .string(unit), "seconds": .int(Int64(seconds))]
        }
        return ["participants": .array(people), "units": .array(units)]
    }
}
