import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// The `roadshow` binary through the joint test (会前联调) against a real server:
/// roster, AV checks, the go-live gate and its forced override, invitations.
@Suite(.serialized)
struct CLIRehearsalTests {
    @Test func rehearsalWalkthrough() async throws {
        let server = try ClientTestServer()
        let cli = CLISession(server: server, token: try await server.organizerToken())
        let organizer = try await server.connect(token: cli.token)
        defer { organizer.close() }
        let meeting = try await server.createMeeting(on: organizer)

        // Two people on the roster.
        let wang = try await cli.add(meeting, name: "王芳", unit: "高新区管委会", role: "unit")
        let manager = try await cli.add(meeting, name: "王经理", unit: "某某新能源科技有限公司", role: "company")

        let rehearsal = try await cli.run(["meeting", "advance", meeting, "--to", "rehearsal"])
        #expect(rehearsal.status == 0, "\(rehearsal.stderr)")
        #expect(rehearsal.stdout.contains("\(meeting) is now rehearsal 会前联调"))

        // The company's manager runs the self-test on their own, showing the wrong name.
        let selfTester = try await server.connect(token: manager.token)
        defer { selfTester.close() }
        _ = try await selfTester.call("av.self", [
            "meeting": .string(meeting), "mic": ["ok": true, "peakDb": -23.5], "speaker": ["ok": true],
            "displayName": "王经理",
        ])

        // The host marks every check of 王芳; the last one makes her ready.
        for check in ["joined", "renamed", "mic", "speaker"] {
            let marked = try await cli.run(["av", "mark", meeting, wang.id, check, "pass"])
            #expect(marked.status == 0, "\(marked.stderr)")
            #expect(marked.stdout.contains("\(wang.id) 王芳-高新区管委会: \(check) "))
            #expect(marked.stdout.contains("✓ pass"))
        }
        let lastMark = try await cli.run(["av", "mark", meeting, wang.id, "camera", "fail", "--note", "摄像头未开启"])
        #expect(lastMark.status == 0, "\(lastMark.stderr)")
        #expect(lastMark.lines.contains("ready"), "the camera is optional: \(lastMark.stdout)")

        let status = try await cli.run(["av", "status", meeting])
        #expect(status.status == 0, "\(status.stderr)")
        let header = try #require(status.lines.first { $0.hasPrefix("Unit ") })
        let wangRow = try #require(status.lines.first { $0.contains("王芳-高新区管委会") })
        #expect(wangRow.hasPrefix("高新区管委会"))
        #expect(wangRow.contains(" ready"))
        #expect(wangRow.contains("camera: 摄像头未开启"))
        #expect(CLIWalkthroughTests.column(of: "Display name", in: header) == CLIWalkthroughTests.column(of: "王芳-高新区管委会", in: wangRow))
        #expect(CLIWalkthroughTests.column(of: "Ready", in: header) == CLIWalkthroughTests.column(of: "ready", in: wangRow))
        let managerRow = try #require(status.lines.first { $0.contains("王经理-某某新能源科技有限公司") })
        #expect(managerRow.contains("-23.5 dBFS"))
        #expect(managerRow.contains("✗"))
        #expect(managerRow.contains("missing: joined, renamed"))
        #expect(managerRow.contains("renamed: shows \"王经理\""))
        #expect(status.lines.contains("1 of 2 ready"))

        let statusJSON = try await cli.run(["av", "status", meeting, "--json"])
        #expect(statusJSON.json?["ready"] == 1)
        #expect(statusJSON.json?["expected"] == 2)

        // Retest: pending again, and no longer ready.
        let retest = try await cli.run(["av", "retest", meeting, wang.id, "mic"])
        #expect(retest.status == 0, "\(retest.stderr)")
        #expect(retest.stdout.contains("mic 麦克风 · pending"))
        #expect(retest.stdout.contains("missing: mic 麦克风"))
        let again = try await cli.run(["av", "mark", meeting, wang.id, "mic", "pass", "--json"])
        #expect(again.json?["participant"]?["readiness"]?["ready"] == true)

        // Going live is blocked: the checklist is open and the manager is not ready.
        let blocked = try await cli.run(["meeting", "advance", meeting, "--to", "live"])
        #expect(blocked.status == 1)
        #expect(blocked.stdout.isEmpty)
        #expect(blocked.stderr.hasPrefix("error: conflict: "))
        let errLines = blocked.stderr.split(separator: "\n").map(String.init)
        #expect(errLines.contains { $0.contains("checklist") && $0.contains("C-1") })
        let managerBlocker = try #require(errLines.first { $0.contains("participant") && $0.contains(manager.id) })
        #expect(managerBlocker.contains("王经理-某某新能源科技有限公司"))
        #expect(managerBlocker.contains("joined 已入会") && managerBlocker.contains("renamed 已改名"))
        #expect(!errLines.contains { $0.contains(wang.id) }, "王芳 is ready")
        #expect(blocked.stderr.contains("--force --reason"))

        let noReason = try await cli.run(["meeting", "advance", meeting, "--to", "live", "--force"])
        #expect(noReason.status != 0 && noReason.status != 1)  // a usage error, nothing sent
        #expect(noReason.stderr.contains("--reason"))

        let forced = try await cli.run([
            "meeting", "advance", meeting, "--to", "live", "--force", "--reason", "企业负责人时间有限，王经理电话接入",
        ])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("\(meeting) is now live 会中"))
        #expect(forced.stdout.contains("Forced past"))
        #expect(forced.stdout.contains("企业负责人时间有限，王经理电话接入"))
        let shown = try await cli.run(["meeting", "show", meeting, "--json"])
        let transition = shown.json?["snapshot"]?["transitions"]?.arrayValue?.last
        #expect(transition?["to"] == "live")
        #expect(transition?["forced"] == true)
        #expect(transition?["reason"] == "企业负责人时间有限，王经理电话接入")

