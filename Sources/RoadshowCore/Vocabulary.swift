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
            "minutesKinds": list(MinutesEntry.Kind.self),
            "avChecks": list(AVCheckKind.self),
            "queueKinds": list(QueueEntry.Kind.self),
            "presence": list(Presence.Status.self),
            "stages": list(DispatchStage.self),
            "audiences": list(Audience.self),
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
