import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// The `roadshow` binary through the live meeting (会中) against a real server:
/// agenda, hands raised by participants (each subprocess with its own
/// ROADSHOW_TOKEN), the floor, presence, minutes, ending and the export.
@Suite(.serialized)
struct CLILiveTests {
    @Test func liveWalkthrough() async throws {
        let server = try ClientTestServer()
        let cli = CLISession(server: server, token: try await server.organizerToken())
        let organizer = try await server.connect(token: cli.token)
        defer { organizer.close() }
        let meeting = try await server.createMeeting(on: organizer)

        let wang = try await cli.add(meeting, name: "王芳", unit: "高新区管委会", role: "unit")
        let li = try await cli.add(meeting, name: "李强", unit: "经开区管委会", role: "unit")
        let manager = try await cli.add(meeting, name: "王经理", unit: "某某新能源科技有限公司", role: "company")
        let recorder = try await cli.add(meeting, name: "赵敏", unit: "市投资促进局", role: "recorder")

        // Agenda planned before the meeting.
        let intro = try await cli.run(["agenda", "add", meeting, "企业项目推介", "--minutes", "20", "--speaker", manager.id, "--json"])
        #expect(intro.status == 0, "\(intro.stderr)")
        #expect(intro.json?["item"]?["id"] == "G-1")
        let qa = try await cli.run(["agenda", "add", meeting, "参会单位提问交流", "--minutes", "30", "--speaking-limit", "120"])
        #expect(qa.status == 0, "\(qa.stderr)")
        #expect(qa.stdout.hasPrefix("Added G-2 参会单位提问交流 (30 min; 2:00 per speech) to \(meeting)"))
        let opening = try await cli.run(["agenda", "add", meeting, "开场致辞", "--minutes", "3", "--position", "1"])
        #expect(opening.status == 0, "\(opening.stderr)")

        for phase in ["rehearsal", "live"] {
            let advanced = try await cli.run(["meeting", "advance", meeting, "--to", phase, "--force", "--reason", "演练用"])
            #expect(advanced.status == 0, "\(advanced.stderr)")
        }

        // The agenda runs: opening first (it was put first), then the company's pitch.
        let first = try await cli.run(["agenda", "next", meeting])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("Now running: G-3 开场致辞"))
        let second = try await cli.run(["agenda", "next", meeting])
        #expect(second.stdout.hasPrefix("Now running: G-1 企业项目推介"))
        let third = try await cli.run(["agenda", "next", meeting])
        #expect(third.stdout.hasPrefix("Now running: G-2 参会单位提问交流"))
        let agenda = try await cli.run(["agenda", "list", meeting])
        #expect(agenda.status == 0, "\(agenda.stderr)")
        #expect(agenda.stdout.contains("Agenda (2 of 3 done; planned 53 min"))
        let pitchRow = try #require(agenda.lines.first { $0.contains("G-1") })
        #expect(pitchRow.contains("done") && pitchRow.contains("王经理-某某新能源科技有限公司") && pitchRow.contains("20 min"))
        let runningRow = try #require(agenda.lines.first { $0.contains("G-2") && !$0.hasPrefix("Running") })
        #expect(runningRow.contains("running") && runningRow.contains("so far") && runningRow.contains("2:00"))
        #expect(agenda.lines.contains { $0.hasPrefix("Running: G-2 参会单位提问交流, ") && $0.contains("of 30 min") })

        // Hands go up, each participant with their own token.
        let question = try await cli.run(
            ["queue", "raise", meeting, "--kind", "question", "--text", "项目用地需求大约多少亩？"], token: wang.token)
        #expect(question.status == 0, "\(question.stderr)")
        #expect(question.stdout.hasPrefix("Raised Q-1 王芳-高新区管委会 question 提问"))
        #expect(question.stdout.contains("number 1 in the queue"))
        let speak = try await cli.run(["queue", "raise", meeting], token: li.token)
        #expect(speak.status == 0, "\(speak.stderr)")
        #expect(speak.stdout.contains("Q-2 李强-经开区管委会 speak 发言, number 2 in the queue"))
        let upvote = try await cli.run(["queue", "upvote", meeting, "Q-1"], token: manager.token)
        #expect(upvote.status == 0, "\(upvote.stderr)")
        #expect(upvote.stdout.contains("1 vote(s)"))
        let notMine = try await cli.run(["queue", "raise", meeting])
        #expect(notMine.status == 1)
        #expect(notMine.stderr.hasPrefix("error: forbidden: "))

        let queue = try await cli.run(["queue", "list", meeting])
        #expect(queue.status == 0, "\(queue.stderr)")
        #expect(queue.lines.first == "Floor: nobody")
        let q1 = try #require(queue.lines.firstIndex { $0.contains("Q-1") })
        let q2 = try #require(queue.lines.firstIndex { $0.contains("Q-2") })
        #expect(q1 < q2)
        #expect(queue.lines[q1].contains("项目用地需求大约多少亩？"))
        let votesHeader = try #require(queue.lines.first { $0.contains("Votes") })
        #expect(CLIWalkthroughTests.column(of: "Who", in: votesHeader) == CLIWalkthroughTests.column(of: "王芳", in: queue.lines[q1]))

