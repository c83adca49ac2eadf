import Foundation
import Testing

@testable import RoadshowCore

@Suite("meeting.create and meeting.update")
struct MeetingRulesTests {
    @Test("meeting.create: one meeting.created then the 12 default checklist items")
    func create() throws {
        var h = Harness()
        let d = try h.run("meeting.create", Fixture.createArgs())
        let id = try #require(d.newStream)
        #expect(id.hasPrefix("M-"))
        #expect(id.count == 6)
        #expect(id.dropFirst(2).allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        #expect(d.events.map(\.type) == ["meeting.created"] + Array(repeating: "checklist.item_added", count: 12))

        guard case .meetingCreated(let info) = d.events[0] else { Issue.record("first event is \(d.events[0].type)"); return }
        #expect(info.id == id)
        #expect(info.owner == Fixture.organizer.id)
        #expect(info.ownerName == Fixture.organizer.name)
        #expect(info.phase == .preparing)
        #expect(info.title == "皖南新能源储能电池项目线上路演")
        #expect(info.company == Company(name: "皖南新能源科技有限公司", contact: "李总", phone: "138 0000 0000"))
        #expect(info.project == Project(name: "年产5GWh储能电池生产基地", category: .industrial, industry: "新能源", investment: 12.5))
        #expect(info.system == MeetingSystem(name: "腾讯会议", room: "123-456-789", link: "https://meeting.tencent.com/dm/demo"))
        #expect(Timestamp.format(info.startsAt) == "2026-12-01T06:00:00.000Z")
        #expect(info.durationMinutes == 90)
        #expect(info.createdAt == h.clock)
        #expect(info.updatedAt == h.clock)
        #expect(info.transitions == nil)
        #expect(d.result["meeting"] == JSON(encoding: info))

        let items = h.meeting.checklist
        #expect(items.map(\.id) == (1...12).map { "C-\($0)" })
        #expect(items.filter { $0.phase == .preparing }.count == 9)
        #expect(items.filter { $0.phase == .rehearsal }.count == 3)
        // The nine preparation items come first, then the three joint-test items.
        #expect(items.prefix(9).allSatisfy { $0.phase == .preparing })
        #expect(items.suffix(3).allSatisfy { $0.phase == .rehearsal })
        for item in items {
            #expect(item.text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(item.id) has no Chinese text")
            let en = try #require(item.textEn, "\(item.id) has no English text")
            #expect(!en.isEmpty && en.unicodeScalars.allSatisfy { $0.isASCII }, "\(item.id): \(en)")
            #expect(!item.done && item.doneBy == nil && item.doneAt == nil)
            #expect(item.key != nil)
        }
        #expect(Set(items.compactMap(\.key)).count == 12)
        #expect(items[0].key == "confirm_intent")
        #expect(items[0].text == "提前与企业沟通，确认来投资合作意向")
        #expect(items.last?.key == "test_audio")
        #expect(items.contains { $0.key == "rename_attendees" && $0.text.contains("姓名-单位") })
        #expect(h.meeting.nextChecklistNumber == 13)
    }

    @Test("meeting.create: optional fields may be left out; the admin may create too")
    func createMinimal() throws {
        var h = Harness()
        let d = try h.run("meeting.create", [
            "title": "路演", "company": ["name": "企业"], "project": ["name": "项目", "category": "non_industrial"],
            "startsAt": "2026-12-01T06:00:00Z", "durationMinutes": 10, "system": ["name": "Zoom"],
        ], as: Fixture.admin)
        let info = h.meeting.info
        #expect(d.events.count == 13)
        #expect(info.owner == Fixture.admin.id)
        #expect(info.company.contact == nil && info.company.phone == nil)
        #expect(info.project.category == .nonIndustrial && info.project.investment == nil && info.project.industry == nil)
        #expect(info.system.room == nil && info.system.link == nil)
    }

    @Test("meeting.create: the same seed gives the same meeting id, another seed another one")
    func deterministicIds() throws {
        var a = Harness(), b = Harness(), c = Harness()
        c.rng = SeededGenerator(seed: 7)
        let ia = try a.run("meeting.create", Fixture.createArgs()).newStream
        let ib = try b.run("meeting.create", Fixture.createArgs()).newStream
        let ic = try c.run("meeting.create", Fixture.createArgs()).newStream
        #expect(ia == ib)
        #expect(ia != ic)
    }

