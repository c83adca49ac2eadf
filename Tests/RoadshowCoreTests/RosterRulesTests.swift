import Foundation
import Testing

@testable import RoadshowCore

@Suite("roster.add / update / link / remove / confirm")
struct RosterRulesTests {
    static func issued(_ d: Decision) -> [Credential] {
        d.credentials.compactMap { if case .issue(let c) = $0 { return c } else { return nil } }
    }

    @Test("add: displayName is name-unit, the token is returned once and stored only as its hash")
    func add() throws {
        var h = try Harness.withMeeting()
        let d = try h.run("roster.add", h.on([
            "name": " 张三 ", "unit": "黄山市商务局", "role": "unit", "title": "科长", "phone": "0559-1234567", "email": "zs@hs.gov.cn",
        ]))
        #expect(d.events.map(\.type) == ["roster.added"])
        guard case .rosterAdded(let p) = d.events[0] else { return }
        #expect(p.id.hasPrefix("P-") && p.id.count == 10)
        #expect(p.name == "张三")
        #expect(p.unit == "黄山市商务局")
        #expect(p.displayName == "张三-黄山市商务局")
        #expect(p.role == .unit)
        #expect(p.title == "科长")
        #expect(p.phone == "0559-1234567")
        #expect(p.email == "zs@hs.gov.cn")
        #expect(p.addedAt == h.clock)
        #expect(p.attending == nil)
        #expect(!p.readiness.ready)
        #expect(h.meeting.roster == [p])
        #expect(d.result["participant"] == JSON(encoding: p))

        let token = try #require(d.result["token"]?.stringValue)
        #expect(token.hasPrefix("rs_p_"))
        #expect(token.count == 5 + 32)  // 160 bits in base32
        #expect(d.result["link"] == .string("/#/join/\(token)"))

        // The credential holds the SHA-256 of the token, never the token.
        #expect(d.credentials.count == 1)
        let c = try #require(Self.issued(d).first)
        #expect(c == Credential(tokenHash: SHA256.hex(token), actor: p.id, kind: .participant, name: "张三-黄山市商务局", meeting: h.meetingId))
        #expect(!c.tokenHash.contains(token))
        #expect(c.tokenHash.count == 64)
        #expect(!d.events.map(\.data.encodedString).joined().contains(token))
    }

    @Test("the stored reply of roster.add leaves out token and link and says so")
    func storableResult() throws {
        var h = try Harness.withMeeting()
        let d = try h.run("roster.add", h.on(["name": "李四", "unit": "歙县", "role": "observer"]))
        #expect(d.secretResultKeys == ["token", "link"])
        let stored = d.storableResult(seq: 14)
        let token = try #require(d.result["token"]?.stringValue)
        #expect(stored["token"] == nil)
        #expect(stored["link"] == nil)
        #expect(stored["redacted"] == ["invitation", "link", "token", "url"])
        #expect(stored["seq"] == 14)
        #expect(stored["participant"] == d.result["participant"])
        #expect(!stored.encodedString.contains(token))
        // A decision without secrets stores its result as is, plus seq.
        let plain = try h.run("checklist.add", h.on(["text": "甲"]))
        #expect(plain.storableResult(seq: 15) == .object(plain.result.merging(["seq": 15]) { a, _ in a }))
        #expect(plain.storableResult(seq: 15)["redacted"] == nil)
    }

    @Test("add: tokens differ between participants and between seeds")
    func tokensDiffer() throws {
        var h = try Harness.withMeeting()
        let a = try h.run("roster.add", h.on(["name": "甲", "unit": "一局", "role": "unit"]))
        let b = try h.run("roster.add", h.on(["name": "乙", "unit": "一局", "role": "unit"]))
        #expect(a.result["token"] != b.result["token"])
        #expect(a.result["participant"]?["id"] != b.result["participant"]?["id"])
    }

    @Test("add: same name and unit twice is a conflict; the same name in another unit is fine")
    func duplicate() throws {
        var h = try Harness.withMeeting()
        try h.add("张三", "市商务局")
        let e = h.failure("roster.add", h.on(["name": "张三", "unit": "市商务局", "role": "host"]))
        #expect(e?.code == .conflict)
        #expect(e?.field == "args.name")
        #expect(e?.message.contains("张三-市商务局") == true)
        // Whitespace does not make a different person.
        #expect(h.failure("roster.add", h.on(["name": " 张三", "unit": "市商务局 ", "role": "unit"]))?.code == .conflict)
        try h.add("张三", "歙县")
        #expect(h.meeting.roster.map(\.displayName) == ["张三-市商务局", "张三-歙县"])
    }

    static let invalidAdds: [([String: JSON], String)] = [
        (["unit": "局", "role": "unit"], "args.name"),
        (["name": "甲", "role": "unit"], "args.unit"),
        (["name": "甲", "unit": "局"], "args.role"),
        (["name": "甲", "unit": "局", "role": "guest"], "args.role"),
        (["name": "甲", "unit": "局", "role": "unit", "phone": "abc"], "args.phone"),
        (["name": "甲", "unit": "局", "role": "unit", "email": "not-an-email"], "args.email"),
        (["name": .string(String(repeating: "名", count: 61)), "unit": "局", "role": "unit"], "args.name"),
        (["name": "甲", "unit": "局", "role": "unit", "token": "x"], "args.token"),
    ]

    @Test("add: invalid fields are named; role choices are listed", arguments: invalidAdds)
    func addInvalid(args: [String: JSON], field: String) throws {
        var h = try Harness.withMeeting()
        let e = h.failure("roster.add", h.on(args))
        #expect(e?.code == .badRequest)
        #expect(e?.field == field)
        if field == "args.role" {
            #expect(e?.message.contains("host, recorder, company, unit, observer") == true)
        }
        #expect(h.meeting.roster.isEmpty)
    }

