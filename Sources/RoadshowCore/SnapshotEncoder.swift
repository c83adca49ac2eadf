/// A meeting's snapshot (`Meeting.snapshot(for:)`) written straight to bytes,
/// from parts kept encoded between calls: each part (the meeting's fields, the
/// checklist, each roster entry with and without contacts, the agenda, …) is
/// encoded again only when its value changed, so answering `meeting.get` or a
/// subscription on a 500-person meeting costs a comparison and a copy, not
/// an encoding — one participant asking for it in a loop no longer holds the
/// service thread (the hardening issue, point 1).
///
/// The bytes are exactly `m.snapshot(for: actor).encodedBytes` (keys sorted,
/// as `JSON` writes them); `SnapshotEncoderTests` holds it to that.
/// Not thread-safe: one per stream, used on the thread that owns the stream.
public final class MeetingSnapshotEncoder {
    /// The government side's parts, and the company's (its `outsiderView`).
    private var inside = Side()
    private var outside = Side()
    /// The snapshot's `materials`, by how much a viewer may see.
    private var materialParts: [MaterialAudience: Part<Materials>] = [:]

    public init() {}

    /// The snapshot as this actor sees it, appended to `out`. `version` (the
    /// stream's seq) names the state: with the version of the last call, the
    /// state is known unchanged and no part is compared again.
    public func write(_ m: Meeting, version: Int64? = nil, for actor: Actor, to out: inout [UInt8]) {
        let outsider = m.isOutsider(actor)
        let contactsVisible = Permissions.seesContacts(actor, m)
        var members: [(key: String, bytes: [UInt8])] = []
        members.reserveCapacity(24)
        if outsider {
            outside.refresh(version != nil && outside.version == version ? nil : m.outsiderView, version: version, followup: false)
            outside.members(contactsVisible: contactsVisible, viewer: actor.id, into: &members)
            // The company's contact sheet holds its own card whatever its audience: per viewer.
            members.append(("contacts", m.contactsJSON(outsider: true, viewer: actor.id).encodedBytes))
        } else {
            inside.refresh(version != nil && inside.version == version ? nil : m, version: version, followup: true)
            inside.members(contactsVisible: contactsVisible, viewer: actor.id, into: &members)
        }
        // The files (and, for the organizer side, the receipts) by how much this viewer may see.
        let level = m.materialLevel(actor)
        if level != .organizer, m.materials.receipts.contains(where: { $0.participant == actor.id }) {
            // Its own receipts (what it has opened): per viewer.
            members.append(("materials", m.materialsJSON(level: level, viewer: actor.id).encodedBytes))
        } else {
            members.append(("materials", materialParts[level, default: Part()].bytes(m.materials) { _ in m.materialsJSON(level: level) }))
        }
        var viewer: [UInt8] = []
        JSON.object(["ops": .array(OpTable.allowedOps(actor, on: m).map { .string($0) })]).write(to: &viewer)
        members.append(("viewer", viewer))
        members.sort { $0.key < $1.key }
        out.append(UInt8(ascii: "{"))
        for (i, member) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSON.writeString(member.key, to: &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: member.bytes)
        }
        out.append(UInt8(ascii: "}"))
    }

    public func bytes(_ m: Meeting, for actor: Actor) -> [UInt8] {
        var out: [UInt8] = []
        write(m, for: actor, to: &out)
        return out
    }

    /// A value and its encoding, kept until the value changes.
    private struct Part<Value: Equatable> {
        private var value: Value?
        private var encoded: [UInt8] = []

        mutating func bytes(_ v: Value, _ json: (Value) -> JSON) -> [UInt8] {
            if let value, value == v { return encoded }
            value = v
            encoded = json(v).encodedBytes
            return encoded
        }
    }

    /// A roster entry's encodings: as its managers see it, and without phone
    /// and e-mail (made when first asked for).
    private struct Entry {
        var value: Participant
        var full: [UInt8]
        var withoutContacts: [UInt8]?
    }

    private struct FollowupKey: Equatable {
        var units: [String]
        var followup: Followup
    }

    /// What the government side's contact sheet is made of.
    private struct ContactsKey: Equatable {
        var contacts: [ContactShare]
        var exchange: ContactExchange
        var company: Company
        var roster: [String]
    }

    private struct Side {
        /// The version the parts below were made for (nil: none given).
        var version: Int64?
        var info: MeetingInfo?
        var infoMembers: [(key: String, bytes: [UInt8])] = []
        var checklist = Part<[ChecklistItem]>()
        var agenda = Part<[AgendaItem]>()
        var queue = Part<[QueueEntry]>()
        var floor = Part<Floor?>()
        var speeches = Part<[Speech]>()
        var totals = Part<[Speech]>()
        var minutes = Part<[MinutesEntry]>()
        var followup = Part<FollowupKey>()
        var contacts = Part<ContactsKey>()
        /// Every member but the roster and `viewer`, for the current state.
        var current: [(key: String, bytes: [UInt8])] = []
        /// The roster's entries in order, for the current state.
        var entries: [Entry] = []
        /// The roster with everyone's contacts, for the current state (made when first asked for).
        var fullRoster: [UInt8]?
        /// Entries by participant id, kept across states.
        var byId: [String: Entry] = [:]

        /// Brings the parts up to `m` (nil: the state is the one they were made for).
        mutating func refresh(_ m: Meeting?, version: Int64?, followup withFollowup: Bool) {
            guard let m else { return }
            self.version = version
            if info != m.info {
                info = m.info
                if case .object(let o) = JSON(encoding: m.info) {
                    infoMembers = o.map { ($0.key, $0.value.encodedBytes) }
                } else {
                    infoMembers = []
                }
            }
            current = infoMembers
            current.append(("checklist", checklist.bytes(m.checklist) { JSON(encoding: $0) }))
            current.append(("agenda", agenda.bytes(m.agenda) { JSON(encoding: $0) }))
            current.append(("queue", queue.bytes(m.queue) { JSON(encoding: $0) }))
            current.append(("floor", floor.bytes(m.floor) { $0.map { JSON(encoding: $0) } ?? .null }))
            current.append(("speeches", speeches.bytes(m.speeches) { JSON(encoding: $0) }))
            current.append(("speakingTotals", totals.bytes(m.speeches) { Meeting.speakingTotals($0) }))
            current.append(("minutes", minutes.bytes(m.minutes) { JSON(encoding: $0) }))
            if withFollowup {
                current.append(("followup", followup.bytes(FollowupKey(units: m.attendingUnits, followup: m.followup)) { _ in m.followupJSON }))
                // Inside, every viewer's contact sheet is the same (the outside one is per viewer: `write`).
                let key = ContactsKey(contacts: m.contacts, exchange: m.contactExchange, company: m.info.company, roster: m.roster.map(\.id))
                current.append(("contacts", contacts.bytes(key) { _ in m.contactsJSON(outsider: false, viewer: nil) }))
            }
            var changed = byId.count != m.roster.count
            entries = m.roster.map { p in
                if let e = byId[p.id], e.value == p { return e }
                changed = true
                return Entry(value: p, full: JSON(encoding: p).encodedBytes)
            }
            fullRoster = nil
            if changed { byId = Dictionary(entries.map { ($0.value.id, $0) }, uniquingKeysWith: { a, _ in a }) }
        }

        mutating func members(contactsVisible: Bool, viewer: String, into members: inout [(key: String, bytes: [UInt8])]) {
            members.append(contentsOf: current)
            members.append(("roster", roster(contactsVisible: contactsVisible, viewer: viewer)))
        }

        /// The roster's array, from each entry's kept encoding: everyone's
        /// contacts, or only the viewer's own.
        mutating func roster(contactsVisible: Bool, viewer: String) -> [UInt8] {
            if contactsVisible, let fullRoster { return fullRoster }
            var out: [UInt8] = [UInt8(ascii: "[")]
            out.reserveCapacity(entries.reduce(2) { $0 + $1.full.count + 1 })
            for i in entries.indices {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if contactsVisible || entries[i].value.id == viewer {
                    out.append(contentsOf: entries[i].full)
                } else {
                    if entries[i].withoutContacts == nil {
                        entries[i].withoutContacts = JSON(encoding: entries[i].value.withoutContacts).encodedBytes
                        byId[entries[i].value.id] = entries[i]
                    }
                    out.append(contentsOf: entries[i].withoutContacts!)
                }
            }
            out.append(UInt8(ascii: "]"))
            if contactsVisible { fullRoster = out }
            return out
        }
    }
}