    static let invalidCreates: [([String: JSON], String)] = [
        (["durationMinutes": 9], "args.durationMinutes"),
        (["durationMinutes": 1441], "args.durationMinutes"),
        (["durationMinutes": 30.5], "args.durationMinutes"),
        (["durationMinutes": "60"], "args.durationMinutes"),
        (["startsAt": "2026-12-01 14:00"], "args.startsAt"),
        (["startsAt": "2026-12-01T14:00:00"], "args.startsAt"),
        (["startsAt": "2026-02-30T14:00:00+08:00"], "args.startsAt"),
        (["startsAt": "1999-12-31T14:00:00+08:00"], "args.startsAt"),
        (["startsAt": "2100-06-01T14:00:00+08:00"], "args.startsAt"),
        (["startsAt": 1_796_104_800], "args.startsAt"),
        (["title": ""], "args.title"),
        (["title": .string(String(repeating: "长", count: 201))], "args.title"),
        (["project": ["name": "项目", "category": "manufacturing"]], "args.project.category"),
        (["project": ["name": "项目"]], "args.project.category"),
        (["project": ["category": "industrial"]], "args.project.name"),
        (["project": ["name": "项目", "category": "industrial", "investment": -1]], "args.project.investment"),
        (["project": ["name": "项目", "category": "industrial", "investment": "12亿"]], "args.project.investment"),
        (["project": ["name": "项目", "category": "industrial", "budget": 1]], "args.project.budget"),
        (["system": ["name": "腾讯会议", "link": "meeting.tencent.com/dm/demo"]], "args.system.link"),
        (["system": ["name": "腾讯会议", "link": "ftp://meeting.tencent.com/x"]], "args.system.link"),
        (["system": ["name": "腾讯会议", "link": "https://a b.com/x"]], "args.system.link"),
        (["system": ["room": "1"]], "args.system.name"),
        (["system": "腾讯会议"], "args.system"),
        (["company": ["name": "企业", "phone": "call me"]], "args.company.phone"),
        (["company": ["name": "企业", "phone": "1234"]], "args.company.phone"),
        (["company": ["contact": "李总"]], "args.company.name"),
        (["company": ["name": "企业", "email": "a@b.cn"]], "args.company.email"),
        (["location": "黄山"], "args.location"),
    ]

    @Test("meeting.create: each invalid field is named", arguments: invalidCreates)
    func createInvalid(overrides: [String: JSON], field: String) throws {
        var h = Harness()
        let e = h.failure("meeting.create", Fixture.createArgs(overrides))
        #expect(e?.code == .badRequest)
        #expect(e?.field == field, "\(e?.message ?? "")")
        #expect(e?.message.contains(field) == true, "the message should name the field: \(e?.message ?? "")")
        #expect(h.state == nil)
    }

    @Test("meeting.create: required top-level fields", arguments: ["title", "company", "project", "startsAt", "durationMinutes", "system"])
    func createMissing(key: String) throws {
        guard case .object(var o) = Fixture.createArgs() else { return }
        o.removeValue(forKey: key)
        var h = Harness()
        let e = h.failure("meeting.create", .object(o))
        #expect(e?.code == .badRequest)
        #expect(e?.field == "args.\(key)")
    }

    @Test("meeting.create: only organizers and the admin", arguments: [
        Fixture.unitAccount, Actor(id: "P-ABCDEFGH", name: "张三-市商务局", kind: .participant, meeting: "M-AAAA"),
    ])
    func createForbidden(actor: Actor) {
        var h = Harness()
        #expect(h.failure("meeting.create", Fixture.createArgs(), as: actor)?.code == .forbidden)
    }

    // MARK: update

    @Test("meeting.update: a partial nested update keeps the other fields")
    func partialUpdate() throws {
        var h = try Harness.withMeeting()
        let before = h.meeting.info
        let d = try h.run("meeting.update", h.on(["company": ["phone": "+86 551 1234567"], "system": ["room": "987-654-321"]]))
        #expect(d.events.map(\.type) == ["meeting.updated"])
        guard case .meetingUpdated(let info) = d.events[0] else { return }
        #expect(info.company == Company(name: before.company.name, contact: "李总", phone: "+86 551 1234567"))
        #expect(info.system == MeetingSystem(name: "腾讯会议", room: "987-654-321", link: before.system.link))
        #expect(info.project == before.project)
        #expect(info.title == before.title)
        #expect(info.startsAt == before.startsAt)
        #expect(info.createdAt == before.createdAt)
        #expect(info.updatedAt == h.clock)
        #expect(info.updatedAt > before.updatedAt)
        #expect(h.meeting.info == info)
        #expect(d.result["meeting"] == JSON(encoding: info))
    }