    @Test("update: rename refreshes displayName; no change, no event; duplicate is a conflict")
    func update() throws {
        var h = try Harness.withMeeting()
        let a = try h.add("张三", "市商务局")
        try h.add("李四", "市商务局")
        let d = try h.run("roster.update", h.on(["participant": .string(a), "unit": "黄山高新区", "title": "主任"]))
        #expect(d.events.map(\.type) == ["roster.updated"])
        #expect(h.meeting.participant(a)?.displayName == "张三-黄山高新区")
        #expect(h.meeting.participant(a)?.title == "主任")
        #expect(try h.run("roster.update", h.on(["participant": .string(a), "name": "张三"])).events.isEmpty)
        try h.run("roster.update", h.on(["participant": .string(a), "title": ""]))
        #expect(h.meeting.participant(a)?.title == nil)
        let e = h.failure("roster.update", h.on(["participant": .string(a), "name": "李四", "unit": "市商务局"]))
        #expect(e?.code == .conflict)
        #expect(h.failure("roster.update", h.on(["participant": "P-NOBODY00", "name": "x"]))?.code == .notFound)
    }

    @Test("link: the old token is revoked before the new one is issued")
    func link() throws {
        var h = try Harness.withMeeting()
        let first = try h.run("roster.add", h.on(["name": "张三", "unit": "市商务局", "role": "unit"]))
        let p = try #require(first.result["participant"]?["id"]?.stringValue)
        let d = try h.run("roster.link", h.on(["participant": .string(p)]))
        #expect(d.events == [.rosterLinkReissued(id: p)])
        #expect(d.credentials.count == 2)
        #expect(d.credentials.first == .revokeActor(p))
        let c = try #require(Self.issued(d).first)
        let token = try #require(d.result["token"]?.stringValue)
        #expect(token != first.result["token"]?.stringValue)
        #expect(c.tokenHash == SHA256.hex(token))
        #expect(c.actor == p && c.kind == .participant && c.meeting == h.meetingId)
        #expect(d.result["link"] == .string("/#/join/\(token)"))
        #expect(d.storableResult(seq: 20)["token"] == nil)
        // The participant itself is unchanged.
        #expect(h.meeting.participant(p)?.displayName == "张三-市商务局")
        #expect(h.failure("roster.link", h.on(["participant": "P-NOBODY00"]))?.field == "args.participant")
    }

    @Test("remove: the participant leaves the roster and its tokens are revoked")
    func remove() throws {
        var h = try Harness.withMeeting()
        let a = try h.add("张三", "市商务局")
        let b = try h.add("李四", "歙县")
        let d = try h.run("roster.remove", h.on(["participant": .string(a)]))
        #expect(d.events == [.rosterRemoved(id: a)])
        #expect(d.credentials == [.revokeActor(a)])
        #expect(h.meeting.roster.map(\.id) == [b])
        #expect(h.failure("roster.remove", h.on(["participant": .string(a)]))?.code == .notFound)
        // Once removed, the same person may be added again (a new id).
        let again = try h.add("张三", "市商务局")
        #expect(again != a)
    }

    @Test("confirm: a participant confirms for itself")
    func confirm() throws {
        var h = try Harness.withMeeting()
        let a = try h.add("张三", "市商务局")
        let b = try h.add("李四", "歙县")
        let d = try h.run("roster.confirm", h.on(["attending": true, "clientInstalled": true]), as: h.actor(a))
        #expect(d.events.map(\.type) == ["roster.confirmed"])
        let p = try #require(h.meeting.participant(a))
        #expect(p.attending == true)
        #expect(p.clientInstalled == true)
        #expect(p.accountRegistered == nil)
        #expect(p.confirmedAt == h.clock)
        // Nobody else changed.
        #expect(h.meeting.participant(b)?.attending == nil)
        try h.run("roster.confirm", h.on(["attending": false]), as: h.actor(b))
        #expect(h.meeting.participant(b)?.attending == false)
        #expect(h.meeting.participant(a)?.attending == true)
        #expect(h.failure("roster.confirm", h.on([:]), as: h.actor(a))?.field == "args.attending")
        // There is no way to name someone else.
        #expect(h.failure("roster.confirm", h.on(["attending": true, "participant": .string(b)]), as: h.actor(a))?.field == "args.participant")
    }

    @Test("confirm: forbidden for the organizer, the admin, a removed participant and another meeting's participant")
    func confirmForbidden() throws {
        var h = try Harness.withMeeting()
        let a = try h.add("张三", "市商务局")
        let host = try h.add("周主持", "市投资促进局", role: "host")
        let args = h.on(["attending": true])
        #expect(h.failure("roster.confirm", args, as: Fixture.organizer)?.code == .forbidden)
        #expect(h.failure("roster.confirm", args, as: Fixture.admin)?.code == .forbidden)
        #expect(h.failure("roster.confirm", args, as: Fixture.unitAccount)?.code == .forbidden)
        // The host confirms for itself, not for others: the call confirms the host.
        try h.run("roster.confirm", args, as: h.actor(host))
        #expect(h.meeting.participant(host)?.attending == true)
        #expect(h.meeting.participant(a)?.attending == nil)
        // A participant of another meeting, even with a roster id that exists here.
        let stranger = Actor(id: a, name: "张三-市商务局", kind: .participant, meeting: "M-OTHR")
        #expect(h.failure("roster.confirm", args, as: stranger)?.code == .forbidden)
        // A removed participant's leftover session.
        let removed = h.actor(a)
        try h.run("roster.remove", h.on(["participant": .string(a)]))
        #expect(h.failure("roster.confirm", args, as: removed)?.code == .forbidden)
    }
}
