import Foundation

/// What happened, in the past tense. Each event carries the changed entity in
/// full, so clients upsert or remove by id and never re-implement the rules.
public enum DomainEvent: Sendable, Equatable {
    case accountCreated(Account)
    case accountTokenReissued(id: String)
    case meetingCreated(MeetingInfo)
    case meetingUpdated(MeetingInfo)
    case checklistItemAdded(ChecklistItem)
    case checklistItemSet(ChecklistItem)
    case checklistItemRemoved(id: String)
    case rosterAdded(Participant)
    case rosterUpdated(Participant)
    case rosterRemoved(id: String)
    case rosterConfirmed(Participant)
    case rosterLinkReissued(id: String)
    case meetingAdvanced(MeetingInfo)
    case avSelfTested(Participant)
    case avMarked(Participant)
    case agendaAdded(AgendaItem)
    case agendaUpdated(AgendaItem)
    case agendaMoved([String])
    case agendaRemoved(id: String)
    case agendaStarted(AgendaItem)
    case agendaFinished(AgendaItem)
    case queueRaised(QueueChange)
    case queueLowered(QueueChange)
    case queueUpvoted(QueueChange)
    case queueGranted(QueueChange)
    case queueReleased(QueueChange)
    case queueRemoved(QueueChange)
    case presenceChanged(Participant)
    case minutesAdded(MinutesEntry)
    case minutesEdited(MinutesEntry)
    case minutesRemoved(id: String)
    case followupAssessed(UnitAssessment)
    case followupIntentRecorded(CompanyIntent)
    /// A participant's card, shared or changed; `was` its audience before (nil: not shared).
    case contactShared(ContactShare, was: Audience?)
    /// A participant withdrew its card; `was` the audience it had.
    case contactWithdrawn(participant: String, was: Audience)
    case contactsPrompted(ContactExchange)
    /// A file of the meeting, stored and now listed.
    case materialAdded(Material)
    /// A file taken off the meeting; `audience` the one it had.
    case materialRemoved(id: String, audience: MaterialAudience)
    /// A participant's first open of a file.
    case materialOpened(MaterialReceipt)
    /// Stream: the new record. `Due` as of the change.
    case dispatchCreated(DispatchRecord, Due)
    case dispatchFeedbackPosted(Feedback, DispatchChange)
    case dispatchEscalated(Escalation, DispatchChange)
    case dispatchAnswered(Escalation, DispatchChange)
    case dispatchClosed(DispatchChange)
    case dispatchReopened(DispatchChange)

    public var type: String {
        switch self {
        case .accountCreated: "account.created"
        case .accountTokenReissued: "account.token_reissued"
        case .meetingCreated: "meeting.created"
        case .meetingUpdated: "meeting.updated"
        case .checklistItemAdded: "checklist.item_added"
        case .checklistItemSet: "checklist.item_set"
        case .checklistItemRemoved: "checklist.item_removed"
        case .rosterAdded: "roster.added"
        case .rosterUpdated: "roster.updated"
        case .rosterRemoved: "roster.removed"
        case .rosterConfirmed: "roster.confirmed"
        case .rosterLinkReissued: "roster.link_reissued"
        case .meetingAdvanced: "meeting.advanced"
        case .avSelfTested: "av.self_tested"
        case .avMarked: "av.marked"
        case .agendaAdded: "agenda.added"
        case .agendaUpdated: "agenda.updated"
        case .agendaMoved: "agenda.moved"
        case .agendaRemoved: "agenda.removed"
        case .agendaStarted: "agenda.started"
        case .agendaFinished: "agenda.finished"
        case .queueRaised: "queue.raised"
        case .queueLowered: "queue.lowered"
        case .queueUpvoted: "queue.upvoted"
        case .queueGranted: "queue.granted"
        case .queueReleased: "queue.released"
        case .queueRemoved: "queue.removed"
        case .presenceChanged: "presence.changed"
        case .minutesAdded: "minutes.added"
        case .minutesEdited: "minutes.edited"
        case .minutesRemoved: "minutes.removed"
        case .followupAssessed: "followup.assessed"
        case .followupIntentRecorded: "followup.intent_recorded"
        case .contactShared: "contacts.shared"
        case .contactWithdrawn: "contacts.withdrawn"
        case .contactsPrompted: "contacts.prompted"
        case .materialAdded: "materials.added"
        case .materialRemoved: "materials.removed"
        case .materialOpened: "materials.opened"
        case .dispatchCreated: "dispatch.created"
        case .dispatchFeedbackPosted: "dispatch.feedback_posted"
        case .dispatchEscalated: "dispatch.escalated"
        case .dispatchAnswered: "dispatch.answered"
        case .dispatchClosed: "dispatch.closed"
        case .dispatchReopened: "dispatch.reopened"
        }
    }

