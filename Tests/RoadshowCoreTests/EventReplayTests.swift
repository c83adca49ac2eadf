import Foundation
import Testing

@testable import RoadshowCore

@Suite("DomainEvent encoding and StreamState replay")
struct EventReplayTests {
    /// Every event type the core defines (DomainEvent.type).
    static let allTypes: Set<String> = [
        "account.created", "account.token_reissued",
        "meeting.created", "meeting.updated", "meeting.advanced",
        "checklist.item_added", "checklist.item_set", "checklist.item_removed",
        "roster.added", "roster.updated", "roster.removed", "roster.confirmed", "roster.link_reissued",
        "av.self_tested", "av.marked",
        "agenda.added", "agenda.updated", "agenda.moved", "agenda.removed", "agenda.started", "agenda.finished",
        "queue.raised", "queue.lowered", "queue.upvoted", "queue.granted", "queue.released", "queue.removed",
        "presence.changed",
        "minutes.added", "minutes.edited", "minutes.removed",
        "contacts.prompted", "contacts.shared", "contacts.withdrawn",
        "materials.added", "materials.removed", "materials.opened",
    ]

    /// The accounts stream: bootstrap, two accounts, a reissued token.
    static func accountsScenario() throws -> Harness {
        var h = Harness()
        let boot = AccountDirectory.bootstrap(token: "rs_a_boot", now: Fixture.now)
        h.decisions.append(boot)
        h.state = StreamState.applying(boot.events, to: nil)
        let org = try h.run("account.create", ["name": "黄山市投资促进局", "kind": "organizer"], as: Fixture.admin)
        try h.run("account.create", ["name": "黄山高新区", "kind": "unit"], as: Fixture.admin)
        try h.run("account.reissue", ["account": org.result["account"]!["id"]!], as: Fixture.admin)
        return h
    }

