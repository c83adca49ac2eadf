import Foundation
import Testing

@testable import RoadshowCore

/// The minutes export of a scripted meeting equals a reviewed golden file.
/// Set ROADSHOW_UPDATE_GOLDEN=1 to rewrite it after a reviewed change.
@Suite("Minutes export")
struct MinutesExportTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden/minutes.md")

    static func scriptedMeeting() throws -> Meeting {
        var w = RehearsalRulesTests.World()
        w.clock = Timestamp.parse("2026-11-25T02:00:00Z")!
        _ = try w.run("meeting.create", [
            "title": "皖南新能源储能电池项目线上路演",
            "company": ["name": "皖南新能源科技有限公司", "contact": "李总", "phone": "138 0000 0000"],
            "project": ["name": "年产5GWh储能电池生产基地", "category": "industrial", "industry": "新能源", "investment": 12.5],
            "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 60,
            "system": ["name": "腾讯会议", "room": "123-456-789", "link": "https://meeting.tencent.com/dm/demo"],
        ])
        let args = { (extra: [String: JSON]) -> JSON in
            var o = extra
            o["meeting"] = .string(w.meeting.id)
            return .object(o)
        }
        let host = try w.add("周主持", "黄山市投资促进局", role: "host")
        let recorder = try w.add("吴记录", "黄山市投资促进局", role: "recorder")
        let company = try w.add("李总", "皖南新能源科技有限公司", role: "company")
        let unitA = try w.add("张三", "黄山高新区")
        let unitB = try w.add("王五", "歙县经开区")
        let absent = try w.add("赵六", "市自然资源局")
        _ = try w.run("roster.confirm", args(["attending": false]), as: w.participant(absent))
        _ = try w.run("agenda.add", args(["title": "开场介绍", "minutes": 5, "speaker": .string(host)]))
        _ = try w.run("agenda.add", args(["title": "企业项目推介", "minutes": 20, "speaker": .string(company), "speakingLimitSeconds": 600]))
        _ = try w.run("agenda.add", args(["title": "交流提问", "minutes": 30]))
        w.clock = Timestamp.parse("2026-12-01T05:30:00Z")!
        _ = try w.run("meeting.advance", args(["to": "rehearsal"]))
        for p in [host, recorder, company, unitA] {
            for check in ["joined", "renamed", "mic", "speaker"] {
                _ = try w.run("av.mark", args(["participant": .string(p), "check": .string(check), "result": "pass"]))
            }
        }
        w.clock = Timestamp.parse("2026-12-01T05:59:00Z")!
        _ = try w.run("meeting.advance", args(["to": "live", "force": true, "reason": "企业负责人行程紧张，按时开始"]))
        for p in [host, recorder, company, unitA, unitB] {
            _ = try w.run("presence.set", args(["status": "present"]), as: w.participant(p))
        }
        let h = w.participant(host)
        _ = try w.run("agenda.next", args([:]), as: h)
        w.clock += 240
        _ = try w.run("agenda.next", args([:]), as: h)
        _ = try w.run("queue.raise", args(["kind": "speak"]), as: w.participant(company))
        _ = try w.run("queue.next", args([:]), as: h)
        w.clock += 1100
        _ = try w.run("queue.release", args([:]), as: h)
        _ = try w.run("minutes.add", args(["kind": "intent", "text": "拟投资12.5亿元建设年产5GWh储能电池生产基地，分两期实施。"]), as: w.participant(recorder))
        _ = try w.run("minutes.add", args(["kind": "needs", "text": "用地约300亩；双回路供电；地方配套产业基金支持。"]), as: w.participant(recorder))
        _ = try w.run("minutes.add", args(["kind": "prospects", "text": "储能市场年增速超过30%，企业已有头部客户订单。"]), as: w.participant(recorder))
        _ = try w.run("agenda.next", args([:]), as: h)
        _ = try w.run("queue.raise", args(["kind": "question", "text": "一期何时开工？"]), as: w.participant(unitA))
        _ = try w.run("queue.next", args(["by": "votes"]), as: h)
        w.clock += 95
        _ = try w.run("queue.release", args([:]), as: w.participant(unitA))
        _ = try w.run("presence.set", args(["status": "left", "reason": "另有公务，提前离会"]), as: w.participant(unitB))
        _ = try w.run("minutes.add", args(["kind": "decision", "text": "由黄山高新区牵头对接用地与供电需求。"]), as: w.participant(recorder))
        _ = try w.run("minutes.add", args(["kind": "action", "text": "提供两套选址方案", "owner": "黄山高新区", "due": "2026-12-15"]), as: w.participant(recorder))
        _ = try w.run("minutes.add", args(["kind": "contact", "text": "双方已互留联系方式。"]), as: w.participant(recorder))
        _ = try w.run("minutes.add", args(["kind": "next_contact", "text": "视频会议沟通选址方案", "owner": "张三", "due": "2026-12-18"]), as: w.participant(recorder))
        w.clock += 1500
        _ = try w.run("agenda.finish", args([:]), as: h)
        _ = try w.run("meeting.advance", args(["to": "ended"]))
        return w.meeting
    }

    @Test("the scripted meeting's Markdown equals the golden file")
    func golden() throws {
        let markdown = MinutesExport.markdown(try Self.scriptedMeeting(), timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        if ProcessInfo.processInfo.environment["ROADSHOW_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try markdown.write(to: Self.golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: Self.golden, encoding: .utf8)
        #expect(markdown == expected)
    }

    @Test("times follow the configured zone")
    func otherZone() throws {
        let meeting = try Self.scriptedMeeting()
        let shanghai = MinutesExport.markdown(meeting, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let berlin = MinutesExport.markdown(meeting, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(shanghai.contains("2026年12月1日 14:00–15:00（Asia/Shanghai）"))
        #expect(berlin.contains("2026年12月1日 07:00–08:00（Europe/Berlin）"))
    }

    @Test("one language per document: the English edition has no Chinese label, the Chinese no English heading")
    func oneLanguage() throws {
        let meeting = try Self.scriptedMeeting()
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let en = MinutesExport.markdown(meeting, language: .en, timeZone: zone)
        for label in ["出席", "议定事项", "会后跟进", "项目 Item", "时间", "附："] { #expect(!en.contains(label), "\(label) in the English edition") }
        #expect(en.contains("## 3. Decisions and actions"))
        let zh = MinutesExport.markdown(meeting, language: .zh, timeZone: zone)
        for label in ["Item", "Details", "Attendance", "ended", "Decision"] { #expect(!zh.contains(label), "\(label) in the Chinese edition") }
    }

    @Test("internal remarks: at the end of the organizer's copy only, never in the company's or a unit's")
    func editions() throws {
        let meeting = try Self.scriptedMeeting()
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let organizer = MinutesExport.markdown(meeting, edition: .organizer, timeZone: zone)
        let reason = "企业负责人行程紧张"
        let remark = try #require(organizer.range(of: reason))
        let decisions = try #require(organizer.range(of: "议定事项"))
        #expect(remark.lowerBound > decisions.lowerBound, "the forced-start remark comes after the record")
        for edition in [MinutesExport.Edition.company, .government] {
            let text = MinutesExport.markdown(meeting, edition: edition, timeZone: zone)
            #expect(!text.contains(reason), "\(edition) edition has the force reason")
            #expect(!text.contains("内部备注"), "\(edition) edition has the internal remarks")
        }
        // The company gets the minutes shared with it only (none in this script).
        let company = MinutesExport.markdown(meeting, edition: .company, timeZone: zone)
        #expect(!company.contains("拟投资12.5亿元建设"))
        #expect(company.contains("企业版"))
    }

    @Test("user text is inert in the Markdown: HTML and Markdown characters are escaped")
    func escaping() throws {
        var meeting = try Self.scriptedMeeting()
        meeting.roster[3].name = "<img src=x onerror=alert(1)>"
        meeting.roster[3].displayName = "<img src=x onerror=alert(1)>-A|B #1 *x* [l](http://e)"
        meeting.minutes[0].text = "# 标题\n- 列表 | 管道 `code` _u_ &amp;"
        let text = MinutesExport.markdown(meeting, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        #expect(text.range(of: #"(?<!\\)[<>]"#, options: .regularExpression) == nil, "an unescaped < or >")
        #expect(text.contains(##"\<img src=x onerror=alert(1)\>-A\|B \#1 \*x\* \[l\](http://e)"##))
        #expect(text.contains("\n［企业项目推介］\\# 标题\n"))
        #expect(text.contains("\n" + ##"\- 列表 \| 管道 \`code\` \_u\_ \&amp;"##))
    }

    @Test("file names are readable and safe")
    func fileNames() throws {
        let doc = MinutesExport.document(try Self.scriptedMeeting(), edition: .organizer, language: .zh, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        #expect(doc.basename == "皖南新能源储能电池项目线上路演-会议纪要-2026-12-01")
        #expect(FileName.safe("a/b\\c:d*e?\"f<g>h|i\u{0}j. ") == "a-b-c-d-e-f-g-h-i-j")
        #expect(FileName.safe("...", fallback: "document") == "document")
    }
}