    /// The event's `data` object.
    public var data: JSON {
        switch self {
        case .accountCreated(let a): ["account": JSON(encoding: a)]
        case .accountTokenReissued(let id): ["account": ["id": .string(id)]]
        case .meetingCreated(let m), .meetingUpdated(let m), .meetingAdvanced(let m): ["meeting": JSON(encoding: m)]
        case .checklistItemAdded(let i), .checklistItemSet(let i): ["item": JSON(encoding: i)]
        case .checklistItemRemoved(let id): ["item": ["id": .string(id)]]
        case .rosterAdded(let p), .rosterUpdated(let p), .rosterConfirmed(let p), .avSelfTested(let p), .avMarked(let p),
            .presenceChanged(let p):
            ["participant": JSON(encoding: p)]
        case .agendaAdded(let i), .agendaUpdated(let i), .agendaStarted(let i), .agendaFinished(let i): ["item": JSON(encoding: i)]
        case .agendaMoved(let order): ["order": JSON(encoding: order)]
        case .agendaRemoved(let id): ["item": ["id": .string(id)]]
        case .queueRaised(let c), .queueLowered(let c), .queueUpvoted(let c), .queueGranted(let c), .queueReleased(let c),
            .queueRemoved(let c):
            JSON(encoding: c)
        case .minutesAdded(let e), .minutesEdited(let e): ["entry": JSON(encoding: e)]
        case .minutesRemoved(let id): ["entry": ["id": .string(id)]]
        case .rosterRemoved(let id), .rosterLinkReissued(let id): ["participant": ["id": .string(id)]]
        case .followupAssessed(let a): ["assessment": JSON(encoding: a)]
        case .followupIntentRecorded(let i): ["intent": JSON(encoding: i)]
        case .contactShared(let s, let was):
            if let was { ["share": JSON(encoding: s), "was": .string(was.rawValue)] } else { ["share": JSON(encoding: s)] }
        case .contactWithdrawn(let id, let was): ["participant": ["id": .string(id)], "was": .string(was.rawValue)]
        case .contactsPrompted(let e): ["exchange": JSON(encoding: e)]
        case .materialAdded(let m): ["material": JSON(encoding: m)]
        case .materialRemoved(let id, let audience): ["material": ["id": .string(id), "audience": .string(audience.rawValue)]]
        case .materialOpened(let r): ["receipt": JSON(encoding: r)]
        case .dispatchCreated(let r, let due): ["record": Self.withDue(JSON(encoding: r), due)]
        case .dispatchFeedbackPosted(let f, let c): ["feedback": JSON(encoding: f), "record": JSON(encoding: c)]
        case .dispatchEscalated(let e, let c), .dispatchAnswered(let e, let c): ["escalation": JSON(encoding: e), "record": JSON(encoding: c)]
        case .dispatchClosed(let c), .dispatchReopened(let c): ["record": JSON(encoding: c)]
        }
    }

    static func withDue(_ record: JSON, _ due: Due) -> JSON {
        guard case .object(var o) = record else { return record }
        o["due"] = JSON(encoding: due)
        return .object(o)
    }



    /// The participant an event is about, if it carries one.
    public var participantId: String? {
        switch self {
        case .rosterAdded(let p), .rosterUpdated(let p), .rosterConfirmed(let p), .avSelfTested(let p), .avMarked(let p),
            .presenceChanged(let p):
            p.id
        case .contactShared(let s, _): s.participant
        case .contactWithdrawn(let id, _): id
        // A receipt reaches its own participant (what it opened), not other units.
        case .materialOpened(let r): r.participant
        default:
            nil
        }
    }

