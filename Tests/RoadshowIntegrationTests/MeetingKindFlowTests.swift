import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// Meeting kinds (issue 12 point 4) through a real server and the real CLI:
/// created and changed, seen live by the company, shaping the suggested
/// agenda, the invitation and the minutes; a bad kind stores nothing.
@Suite struct MeetingKindFlowTests {
    @Test("kind through the server: create, live update seen by the company, agenda.suggest, invitation, minutes, bad kind")
    func throughTheServer() async throws {
        let server = try TestServer()
        let org = try await server.connect(token: try await server.organizerToken())
        guard case .object(var args) = TestServer.meetingArgs else { return }
        args["kind"] = "symposium"
        let created = try await org.call("meeting.create", .object(args))
        let meeting = try #require(created["meeting"]?["id"]?.stringValue)
        #expect(created["meeting"]?["kind"]?.stringValue == "symposium")
        let mid = JSON.string(meeting)

        // The default when absent.
        let plain = try await org.call("meeting.create", TestServer.meetingArgs)
        #expect(plain["meeting"]?["kind"]?.stringValue == "project_pitch")

        let company = try await server.addParticipant(org, meeting: meeting, name: "李四", unit: "皖南新能源科技有限公司", role: "company")
        let c = try await server.connect(token: company.token)
        let sub = try await c.call("stream.subscribe", ["stream": mid])
        #expect(sub["snapshot"]?["kind"]?.stringValue == "symposium")
        let seen = EventCollector(c)

        // A bad kind: the field, the allowed values, Chinese text; nothing stored.
        let before = try server.storedEvents(meeting).count
        do {
            _ = try await org.call("meeting.update", ["meeting": mid, "kind": "seminar"])
            Issue.record("meeting.update with kind seminar succeeded")
        } catch let error as RoadshowError {
            #expect(error.code == .badRequest && error.field == "args.kind")
            #expect(error.message.contains("project_pitch, exchange, symposium"), "\(error.message)")
            #expect(error.zh?.isEmpty == false)
        }
        #expect(try server.storedEvents(meeting).count == before)

        // The symposium's agenda, then a change of kind, both seen live.
        let suggested = try await org.call("agenda.suggest", ["meeting": mid])
        #expect(suggested["items"]?.arrayValue?.compactMap { $0["title"]?.stringValue } == ["各参会单位轮流发言", "集中讨论", "形成会议结论"])
        let updated = try await org.call("meeting.update", ["meeting": mid, "kind": "exchange"])
        #expect(updated["meeting"]?["kind"]?.stringValue == "exchange")
        let events = await seen.wait(for: 4)
        #expect(events.compactMap { $0["event"]?.stringValue } == ["agenda.added", "agenda.added", "agenda.added", "meeting.updated"])
        #expect(events.last?["data"]?["meeting"]?["kind"]?.stringValue == "exchange")
        let stored = try server.storedEvents(meeting)
        #expect(stored.count == before + 4)

        // A second suggestion on a non-empty agenda is a conflict.
        await #expect(throws: RoadshowError.self) { try await org.call("agenda.suggest", ["meeting": mid]) }

        // The invitation and the minutes say the kind.
        let invitation = try await c.call("roster.invitation", ["meeting": mid])
        #expect(invitation["invitation"]?["zh"]?.stringValue?.contains("会议类型：线上交流") == true)
        #expect(invitation["invitation"]?["en"]?.stringValue?.contains("Kind of meeting: Online exchange (线上交流)") == true)
        let minutes = try await c.call("export.minutes", ["meeting": mid])["text"]?.stringValue ?? ""
        #expect(minutes.contains("**会议类型**：线上交流"), "\(minutes.prefix(400))")
        let docx = try await org.call("export.minutes", ["meeting": mid, "format": "docx"])
        let xml = try #require(try DocxTests.unzip(docx)["word/document.xml"])
        #expect(DocxTests.text(xml).contains("会议类型：线上交流"))

        // And the server's catalogue lists the kinds with their agendas.
        let (body, _) = try await HTTP.get(server.httpBase + "/api/ops")
        let kinds = try JSON.parse(body)["vocabulary"]?["meetingKinds"]?.arrayValue ?? []
        #expect(kinds.compactMap { $0["code"]?.stringValue } == ["project_pitch", "exchange", "symposium"])
    }

    @Test("roadshow meeting create --kind, meeting update --kind, agenda suggest; a bad --kind is refused before sending")
    func throughTheCLI() async throws {
        let server = try TestServer()
        let token = try await server.organizerToken()
        let env = ["ROADSHOW_SERVER": server.url, "ROADSHOW_TOKEN": token, "ROADSHOW_TZ": "Asia/Shanghai"]
        let base = ["meeting", "create", "--title", "园区企业线上座谈", "--company", "某园区企业", "--project", "扩产需求",
                    "--category", "industrial", "--starts-at", "2026-12-05 10:00", "--duration", "90", "--system", "腾讯会议"]

        let bad = try await CLIRunner.run(base + ["--kind", "seminar"], env: env)
        #expect(bad.status != 0 && bad.stderr.contains("--kind"), "\(bad.stderr)")
        let org = try await server.connect(token: token)
        #expect(try await org.call("meeting.list")["meetings"]?.arrayValue?.isEmpty == true, "nothing was created")

        let created = try await CLIRunner.run(base + ["--kind", "symposium", "--json"], env: env)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.json?["meeting"]?["kind"]?.stringValue == "symposium")
        let meeting = try #require(created.json?["meeting"]?["id"]?.stringValue)

        let text = try await CLIRunner.run(base + ["--kind", "exchange"], env: env)
        #expect(text.status == 0 && text.stdout.contains("exchange 线上交流"), "\(text.stdout)")

        let suggest = try await CLIRunner.run(["agenda", "suggest", meeting], env: env)
        #expect(suggest.status == 0, "\(suggest.stderr)")
        #expect(suggest.stdout.contains("symposium 线上座谈") && suggest.stdout.contains("G-3 形成会议结论 (10 min)"), "\(suggest.stdout)")

        let update = try await CLIRunner.run(["meeting", "update", meeting, "--kind", "project_pitch", "--json"], env: env)
        #expect(update.status == 0, "\(update.stderr)")
        #expect(update.json?["meeting"]?["kind"]?.stringValue == "project_pitch")
        let snap = try await org.call("meeting.get", ["meeting": .string(meeting)])["snapshot"]
        #expect(snap?["kind"]?.stringValue == "project_pitch")
        #expect(snap?["agenda"]?.arrayValue?.count == 3)
    }
}