    /// A meeting from preparation to the end of the live phase, touching every meeting event.
    static func meetingScenario() throws -> Harness {
        var h = try Harness.withMeeting()
        try h.run("meeting.update", h.on(["kind": "exchange", "company": ["contact": "王总"], "project": ["investment": 8.75]]))
        try h.run("checklist.add", h.on(["text": "准备宣传片", "due": "2026-11-30", "owner": "二科"]))
        try h.run("checklist.set", h.on(["item": "C-13", "done": true, "note": "已完成"]))
        try h.run("checklist.remove", h.on(["item": "C-2"]))
        let host = try h.add("周主持", "黄山市投资促进局", role: "host")
        let recorder = try h.add("吴记录", "黄山市投资促进局", role: "recorder")
        let a = try h.add("张三", "市商务局")
        let b = try h.add("李四", "黄山高新区")
        let gone = try h.add("赵六", "市自然资源局", role: "observer")
        try h.run("roster.update", h.on(["participant": .string(a), "title": "科长", "phone": "138 0000 0001"]))
        try h.run("roster.confirm", h.on(["attending": true, "clientInstalled": true, "accountRegistered": false]), as: h.actor(a))
        try h.run("roster.link", h.on(["participant": .string(b)]))
        try h.run("roster.remove", h.on(["participant": .string(gone)]))
        try h.run("agenda.add", h.on(["title": "开场", "minutes": 5, "speaker": .string(host)]))
        try h.run("agenda.add", h.on(["title": "项目推介", "minutes": 20, "speakingLimitSeconds": 120]))
        try h.run("agenda.add", h.on(["title": "插到最前", "minutes": 3, "position": 1]))  // agenda.added + agenda.moved
        try h.run("agenda.update", h.on(["item": "G-2", "title": "企业项目推介"]))
        try h.run("agenda.move", h.on(["item": "G-3", "position": 3]))
        try h.run("agenda.add", h.on(["title": "多余", "minutes": 1]))
        try h.run("agenda.remove", h.on(["item": "G-4"]))
        try h.run("meeting.advance", h.on(["to": "rehearsal"]))
        try h.run("av.self", h.on(["mic": ["ok": true, "peakDb": -31.5], "speaker": ["ok": true], "camera": ["ok": false],
                                   "displayName": "张三-市商务局"]), as: h.actor(a))
        try h.run("av.mark", h.on(["participant": .string(b), "check": "joined", "result": "pass", "note": "已入会"]))
        try h.run("presence.set", h.on(["status": "present"]), as: h.actor(a))
        try h.run("meeting.advance", h.on(["to": "live", "force": true, "reason": "企业时间紧"]))
        try h.run("agenda.start", h.on(["item": "G-1"]))
        try h.run("agenda.next", h.on([:]), as: h.actor(host))  // agenda.finished + agenda.started
        try h.run("queue.raise", h.on(["kind": "question", "text": "用地指标如何解决？"]), as: h.actor(a))
        try h.run("queue.raise", h.on(["kind": "speak"]), as: h.actor(b))
        try h.run("queue.upvote", h.on(["entry": "Q-1"]), as: h.actor(b))
        try h.run("queue.lower", h.on([:]), as: h.actor(b))
        try h.run("queue.raise", h.on(["kind": "point_of_order"]), as: h.actor(b))
        try h.run("queue.grant", h.on(["entry": "Q-1"]), as: h.actor(host))
        try h.run("queue.release", h.on([:]), as: h.actor(a))
        try h.run("queue.remove", h.on(["entry": "Q-3"]), as: h.actor(host))
        try h.run("presence.set", h.on(["status": "away", "reason": "接电话"]), as: h.actor(a))
        try h.run("minutes.add", h.on(["kind": "intent", "text": "企业拟投资12亿元"]), as: h.actor(recorder))
        try h.run("minutes.add", h.on(["kind": "action", "text": "对接用地", "owner": "高新区", "due": "2026-12-15"]), as: h.actor(recorder))
        try h.run("minutes.edit", h.on(["entry": "N-2", "text": "对接用地指标"]), as: h.actor(recorder))
        try h.run("minutes.remove", h.on(["entry": "N-2"]), as: h.actor(host))
        try h.run("contacts.prompt", h.on(["companyCard": true]), as: h.actor(host))
        try h.run("contacts.share", h.on(["audience": "government"]), as: h.actor(a))
        try h.run("contacts.share", h.on(["audience": "everyone", "phone": "139 0000 0002", "email": "lisi@example.gov.cn"]), as: h.actor(b))
        try h.run("contacts.share", h.on(["audience": "everyone", "title": ""]), as: h.actor(a))
        try h.run("contacts.share", h.on(["audience": "none"]), as: h.actor(b))
        let sha = String(repeating: "ab", count: 32)
        try h.run("materials.add", h.on(["name": "项目介绍.pdf", "audience": "government", "sha256": .string(sha), "bytes": 48_213, "maxTotalBytes": 104_857_600]))
        try h.run("materials.add", h.on(["name": "内部评估.docx", "audience": "organizer", "sha256": .string(String(repeating: "cd", count: 32)), "bytes": 9_120, "maxTotalBytes": 104_857_600]))
        try h.run("materials.opened", h.on(["material": "F-1"]), as: h.actor(b))
        try h.run("materials.remove", h.on(["material": "F-2"]))
        try h.run("agenda.finish", h.on([:]))
        return h
    }

    static func events(_ h: Harness) -> [DomainEvent] { h.decisions.flatMap(\.events) }

    @Test("the scenarios produce every event type")
    func coverage() throws {
        let types = Set((Self.events(try Self.accountsScenario()) + Self.events(try Self.meetingScenario())).map(\.type))
        #expect(types == Self.allTypes, "missing: \(Self.allTypes.subtracting(types).sorted()); unexpected: \(types.subtracting(Self.allTypes).sorted())")
    }

    @Test("DomainEvent(type:data:) reads back exactly what .data writes, for every event")
    func roundTrip() throws {
        for e in Self.events(try Self.accountsScenario()) + Self.events(try Self.meetingScenario()) {
            let back = try e.roundTripped()
            #expect(back == e, "\(e.type) changed on the way through its data")
            #expect(back.data.encodedBytes == e.data.encodedBytes, "\(e.type)")
            #expect(back.type == e.type)
        }
    }

    @Test("unknown types and missing data fields are decode errors, not crashes")
    func decodeErrors() {
        #expect(throws: DomainEvent.DecodeError.self) { try DomainEvent(type: "meeting.exploded", data: [:]) }
        #expect(throws: DomainEvent.DecodeError.self) { try DomainEvent(type: "meeting.created", data: ["info": [:]]) }
        #expect(throws: DomainEvent.DecodeError.self) { try DomainEvent(type: "roster.removed", data: ["participant": [:]]) }
        #expect(throws: (any Error).self) { try DomainEvent(type: "checklist.item_added", data: ["item": ["id": "C-1"]]) }
    }