    /// The `data` as participants who do not run the meeting see it (other
    /// people's phone and e-mail left out), or nil when it is the same as `data`.
    public var dataWithoutContacts: JSON? {
        switch self {
        case .rosterAdded(let p), .rosterUpdated(let p), .rosterConfirmed(let p), .avSelfTested(let p), .avMarked(let p),
            .presenceChanged(let p):
            guard p.phone != nil || p.email != nil else { return nil }
            return ["participant": JSON(encoding: p.withoutContacts)]
        default:
            return nil
        }
    }

    public struct DecodeError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads a stored event back.
    public init(type: String, data: JSON) throws {
        func field<T: Decodable>(_ key: String, _ t: T.Type) throws -> T {
            guard let v = data[key] else { throw DecodeError(description: "\(type): data.\(key) missing") }
            return try v.decode(t)
        }
        func id(_ key: String) throws -> String {
            guard let s = data[key]?["id"]?.stringValue else { throw DecodeError(description: "\(type): data.\(key).id missing") }
            return s
        }
        switch type {
        case "account.created": self = .accountCreated(try field("account", Account.self))
        case "account.token_reissued": self = .accountTokenReissued(id: try id("account"))
        case "meeting.created": self = .meetingCreated(try field("meeting", MeetingInfo.self))
        case "meeting.updated": self = .meetingUpdated(try field("meeting", MeetingInfo.self))
        case "checklist.item_added": self = .checklistItemAdded(try field("item", ChecklistItem.self))
        case "checklist.item_set": self = .checklistItemSet(try field("item", ChecklistItem.self))
        case "checklist.item_removed": self = .checklistItemRemoved(id: try id("item"))
        case "roster.added": self = .rosterAdded(try field("participant", Participant.self))
        case "roster.updated": self = .rosterUpdated(try field("participant", Participant.self))
        case "roster.removed": self = .rosterRemoved(id: try id("participant"))
        case "roster.confirmed": self = .rosterConfirmed(try field("participant", Participant.self))
        case "roster.link_reissued": self = .rosterLinkReissued(id: try id("participant"))
        case "meeting.advanced": self = .meetingAdvanced(try field("meeting", MeetingInfo.self))
        case "av.self_tested": self = .avSelfTested(try field("participant", Participant.self))
        case "av.marked": self = .avMarked(try field("participant", Participant.self))
        case "agenda.added": self = .agendaAdded(try field("item", AgendaItem.self))
        case "agenda.updated": self = .agendaUpdated(try field("item", AgendaItem.self))
        case "agenda.moved": self = .agendaMoved(try field("order", [String].self))
        case "agenda.removed": self = .agendaRemoved(id: try id("item"))
        case "agenda.started": self = .agendaStarted(try field("item", AgendaItem.self))
        case "agenda.finished": self = .agendaFinished(try field("item", AgendaItem.self))
        case "queue.raised": self = .queueRaised(try data.decode(QueueChange.self))
        case "queue.lowered": self = .queueLowered(try data.decode(QueueChange.self))
        case "queue.upvoted": self = .queueUpvoted(try data.decode(QueueChange.self))
        case "queue.granted": self = .queueGranted(try data.decode(QueueChange.self))
        case "queue.released": self = .queueReleased(try data.decode(QueueChange.self))
        case "queue.removed": self = .queueRemoved(try data.decode(QueueChange.self))
        case "presence.changed": self = .presenceChanged(try field("participant", Participant.self))
        case "minutes.added": self = .minutesAdded(try field("entry", MinutesEntry.self))
        case "minutes.edited": self = .minutesEdited(try field("entry", MinutesEntry.self))
        case "minutes.removed": self = .minutesRemoved(id: try id("entry"))
        case "followup.assessed": self = .followupAssessed(try field("assessment", UnitAssessment.self))
        case "followup.intent_recorded": self = .followupIntentRecorded(try field("intent", CompanyIntent.self))
        case "contacts.shared": self = .contactShared(try field("share", ContactShare.self), was: try data["was"].map { try $0.decode(Audience.self) })
        case "contacts.withdrawn": self = .contactWithdrawn(participant: try id("participant"), was: try field("was", Audience.self))
        case "contacts.prompted": self = .contactsPrompted(try field("exchange", ContactExchange.self))
        case "materials.added": self = .materialAdded(try field("material", Material.self))
        case "materials.removed":
            guard let a = data["material"]?["audience"] else { throw DecodeError(description: "\(type): data.material.audience missing") }
            self = .materialRemoved(id: try id("material"), audience: try a.decode(MaterialAudience.self))
        case "materials.opened": self = .materialOpened(try field("receipt", MaterialReceipt.self))
        case "dispatch.created":
            guard let due = data["record"]?["due"] else { throw DecodeError(description: "\(type): data.record.due missing") }
            self = .dispatchCreated(try field("record", DispatchRecord.self), try due.decode(Due.self))
        case "dispatch.feedback_posted":
            self = .dispatchFeedbackPosted(try field("feedback", Feedback.self), try field("record", DispatchChange.self))
        case "dispatch.escalated":
            self = .dispatchEscalated(try field("escalation", Escalation.self), try field("record", DispatchChange.self))
        case "dispatch.answered":
            self = .dispatchAnswered(try field("escalation", Escalation.self), try field("record", DispatchChange.self))
        case "dispatch.closed": self = .dispatchClosed(try field("record", DispatchChange.self))
        case "dispatch.reopened": self = .dispatchReopened(try field("record", DispatchChange.self))
        default: throw DecodeError(description: "unknown event type \(type)")
        }
    }
}

