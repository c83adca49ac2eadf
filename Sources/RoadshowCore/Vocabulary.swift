/// The codes of DOMAIN.md, with their Chinese and English labels.
public protocol Labelled {
    var zh: String { get }
    var en: String { get }
}

/// The meeting's phase in the lifecycle of mechanism 7.
public enum Phase: String, Sendable, Codable, CaseIterable, Labelled {
    case preparing, rehearsal, live, ended, dispatched, closed

    public var zh: String {
        switch self {
        case .preparing: "会议准备"
        case .rehearsal: "会前联调"
        case .live: "会中"
        case .ended: "会后跟进"
        case .dispatched: "已转办"
        case .closed: "已结束"
        }
    }

    public var en: String {
        switch self {
        case .preparing: "Preparation"
        case .rehearsal: "Joint AV test"
        case .live: "In progress"
        case .ended: "Follow-up"
        case .dispatched: "Dispatched"
        case .closed: "Closed"
        }
    }

    /// Phases in which the meeting's details, checklist and roster may still change.
    public var isOpen: Bool { self == .preparing || self == .rehearsal || self == .live }
}

/// A participant's role on the roster.
public enum RosterRole: String, Sendable, Codable, CaseIterable, Labelled {
    case host, recorder, company, unit, observer

    public var zh: String {
        switch self {
        case .host: "主持人"
        case .recorder: "记录员"
        case .company: "企业"
        case .unit: "参会单位"
        case .observer: "列席"
        }
    }

    public var en: String {
        switch self {
        case .host: "Host"
        case .recorder: "Recorder"
        case .company: "Company"
        case .unit: "Attending unit"
        case .observer: "Observer"
        }
    }
}

/// Dispatch category of a project (mechanism 2).
public enum ProjectCategory: String, Sendable, Codable, CaseIterable, Labelled {
    case industrial
    case nonIndustrial = "non_industrial"

    public var zh: String { self == .industrial ? "产业投资类" : "非产业投资类" }
    public var en: String { self == .industrial ? "Industrial investment" : "Non-industrial" }
}

/// The kind of online meeting (mechanism 7 §1: 企业项目路演、线上交流、线上座谈).
/// A meeting created without one is a project pitch; so is every meeting
/// stored before kinds existed (`MeetingInfo` decodes a missing `kind` so).
public enum MeetingKind: String, Sendable, Codable, CaseIterable, Labelled {
    case projectPitch = "project_pitch"
    case exchange
    case symposium

    public var zh: String {
        switch self {
        case .projectPitch: "企业项目路演"
        case .exchange: "线上交流"
        case .symposium: "线上座谈"
        }
    }

    public var en: String {
        switch self {
        case .projectPitch: "Company project pitch"
        case .exchange: "Online exchange"
        case .symposium: "Online symposium"
        }
    }

    /// One item of a kind's suggested agenda (`agenda.suggest`).
    public struct AgendaSeed: Sendable, Equatable {
        public let zh: String
        public let en: String
        public let minutes: Int
    }

    /// The agenda a meeting of this kind usually follows, in order.
    public var suggestedAgenda: [AgendaSeed] {
        switch self {
        case .projectPitch:
            [
                AgendaSeed(zh: "主持人开场，介绍参会单位及议程", en: "Introduction: the host presents the units and the agenda", minutes: 5),
                AgendaSeed(zh: "企业项目推介", en: "Company pitch", minutes: 20),
                AgendaSeed(zh: "各参会单位依次提问交流", en: "Q&A by unit", minutes: 30),
                AgendaSeed(zh: "明确后续对接事项", en: "Next steps", minutes: 10),
            ]
        case .exchange:
            [
                AgendaSeed(zh: "主持人开场，介绍参会各方", en: "Introduction: the host presents everyone", minutes: 5),
                AgendaSeed(zh: "企业介绍合作需求", en: "The company presents what it seeks", minutes: 15),
                AgendaSeed(zh: "各方自由交流", en: "Open exchange", minutes: 30),
                AgendaSeed(zh: "梳理对接事项及联系人", en: "Points to follow up and contact persons", minutes: 10),
            ]
        case .symposium:
            [
                AgendaSeed(zh: "各参会单位轮流发言", en: "Round of units", minutes: 30),
                AgendaSeed(zh: "集中讨论", en: "Discussion", minutes: 30),
                AgendaSeed(zh: "形成会议结论", en: "Conclusions", minutes: 10),
            ]
        }
    }
}

/// The code lists a client shows, each code with its labels (`GET /api/ops`).
public enum Vocabulary {
    static func list<T: RawRepresentable & CaseIterable & Labelled>(_: T.Type) -> JSON where T.RawValue == String {
        .array(T.allCases.map { ["code": .string($0.rawValue), "zh": .string($0.zh), "en": .string($0.en)] })
    }

    public static var json: JSON {
        [
            "phases": list(Phase.self),
            "roles": list(RosterRole.self),
            "categories": list(ProjectCategory.self),
            "meetingKinds": .array(MeetingKind.allCases.map { kind in
                ["code": .string(kind.rawValue), "zh": .string(kind.zh), "en": .string(kind.en),
                 "agenda": .array(kind.suggestedAgenda.map { ["zh": .string($0.zh), "en": .string($0.en), "minutes": .int(Int64($0.minutes))] })]
            }),
            "minutesKinds": list(MinutesEntry.Kind.self),
            "avChecks": list(AVCheckKind.self),
            "queueKinds": list(QueueEntry.Kind.self),
            "presence": list(Presence.Status.self),
            "stages": list(DispatchStage.self),
            "audiences": list(Audience.self),
            "contactAudiences": list(ContactAudience.self),
            "outcomes": .array([DispatchStage.started, .shelved, .matterConnected].map(label)),
            "levels": list(EscalationLevel.self),
            "stagesByCategory": .object(Dictionary(uniqueKeysWithValues: ProjectCategory.allCases.map {
                ($0.rawValue, JSON.array(DispatchStage.stages(of: $0).map(label)))
            })),
            "outcomesByCategory": .object(Dictionary(uniqueKeysWithValues: ProjectCategory.allCases.map {
                ($0.rawValue, JSON.array(DispatchStage.closingOutcomes(of: $0).map(label)))
            })),
        ]
    }

    static func label<T: RawRepresentable & Labelled>(_ v: T) -> JSON where T.RawValue == String {
        ["code": .string(v.rawValue), "zh": .string(v.zh), "en": .string(v.en)]
    }
}
