import Foundation
import Testing

@testable import RoadshowCore

/// Readiness, the go-live gate and forced reasons, on the pure core.
@Suite("Rehearsal rules")
struct RehearsalRulesTests {
    /// A small deterministic generator, so ids repeat from run to run.
    struct Counter: RandomNumberGenerator {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)
    static let organizer = Actor(id: "A-ORG001", name: "市投资促进局", kind: .organizer)

    /// A meeting's state and a way to run ops on it as someone.
    struct World {
        var state: StreamState?
        var rng = Counter()
        var clock = RehearsalRulesTests.t0

        mutating func run(_ op: String, _ args: JSON, as actor: Actor = RehearsalRulesTests.organizer) throws -> Decision {
            clock += 1
            var ctx = Context(now: clock, actor: actor, rng: rng)
            let decision = try Operations.mutations[op]!.decide(try Args(args), state, &ctx)
            rng = ctx.rng as! Counter
            state = StreamState.applying(decision.events, to: state)
            return decision
        }

        var meeting: Meeting { state!.meeting! }

        func participant(_ id: String) -> Actor {
            let p = meeting.participant(id)!
            return Actor(id: p.id, name: p.displayName, kind: .participant, meeting: meeting.id)
        }

        mutating func add(_ name: String, _ unit: String, role: String = "unit") throws -> String {
            let d = try run("roster.add", ["meeting": .string(meeting.id), "name": .string(name), "unit": .string(unit), "role": .string(role)])
            return d.result["participant"]!["id"]!.stringValue!
        }

        mutating func mark(_ p: String, _ check: String, _ result: String, note: String? = nil) throws {
            var args: [String: JSON] = ["meeting": .string(meeting.id), "participant": .string(p), "check": .string(check), "result": .string(result)]
            if let note { args["note"] = .string(note) }
            _ = try run("av.mark", .object(args))
        }
    }

    static func world() throws -> World {
        var w = World()
        _ = try w.run("meeting.create", [
            "title": "路演", "company": ["name": "企业"], "project": ["name": "项目", "category": "industrial"],
            "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 60, "system": ["name": "腾讯会议"],
        ])
        return w
    }

    @Test("a new participant is not ready and misses every required check")
    func newParticipant() throws {
        var w = try Self.world()
        let p = try w.add("张三", "市商务局")
        let r = w.meeting.participant(p)!.readiness
        #expect(!r.ready)
        #expect(r.missing == [.joined, .renamed, .mic, .speaker])
    }

    @Test("self-test plus the host's joined check makes a participant ready; the camera is optional")
    func readyFromSelfTest() throws {
        var w = try Self.world()
        let p = try w.add("张三", "市商务局")
        try w.mark(p, "joined", "pass")
        _ = try w.run("av.self", [
            "meeting": .string(w.meeting.id), "mic": ["ok": true, "peakDb": -31.5], "speaker": ["ok": true],
            "displayName": "张三 市商务局",
        ], as: w.participant(p))
        let participant = w.meeting.participant(p)!
        #expect(participant.readiness.ready)
        #expect(participant.av.check(.mic)?.peakDb == -31.5)
        #expect(participant.av.check(.mic)?.source == "self")
        #expect(participant.av.check(.renamed)?.result == .pass)
        #expect(participant.av.check(.camera) == nil)
        #expect(w.meeting.readyCount == (1, 1))
    }

    @Test("the host's verdict stands: a self-test does not undo a host pass or fail; after a retest it counts again")
    func hostVerdictStands() throws {
        var w = try Self.world()
        let p = try w.add("赵六", "休宁县")
        try w.mark(p, "joined", "pass")
        try w.mark(p, "renamed", "fail", note: "显示为 iPhone")
        try w.mark(p, "mic", "fail", note: "听不到声音")
        try w.mark(p, "speaker", "pass")
        // The participant's own test passes everything and names itself correctly…
        _ = try w.run("av.self", [
            "meeting": .string(w.meeting.id), "mic": ["ok": true, "peakDb": -20], "speaker": ["ok": false],
            "displayName": "赵六-休宁县",
        ], as: w.participant(p))
        let after = w.meeting.participant(p)!
        // …but what the host saw in the meeting room stands, and the self-test is kept beside it.
        #expect(after.av.check(.mic)?.result == .fail)
        #expect(after.av.check(.mic)?.source == "host")
        #expect(after.av.check(.renamed)?.result == .fail)
        #expect(after.av.check(.speaker)?.result == .pass)
        #expect(after.av.selfTest?.mic.peakDb == -20)
        #expect(after.readiness.missing == [.renamed, .mic])
        // A retest opens the check to the next self-test.
        try w.mark(p, "mic", "pending")
        _ = try w.run("av.self", ["meeting": .string(w.meeting.id), "mic": ["ok": true, "peakDb": -18], "speaker": ["ok": true]], as: w.participant(p))
        #expect(w.meeting.participant(p)!.av.check(.mic)?.result == .pass)
        #expect(w.meeting.participant(p)!.av.check(.mic)?.source == "self")
        #expect(w.meeting.participant(p)!.readiness.missing == [.renamed])
    }