    @Test("replaying every decision's events from nothing reproduces the state")
    func replayMeeting() throws {
        let h = try Self.meetingScenario()
        let all = Self.events(h)
        let replayed = StreamState.applying(all, to: nil)
        #expect(replayed == h.state)
        // As the store does it: through the encoded data of each event.
        let decoded = try all.map { try $0.roundTripped() }
        let fromStore = StreamState.applying(decoded, to: nil)
        #expect(fromStore == h.state)
        #expect(fromStore?.meeting?.snapshot.encodedBytes == h.meeting.snapshot.encodedBytes)
        // Replaying in chunks (one decision at a time) gives the same as all at once.
        var step: StreamState? = nil
        for d in h.decisions { step = StreamState.applying(d.events, to: step) }
        #expect(step == replayed)
    }

    @Test("the replayed meeting holds what the scenario did")
    func replayContents() throws {
        let h = try Self.meetingScenario()
        let m = try #require(StreamState.applying(try Self.events(h).map { try $0.roundTripped() }, to: nil)?.meeting)
        #expect(m.info.phase == .live)
        #expect(m.info.company.contact == "王总")
        #expect(m.info.project.investment == 8.75)
        #expect(m.info.transitions?.map(\.to) == [.rehearsal, .live])
        #expect(m.info.forcedGoLive?.reason == "企业时间紧")
        #expect(m.checklist.count == 12)
        #expect(!m.checklist.contains { $0.id == "C-2" })
        #expect(m.checklist.last?.done == true)
        #expect(m.nextChecklistNumber == 14)
        #expect(m.roster.map(\.displayName) == ["周主持-黄山市投资促进局", "吴记录-黄山市投资促进局", "张三-市商务局", "李四-黄山高新区"])
        #expect(m.participant(m.roster[2].id)?.presence?.status == .away)
        #expect(m.agenda.map(\.id) == ["G-1", "G-2", "G-3"])
        #expect(m.agenda.map(\.title) == ["开场", "企业项目推介", "插到最前"])
        #expect(m.agenda.map(\.status) == [.done, .done, .planned])
        #expect(m.queue.isEmpty)
        #expect(m.floor == nil)
        #expect(m.speeches.count == 1)
        #expect(m.minutes.map(\.id) == ["N-1"])
        #expect(m.nextMinutesNumber == 3)
        #expect(m.nextQueueNumber == 4)
    }

    @Test("replaying the accounts stream reproduces the directory")
    func replayAccounts() throws {
        let h = try Self.accountsScenario()
        let replayed = StreamState.applying(try Self.events(h).map { try $0.roundTripped() }, to: nil)
        #expect(replayed == h.state)
        #expect(replayed?.accounts?.accounts.map(\.kind) == [.admin, .organizer, .unit])
    }

    @Test("an event that does not fit the state changes nothing")
    func misfit() throws {
        let h = try Harness.withMeeting()
        // A second meeting.created on an existing meeting, or a meeting event with no meeting.
        guard case .meetingCreated(let info) = h.decisions[0].events[0] else { return }
        #expect(StreamState.apply(.meetingCreated(info), to: h.state) == h.state)
        #expect(StreamState.apply(.checklistItemRemoved(id: "C-1"), to: nil) == nil)
        // Setting or removing an item that is not there.
        #expect(StreamState.apply(.checklistItemRemoved(id: "C-99"), to: h.state) == h.state)
    }

    /// StreamState.apply documents that an event not fitting the state leaves it
    /// unchanged: `account.created` on a meeting's state must not replace the meeting.
    @Test("account.created does not turn a meeting's state into an accounts directory")
    func accountEventOnMeeting() throws {
        let h = try Harness.withMeeting()
        let account = Account(id: "A-ORG009", name: "x", kind: .organizer, createdAt: Fixture.now)
        #expect(StreamState.apply(.accountCreated(account), to: h.state) == h.state)
        #expect(StreamState.apply(.accountCreated(account), to: nil)?.accounts?.accounts == [account])
    }

    @Test("the event frame carries stream, seq, at, by, event and data, keys sorted")
    func frame() throws {
        let e = RecordedEvent(stream: "M-7Q2K", seq: 42, at: Fixture.now + 0.125, by: "P-3", event: .checklistItemRemoved(id: "C-4"))
        let text = String(decoding: e.frame(), as: UTF8.self)
        #expect(text == #"{"at":"2026-11-22T08:00:00.125Z","by":"P-3","data":{"item":{"id":"C-4"}},"event":"checklist.item_removed","seq":42,"stream":"M-7Q2K"}"#)
        #expect(try JSON.parse(e.frame()).encodedString == text)
    }
}
