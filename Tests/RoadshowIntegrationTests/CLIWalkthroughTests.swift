import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// The `roadshow` binary against a real server: the organizer's walkthrough,
/// the error lines, and `watch` resuming across a server restart.
@Suite(.serialized)
struct CLIWalkthroughTests {
    @Test func organizerWalkthrough() async throws {
        let server = try ClientTestServer()
        let admin = ["ROADSHOW_SERVER": server.url, "ROADSHOW_TOKEN": ClientTestServer.adminToken]

        let account = try await CLIRunner.run(["account", "create", "--name", "市投资促进局", "--kind", "organizer", "--json"], env: admin)
        #expect(account.status == 0, "\(account.stderr)")
        let token = try #require(account.json?["token"]?.stringValue)
        #expect(account.json?["account"]?["kind"] == "organizer")
        let organizer = ["ROADSHOW_SERVER": server.url, "ROADSHOW_TOKEN": token]

        let created = try await CLIRunner.run(
            [
                "meeting", "create", "--title", "新能源电池项目线上路演", "--company", "某某新能源科技有限公司",
                "--company-contact", "王经理", "--project", "动力电池生产基地", "--category", "industrial",
                "--investment", "12.5", "--starts-at", "2026-12-01 14:00", "--duration", "90", "--system", "腾讯会议",
                "--room", "123-456-789", "--json",
            ], env: organizer)
        #expect(created.status == 0, "\(created.stderr)")
        let meeting = try #require(created.json?["meeting"]?["id"]?.stringValue)
        // "2026-12-01 14:00" is Asia/Shanghai time.
        #expect(created.json?["meeting"]?["startsAt"] == "2026-12-01T06:00:00.000Z")
        #expect(created.json?["meeting"]?["project"]?["investment"] == 12.5)

        let added = try await CLIRunner.run(
            ["checklist", "add", meeting, "向参会单位发送项目资料", "--owner", "李科长", "--due", "2026-11-28", "--json"], env: organizer)
        #expect(added.status == 0, "\(added.stderr)")
        let item = try #require(added.json?["item"]?["id"]?.stringValue)

        let done = try await CLIRunner.run(["checklist", "done", meeting, item, "--note", "已发送"], env: organizer)
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout.contains("Done: \(item)"))

        let roster = try await CLIRunner.run(
            ["roster", "add", meeting, "--name", "王芳", "--unit", "高新区管委会", "--role", "unit", "--title", "副主任"], env: organizer)
        #expect(roster.status == 0, "\(roster.stderr)")
        let linkLine = try #require(roster.lines.first { $0.hasPrefix("invite link: ") })
        #expect(linkLine.hasPrefix("invite link: http://127.0.0.1:\(server.port)/#/join/rs_p_"))
        let inviteToken = String(linkLine.split(separator: "/").last!)
        #expect(roster.stdout.contains("token:       \(inviteToken)"))

        let shown = try await CLIRunner.run(["meeting", "show", meeting, "--json"], env: organizer)
        #expect(shown.status == 0, "\(shown.stderr)")
        let snapshot = try #require(shown.json?["snapshot"])
        #expect(snapshot["title"] == "新能源电池项目线上路演")
        let checked = snapshot["checklist"]?.arrayValue?.first { $0["id"]?.stringValue == item }
        #expect(checked?["done"] == true)
        #expect(checked?["note"] == "已发送")
        #expect(checked?["owner"] == "李科长")
        let people = snapshot["roster"]?.arrayValue ?? []
        #expect(people.count == 1)
        #expect(people.first?["name"] == "王芳")
        #expect(people.first?["displayName"] == "王芳-高新区管委会")

        // The invite token signs the participant in.
        let participant = try await RoadshowConnection.connect(url: server.url)
        defer { participant.close() }
        let auth = try await participant.call("auth", ["token": .string(inviteToken)])
        #expect(auth["actor"]?["kind"] == "participant")

        // The human view: aligned tables, times in Asia/Shanghai.
        let human = try await CLIRunner.run(["meeting", "show", meeting], env: organizer)
        #expect(human.status == 0, "\(human.stderr)")
        #expect(human.stdout.contains("2026-12-01 14:00 (Asia/Shanghai), 90 min"))
        #expect(human.stdout.contains("preparing 会议准备"))
        let doneRow = try #require(human.lines.first { $0.hasPrefix(item + " ") })
        #expect(doneRow.contains("[x]") && doneRow.contains("已发送"))
        let header = try #require(human.lines.first { $0.hasPrefix("ID ") && $0.contains("Display name") })
        let row = try #require(human.lines.first { $0.contains("王芳-高新区管委会") })
        #expect(Self.column(of: "Display name", in: header) == Self.column(of: "王芳-高新区管委会", in: row))