/// An event as stored and sent: its place in the stream, when and by whom,
/// and its `data` encoded once (sorted keys) when the event is made, so the
/// store and every frame reuse the same bytes.
public struct RecordedEvent: Sendable, Equatable {
    public let stream: String
    public let seq: Int64
    public let at: Date
    public let by: String
    public let event: DomainEvent
    /// `event.data`, encoded.
    public let data: [UInt8]

    public init(stream: String, seq: Int64, at: Date, by: String, event: DomainEvent) {
        self.init(stream: stream, seq: seq, at: at, by: by, event: event, data: event.data.encodedBytes)
    }

    /// An event read back from the store, with the bytes it was stored as.
    public init(stream: String, seq: Int64, at: Date, by: String, event: DomainEvent, data: [UInt8]) {
        self.stream = stream
        self.seq = seq
        self.at = at
        self.by = by
        self.event = event
        self.data = data
    }

    /// The event frame, shared by every recipient; `data` replaces the event's
    /// own (the variant without other people's contacts).
    public func frame(data other: [UInt8]? = nil, type: String? = nil) -> [UInt8] {
        let data = other ?? self.data
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 128)
        out.append(contentsOf: #"{"at":""#.utf8)
        out.append(contentsOf: Timestamp.format(at).utf8)
        out.append(contentsOf: #"","by":"#.utf8)
        JSON.writeString(by, to: &out)
        out.append(contentsOf: #","data":"#.utf8)
        out.append(contentsOf: data)
        out.append(contentsOf: #","event":"#.utf8)
        JSON.writeString(type ?? event.type, to: &out)
        out.append(contentsOf: #","seq":"#.utf8)
        out.append(contentsOf: String(seq).utf8)
        out.append(contentsOf: #","stream":"#.utf8)
        JSON.writeString(stream, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}

extension RecordedEvent {
    /// `event.withheld`: what a subscriber that may not see this event gets at
    /// its seq, so its numbering has no gap (no data, no author).
    public func withheldFrame() -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"at":""#.utf8)
        out.append(contentsOf: Timestamp.format(at).utf8)
        out.append(contentsOf: #"","by":"","data":{},"event":"event.withheld","seq":"#.utf8)
        out.append(contentsOf: String(seq).utf8)
        out.append(contentsOf: #","stream":"#.utf8)
        JSON.writeString(stream, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
