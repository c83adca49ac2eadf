import Foundation
import Testing

@testable import RoadshowCore

/// Agenda timing, the speaker queue, presence and minutes on the pure core,
/// with a controllable clock.
@Suite("Live meeting rules")
struct LiveMeetingRulesTests {
    typealias World = RehearsalRulesTests.World

    /// A live meeting with a host, a recorder and three units.
    static func liveWorld() throws -> (World, [String: String]) {
        var w = try RehearsalRulesTests.world()
        var ids: [String: String] = [:]
        ids["host"] = try w.add("主持人甲", "市投资促进局", role: "host")
        ids["recorder"] = try w.add("记录员乙", "市投资促进局", role: "recorder")
        ids["a"] = try w.add("张三", "市商务局")
        ids["b"] = try w.add("李四", "黄山高新区")
        ids["c"] = try w.add("王五", "歙县")
        _ = try w.run("meeting.advance", ["meeting": .string(w.meeting.id), "to": "rehearsal"])
        _ = try w.run("meeting.advance", ["meeting": .string(w.meeting.id), "to": "live", "force": true, "reason": "测试"])
        return (w, ids)
    }

    static func args(_ w: World, _ extra: [String: JSON] = [:]) -> JSON {
        var o = extra
        o["meeting"] = .string(w.meeting.id)
        return .object(o)
    }

    @Test("queue: first come first served, a point of order goes to the front")
    func queueOrder() throws {
        var (w, p) = try Self.liveWorld()
        _ = try w.run("queue.raise", Self.args(w, ["kind": "speak"]), as: w.participant(p["a"]!))
        _ = try w.run("queue.raise", Self.args(w, ["kind": "question", "text": "用地指标如何解决？"]), as: w.participant(p["b"]!))
        let d = try w.run("queue.raise", Self.args(w, ["kind": "point_of_order"]), as: w.participant(p["c"]!))
        #expect(d.result["position"] == .int(1))
        #expect(w.meeting.queue.map(\.participant) == [p["c"]!, p["a"]!, p["b"]!])
        // One entry per participant.
        #expect(throws: RoadshowError.self) {
            _ = try w.run("queue.raise", Self.args(w, ["kind": "speak"]), as: w.participant(p["a"]!))
        }
        // A question needs its text.
        _ = try w.run("queue.lower", Self.args(w), as: w.participant(p["a"]!))
        do {
            _ = try w.run("queue.raise", Self.args(w, ["kind": "question"]), as: w.participant(p["a"]!))
            Issue.record("a question without text was accepted")
        } catch let e as RoadshowError { #expect(e.field == "args.text") }
        #expect(w.meeting.queue.map(\.participant) == [p["c"]!, p["b"]!])
    }

