import Foundation
import RoadshowClient
import RoadshowCore
import Testing

@Suite("Rehearsal through the real server")
struct RehearsalTests {
    @Test("av.self and av.mark reach the subscribed host in order; a participant cannot mark others; retest")
    func avRoster() async throws {
        let server = try TestServer()
        let organizer = try await server.connect(token: try await server.organizerToken())
        let meeting = try await server.createMeeting(organizer)
        let a = try await server.addParticipant(organizer, meeting: meeting, name: "张三", unit: "市商务局")
        let b = try await server.addParticipant(organizer, meeting: meeting, name: "李四", unit: "黄山高新区")

        let host = try await server.connect(token: try #require(server.lastOrganizerToken))
        let collector = EventCollector(host)
        let start = try #require(try await host.call("stream.subscribe", ["stream": .string(meeting)])["seq"]?.intValue)

        let pa = try await server.connect(token: a.token)
        _ = try await organizer.call("av.mark", ["meeting": .string(meeting), "participant": .string(a.id), "check": "joined", "result": "pass"])
        let selfTest = try await pa.call("av.self", [
            "meeting": .string(meeting), "mic": ["ok": true, "peakDb": -28.4], "speaker": ["ok": true],
            "displayName": "张三-市商务局",
        ])
        #expect(selfTest["participant"]?["readiness"]?["ready"] == .bool(true))

        // A participant marking someone else is refused, and nothing is appended.
        let refused = try await pa.callRaw("av.mark", ["meeting": .string(meeting), "participant": .string(b.id), "check": "mic", "result": "pass"])
        #expect(refused["error"]?["code"]?.stringValue == "forbidden")
        let selfForOther = try await organizer.callRaw("av.self", ["meeting": .string(meeting), "mic": ["ok": true], "speaker": ["ok": true]])
        #expect(selfForOther["error"]?["code"]?.stringValue == "forbidden")

        // Retest: the host puts the mic back to pending.
        _ = try await organizer.call("av.mark", [
            "meeting": .string(meeting), "participant": .string(a.id), "check": "mic", "result": "pending", "note": "请重新测试麦克风",
        ])

        let events = await collector.wait(for: 3)
        #expect(events.compactMap(\.seq) == [start + 1, start + 2, start + 3])
        #expect(events.map { $0["event"]?.stringValue } == ["av.marked", "av.self_tested", "av.marked"])
        let afterSelf = events[1]["data"]?["participant"]
        #expect(afterSelf?["av"]?["checks"]?["mic"]?["peakDb"] == .double(-28.4))
        #expect(afterSelf?["av"]?["selfTest"]?["displayName"]?.stringValue == "张三-市商务局")
        #expect(afterSelf?["readiness"]?["ready"] == .bool(true))
        let afterRetest = events[2]["data"]?["participant"]
        #expect(afterRetest?["av"]?["checks"]?["mic"]?["result"]?.stringValue == "pending")
        #expect(afterRetest?["av"]?["checks"]?["mic"]?["note"]?.stringValue == "请重新测试麦克风")
        #expect(afterRetest?["readiness"]?["ready"] == .bool(false))
        #expect(afterRetest?["readiness"]?["missing"] == ["mic"])
        try await Task.sleep(for: .milliseconds(100))
        #expect(collector.events.count == 3)
    }

    @Test("going live: conflict lists the blockers; force needs a reason, which is kept")
    func goLiveGate() async throws {
        let server = try TestServer()
        let organizer = try await server.connect(token: try await server.organizerToken())
        let meeting = try await server.createMeeting(organizer)
        let p = try await server.addParticipant(organizer, meeting: meeting, name: "王五", unit: "歙县")
        let outOfOrder = try await organizer.callRaw("meeting.advance", ["meeting": .string(meeting), "to": "live"])
        #expect(outOfOrder["error"]?["code"]?.stringValue == "conflict")
        _ = try await organizer.call("meeting.advance", ["meeting": .string(meeting), "to": "rehearsal"])

        let blocked = try await organizer.callRaw("meeting.advance", ["meeting": .string(meeting), "to": "live"])
        #expect(blocked["error"]?["code"]?.stringValue == "conflict")
        let blockers = blocked["error"]?["details"]?["blockers"]?.arrayValue ?? []
        #expect(blockers.contains { $0["kind"] == "participant" && $0["id"]?.stringValue == p.id && $0["missing"] == ["joined", "renamed", "mic", "speaker"] })
        #expect(blockers.filter { $0["kind"] == "checklist" }.count == 12)

        let noReason = try await organizer.callRaw("meeting.advance", ["meeting": .string(meeting), "to": "live", "force": true])
        #expect(noReason["error"]?["field"]?.stringValue == "args.reason")

        // A participant (not host) cannot advance.
        let participant = try await server.connect(token: p.token)
        let byParticipant = try await participant.callRaw("meeting.advance", ["meeting": .string(meeting), "to": "live", "force": true, "reason": "x"])
        #expect(byParticipant["error"]?["code"]?.stringValue == "forbidden")

        let forced = try await organizer.call("meeting.advance", [
            "meeting": .string(meeting), "to": "live", "force": true, "reason": "企业代表行程紧张，准时开始",
        ])
        #expect(forced["meeting"]?["phase"]?.stringValue == "live")
        #expect(forced["transition"]?["forced"] == .bool(true))
        let snapshot = try await organizer.call("meeting.get", ["meeting": .string(meeting)])
        let transitions = snapshot["snapshot"]?["transitions"]?.arrayValue ?? []
        #expect(transitions.last?["reason"]?.stringValue == "企业代表行程紧张，准时开始")
        #expect(transitions.last?["blockers"]?.arrayValue?.count == 13)
        // And it is in the log.
        let stored = try server.storedEvents(meeting)
        #expect(stored.last?.event.type == "meeting.advanced")
    }
}

@Suite("Invitations through the real server")
struct InvitationTests {
    @Test("roster.add returns the absolute link and a ready invitation; roster.invitation and export.ics follow the zone")
    func invitations() async throws {
        let server = try TestServer()
        let organizer = try await server.connect(token: try await server.organizerToken())
        let meeting = try await server.createMeeting(organizer)
        let added = try await organizer.call("roster.add", [
            "meeting": .string(meeting), "name": "张三", "unit": "市商务局", "role": "unit",
        ])
        let token = try #require(added["token"]?.stringValue)
        let url = try #require(added["url"]?.stringValue)
        #expect(url == "http://127.0.0.1:\(server.server.port)/#/join/\(token)")
        let zh = try #require(added["invitation"]?["zh"]?.stringValue)
        let en = try #require(added["invitation"]?["en"]?.stringValue)
        #expect(zh.contains(url) && en.contains(url))
        #expect(zh.contains("张三-市商务局"))
        #expect(zh.contains("14:00"))  // 2026-12-01T14:00+08:00 shown in Asia/Shanghai
        #expect(zh.contains("123-456-789"))

        let pid = try #require(added["participant"]?["id"]?.stringValue)
        let later = try await organizer.call("roster.invitation", ["meeting": .string(meeting), "participant": .string(pid)])
        // Shown again with the same personal link (derived from the server's invite key).
        #expect(later["invitation"]?["zh"]?.stringValue?.contains(url) == true)
        #expect(later["url"]?.stringValue == url)
        #expect(later["timeZone"] == "Asia/Shanghai")

        let ics = try await organizer.call("export.ics", ["meeting": .string(meeting)])
        let text = try #require(ics["text"]?.stringValue)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n"))
        #expect(text.contains("DTSTART:20261201T060000Z"))
        #expect(text.contains("DTEND:20261201T073000Z"))

        // A participant gets its own invitation and calendar file, not someone else's.
        let other = try await server.addParticipant(organizer, meeting: meeting, name: "李四", unit: "歙县")
        let participant = try await server.connect(token: token)
        let own = try await participant.call("export.ics", ["meeting": .string(meeting)])
        #expect(own["filename"]?.stringValue == "新能源储能项目线上路演-2026-12-01.ics")
        let refused = try await participant.callRaw("roster.invitation", ["meeting": .string(meeting), "participant": .string(other.id)])
        #expect(refused["error"]?["code"]?.stringValue == "forbidden")
    }
}
