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

    public init() {}

    /// The snapshot as this actor sees it, appended to `out`.
    public func write(_ m: Meeting, for actor: Actor, to out: inout [UInt8]) {
        let outsider = m.isOutsider(actor)
        let seen = outsider ? m.outsiderView : m
        let contactsVisible = Permissions.seesContacts(actor, m)
        var members: [(key: String, bytes: [UInt8])] = []
        members.reserveCapacity(24)
        if outsider {
            outside.members(seen, contactsVisible: contactsVisible, viewer: actor.id, followup: false, into: &members)
        } else {
            inside.members(seen, contactsVisible: contactsVisible, viewer: actor.id, followup: true, into: &members)
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

    private struct Side {
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
        var roster: [String: Entry] = [:]

        mutating func members(_ m: Meeting, contactsVisible: Bool, viewer: String, followup withFollowup: Bool,
                              into members: inout [(key: String, bytes: [UInt8])]) {
            if info != m.info {
                info = m.info
                if case .object(let o) = JSON(encoding: m.info) {
                    infoMembers = o.map { ($0.key, $0.value.encodedBytes) }
                } else {
                    infoMembers = []
                }
            }
            members.append(contentsOf: infoMembers)
            members.append(("checklist", checklist.bytes(m.checklist) { JSON(encoding: $0) }))
            members.append(("agenda", agenda.bytes(m.agenda) { JSON(encoding: $0) }))
            members.append(("queue", queue.bytes(m.queue) { JSON(encoding: $0) }))
            members.append(("floor", floor.bytes(m.floor) { $0.map { JSON(encoding: $0) } ?? .null }))
            members.append(("speeches", speeches.bytes(m.speeches) { JSON(encoding: $0) }))
            members.append(("speakingTotals", totals.bytes(m.speeches) { Meeting.speakingTotals($0) }))
            members.append(("minutes", minutes.bytes(m.minutes) { JSON(encoding: $0) }))
            if withFollowup {
                members.append(("followup", followup.bytes(FollowupKey(units: m.attendingUnits, followup: m.followup)) { _ in m.followupJSON }))
            }
            members.append(("roster", roster(m.roster, contactsVisible: contactsVisible, viewer: viewer)))
        }

        /// The roster's array, from each entry's kept encoding; entries no
        /// longer on the roster are forgotten.
        mutating func roster(_ people: [Participant], contactsVisible: Bool, viewer: String) -> [UInt8] {
            var out: [UInt8] = [UInt8(ascii: "[")]
            out.reserveCapacity(people.count * 320)
            var seen = 0  // entries on the roster now, to forget those that left
            for (i, p) in people.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                var entry: Entry
                var changed = false
                if let e = roster[p.id], e.value == p { entry = e } else {
                    entry = Entry(value: p, full: JSON(encoding: p).encodedBytes)
                    changed = true
                }
                if contactsVisible || p.id == viewer {
                    out.append(contentsOf: entry.full)
                } else {
                    if entry.withoutContacts == nil {
                        entry.withoutContacts = JSON(encoding: p.withoutContacts).encodedBytes
                        changed = true
                    }
                    out.append(contentsOf: entry.withoutContacts!)
                }
                if changed { roster[p.id] = entry }
                seen += 1
            }
            if roster.count > seen {
                let ids = Set(people.map(\.id))
                roster = roster.filter { ids.contains($0.key) }
            }
            out.append(UInt8(ascii: "]"))
            return out
        }
    }
}
