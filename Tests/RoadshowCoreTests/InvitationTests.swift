import Foundation
import Testing

@testable import RoadshowCore

/// A meeting and a participant to invite, shared by the invitation and calendar tests.
enum InviteFixture {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    static func meeting(
        title: String = "皖南新能源储能电池项目线上路演",
        company: String = "皖南新能源科技有限公司",
        startsAt: String = "2026-12-01T06:00:00Z",
        minutes: Int = 90,
        room: String? = "123-456-789",
        link: String? = "https://meeting.tencent.com/dm/demo"
    ) -> MeetingInfo {
        let created = Timestamp.parse("2026-11-20T02:00:00Z")!
        return MeetingInfo(
            id: "M-7Q2K", title: title, owner: "A-ORG001", ownerName: "黄山市投资促进局",
            phase: .preparing,
            company: Company(name: company, contact: "李总", phone: "138 0000 0000"),
            project: Project(name: "年产5GWh储能电池生产基地", category: .industrial, industry: "新能源", investment: 12.5),
            startsAt: Timestamp.parse(startsAt)!, durationMinutes: minutes,
            system: MeetingSystem(name: "腾讯会议", room: room, link: link),
            createdAt: created, updatedAt: created, transitions: nil)
    }

    static let participant = Participant(
        id: "P-8H3KD2QX", name: "张三", unit: "市商务局", role: .unit, title: "科长",
        displayName: Participant.displayName(name: "张三", unit: "市商务局"),
        addedAt: Timestamp.parse("2026-11-20T03:00:00Z")!)

    static let personalLink = "https://roadshow.example.cn/#/join/pt_3kd9QwE2"
}

@Suite("Invitation")
struct InvitationTests {
    typealias F = InviteFixture

    func text(
        _ language: Invitation.Language, zone: TimeZone = InviteFixture.shanghai,
        meeting: MeetingInfo = InviteFixture.meeting(), participant: Participant? = InviteFixture.participant,
        link: String? = InviteFixture.personalLink
    ) -> String {
        Invitation.text(meeting: meeting, participant: participant, personalLink: link, timeZone: zone, language: language)
    }

    @Test("a UTC start is shown in Beijing time, zone named (06:00Z → 14:00)")
    func shanghaiTime() {
        #expect(text(.zh).contains("会议时间：2026年12月1日（星期二）14:00–15:30（北京时间 Asia/Shanghai）"))
        #expect(text(.en).contains("Time: Tuesday 1 December 2026, 14:00–15:30 (Asia/Shanghai)"))
    }

    @Test("another zone is respected, with its daylight-saving offset")
    func berlinTime() {
        let zh = text(.zh, zone: F.berlin)
        let en = text(.en, zone: F.berlin)
        #expect(zh.contains("2026年12月1日（星期二）07:00–08:30（Europe/Berlin 时间）"))
        #expect(en.contains("Tuesday 1 December 2026, 07:00–08:30 (Europe/Berlin)"))
        #expect(!zh.contains("14:00") && !en.contains("14:00") && !zh.contains("北京时间"))
        // Summer: UTC+2.
        let summer = F.meeting(startsAt: "2026-07-01T06:00:00Z", minutes: 60)
        #expect(text(.en, zone: F.berlin, meeting: summer).contains("Wednesday 1 July 2026, 08:00–09:00 (Europe/Berlin)"))
        #expect(text(.zh, zone: F.berlin, meeting: summer).contains("2026年7月1日（星期三）08:00–09:00（Europe/Berlin 时间）"))
    }

    @Test("the start day is the zone's day, and an end past midnight says so")
    func acrossMidnight() {
        // 15:30Z is 23:30 in Shanghai, still 16:30 in Berlin.
        let late = F.meeting(startsAt: "2026-12-01T15:30:00Z", minutes: 90)
        #expect(text(.zh, meeting: late).contains("2026年12月1日（星期二）23:30–次日01:00（北京时间 Asia/Shanghai）"))
        #expect(text(.en, meeting: late).contains("Tuesday 1 December 2026, 23:30–01:00 next day (Asia/Shanghai)"))
        #expect(text(.en, zone: F.berlin, meeting: late).contains("Tuesday 1 December 2026, 16:30–18:00 (Europe/Berlin)"))
        // 17:00Z on 1 December is already 2 December in Shanghai.
        let nextDay = F.meeting(startsAt: "2026-12-01T17:00:00Z", minutes: 60)
        #expect(text(.zh, meeting: nextDay).contains("2026年12月2日（星期三）01:00–02:00"))
    }

    @Test("greeting, meeting, company, project, system, room and link")
    func details() {
        let zh = text(.zh)
        #expect(zh.hasPrefix("尊敬的张三（市商务局）："))
        for part in ["会议名称：皖南新能源储能电池项目线上路演", "路演企业：皖南新能源科技有限公司",
                     "路演项目：年产5GWh储能电池生产基地（产业投资类）", "会议系统：腾讯会议", "会议号：123-456-789",
                     "会议链接：https://meeting.tencent.com/dm/demo", "会议组织方：黄山市投资促进局"] {
            #expect(zh.contains(part), "zh lacks \(part)")
        }
        let en = text(.en)
        #expect(en.hasPrefix("Dear 张三 (市商务局),"))
        for part in ["Meeting: 皖南新能源储能电池项目线上路演", "Company: 皖南新能源科技有限公司",
                     "Project: 年产5GWh储能电池生产基地 (Industrial investment)", "Meeting system: 腾讯会议",
                     "Room number: 123-456-789", "Meeting link: https://meeting.tencent.com/dm/demo",
                     "Organizer: 黄山市投资促进局"] {
            #expect(en.contains(part), "en lacks \(part)")
        }
    }

