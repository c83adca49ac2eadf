import Foundation
import RoadshowClient
import RoadshowCore
import Testing

@Suite("Live meeting through the real server")
struct LiveMeetingTests {
    struct Setup {
        let server: TestServer
        let organizer: RoadshowConnection
        let meeting: String
        let host: (id: String, token: String)
        let recorder: (id: String, token: String)
        let units: [(id: String, token: String)]
    }

    static func live() async throws -> Setup {
        let server = try TestServer()
        let organizer = try await server.connect(token: try await server.organizerToken())
        let meeting = try await server.createMeeting(organizer)
        let host = try await server.addParticipant(organizer, meeting: meeting, name: "周主持", unit: "市投资促进局", role: "host")
        let recorder = try await server.addParticipant(organizer, meeting: meeting, name: "吴记录", unit: "市投资促进局", role: "recorder")
        var units: [(id: String, token: String)] = []
        for (name, unit) in [("张三", "市商务局"), ("李四", "黄山高新区"), ("王五", "歙县")] {
            units.append(try await server.addParticipant(organizer, meeting: meeting, name: name, unit: unit))
        }
        _ = try await organizer.call("meeting.advance", ["meeting": .string(meeting), "to": "rehearsal"])
        _ = try await organizer.call("meeting.advance", ["meeting": .string(meeting), "to": "live", "force": true, "reason": "测试"])
        return Setup(server: server, organizer: organizer, meeting: meeting, host: host, recorder: recorder, units: units)
    }

    @Test("host plus three participants: raise, upvote, grant, release; every subscriber sees the same order")
    func queueThroughServer() async throws {
        let s = try await Self.live()
        let m = JSON.string(s.meeting)
        let host = try await s.server.connect(token: s.host.token)
        var participants: [RoadshowConnection] = []
        var collectors: [EventCollector] = []
        for u in s.units {
            let c = try await s.server.connect(token: u.token)
            collectors.append(EventCollector(c))
            _ = try await c.call("stream.subscribe", ["stream": m])
            participants.append(c)
        }
        let hostEvents = EventCollector(host)
        _ = try await host.call("stream.subscribe", ["stream": m])

        _ = try await participants[0].call("queue.raise", ["meeting": m, "kind": "speak"])
        let q = try await participants[1].call("queue.raise", ["meeting": m, "kind": "question", "text": "用地指标如何落实？"])
        let questionId = try #require(q["entry"]?["id"]?.stringValue)
        let poo = try await participants[2].call("queue.raise", ["meeting": m, "kind": "point_of_order"])
        #expect(poo["position"] == .int(1))
        _ = try await participants[0].call("queue.upvote", ["meeting": m, "entry": .string(questionId)])
        let twice = try await participants[0].callRaw("queue.upvote", ["meeting": m, "entry": .string(questionId)])
        #expect(twice["error"]?["code"]?.stringValue == "conflict")

        // A participant granting or removing others is forbidden; the recorder cannot grant.
        let byUnit = try await participants[0].callRaw("queue.grant", ["meeting": m, "entry": .string(questionId)])
        #expect(byUnit["error"]?["code"]?.stringValue == "forbidden")
        let removeByUnit = try await participants[0].callRaw("queue.remove", ["meeting": m, "entry": .string(questionId)])
        #expect(removeByUnit["error"]?["code"]?.stringValue == "forbidden")
        let recorder = try await s.server.connect(token: s.recorder.token)
        let byRecorder = try await recorder.callRaw("queue.next", ["meeting": m])
        #expect(byRecorder["error"]?["code"]?.stringValue == "forbidden")
        let minute = try await recorder.call("minutes.add", ["meeting": m, "kind": "intent", "text": "拟投资12.5亿元"])
        #expect(minute["entry"]?["kind"] == "intent")

        let granted = try await host.call("queue.next", ["meeting": m])
        #expect(granted["floor"]?["participant"]?.stringValue == s.units[2].id)  // the point of order
        try await Task.sleep(for: .milliseconds(1100))
        let released = try await host.call("queue.release", ["meeting": m])
        #expect((released["speech"]?["seconds"]?.intValue ?? 0) >= 1)

        // Every subscriber saw the same events in the same order, ending with the same queue.
        let expected = 7  // raise ×3, upvote, minutes.added, granted, released
        let hostSeen = await hostEvents.wait(for: expected)
        for c in collectors {
            let seen = await c.wait(for: expected + 0)
            #expect(seen.compactMap(\.seq) == hostSeen.compactMap(\.seq))
            #expect(seen.last?["data"]?["queue"] == hostSeen.last?["data"]?["queue"])
        }
        let finalQueue = hostSeen.last?["data"]?["queue"]?.arrayValue?.compactMap { $0["participant"]?.stringValue }
        #expect(finalQueue == [s.units[0].id, s.units[1].id])
        #expect(hostSeen.map { $0["event"]?.stringValue ?? "" }.filter { $0.hasPrefix("queue.") }
            == ["queue.raised", "queue.raised", "queue.raised", "queue.upvoted", "queue.granted", "queue.released"])