    @Test("meeting.update: clearing optional fields with empty strings and null investment")
    func clearFields() throws {
        var h = try Harness.withMeeting()
        try h.run("meeting.update", h.on([
            "company": ["contact": ""], "project": ["industry": "", "investment": nil], "system": ["link": "  "],
        ]))
        let info = h.meeting.info
        #expect(info.company.contact == nil)
        #expect(info.company.phone == "138 0000 0000")
        #expect(info.project.industry == nil)
        #expect(info.project.investment == nil)
        #expect(info.project.name == "年产5GWh储能电池生产基地")
        #expect(info.system.link == nil)
        #expect(info.system.room == "123-456-789")
    }

    @Test("meeting.update: top-level fields, and category change in a partial project")
    func updateTopLevel() throws {
        var h = try Harness.withMeeting()
        try h.run("meeting.update", h.on([
            "title": "新标题", "startsAt": "2026-12-02T09:30:00+08:00", "durationMinutes": 120,
            "project": ["category": "non_industrial"],
        ]))
        #expect(h.meeting.info.title == "新标题")
        #expect(Timestamp.format(h.meeting.info.startsAt) == "2026-12-02T01:30:00.000Z")
        #expect(h.meeting.info.durationMinutes == 120)
        #expect(h.meeting.info.project.category == .nonIndustrial)
        #expect(h.meeting.info.project.name == "年产5GWh储能电池生产基地")
    }

    static let noOpUpdates: [[String: JSON]] = [
        [:],
        ["title": "皖南新能源储能电池项目线上路演"],
        ["title": "  皖南新能源储能电池项目线上路演 "],
        ["company": ["name": "皖南新能源科技有限公司"]],
        ["startsAt": "2026-12-01T06:00:00Z"],  // the same instant written in UTC
        ["durationMinutes": 90],
        ["project": ["investment": 12.5]],
        ["system": [:]],
    ]

    @Test("meeting.update: no change, no event", arguments: noOpUpdates)
    func noOp(args: [String: JSON]) throws {
        var h = try Harness.withMeeting()
        let before = h.meeting
        let d = try h.run("meeting.update", h.on(args))
        #expect(d.events.isEmpty, "\(d.events.map(\.type))")
        #expect(h.meeting == before)
        #expect(d.result["meeting"] == JSON(encoding: before.info))
    }

    static let invalidUpdates: [([String: JSON], String)] = [
        (["durationMinutes": 5], "args.durationMinutes"),
        (["startsAt": "next week"], "args.startsAt"),
        (["company": ["name": ""]], "args.company.name"),
        (["company": ["phone": "abc"]], "args.company.phone"),
        (["project": ["category": "other"]], "args.project.category"),
        (["system": ["link": "not a link"]], "args.system.link"),
        (["system": ["name": .string(String(repeating: "会", count: 61))]], "args.system.name"),
        (["phase": "live"], "args.phase"),
    ]

    @Test("meeting.update: invalid fields are named and change nothing", arguments: invalidUpdates)
    func updateInvalid(args: [String: JSON], field: String) throws {
        var h = try Harness.withMeeting()
        let before = h.meeting
        let e = h.failure("meeting.update", h.on(args))
        #expect(e?.code == .badRequest)
        #expect(e?.field == field)
        #expect(h.meeting == before)
    }

    @Test("meeting.update on a meeting that does not exist is not_found; a malformed id is bad_request")
    func updateMissingMeeting() throws {
        var h = Harness()
        let e = h.failure("meeting.update", ["meeting": "M-ZZZZ", "title": "x"])
        #expect(e?.code == .notFound)
        #expect(e?.field == "args.meeting")
        let target = Result { () throws(RoadshowError) in try Operations.mutations["meeting.update"]!.target(try Args(["meeting": "X-1"])) }
        guard case .failure(let bad) = target else { Issue.record("X-1 accepted as a meeting id"); return }
        #expect(bad.field == "args.meeting")
        let ok = try Operations.mutations["meeting.update"]!.target(try Args(["meeting": "M-7Q2K"]))
        #expect(ok == .meeting("M-7Q2K"))
        #expect(ok.keyScope == "M-7Q2K")
        #expect(try Operations.mutations["account.create"]!.target(try Args(nil)).keyScope == "accounts")
    }

    @Test("meeting.update: refused once the meeting has ended")
    func updateAfterEnd() throws {
        var h = try Harness.withMeeting()
        try h.add("主持人", "市投资促进局", role: "host")
        try h.run("meeting.advance", h.on(["to": "rehearsal"]))
        try h.run("meeting.advance", h.on(["to": "live", "force": true, "reason": "测试"]))
        try h.run("meeting.advance", h.on(["to": "ended", "force": true, "reason": "测试"]))
        let e = h.failure("meeting.update", h.on(["title": "改"]))
        #expect(e?.code == .conflict)
    }
}