    @Test("the latest evidence wins: a host fail overrides a self pass, a retest asks for a new self-test")
    func latestEvidenceWins() throws {
        var w = try Self.world()
        let p = try w.add("李四", "歙县")
        try w.mark(p, "joined", "pass")
        try w.mark(p, "renamed", "pass")
        let selfTest: JSON = ["meeting": .string(w.meeting.id), "mic": ["ok": true, "peakDb": -20], "speaker": ["ok": true]]
        _ = try w.run("av.self", selfTest, as: w.participant(p))
        #expect(w.meeting.participant(p)!.readiness.ready)
        try w.mark(p, "mic", "fail")
        #expect(w.meeting.participant(p)!.readiness.missing == [.mic])
        try w.mark(p, "mic", "pending")  // retest
        #expect(w.meeting.participant(p)!.av.check(.mic)?.result == .pending)
        #expect(!w.meeting.participant(p)!.readiness.ready)
        _ = try w.run("av.self", selfTest, as: w.participant(p))
        #expect(w.meeting.participant(p)!.readiness.ready)
    }

    @Test("a wrong display name fails the rename check with what was shown and what is expected")
    func wrongDisplayName() throws {
        var w = try Self.world()
        let p = try w.add("王五", "黄山高新区")
        _ = try w.run("av.self", [
            "meeting": .string(w.meeting.id), "mic": ["ok": true], "speaker": ["ok": true], "displayName": "iPhone",
        ], as: w.participant(p))
        let check = w.meeting.participant(p)!.av.check(.renamed)
        #expect(check?.result == .fail)
        #expect(check?.note?.contains("王五-黄山高新区") == true)
        #expect(Participant.displayName(name: "王五", unit: "黄山高新区") == "王五-黄山高新区")
        #expect(w.meeting.participant(p)!.displayNameMatches("黄山高新区·王五"))
        #expect(!w.meeting.participant(p)!.displayNameMatches("王五"))
    }

    @Test("only the participant itself runs av.self; only the organizer or host marks")
    func permissions() throws {
        var w = try Self.world()
        let a = try w.add("甲", "单位一")
        let b = try w.add("乙", "单位二")
        let host = try w.add("丙", "市投资促进局", role: "host")
        let selfArgs: JSON = ["meeting": .string(w.meeting.id), "mic": ["ok": true], "speaker": ["ok": true]]
        #expect(throws: RoadshowError.forbidden("av.self is a participant's own test; open your personal invite link to run it", zh: "自测只能由参会人本人进行：请打开您的个人邀请链接。")) {
            _ = try w.run("av.self", selfArgs)
        }
        let markB: JSON = ["meeting": .string(w.meeting.id), "participant": .string(b), "check": "mic", "result": "pass"]
        do {
            _ = try w.run("av.mark", markB, as: w.participant(a))
            Issue.record("a participant marked someone else")
        } catch let e as RoadshowError { #expect(e.code == .forbidden) }
        _ = try w.run("av.mark", markB, as: w.participant(host))
        #expect(w.meeting.participant(b)!.av.check(.mic)?.source == "host")
    }

