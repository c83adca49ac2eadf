import Foundation
import Testing

@testable import RoadshowCore

/// Meeting kinds (mechanism 7 §1, issue 12 point 4): `kind` on meeting.create /
/// meeting.update, its default, old events without it, its suggested agenda,
/// and where it shows (invitation, minutes).
@Suite("Meeting kinds: project_pitch / exchange / symposium")
struct MeetingKindTests {
    @Test("meeting.create without kind is a project pitch; with one it is stored and in the snapshot")
    func createDefaultAndExplicit() throws {
        var h = try Harness.withMeeting()
        #expect(h.meeting.info.kind == .projectPitch)
        #expect(h.meeting.snapshot["kind"] == "project_pitch")

        var s = Harness()
        let d = try s.run("meeting.create", Fixture.createArgs(["kind": "symposium"]))
        #expect(s.meeting.info.kind == .symposium)
        #expect(d.result["meeting"]?["kind"] == "symposium")
        #expect(s.meeting.snapshot(for: Fixture.organizer)["kind"] == "symposium")
        // And the company sees it too: it is a meeting fact.
        let company = try s.add("李总", "皖南新能源科技有限公司", role: "company")
        #expect(s.meeting.snapshot(for: s.actor(company))["kind"] == "symposium")
        _ = try h.run("meeting.update", h.on(["title": "只改标题"]))
        #expect(h.meeting.info.kind == .projectPitch, "an update without kind keeps it")
    }

    @Test("meeting.update changes the kind in one meeting.updated; the same kind again appends nothing")
    func update() throws {
        var h = try Harness.withMeeting()
        let d = try h.run("meeting.update", h.on(["kind": "exchange"]))
        #expect(d.events.map(\.type) == ["meeting.updated"])
        #expect(h.meeting.info.kind == .exchange && h.meeting.info.sequence == 1)
        let again = try h.run("meeting.update", h.on(["kind": "exchange"]))
        #expect(again.events.isEmpty)
        // Stored and read back (the event's data as the store keeps it).
        let stored = try d.events[0].roundTripped()
        guard case .meetingUpdated(let info) = stored else { Issue.record("\(stored.type)"); return }
        #expect(info.kind == .exchange)
    }

    @Test("a bad kind is a bad_request naming args.kind with the allowed values, in Chinese too; nothing is decided", arguments: [
        JSON.string("roadshow"), .string("Project_Pitch"), .int(1), .string(""),
    ])
    func badKind(_ kind: JSON) throws {
        var h = Harness()
        let e = h.failure("meeting.create", Fixture.createArgs(["kind": kind]))
        #expect(e?.code == .badRequest)
        #expect(e?.field == "args.kind")
        #expect(e?.message.contains("project_pitch, exchange, symposium") == true, "\(e?.message ?? "")")
        #expect(e?.zh?.isEmpty == false)
        #expect(h.state == nil)

        var u = try Harness.withMeeting()
        let before = u.meeting
        let e2 = u.failure("meeting.update", u.on(["kind": kind]))
        #expect(e2?.code == .badRequest && e2?.field == "args.kind")
        #expect(u.meeting == before)
    }

    @Test("a meeting.created stored before kinds (no kind key) decodes as project_pitch")
    func oldEventsDecode() throws {
        let h = try Harness.withMeeting()
        guard case .object(var data) = h.decisions[0].events[0].data, case .object(var meeting) = data["meeting"] else {
            Issue.record("meeting.created has no meeting object"); return
        }
        #expect(meeting["kind"] == "project_pitch", "new events carry the kind")
        meeting.removeValue(forKey: "kind")
        data["meeting"] = .object(meeting)
        let old = try DomainEvent(type: "meeting.created", data: .object(data))
        guard case .meetingCreated(let info) = old else { Issue.record("\(old.type)"); return }
        #expect(info.kind == .projectPitch)
        #expect(info.title == h.meeting.info.title)
    }

