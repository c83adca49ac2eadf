import Foundation

/// What happened, in the past tense. Each event carries the changed entity in
/// full, so clients upsert or remove by id and never re-implement the rules.
public enum DomainEvent: Sendable, Equatable {
    case accountCreated(Account)
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

    public var type: String {
        switch self {
        case .accountCreated: "account.created"
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
        }
    }

    /// The event's `data` object.
    public var data: JSON {
        switch self {
        case .accountCreated(let a): ["account": JSON(encoding: a)]
        case .meetingCreated(let m), .meetingUpdated(let m), .meetingAdvanced(let m): ["meeting": JSON(encoding: m)]
        case .checklistItemAdded(let i), .checklistItemSet(let i): ["item": JSON(encoding: i)]
        case .checklistItemRemoved(let id): ["item": ["id": .string(id)]]
        case .rosterAdded(let p), .rosterUpdated(let p), .rosterConfirmed(let p), .avSelfTested(let p), .avMarked(let p):
            ["participant": JSON(encoding: p)]
        case .rosterRemoved(let id), .rosterLinkReissued(let id): ["participant": ["id": .string(id)]]
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
        default: throw DecodeError(description: "unknown event type \(type)")
        }
    }
}

/// An event as stored and sent: its place in the stream, when and by whom.
public struct RecordedEvent: Sendable, Equatable {
    public let stream: String
    public let seq: Int64
    public let at: Date
    public let by: String
    public let event: DomainEvent

    public init(stream: String, seq: Int64, at: Date, by: String, event: DomainEvent) {
        self.stream = stream
        self.seq = seq
        self.at = at
        self.by = by
        self.event = event
    }

    /// The event frame, encoded once and shared by every recipient.
    public func frame(data: JSON? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(contentsOf: #"{"at":""#.utf8)
        out.append(contentsOf: Timestamp.format(at).utf8)
        out.append(contentsOf: #"","by":"#.utf8)
        JSON.writeString(by, to: &out)
        out.append(contentsOf: #","data":"#.utf8)
        (data ?? event.data).write(to: &out)
        out.append(contentsOf: #","event":"#.utf8)
        JSON.writeString(event.type, to: &out)
        out.append(contentsOf: #","seq":"#.utf8)
        out.append(contentsOf: String(seq).utf8)
        out.append(contentsOf: #","stream":"#.utf8)
        JSON.writeString(stream, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
