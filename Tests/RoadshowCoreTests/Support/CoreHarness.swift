import Foundation
import Testing

@testable import RoadshowCore

/// SplitMix64: a tiny deterministic generator, so ids and tokens repeat from run to run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64 = 42) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Fixed actors and a fixed clock for the rules tests.
enum Fixture {
    /// 2026-11-22T08:00:00Z: whole seconds, so stored times round-trip exactly.
    static let now = Date(timeIntervalSince1970: 1_795_334_400)
    static let admin = Actor(id: AccountDirectory.adminId, name: "Administrator", kind: .admin)
    static let organizer = Actor(id: "A-ORG001", name: "黄山市投资促进局", kind: .organizer)
    static let otherOrganizer = Actor(id: "A-ORG002", name: "合肥市投资促进局", kind: .organizer)
    static let unitAccount = Actor(id: "A-UNIT01", name: "黄山高新区管委会", kind: .unit)

    /// Valid `meeting.create` arguments; `overrides` replace top-level keys.
    static func createArgs(_ overrides: [String: JSON] = [:]) -> JSON {
        var o: [String: JSON] = [
            "title": "皖南新能源储能电池项目线上路演",
            "company": ["name": "皖南新能源科技有限公司", "contact": "李总", "phone": "138 0000 0000"],
            "project": ["name": "年产5GWh储能电池生产基地", "category": "industrial", "industry": "新能源", "investment": 12.5],
            "startsAt": "2026-12-01T14:00:00+08:00",
            "durationMinutes": 90,
            "system": ["name": "腾讯会议", "room": "123-456-789", "link": "https://meeting.tencent.com/dm/demo"],
        ]
        for (k, v) in overrides { o[k] = v }
        return .object(o)
    }
}

/// One stream's state and a way to decide ops on it, applying the events as the
/// server would. The clock ticks one second per op.
struct Harness {
    var state: StreamState?
    var rng = SeededGenerator()
    var clock = Fixture.now
    /// Every decision so far, in order.
    var decisions: [Decision] = []

    /// Decides `op` as `actor`; on success applies the events.
    @discardableResult
    mutating func run(_ op: String, _ args: JSON, as actor: Actor = Fixture.organizer) throws(RoadshowError) -> Decision {
        guard let mutation = Operations.mutations[op] ?? Operations.internalMutations[op] else { throw RoadshowError(.unknownOp, op) }
        clock += 1
        var ctx = Context(now: clock, actor: actor, rng: rng)
        let decision = try mutation.decide(try Args(args), state, &ctx)
        rng = ctx.rng as! SeededGenerator
        state = StreamState.applying(decision.events, to: state)
        decisions.append(decision)
        return decision
    }

    /// Decides `op` and returns the error it fails with (records an issue if it succeeds).
    mutating func failure(
        _ op: String, _ args: JSON, as actor: Actor = Fixture.organizer, sourceLocation: SourceLocation = #_sourceLocation
    ) -> RoadshowError? {
        do {
            let d = try run(op, args, as: actor)
            Issue.record("\(op) succeeded with events \(d.events.map(\.type)); expected an error", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    var meeting: Meeting { state!.meeting! }
    var meetingId: String { meeting.id }

    /// `args` with this meeting's id added.
    func on(_ extra: [String: JSON] = [:]) -> JSON {
        var o = extra
        o["meeting"] = .string(meeting.id)
        return .object(o)
    }

    /// The participant as an actor (what its invite token authenticates as).
    /// (Compute the id first: `h.actor(try h.add(...))` would read `h` before the add.)
    func actor(_ participant: String) -> Actor {
        guard let p = meeting.participant(participant) else { fatalError("\(participant) is not on the roster of \(meeting.id)") }
        return Actor(id: p.id, name: p.displayName, kind: .participant, meeting: meeting.id)
    }

    /// A harness holding a freshly created meeting of `Fixture.organizer`.
    static func withMeeting() throws -> Harness {
        var h = Harness()
        try h.run("meeting.create", Fixture.createArgs())
        return h
    }

    /// Adds someone to the roster; returns the participant id.
    @discardableResult
    mutating func add(_ name: String, _ unit: String, role: String = "unit", as actor: Actor = Fixture.organizer) throws -> String {
        let d = try run("roster.add", on(["name": .string(name), "unit": .string(unit), "role": .string(role)]), as: actor)
        return try #require(d.result["participant"]?["id"]?.stringValue)
    }
}

extension DomainEvent {
    /// The event as stored: `data` encoded to bytes and parsed back.
    func roundTripped() throws -> DomainEvent {
        try DomainEvent(type: type, data: try JSON.parse(data.encodedBytes))
    }
}