        // The snapshot carries the same order, the speech and the totals per unit.
        let snap = try await host.call("meeting.get", ["meeting": m])["snapshot"]
        #expect(snap?["queue"]?.arrayValue?.compactMap { $0["participant"]?.stringValue } == finalQueue)
        #expect(snap?["speakingTotals"]?["units"]?.arrayValue?.first?["unit"] == "歙县")
    }

    @Test("agenda, presence and minutes export through the server")
    func agendaAndExport() async throws {
        let s = try await Self.live()
        let m = JSON.string(s.meeting)
        let host = try await s.server.connect(token: s.host.token)
        _ = try await host.call("agenda.add", ["meeting": m, "title": "企业项目推介", "minutes": 20, "speakingLimitSeconds": 300])
        let started = try await host.call("agenda.next", ["meeting": m])
        #expect(started["item"]?["status"] == "running")
        #expect(started["item"]?["startedAt"]?.stringValue != nil)
        let unit = try await s.server.connect(token: s.units[0].token)
        _ = try await unit.call("presence.set", ["meeting": m, "status": "present"])
        _ = try await unit.call("presence.set", ["meeting": m, "status": "left", "reason": "提前离会"])
        let forbiddenPresence = try await host.callRaw("presence.set", ["meeting": m, "status": "away"])
        #expect(forbiddenPresence["error"] == nil)  // the host is a participant too, and sets its own presence
        _ = try await host.call("minutes.add", ["meeting": m, "kind": "intent", "text": "意向明确，拟分两期投资"])
        _ = try await host.call("minutes.add", ["meeting": m, "kind": "next_contact", "text": "下周三视频沟通", "due": "2026-12-09"])
        _ = try await host.call("minutes.add", ["meeting": m, "kind": "action", "text": "提供选址方案", "owner": "黄山高新区", "due": "2026-12-15"])
        _ = try await host.call("agenda.finish", ["meeting": m])
        _ = try await s.organizer.call("meeting.advance", ["meeting": m, "to": "ended"])
        let export = try await s.organizer.call("export.minutes", ["meeting": m])
        let text = try #require(export["text"]?.stringValue)
        #expect(text.hasPrefix("# 新能源储能项目线上路演会议纪要"))
        #expect(text.contains("意向明确，拟分两期投资"))
        #expect(text.contains("| 提供选址方案 | 黄山高新区 | 2026-12-15 |"))
        #expect(text.contains("提前离会"))
        #expect(text.contains("## 附：内部备注"))
        #expect(text.contains("| 1 | 企业项目推介 |"))
        #expect(export["filename"]?.stringValue?.hasSuffix("-会议纪要-2026-12-01.md") == true)
        // A participant may read the record of its own meeting: a unit's copy has the
        // minutes, without the organizer's internal remarks.
        let byParticipant = try await unit.call("export.minutes", ["meeting": m])
        let unitText = try #require(byParticipant["text"]?.stringValue)
        #expect(unitText.contains("意向明确，拟分两期投资") && !unitText.contains("内部备注"))
        #expect(byParticipant["edition"]?.stringValue == "government" && export["edition"]?.stringValue == "organizer")
        // Another organizer may not.
        let other = try await s.server.connect(token: try await s.server.organizerToken("另一个局"))
        let refused = try await other.callRaw("export.minutes", ["meeting": m])
        #expect(refused["error"]?["code"]?.stringValue == "forbidden")
    }
}