        // Invitations: Chinese and English, with the name to show.
        let zh = try await cli.run(["invite", meeting, "--participant", wang.id, "--lang", "zh"])
        #expect(zh.status == 0, "\(zh.stderr)")
        #expect(zh.stdout.hasPrefix("尊敬的王芳（高新区管委会）："))
        #expect(zh.stdout.contains("显示名称：进入会议室后请改名为：王芳-高新区管委会"))
        #expect(zh.stdout.contains("2026年12月1日（星期二）14:00–15:30（北京时间 Asia/Shanghai）"))
        #expect(!zh.stdout.contains("Dear "))
        let en = try await cli.run(["invite", meeting, "--participant", wang.id, "--lang", "en"])
        #expect(en.stdout.hasPrefix("Dear 王芳 (高新区管委会),"))
        #expect(en.stdout.contains("please rename to: 王芳-高新区管委会"))

        let everyone = try await cli.run(["invite", meeting])
        #expect(everyone.status == 0, "\(everyone.stderr)")
        #expect(everyone.lines.contains("==== \(wang.id) 王芳-高新区管委会 (zh) ===="))
        #expect(everyone.lines.contains("==== \(manager.id) 王经理-某某新能源科技有限公司 (en) ===="))
        #expect(everyone.stdout.contains("尊敬的王经理（某某新能源科技有限公司）："))
        let everyoneJSON = try await cli.run(["invite", meeting, "--json"])
        #expect(everyoneJSON.json?["invitations"]?.arrayValue?.count == 2)

        // A participant's own token gets its own invitation.
        let own = try await cli.run(["invite", meeting, "--lang", "zh"], token: wang.token)
        #expect(own.status == 0, "\(own.stderr)")
        #expect(own.stdout.hasPrefix("尊敬的王芳（高新区管委会）："))

        // --ics writes the calendar file.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-ics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let icsPath = dir.appendingPathComponent("路演.ics").path
        let withICS = try await cli.run(["invite", meeting, "--participant", wang.id, "--lang", "zh", "--ics", icsPath])
        #expect(withICS.status == 0, "\(withICS.stderr)")
        #expect(withICS.stdout.hasPrefix("尊敬的王芳"))
        let ics = try String(contentsOfFile: icsPath, encoding: .utf8)
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\n"))
        #expect(ics.contains("UID:\(meeting)-\(wang.id)@roadshow"))
        #expect(ics.contains("DTSTART:20261201T060000Z"))

        // --new-link: the invitation carries the new personal link; the old one stops working.
        let relinked = try await cli.run(["invite", meeting, "--participant", wang.id, "--new-link", "--lang", "zh"])
        #expect(relinked.status == 0, "\(relinked.stderr)")
        #expect(relinked.stdout.contains("您的个人页面（确认参会、会前联调自检）：http://127.0.0.1:\(server.port)/#/join/rs_p_"))
        #expect(relinked.stderr.contains("the old link no longer works"))
        let oldToken = try await cli.run(["presence", "list", meeting], token: wang.token)
        #expect(oldToken.status == 1)
        #expect(oldToken.stderr.hasPrefix("error: unauthenticated: "))
    }

    @Test func newCommandsExplainThemselvesWithExamples() async throws {
        for command in [
            ["av", "status"], ["av", "mark"], ["av", "retest"], ["meeting", "advance"], ["invite"],
            ["agenda", "list"], ["agenda", "add"], ["agenda", "update"], ["agenda", "move"], ["agenda", "remove"],
            ["agenda", "start"], ["agenda", "next"], ["agenda", "finish"],
            ["queue", "list"], ["queue", "raise"], ["queue", "lower"], ["queue", "upvote"], ["queue", "grant"],
            ["queue", "next"], ["queue", "release"], ["queue", "remove"],
            ["minutes", "add"], ["minutes", "list"], ["minutes", "edit"], ["minutes", "remove"], ["minutes", "export"],
            ["presence", "set"], ["presence", "list"],
        ] {
            let help = try await CLIRunner.run(command + ["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example"), "\(command.joined(separator: " ")) --help has no example")
            #expect(help.stdout.contains("--server") && help.stdout.contains("--json"))
        }
    }
}

/// Runs the CLI against one test server, as the organizer unless another token is given.
struct CLISession {
    let server: ClientTestServer
    let token: String

    func run(_ args: [String], token: String? = nil) async throws -> CLIRunner.Result {
        try await CLIRunner.run(args, env: ["ROADSHOW_SERVER": server.url, "ROADSHOW_TOKEN": token ?? self.token])
    }

    /// `roadshow roster add ... --json`; returns the participant's id and personal token.
    func add(_ meeting: String, name: String, unit: String, role: String) async throws -> (id: String, token: String) {
        let added = try await run(["roster", "add", meeting, "--name", name, "--unit", unit, "--role", role, "--json"])
        #expect(added.status == 0, "\(added.stderr)")
        return (try #require(added.json?["participant"]?["id"]?.stringValue), try #require(added.json?["token"]?.stringValue))
    }
}