        // The host gives the floor; the speaker hands it back.
        let granted = try await cli.run(["queue", "next", meeting])
        #expect(granted.status == 0, "\(granted.stderr)")
        #expect(granted.stdout.hasPrefix("Floor: 王芳-高新区管委会 (question 提问)"))
        #expect(granted.stdout.contains("limit 2:00"))
        let floor = try await cli.run(["queue", "list", meeting])
        let floorLine = try #require(floor.lines.first)
        #expect(floorLine.hasPrefix("Floor: 王芳-高新区管委会 (question 提问)"))
        #expect(floorLine.contains("since ") && floorLine.contains("so far") && floorLine.contains("limit 2:00"))
        #expect(!floor.stdout.contains("Q-1"))
        let released = try await cli.run(["queue", "release", meeting], token: wang.token)
        #expect(released.status == 0, "\(released.stderr)")
        #expect(released.stdout.hasPrefix("Released the floor: 王芳-高新区管委会 spoke "))
        let nextUp = try await cli.run(["queue", "next", meeting, "--json"])
        #expect(nextUp.json?["floor"]?["participant"] == .string(li.id))
        let hostRelease = try await cli.run(["queue", "release", meeting])
        #expect(hostRelease.status == 0, "\(hostRelease.stderr)")
        let empty = try await cli.run(["queue", "list", meeting])
        #expect(empty.lines.prefix(2) == ["Floor: nobody", "Queue: empty"])

        // Presence, from the participants' own tokens.
        let present = try await cli.run(["presence", "set", meeting, "present"], token: wang.token)
        #expect(present.status == 0, "\(present.stderr)")
        #expect(present.stdout.hasPrefix("王芳-高新区管委会: present 在线"))
        _ = try await cli.run(["presence", "set", meeting, "present"], token: li.token)
        let left = try await cli.run(["presence", "set", meeting, "left", "--reason", "另有公务，提前离会"], token: li.token)
        #expect(left.status == 0, "\(left.stderr)")
        let attendance = try await cli.run(["presence", "list", meeting])
        #expect(attendance.status == 0, "\(attendance.stderr)")
        #expect(attendance.lines.first == "Attendance: 1 present, 0 away, 1 left, 2 not seen")
        let liRow = try #require(attendance.lines.first { $0.contains("李强-经开区管委会") })
        #expect(liRow.contains("left 已离会") && liRow.contains("left: 另有公务，提前离会"))

        // Ending needs the intent and the next contact in the minutes.
        let early = try await cli.run(["meeting", "advance", meeting, "--to", "ended"])
        #expect(early.status == 1)
        #expect(early.stderr.contains("intent") && early.stderr.contains("next_contact"))

        let intent = try await cli.run(
            ["minutes", "add", meeting, "--kind", "intent", "企业拟投资12.5亿元建设动力电池生产基地"], token: recorder.token)
        #expect(intent.status == 0, "\(intent.stderr)")
        #expect(intent.stdout.hasPrefix("Added N-1 [intent 投资合作意向] 企业拟投资12.5亿元建设动力电池生产基地 (agenda G-2)"))
        let action = try await cli.run([
            "minutes", "add", meeting, "--kind", "action", "提供园区用地及电力配套方案", "--owner", "高新区管委会",
            "--due", "2026-12-15", "--agenda-item", "G-1",
        ])
        #expect(action.status == 0, "\(action.stderr)")
        let next = try await cli.run([
            "minutes", "add", meeting, "--kind", "next_contact", "12月10日前赴企业实地考察", "--owner", "张伟", "--due", "2026-12-10",
        ])
        #expect(next.status == 0, "\(next.stderr)")
        let stray = try await cli.run(["minutes", "add", meeting, "--kind", "note", "误记", "--json"])
        let strayId = try #require(stray.json?["entry"]?["id"]?.stringValue)
        let removed = try await cli.run(["minutes", "remove", meeting, strayId])
        #expect(removed.status == 0, "\(removed.stderr)")
        let edited = try await cli.run(["minutes", "edit", meeting, "N-2", "--text", "提供园区用地方案", "--due", ""])
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(edited.stdout.contains("提供园区用地方案 (owner 高新区管委会, agenda G-1)"))

        let list = try await cli.run(["minutes", "list", meeting])
        #expect(list.status == 0, "\(list.stderr)")
        let intentHeading = try #require(list.lines.firstIndex(of: "投资合作意向 Investment intent (intent)"))
        let nextHeading = try #require(list.lines.firstIndex(of: "下次沟通 Next contact (next_contact)"))
        #expect(intentHeading < nextHeading)
        #expect(list.lines[intentHeading...].first { $0.contains("N-1") }?.contains("赵敏-市投资促进局") == true)
        #expect(!list.stdout.contains("误记"))
        #expect(list.stdout.contains("Nothing yet under: needs 落地需求"))

        let ended = try await cli.run(["meeting", "advance", meeting, "--to", "ended"])
        #expect(ended.status == 0, "\(ended.stderr)")
        #expect(ended.stdout.hasPrefix("\(meeting) is now ended 会后跟进"))

        // The export holds what was recorded.
        let export = try await cli.run(["minutes", "export", meeting])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.hasPrefix("# 新能源电池项目线上路演会议纪要"))
        #expect(export.stdout.contains("企业拟投资12.5亿元建设动力电池生产基地"))
        #expect(export.stdout.contains("| 提供园区用地方案 | 高新区管委会 | — |"))
        #expect(export.stdout.contains("\n12月10日前赴企业实地考察（联系人：张伟）（时间：2026-12-10）\n"))
        #expect(export.stdout.contains("另有公务，提前离会"))
        #expect(export.stdout.contains("演练用"))
        #expect(!export.stdout.contains("误记"))

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-minutes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("会议纪要.md").path
        let written = try await cli.run(["minutes", "export", meeting, "--output", file])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("Wrote the minutes of \(meeting) to \(file)"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == export.stdout)
        let exportJSON = try await cli.run(["minutes", "export", meeting, "--json"])
        #expect(exportJSON.json?["text"]?.stringValue == export.stdout)

        // After the meeting the agenda and the floor are closed.
        let late = try await cli.run(["queue", "raise", meeting], token: wang.token)
        #expect(late.status == 1)
        #expect(late.stderr.hasPrefix("error: conflict: "))
    }
}