    @Test("going live is blocked by open checklist items and participants not ready, listed in details")
    func goLiveGate() throws {
        var w = try Self.world()
        let p = try w.add("张三", "市商务局")
        _ = try w.run("meeting.advance", ["meeting": .string(w.meeting.id), "to": "rehearsal"])
        #expect(w.meeting.info.phase == .rehearsal)
        do {
            _ = try w.run("meeting.advance", ["meeting": .string(w.meeting.id), "to": "live"])
            Issue.record("went live with blockers")
        } catch let e as RoadshowError {
            #expect(e.code == .conflict)
            let blockers = e.details?["blockers"]?.arrayValue ?? []
            #expect(blockers.filter { $0["kind"] == "checklist" }.count == 12)
            #expect(blockers.contains { $0["kind"] == "participant" && $0["id"]?.stringValue == p })
        }
        #expect(w.meeting.info.phase == .rehearsal)

        // Everything done: the gate opens.
        for item in w.meeting.checklist {
            _ = try w.run("checklist.set", ["meeting": .string(w.meeting.id), "item": .string(item.id), "done": true])
        }
        for check in ["joined", "renamed", "mic", "speaker"] { try w.mark(p, check, "pass") }
        #expect(w.meeting.blockers(for: .live).isEmpty)
        let d = try w.run("meeting.advance", ["meeting": .string(w.meeting.id), "to": "live"])
        #expect(w.meeting.info.phase == .live)
        #expect(d.result["transition"]?["forced"] == .bool(false))
        #expect(w.meeting.info.forcedGoLive == nil)
    }

    @Test("a participant who will not attend does not block going live")
    func absenteeDoesNotBlock() throws {
        var w = try Self.world()
        let here = try w.add("甲", "一")
        let away = try w.add("乙", "二")
        _ = try w.run("roster.confirm", ["meeting": .string(w.meeting.id), "attending": false], as: w.participant(away))
        for check in ["joined", "renamed", "mic", "speaker"] { try w.mark(here, check, "pass") }
        #expect(!w.meeting.blockers(for: .live).contains { $0.kind == "participant" })
        #expect(w.meeting.readyCount == (1, 1))
    }

    @Test("a forced go-live needs a reason and keeps it with the blockers it overrode")
    func forcedGoLive() throws {
        var w = try Self.world()
        _ = try w.add("张三", "市商务局")
        _ = try w.run("meeting.advance", ["meeting": .string(w.meeting.id), "to": "rehearsal"])
        do {
            _ = try w.run("meeting.advance", ["meeting": .string(w.meeting.id), "to": "live", "force": true])
            Issue.record("forced without a reason")
        } catch let e as RoadshowError { #expect(e.field == "args.reason") }
        _ = try w.run("meeting.advance", [
            "meeting": .string(w.meeting.id), "to": "live", "force": true, "reason": "企业领导时间紧，按时开始",
        ])
        let forced = try #require(w.meeting.info.forcedGoLive)
        #expect(forced.reason == "企业领导时间紧，按时开始")
        #expect(forced.forced)
        #expect((forced.blockers?.count ?? 0) == 13)
        // The reason survives a replay of the stored events.
        let replayed = try Self.replay(w)
        #expect(replayed.info.forcedGoLive == forced)
    }

    @Test("phases advance in order only")
    func inOrder() throws {
        var w = try Self.world()
        for (to, code) in [("live", RoadshowError.Code.conflict), ("preparing", .conflict), ("ended", .conflict)] {
            do {
                _ = try w.run("meeting.advance", ["meeting": .string(w.meeting.id), "to": .string(to), "force": true, "reason": "x"])
                Issue.record("advanced to \(to) from preparing")
            } catch let e as RoadshowError { #expect(e.code == code) }
        }
        #expect(w.meeting.nextPhase == .rehearsal)
    }

    /// Rebuilds the meeting from its events' JSON, as the server does at start.
    static func replay(_ w: World) throws -> Meeting {
        var w2 = try Self.world()
        _ = w2
        // Re-decode every event the world's state was built from via its JSON form.
        let m = w.meeting
        var events: [DomainEvent] = [.meetingCreated(m.info)]
        events += m.checklist.map { .checklistItemAdded($0) }
        events += m.roster.map { .rosterAdded($0) }
        var state: StreamState?
        for e in events {
            let decoded = try DomainEvent(type: e.type, data: try JSON.parse(e.data.encodedBytes))
            state = StreamState.apply(decoded, to: state)
        }
        w2.state = state
        return w2.meeting
    }
}