    @Test("votes: one per participant, not on one's own question; the host may take questions by votes")
    func votes() throws {
        var (w, p) = try Self.liveWorld()
        _ = try w.run("queue.raise", Self.args(w, ["kind": "question", "text": "第一个问题"]), as: w.participant(p["a"]!))
        _ = try w.run("queue.raise", Self.args(w, ["kind": "question", "text": "第二个问题"]), as: w.participant(p["b"]!))
        let q1 = w.meeting.queue[0].id, q2 = w.meeting.queue[1].id
        _ = try w.run("queue.upvote", Self.args(w, ["entry": .string(q2)]), as: w.participant(p["c"]!))
        _ = try w.run("queue.upvote", Self.args(w, ["entry": .string(q2)]), as: w.participant(p["a"]!))
        #expect(throws: RoadshowError.self) {
            _ = try w.run("queue.upvote", Self.args(w, ["entry": .string(q2)]), as: w.participant(p["c"]!))
        }
        #expect(throws: RoadshowError.self) {
            _ = try w.run("queue.upvote", Self.args(w, ["entry": .string(q1)]), as: w.participant(p["a"]!))
        }
        #expect(w.meeting.queue.first { $0.id == q2 }?.votes.count == 2)
        _ = try w.run("queue.next", Self.args(w, ["by": "votes"]), as: w.participant(p["host"]!))
        #expect(w.meeting.floor?.entry == q2)
        #expect(w.meeting.queue.map(\.id) == [q1])
    }

    @Test("grant, release: the speech's duration is recorded, with totals per participant and per unit")
    func speakingTime() throws {
        var (w, p) = try Self.liveWorld()
        let host = w.participant(p["host"]!)
        _ = try w.run("agenda.add", Self.args(w, ["title": "企业介绍", "minutes": 10, "speakingLimitSeconds": 60]), as: host)
        _ = try w.run("agenda.next", Self.args(w), as: host)
        _ = try w.run("queue.raise", Self.args(w, ["kind": "speak"]), as: w.participant(p["a"]!))
        _ = try w.run("queue.next", Self.args(w), as: host)
        #expect(w.meeting.floor?.limitSeconds == 60)
        #expect(w.meeting.floor?.participant == p["a"]!)
        w.clock += 90
        _ = try w.run("queue.release", Self.args(w), as: host)
        #expect(w.meeting.floor == nil)
        let speech = try #require(w.meeting.speeches.first)
        #expect(speech.seconds == 91)  // 90 s plus the one-second tick of the release itself
        #expect(speech.overLimit)
        // A second speech by the same unit adds up; the speaker may release itself.
        _ = try w.run("queue.raise", Self.args(w, ["kind": "speak"]), as: w.participant(p["a"]!))
        _ = try w.run("queue.next", Self.args(w), as: host)
        w.clock += 29
        _ = try w.run("queue.release", Self.args(w), as: w.participant(p["a"]!))
        let units = w.meeting.speakingTotals["units"]?.arrayValue ?? []
        #expect(units.first?["unit"] == "市商务局")
        #expect(units.first?["seconds"] == .int(91 + 30))
        let people = w.meeting.speakingTotals["participants"]?.arrayValue ?? []
        #expect(people.first?["speeches"] == .int(2))
    }

    @Test("granting someone not in the queue is a conflict; participants and the recorder cannot control the floor")
    func floorControl() throws {
        var (w, p) = try Self.liveWorld()
        _ = try w.run("queue.raise", Self.args(w, ["kind": "speak"]), as: w.participant(p["a"]!))
        let entry = w.meeting.queue[0].id
        for who in ["b", "recorder"] {
            do {
                _ = try w.run("queue.grant", Self.args(w, ["entry": .string(entry)]), as: w.participant(p[who]!))
                Issue.record("\(who) granted the floor")
            } catch let e as RoadshowError { #expect(e.code == .forbidden) }
        }
        do {
            _ = try w.run("queue.grant", Self.args(w, ["entry": "Q-99"]))
            Issue.record("granted a missing entry")
        } catch let e as RoadshowError { #expect(e.code == .conflict) }
        // The recorder writes minutes.
        _ = try w.run("minutes.add", Self.args(w, ["kind": "intent", "text": "拟投资12亿元建设储能基地"]), as: w.participant(p["recorder"]!))
        #expect(w.meeting.minutes.count == 1)
        do {
            _ = try w.run("minutes.add", Self.args(w, ["kind": "note", "text": "x"]), as: w.participant(p["a"]!))
            Issue.record("a unit participant wrote minutes")
        } catch let e as RoadshowError { #expect(e.code == .forbidden) }
    }

    @Test("agenda timing: start, next and finish record actual times; next skips finished items")
    func agendaTiming() throws {
        var (w, _) = try Self.liveWorld()
        _ = try w.run("agenda.add", Self.args(w, ["title": "开场", "minutes": 5]))
        _ = try w.run("agenda.add", Self.args(w, ["title": "企业介绍", "minutes": 20]))
        _ = try w.run("agenda.add", Self.args(w, ["title": "问答", "minutes": 30, "position": 2]))
        #expect(w.meeting.agenda.map(\.title) == ["开场", "问答", "企业介绍"])
        _ = try w.run("agenda.next", Self.args(w))
        let startedAt = try #require(w.meeting.currentAgendaItem?.startedAt)
        w.clock += 299
        _ = try w.run("agenda.next", Self.args(w))
        #expect(w.meeting.agenda[0].status == .done)
        #expect(w.meeting.agenda[0].actualSeconds == 300)
        #expect(w.meeting.agenda[0].startedAt == startedAt)
        #expect(w.meeting.currentAgendaItem?.title == "问答")
        _ = try w.run("agenda.start", Self.args(w, ["item": .string(w.meeting.agenda[2].id)]))
        #expect(w.meeting.agenda[1].status == .done)
        _ = try w.run("agenda.finish", Self.args(w))
        #expect(w.meeting.currentAgendaItem == nil)
        #expect(throws: RoadshowError.self) { _ = try w.run("agenda.next", Self.args(w)) }
    }

    @Test("presence keeps join and leave times and reasons")
    func presence() throws {
        var (w, p) = try Self.liveWorld()
        let a = w.participant(p["a"]!)
        _ = try w.run("presence.set", Self.args(w, ["status": "present"]), as: a)
        let joined = w.clock
        _ = try w.run("presence.set", Self.args(w, ["status": "away", "reason": "接个电话"]), as: a)
        _ = try w.run("presence.set", Self.args(w, ["status": "present"]), as: a)
        _ = try w.run("presence.set", Self.args(w, ["status": "left", "reason": "另有公务，提前离会"]), as: a)
        let presence = try #require(w.meeting.participant(p["a"]!)?.presence)
        #expect(presence.joinedAt == joined)
        #expect(presence.leftAt == w.clock)
        #expect(presence.log.count == 4)
        #expect(presence.reason == "另有公务，提前离会")
    }

    @Test("ending the meeting needs an intent and a next contact in the minutes, or a forced reason")
    func endGate() throws {
        var (w, _) = try Self.liveWorld()
        do {
            _ = try w.run("meeting.advance", Self.args(w, ["to": "ended"]))
            Issue.record("ended without minutes")
        } catch let e as RoadshowError {
            #expect(e.code == .conflict)
            #expect(e.details?["blockers"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["intent", "next_contact"])
        }
        _ = try w.run("minutes.add", Self.args(w, ["kind": "intent", "text": "意向明确"]))
        _ = try w.run("minutes.add", Self.args(w, ["kind": "next_contact", "text": "下周三视频沟通", "due": "2026-12-09"]))
        _ = try w.run("meeting.advance", Self.args(w, ["to": "ended"]))
        #expect(w.meeting.info.phase == .ended)
    }

    @Test("minutes edits keep the entry id and who edited; removal drops it from the state")
    func minutesEdits() throws {
        var (w, _) = try Self.liveWorld()
        let d = try w.run("minutes.add", Self.args(w, ["kind": "action", "text": "提供用地方案", "owner": "歙县", "due": "2026-12-15"]))
        let id = try #require(d.result["entry"]?["id"]?.stringValue)
        _ = try w.run("minutes.edit", Self.args(w, ["entry": .string(id), "text": "提供两套用地方案"]))
        #expect(w.meeting.minutes[0].text == "提供两套用地方案")
        #expect(w.meeting.minutes[0].editedBy == RehearsalRulesTests.organizer.id)
        #expect(w.meeting.minutes[0].owner == "歙县")
        _ = try w.run("minutes.remove", Self.args(w, ["entry": .string(id)]))
        #expect(w.meeting.minutes.isEmpty)
    }
    @Test("the minutes hold 500 entries and a meeting 1,000 speeches: the next is too_large, with its reason")
    func boundedLists() throws {
        var (w, p) = try Self.liveWorld()
        let recorder = w.participant(p["recorder"]!)
        for i in 0..<Meeting.minutesLimit {
            _ = try w.run("minutes.add", Self.args(w, ["kind": "note", "text": .string("第\(i)条")]), as: recorder)
        }
        do {
            _ = try w.run("minutes.add", Self.args(w, ["kind": "note", "text": "再一条"]), as: recorder)
            Issue.record("the 501st entry was accepted")
        } catch let e as RoadshowError {
            #expect(e.code == .tooLarge && e.reason == "minutes_limit")
        }
        let host = w.participant(p["host"]!), a = w.participant(p["a"]!)
        // Each grant ends the speech before it: 1,001 grants record 1,000 speeches.
        for _ in 0...Meeting.speechLimit {
            _ = try w.run("queue.raise", Self.args(w, ["kind": "speak"]), as: a)
            _ = try w.run("queue.next", Self.args(w), as: host)
        }
        #expect(w.meeting.speeches.count == Meeting.speechLimit)
        _ = try w.run("queue.raise", Self.args(w, ["kind": "speak"]), as: a)
        do {
            _ = try w.run("queue.next", Self.args(w), as: host)
            Issue.record("a grant past the limit was accepted")
        } catch let e as RoadshowError {
            #expect(e.code == .tooLarge && e.reason == "speech_limit")
            #expect(e.zh?.contains("1000") == true)
        }
    }
}
