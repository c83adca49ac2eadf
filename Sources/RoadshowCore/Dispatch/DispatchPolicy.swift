import Foundation

/// The deployment's follow-up settings: the working-day calendar, the zone
/// whose days deadlines count in, and how often feedback is due. Passed into
/// every decision and read (through `Context` and `QueryWorld`), never global.
public struct DispatchPolicy: Sendable {
    /// How often a record's feedback is due (`serve --feedback-period`).
    public enum Period: Sendable, Equatable, CustomStringConvertible {
        /// One calendar month (mechanism 2 §2: 按月), clamped to a shorter month's end.
        case monthly
        case days(Int)
        case workingDays(Int)

        /// `monthly`, `<n>d` (calendar days) or `<n>wd` (working days), n 1…366.
        public init?(_ text: String) {
            let t = text.lowercased().trimmingCharacters(in: .whitespaces)
            if t == "monthly" || t == "month" || t == "1m" { self = .monthly; return }
            let (digits, unit) = (t.prefix { $0.isNumber }, t.drop { $0.isNumber })
            guard let n = Int(digits), (1...366).contains(n) else { return nil }
            switch unit {
            case "d": self = .days(n)
            case "wd": self = .workingDays(n)
            default: return nil
            }
        }

        public var description: String {
            switch self {
            case .monthly: "monthly"
            case .days(let n): "\(n)d"
            case .workingDays(let n): "\(n)wd"
            }
        }
    }

    public var calendar: WorkingDays
    public var feedbackPeriod: Period
    /// A record is "due soon" when its next due day is at most this many working days away.
    public var dueSoonWorkingDays = 3
    /// The issuing unit the monthly bulletin names by default (the caller's account otherwise).
    public var issuer: String?

    public var timeZone: TimeZone { calendar.timeZone }

    public init(calendar: WorkingDays = WorkingDays(), feedbackPeriod: Period = .monthly, issuer: String? = nil) {
        self.calendar = calendar
        self.feedbackPeriod = feedbackPeriod
        self.issuer = issuer
    }

    /// The next feedback due day after feedback (or creation) on `anchor`.
    public func feedbackDue(after anchor: CalendarDay) -> WorkingDays.Answer<CalendarDay> {
        switch feedbackPeriod {
        case .monthly: WorkingDays.Answer(value: anchor.adding(months: 1), yearsWithoutData: [])
        case .days(let n): WorkingDays.Answer(value: anchor.adding(days: n), yearsWithoutData: [])
        case .workingDays(let n): calendar.addWorkingDays(n, to: anchor)
        }
    }

    /// What `/healthz`, lists and reports say about the calendar: where the
    /// data came from, which years it covers, and whether `years` needed a
    /// Monday–Friday fallback.
    public func calendarState(years: [ClosedRange<Int>] = []) -> JSON {
        let missing = years.flatMap { Array($0) }
        return [
            "source": .string(calendar.source),
            "coverage": .array(calendar.coverage.map { .int(Int64($0)) }),
            "yearsWithoutData": .array(missing.map { .int(Int64($0)) }),
            "fallback": .bool(!missing.isEmpty),
        ]
    }
}

/// What a decision may look up beyond its own stream: the accounts, and the
/// same unit's feedback elsewhere (the feedback rule's cross-record flag).
/// The engine provides it from committed state; tests can too.
public protocol DecisionWorld {
    func account(_ id: String) -> Account?
    /// The latest feedback text of each other open or closed record handled by `unit`.
    func latestFeedback(handledBy unit: String, except record: String) -> [(record: String, text: String)]
}