    @Test("no room or link: their lines are left out")
    func noRoomNoLink() {
        let m = F.meeting(room: nil, link: nil)
        #expect(!text(.zh, meeting: m).contains("会议号"))
        #expect(!text(.zh, meeting: m).contains("会议链接"))
        #expect(!text(.en, meeting: m).contains("Room number"))
        #expect(!text(.en, meeting: m).contains("Meeting link"))
    }

    @Test("the expected display name (姓名-单位) is spelled out")
    func displayName() {
        #expect(text(.zh).contains("请改名为：张三-市商务局"))
        #expect(text(.en).contains("please rename to: 张三-市商务局"))
        // And in the pre-meeting reminder.
        #expect(text(.zh).contains("将会议中的显示名称修改为“姓名-单位”：张三-市商务局。"))
        #expect(text(.en).contains("Rename your display name in the meeting to “name-unit” (姓名-单位): 张三-市商务局."))
    }

    @Test("without a participant: a general greeting and the name format")
    func noParticipant() {
        let zh = text(.zh, participant: nil)
        let en = text(.en, participant: nil)
        #expect(zh.hasPrefix("尊敬的参会人员："))
        #expect(en.hasPrefix("Dear participant,"))
        #expect(!zh.contains("张三") && !en.contains("张三"))
        #expect(zh.contains("请改名为“姓名-单位”"))
        #expect(en.contains("please rename to “name-unit” (姓名-单位)"))
    }

    @Test("every etiquette reminder and pre-meeting step, in its language")
    func reminders() {
        let zh = text(.zh)
        let en = text(.en)
        let pre = Etiquette.preMeeting(systemName: "腾讯会议", displayName: "张三-市商务局")
        for (i, r) in Etiquette.reminders.enumerated() {
            #expect(zh.contains("\(i + 1). \(r.zh)"), "zh lacks etiquette \(i + 1)")
            #expect(en.contains("\(i + 1). \(r.en)"), "en lacks etiquette \(i + 1)")
        }
        for (i, r) in pre.enumerated() {
            #expect(zh.contains("\(i + 1). \(r.zh)"), "zh lacks pre-meeting \(i + 1)")
            #expect(en.contains("\(i + 1). \(r.en)"), "en lacks pre-meeting \(i + 1)")
        }
        #expect(zh.contains("提前下载安装“腾讯会议”客户端。"))
        #expect(en.contains("Install the 腾讯会议 client in advance."))
        // Pre-meeting comes before the etiquette.
        let preAt = zh.range(of: "会前准备：")!.lowerBound
        let duringAt = zh.range(of: "会议注意事项：")!.lowerBound
        #expect(preAt < duringAt)
    }

    @Test("the etiquette covers mechanism 7 §6 (1)-(6); pre-meeting covers §2/§3")
    func etiquetteContent() {
        let r = Etiquette.reminders
        #expect(r.count == 6)
        let expectations: [(zh: String, en: String)] = [
            ("保持在线", "leave early"), ("摄像头", "camera"), ("无关的音视频", "unrelated"),
            ("静音", "Mute"), ("衣着", "dress"), ("手机", "phone"),
        ]
        for (item, want) in zip(r, expectations) {
            #expect(item.zh.contains(want.zh), "\(item.zh)")
            #expect(item.en.contains(want.en), "\(item.en)")
        }
        let p = Etiquette.preMeeting
        #expect(p.count == 5)
        for (i, want) in ["客户端", "注册", "网络", "姓名-单位", "会前联调"].enumerated() {
            #expect(p[i].zh.contains(want), "\(p[i].zh)")
        }
        for (i, want) in ["client", "account", "network", "name-unit", "joint test"].enumerated() {
            #expect(p[i].en.contains(want), "\(p[i].en)")
        }
    }

    @Test("the personal link when given, else a line saying it is sent separately")
    func personalLink() {
        #expect(text(.zh).contains("您的个人页面（确认参会、会前联调自检）：\(F.personalLink)"))
        #expect(text(.en).contains("Your personal page (confirm attendance, AV self-test): \(F.personalLink)"))
        #expect(!text(.zh).contains("另行发送"))
        #expect(!text(.en).contains("separately"))
        for link in [nil, "", "  "] as [String?] {
            #expect(text(.zh, link: link).contains("将由组织方另行发送"))
            #expect(text(.en, link: link).contains("The organizer sends your personal page link (confirm attendance, AV self-test) separately."))
            #expect(!text(.zh, link: link).contains("/#/join/"))
        }
    }

    @Test("both languages as {zh, en}")
    func both() {
        let json = Invitation.both(meeting: F.meeting(), participant: F.participant, personalLink: nil, timeZone: F.berlin)
        #expect(Set(json.objectValue?.keys.map { $0 } ?? []) == ["zh", "en"])
        #expect(json["zh"]?.stringValue == text(.zh, zone: F.berlin, link: nil))
        #expect(json["en"]?.stringValue == text(.en, zone: F.berlin, link: nil))
        #expect(json["en"]?.stringValue?.contains("07:00–08:30 (Europe/Berlin)") == true)
    }
}
