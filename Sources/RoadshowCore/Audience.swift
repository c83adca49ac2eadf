import Foundation

/// Who may read a piece of meeting data (DOMAIN.md, "Who sees what"): the
/// company is the guest being courted; the units and the organizer side are
/// the government side.
public enum Audience: String, Sendable, Codable, CaseIterable, Labelled {
    /// Everyone in the meeting, the company included.
    case everyone
    /// The government side: the organizer, the host, the recorder, the units, observers.
    case government

    public var zh: String { self == .everyone ? "全体（含企业）" : "政府方" }
    public var en: String { self == .everyone ? "Everyone (incl. the company)" : "Government side" }
}

/// What an outsider (the company) receives in an event's place.
public enum OutsiderView: Sendable, Equatable {
    /// The event as it is.
    case same
    /// `event.withheld`: nothing of it but its seq.
    case withheld
    /// Another event, or the same one with less in it.
    case replaced(type: String, data: JSON)
}

extension Participant {
    /// Without the host's and the self-test's notes (AV notes are the organizer's).
    public var withoutNotes: Participant {
        var p = self
        for (k, c) in p.av.checks where c.note != nil {
            var c = c
            c.note = nil
            p.av.checks[k] = c
        }
        return p
    }
}

extension MeetingInfo {
    /// Phase changes without their reasons and blockers (internal remarks).
    public var forOutsider: MeetingInfo {
        var i = self
        i.transitions = transitions?.map {
            PhaseTransition(from: $0.from, to: $0.to, at: $0.at, by: $0.by, forced: false, reason: nil, blockers: nil)
        }
        return i
    }
}

extension Meeting {
    /// The meeting as the company may see it: shared minutes only, no force
    /// reasons or blockers, no AV notes, no follow-up.
    public var outsiderView: Meeting {
        var m = self
        m.info = info.forOutsider
        m.minutes = minutes.filter(\.isShared)
        m.roster = roster.map(\.withoutNotes)
        m.followup = Followup()
        m.contacts = contacts.filter { $0.audience == .everyone }
        m.materials.files = materials.files.filter { $0.audience == .everyone }
        m.materials.receipts = []
        return m
    }
}

extension DomainEvent {
    /// What the company receives for this event (participant events are cut
    /// per viewer by the server: see `outsiderParticipant`).
    public var forOutsider: OutsiderView {
        switch self {
        case .followupAssessed, .followupIntentRecorded, .materialOpened:
            return .withheld
        case .materialAdded(let m):
            return m.audience == .everyone ? .same : .withheld
        case .materialRemoved(_, let audience):
            return audience == .everyone ? .same : .withheld
        case .minutesAdded(let e):
            return e.isShared ? .same : .withheld
        case .minutesEdited(let e):
            // An entry no longer shared is taken away; one never shared was never there.
            return e.isShared ? .same : .replaced(type: "minutes.removed", data: ["entry": ["id": .string(e.id)]])
        case .contactShared(let s, let was):
            // A card shared with the government side only never reaches the company;
            // one that was shared with everyone is taken away from it.
            if s.audience == .everyone { return was == nil || was == .everyone ? .same : .replaced(type: type, data: ["share": JSON(encoding: s)]) }
            return was == .everyone ? .replaced(type: "contacts.withdrawn", data: ["participant": ["id": .string(s.participant)], "was": "everyone"]) : .withheld
        case .contactWithdrawn(_, let was):
            return was == .everyone ? .same : .withheld
        case .meetingCreated(let i), .meetingUpdated(let i), .meetingAdvanced(let i):
            let o = i.forOutsider
            return o == i ? .same : .replaced(type: type, data: ["meeting": JSON(encoding: o)])
        default:
            return .same
        }
    }

    /// True for an event about a participant's own card or its own read
    /// receipt: the company's participant gets its own in full, whatever the
    /// company gets of others'.
    public var isOwnCardEvent: Bool {
        switch self {
        case .contactShared, .contactWithdrawn, .materialOpened: true
        default: false
        }
    }

    /// A participant event's participant as the company sees it: its own
    /// entry without notes; anyone else's also without phone and e-mail.
    public func outsiderParticipant(isViewer: Bool) -> JSON? {
        switch self {
        case .rosterAdded(let p), .rosterUpdated(let p), .rosterConfirmed(let p), .avSelfTested(let p), .avMarked(let p),
            .presenceChanged(let p):
            let cut = isViewer ? p.withoutNotes : p.withoutContacts.withoutNotes
            return cut == p ? nil : ["participant": JSON(encoding: cut)]
        default:
            return nil
        }
    }
}