        // A lost organizer token: the admin issues a new one; the old one stops working.
        let organizerId = try #require(account.json?["account"]?["id"]?.stringValue)
        let reissued = try await CLIRunner.run(["account", "reissue", organizerId], env: admin)
        #expect(reissued.status == 0, "\(reissued.stderr)")
        let newLine = try #require(reissued.lines.first { $0.hasPrefix("token: ") })
        let newToken = String(newLine.dropFirst("token: ".count))
        #expect(newToken.hasPrefix("rs_o_") && newToken != token)
        let old = try await CLIRunner.run(["meeting", "list"], env: organizer)
        #expect(old.status == 1)
        #expect(old.stderr.hasPrefix("error: unauthenticated: "))
        let renewed = try await CLIRunner.run(["meeting", "list", "--json"], env: ["ROADSHOW_SERVER": server.url, "ROADSHOW_TOKEN": newToken])
        #expect(renewed.status == 0, "\(renewed.stderr)")
        #expect(renewed.json?["meetings"]?.arrayValue?.count == 1)
        let adminItself = try await CLIRunner.run(["account", "reissue", "A-ADMIN"], env: admin)
        #expect(adminItself.status == 1)
        #expect(adminItself.stderr.hasPrefix("error: conflict: "))
    }

    /// The display column where `text` starts in `line`.
    static func column(of text: String, in line: String) -> Int? {
        guard let range = line.range(of: text) else { return nil }
        return DisplayWidth.of(String(line[..<range.lowerBound]))
    }

    @Test func errorsAreOneClearLine() async throws {
        let server = try ClientTestServer()
        let admin = ["ROADSHOW_SERVER": server.url, "ROADSHOW_TOKEN": ClientTestServer.adminToken]

        let missing = try await CLIRunner.run(["meeting", "show", "M-NOPE"], env: admin)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: not_found: "))
        #expect(missing.stdout.isEmpty)

        let noToken = try await CLIRunner.run(["meeting", "list"], env: ["ROADSHOW_SERVER": server.url])
        #expect(noToken.status != 0 && noToken.status != 1)  // a usage error
        #expect(noToken.stderr.contains("--token") && noToken.stderr.contains("ROADSHOW_TOKEN"))

        let badToken = try await CLIRunner.run(["meeting", "list", "--token", "rs_o_wrong", "--server", server.url])
        #expect(badToken.status == 1)
        #expect(badToken.stderr.hasPrefix("error: unauthenticated: "))

        let badTime = try await CLIRunner.run(
            [
                "meeting", "create", "--title", "t", "--company", "c", "--project", "p", "--category", "industrial",
                "--starts-at", "next Tuesday", "--duration", "60", "--system", "Zoom",
            ], env: admin)
        #expect(badTime.status != 0 && badTime.status != 1)
        #expect(badTime.stderr.contains("--starts-at"))

        let url = server.url
        server.stop()
        let down = try await CLIRunner.run(["meeting", "list", "--server", url, "--token", ClientTestServer.adminToken])
        #expect(down.status == 1)
        #expect(down.stderr.contains("cannot reach the server at \(url)"))
        #expect(down.stderr.contains("roadshow serve"))
    }

    @Test func everyCommandExplainsItselfWithExamples() async throws {
        for command in [
            ["account", "create"], ["account", "list"], ["account", "reissue"], ["meeting", "create"], ["meeting", "list"], ["meeting", "show"],
            ["checklist", "add"], ["checklist", "done"], ["checklist", "undo"], ["checklist", "remove"],
            ["roster", "add"], ["roster", "list"], ["roster", "remove"], ["roster", "link"], ["watch"],
        ] {
            let help = try await CLIRunner.run(command + ["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example"), "\(command.joined(separator: " ")) --help has no example")
            #expect(help.stdout.contains("--server") && help.stdout.contains("--json"))
        }
    }

    @Test func watchPrintsEventsAndResumesAfterARestart() async throws {
        let server = try ClientTestServer()
        let token = try await server.organizerToken()
        let organizer = try await server.connect(token: token)
        let meeting = try await server.createMeeting(on: organizer)
        let start = try await organizer.call("meeting.get", ["meeting": .string(meeting)])["seq"]!.intValue!

        let watch = try CLIRunner.Running(
            ["watch", meeting, "--json"], env: ["ROADSHOW_SERVER": server.url, "ROADSHOW_TOKEN": token])
        defer { watch.stop() }
        #expect(try await watch.waitForStderr("watching \(meeting)"))
        var lines = watch.stdoutLines.makeAsyncIterator()

        _ = try await organizer.call("checklist.add", ["meeting": .string(meeting), "text": "重启前"])
        let first = try #require(await lines.next())
        #expect(try JSON.parse(first)["seq"]?.intValue == start + 1)

        try await server.restart()
        let again = try await server.connect(token: token)
        defer { again.close() }
        _ = try await again.call("checklist.add", ["meeting": .string(meeting), "text": "重启后一"])
        _ = try await again.call("checklist.add", ["meeting": .string(meeting), "text": "重启后二"])
        let second = try JSON.parse(try #require(await lines.next()))
        let third = try JSON.parse(try #require(await lines.next()))
        #expect(second["seq"]?.intValue == start + 2)
        #expect(second["data"]?["item"]?["text"] == "重启后一")
        #expect(third["seq"]?.intValue == start + 3)
        #expect(watch.stderr.contains("reconnecting…"))
    }

    @Test func watchHumanLinesShowShanghaiTime() async throws {
        let server = try ClientTestServer()
        let token = try await server.organizerToken()
        let organizer = try await server.connect(token: token)
        defer { organizer.close() }
        let meeting = try await server.createMeeting(on: organizer)

        let watch = try CLIRunner.Running(
            ["watch", meeting, "--since", "0"], env: ["ROADSHOW_SERVER": server.url, "ROADSHOW_TOKEN": token])
        defer { watch.stop() }
        var lines = watch.stdoutLines.makeAsyncIterator()
        let line = try #require(await lines.next())
        #expect(line.hasPrefix("    1  "))
        #expect(line.contains("meeting.created"))
        #expect(line.contains("新能源电池项目线上路演"))
        // The time column is local time in Asia/Shanghai (UTC+8): compare with the event's own timestamp.
        _ = try await organizer.call("stream.subscribe", ["stream": .string(meeting), "since": 0])
        var events = organizer.events.makeAsyncIterator()
        let created = try #require(await events.next())
        let at = try #require(created["at"]?.stringValue)
        #expect(line.contains(LocalTime(identifier: "Asia/Shanghai")!.format(wire: at, seconds: true)))
    }
}
