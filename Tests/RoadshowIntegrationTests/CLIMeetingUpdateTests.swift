import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// `roadshow meeting update` against a real server: a rescheduled meeting,
/// seen live by an open invitee, with only the given fields changed.
@Suite struct CLIMeetingUpdateTests {
    @Test func rescheduleFromTheCLI() async throws {
        let server = try TestServer()
        let token = try await server.organizerToken()
        let org = try await server.connect(token: token)
        let meeting = try await server.createMeeting(org)
        let unit = try await server.addParticipant(org, meeting: meeting, name: "王五", unit: "黄山高新区")
        let invitee = try await server.connect(token: unit.token)
        _ = try await invitee.call("stream.subscribe", ["stream": .string(meeting)])
        let seen = EventCollector(invitee)
        let env = ["ROADSHOW_SERVER": server.url, "ROADSHOW_TOKEN": token, "ROADSHOW_TZ": "Asia/Shanghai"]

        let nothing = try await CLIRunner.run(["meeting", "update", meeting], env: env)
        #expect(nothing.status != 0 && nothing.stderr.contains("nothing to change"))
        let badTime = try await CLIRunner.run(["meeting", "update", meeting, "--starts-at", "明天下午"], env: env)
        #expect(badTime.status != 0 && badTime.stderr.contains("--starts-at"))

        let r = try await CLIRunner.run(
            ["meeting", "update", meeting, "--starts-at", "2026-12-02 15:00", "--duration", "120", "--room", "987-654-321", "--json"], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        let updated = try #require(r.json?["meeting"])
        #expect(updated["startsAt"]?.stringValue == "2026-12-02T07:00:00.000Z")
        #expect(updated["durationMinutes"]?.intValue == 120)
        #expect(updated["system"]?["room"]?.stringValue == "987-654-321")
        #expect(updated["system"]?["name"]?.stringValue == "腾讯会议", "what was not given stays")
        #expect(updated["system"]?["link"]?.stringValue == "https://meeting.tencent.com/dm/abc")
        let events = await seen.wait(for: 1)
        #expect(events.first?["event"]?.stringValue == "meeting.updated")
        #expect(events.first?["data"]?["meeting"]?["startsAt"]?.stringValue == "2026-12-02T07:00:00.000Z")

        let cleared = try await CLIRunner.run(["meeting", "update", meeting, "--link", ""], env: env)
        #expect(cleared.status == 0, "\(cleared.stderr)")
        #expect(cleared.stdout.contains("Updated meeting \(meeting)"))
        let snap = try await org.call("meeting.get", ["meeting": .string(meeting)])["snapshot"]
        #expect(snap?["system"]?["link"] == nil && snap?["system"]?["room"]?.stringValue == "987-654-321")
    }

    @Test func errorsInTheCLIsLanguage() async throws {
        let server = try TestServer()
        let token = try await server.organizerToken()
        let org = try await server.connect(token: token)
        let meeting = try await server.createMeeting(org)
        let args = ["meeting", "update", meeting, "--title", String(repeating: "路", count: 201), "--room", String(repeating: "9", count: 61)]
        let base = ["ROADSHOW_SERVER": server.url, "ROADSHOW_TOKEN": token, "ROADSHOW_TZ": "Asia/Shanghai"]

        var zhEnv = base
        zhEnv["LANG"] = "zh_CN.UTF-8"
        let zh = try await CLIRunner.run(args, env: zhEnv)
        #expect(zh.status != 0)
        #expect(zh.stderr.contains("错误：太长了：最多 200 个字（字段 args.title）"), "\(zh.stderr)")
        #expect(zh.stderr.contains("错误：太长了：最多 60 个字（字段 args.system.room）"), "both fields at once: \(zh.stderr)")

        var enEnv = base
        enEnv["LANG"] = "en_US.UTF-8"
        let en = try await CLIRunner.run(args, env: enEnv)
        #expect(en.stderr.contains("error: bad_request: args.title is too long: at most 200 characters (field: args.title)"))
        #expect(en.stderr.contains("args.system.room is too long"))
        #expect(!en.stderr.contains("错误"))
    }
}
