import Foundation

/// A project-dispatch record (mechanisms 2, 3, 5): the stream `D-…` a
/// roadshow hands off to, kept current by its handling unit's feedback.
public struct DispatchRecord: Sendable, Codable, Equatable {
    public struct UnitRef: Sendable, Codable, Equatable {
        public let id: String
        public var name: String
    }

    public struct MinutesSummary: Sendable, Codable, Equatable {
        public var intent: [String]
        public var needs: [String]
        public var prospects: [String]
        public var decisions: [String]
    }

    public struct Action: Sendable, Codable, Equatable {
        public let text: String
        public let owner: String?
        public let due: String?
    }

    public struct StageMark: Sendable, Codable, Equatable {
        public let stage: DispatchStage
        public let at: Date
    }

    public struct Closure: Sendable, Codable, Equatable {
        public let outcome: DispatchStage
        public let reason: String?
        public let at: Date
        public let by: String
        public let previousStage: DispatchStage
    }

    public struct Reopening: Sendable, Codable, Equatable {
        public let reason: String
        public let at: Date
        public let by: String
        public let stage: DispatchStage
    }

    public enum Status: String, Sendable, Codable, CaseIterable { case open, closed }

    public let id: String
    public let meeting: String
    public let meetingTitle: String
    public let meetingAt: Date
    public let owner: String
    public let ownerName: String
    public let company: Company
    public let project: Project
    public let category: ProjectCategory
    public var stage: DispatchStage
    public var status: Status
    public var level: EscalationLevel
    public var handlingUnit: UnitRef
    public var commissioner: Commissioner
    public var district: String?
    public var summary: String
    public let minutes: MinutesSummary
    public let actions: [Action]
    public let assessments: [UnitAssessment]
    public let intent: CompanyIntent?
    public var feedback: [Feedback]
    public var escalations: [Escalation]
    public var stages: [StageMark]
    public var closure: Closure?
    /// Every closing so far, oldest first (a reopened record keeps its history).
    public var closures: [Closure]?
    public var reopenings: [Reopening]?
    public let createdAt: Date
    public let createdBy: String
    public var updatedAt: Date

    public var openEscalations: [Escalation] { escalations.filter { $0.answer == nil } }

    /// The stage the record had at `time` (nil if it did not exist yet).
    public func stage(at time: Date) -> DispatchStage? {
        stages.last { $0.at <= time }?.stage
    }
}

/// One feedback entry (平台反馈): append-only; a correction is a new entry.
public struct Feedback: Sendable, Codable, Equatable {
    public struct Similar: Sendable, Codable, Equatable {
        public let record: String
        public let similarity: Double
    }

    public let id: String
    public let text: String
    public let stage: DispatchStage
    public let commissioner: Commissioner
    public let by: String
    public let byName: String
    public let at: Date
    public let corrects: String?
    /// The same unit's near-identical feedback on other records (flagged for the organizer).
    public let similarTo: [Similar]?
}

/// An escalation (提级调度) with its own 15-day clock.
public struct Escalation: Sendable, Codable, Equatable {
    public struct Answer: Sendable, Codable, Equatable {
        public let text: String
        public let at: Date
        public let by: String
        public let byName: String
    }

    public let id: String
    public let from: EscalationLevel
    public let to: EscalationLevel
    public let reason: String
    public let problem: String
    public let at: Date
    public let by: String
    public let byName: String
    /// The last day to answer, `YYYY-MM-DD` in the deployment's zone.
    public let due: String
    public var answer: Answer?
}

/// When a record's next thing is due, computed against a clock.
public struct Due: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case ok, dueSoon = "due_soon", overdue, closed }
    public enum Kind: String, Sendable, Codable { case feedback, escalation }

    public let status: Status
    public let next: String?
    public let kind: Kind?
    public let daysLeft: Int?
    public let daysOverdue: Int
    public let workingDaysOverdue: Int
    /// A year involved had no holiday data: Monday–Friday was assumed.
    public let estimated: Bool
    /// The feedback due day on its own (also while an escalation comes first).
    public let feedbackDue: String?
}

extension DispatchRecord {
    /// The feedback clock's anchor: the latest of creation, last feedback, last reopening.
    func feedbackAnchor(_ policy: DispatchPolicy) -> CalendarDay {
        var t = createdAt
        if let f = feedback.last { t = max(t, f.at) }
        if let r = reopenings?.last { t = max(t, r.at) }
        return policy.calendar.day(of: t)
    }