    @Test("agenda.suggest adds the kind's agenda, in order, to an empty agenda", arguments: MeetingKind.allCases)
    func suggest(_ kind: MeetingKind) throws {
        var h = Harness()
        try h.run("meeting.create", Fixture.createArgs(["kind": .string(kind.rawValue)]))
        let d = try h.run("agenda.suggest", h.on())
        #expect(d.events.allSatisfy { $0.type == "agenda.added" })
        #expect(h.meeting.agenda.map(\.title) == kind.suggestedAgenda.map(\.zh))
        #expect(h.meeting.agenda.map(\.id) == (1...kind.suggestedAgenda.count).map { "G-\($0)" })
        #expect(d.result["kind"] == .string(kind.rawValue))
        #expect(d.result["items"]?.arrayValue?.count == kind.suggestedAgenda.count)
        // A second time: the agenda is no longer empty.
        let again = h.failure("agenda.suggest", h.on())
        #expect(again?.code == .conflict && again?.zh?.contains("议程") == true)
    }

    @Test("the suggested agendas differ by kind, as mechanism 7 and the issue name them")
    func agendasByKind() throws {
        #expect(MeetingKind.projectPitch.suggestedAgenda.map(\.en) == [
            "Introduction: the host presents the units and the agenda", "Company pitch", "Q&A by unit", "Next steps",
        ])
        #expect(MeetingKind.symposium.suggestedAgenda.map(\.en) == ["Round of units", "Discussion", "Conclusions"])
        #expect(Set(MeetingKind.allCases.map { $0.suggestedAgenda.map(\.zh) }).count == 3)
        var h = Harness()
        try h.run("meeting.create", Fixture.createArgs(["kind": "exchange"]))
        try h.run("agenda.suggest", h.on(["language": "en"]))
        #expect(h.meeting.agenda.map(\.title) == MeetingKind.exchange.suggestedAgenda.map(\.en))
        #expect(h.failure("agenda.suggest", h.on(["language": "fr"]))?.field == "args.language")
    }

    @Test("agenda.suggest: managers only, open phases only")
    func suggestRules() throws {
        var h = try Harness.withMeeting()
        let unit = try h.add("张三", "市商务局")
        #expect(h.failure("agenda.suggest", h.on(), as: h.actor(unit))?.code == .forbidden)
        for phase in ["rehearsal", "live", "ended"] {
            try h.run("meeting.advance", h.on(["to": .string(phase), "force": true, "reason": "测试"]))
        }
        #expect(h.failure("agenda.suggest", h.on())?.code == .conflict)
        #expect(h.meeting.agenda.isEmpty)
    }

    @Test("the invitation names the kind, in Chinese and English")
    func invitation() throws {
        var info = InviteFixture.meeting()
        let pitch = Invitation.text(meeting: info, participant: nil, personalLink: nil, timeZone: InviteFixture.shanghai, language: .zh)
        #expect(pitch.contains("会议类型：企业项目路演") && pitch.contains("诚邀您参加企业项目路演会议"))
        info.kind = .symposium
        let zh = Invitation.text(meeting: info, participant: nil, personalLink: nil, timeZone: InviteFixture.shanghai, language: .zh)
        #expect(zh.contains("会议类型：线上座谈") && !zh.contains("企业项目路演"))
        let en = Invitation.text(meeting: info, participant: nil, personalLink: nil, timeZone: InviteFixture.shanghai, language: .en)
        #expect(en.contains("Kind of meeting: Online symposium (线上座谈)"))
    }

    @Test("the minutes name the kind")
    func minutes() throws {
        var h = Harness()
        try h.run("meeting.create", Fixture.createArgs(["kind": "exchange"]))
        let zh = MinutesExport.markdown(h.meeting, edition: .company, language: .zh, timeZone: InviteFixture.shanghai)
        #expect(zh.contains("**会议类型**：线上交流"), "\(zh)")
        let en = MinutesExport.markdown(h.meeting, edition: .government, language: .en, timeZone: InviteFixture.shanghai)
        #expect(en.contains("**Kind of meeting**: Online exchange"), "\(en)")
    }

    @Test("the vocabulary lists the kinds with labels and their agendas")
    func vocabulary() throws {
        let kinds = try #require(Vocabulary.json["meetingKinds"]?.arrayValue)
        #expect(kinds.compactMap { $0["code"]?.stringValue } == ["project_pitch", "exchange", "symposium"])
        #expect(kinds.compactMap { $0["zh"]?.stringValue } == ["企业项目路演", "线上交流", "线上座谈"])
        #expect(kinds.allSatisfy { ($0["agenda"]?.arrayValue?.count ?? 0) >= 3 })
    }
}