    /// What is due next, on `now`'s day in the deployment's zone.
    public func due(now: Date, policy: DispatchPolicy) -> Due {
        guard status == .open else {
            return Due(status: .closed, next: nil, kind: nil, daysLeft: nil, daysOverdue: 0, workingDaysOverdue: 0, estimated: false, feedbackDue: nil)
        }
        let cal = policy.calendar
        var fallback: [ClosedRange<Int>] = []
        let base = policy.feedbackDue(after: feedbackAnchor(policy))
        fallback += base.yearsWithoutData
        var feedbackDay = base.value
        let open = openEscalations
        if let latest = open.map(\.at).max() {
            // While an escalation is open, feedback is due within 15 days.
            let from = cal.day(of: max(latest, feedback.last?.at ?? latest))
            feedbackDay = min(feedbackDay, Deadlines.coordinationAnswer(raised: from))
        }
        var next = feedbackDay
        var kind = Due.Kind.feedback
        if let escalationDay = open.compactMap({ CalendarDay($0.due) }).min(), escalationDay < next {
            next = escalationDay
            kind = .escalation
        }
        let today = cal.day(of: now)
        let working = Deadlines.workingDaysOverdue(due: next, today: today, calendar: cal)
        fallback += working.yearsWithoutData
        let status: Due.Status
        if today > next {
            status = .overdue
        } else {
            let ahead = cal.workingDays(from: today, to: next)
            fallback += ahead.yearsWithoutData
            status = ahead.value <= policy.dueSoonWorkingDays ? .dueSoon : .ok
        }
        return Due(
            status: status, next: next.description, kind: kind, daysLeft: today.days(to: next),
            daysOverdue: Deadlines.calendarDaysOverdue(due: next, today: today), workingDaysOverdue: working.value,
            estimated: !fallback.isEmpty, feedbackDue: feedbackDay.description)
    }

    /// The record as events and rows carry it: without its long lists, with `due`.
    public func row(now: Date, policy: DispatchPolicy) -> JSON { row(due: due(now: now, policy: policy)) }

    /// The row with a `due` already computed (a list computes it once, to filter and sort).
    public func row(due: Due) -> JSON {
        guard case .object(var o) = JSON(encoding: self) else { return .null }
        for key in ["feedback", "escalations", "minutes", "actions", "assessments", "intent"] { o.removeValue(forKey: key) }
        if let f = feedback.last { o["latestFeedback"] = JSON(encoding: f) }
        o["openEscalations"] = .int(Int64(openEscalations.count))
        o["feedbackCount"] = .int(Int64(feedback.count))
        o["due"] = JSON(encoding: due)
        return .object(o)
    }

    /// The whole record, with `due`.
    public func full(now: Date, policy: DispatchPolicy) -> JSON {
        guard case .object(var o) = JSON(encoding: self) else { return .null }
        o["due"] = JSON(encoding: due(now: now, policy: policy))
        return .object(o)
    }
}

/// A record's fields after a change, as `dispatch.*` events carry them
/// (`data.record`): what a change may alter, plus what a list shows.
/// Clients merge it into the record they hold; replay applies it the same way.
public struct DispatchChange: Sendable, Codable, Equatable {
    public let id: String
    public let stage: DispatchStage
    public let status: DispatchRecord.Status
    public let level: EscalationLevel
    public let handlingUnit: DispatchRecord.UnitRef
    public let commissioner: Commissioner
    public let district: String?
    public let stages: [DispatchRecord.StageMark]
    public let closure: DispatchRecord.Closure?
    public let closures: [DispatchRecord.Closure]?
    public let reopenings: [DispatchRecord.Reopening]?
    public let updatedAt: Date
    /// As of the change (reads compute it again).
    public let due: Due
    public let latestFeedback: Feedback?
    public let openEscalations: Int
    public let feedbackCount: Int

    public init(_ r: DispatchRecord, due: Due) {
        id = r.id
        stage = r.stage
        status = r.status
        level = r.level
        handlingUnit = r.handlingUnit
        commissioner = r.commissioner
        district = r.district
        stages = r.stages
        closure = r.closure
        closures = r.closures
        reopenings = r.reopenings
        updatedAt = r.updatedAt
        self.due = due
        latestFeedback = r.feedback.last
        openEscalations = r.openEscalations.count
        feedbackCount = r.feedback.count
    }

    func apply(to r: inout DispatchRecord) {
        r.stage = stage
        r.status = status
        r.level = level
        r.handlingUnit = handlingUnit
        r.commissioner = commissioner
        r.district = district
        r.stages = stages
        r.closure = closure
        r.closures = closures
        r.reopenings = reopenings
        r.updatedAt = updatedAt
    }
}
