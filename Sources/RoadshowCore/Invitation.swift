import Foundation

/// A ready-to-send invitation to an online roadshow, in Chinese or English: what,
/// when (in a given zone), where (system, room, link), the name to show in the
/// meeting, the pre-meeting steps and the etiquette of mechanism 7, the person's
/// own page, and who organizes it.
public enum Invitation {
    public enum Language: String, Sendable, CaseIterable {
        case zh, en
    }

    /// The invitation text. `participant` personalizes the greeting and the display
    /// name to use; `personalLink` is the person's own page (confirm attendance, AV
    /// self-test) — when nil the text says the organizer sends it separately.
    /// Times are shown in `timeZone`, never in the machine's zone.
    public static func text(
        meeting: MeetingInfo, participant: Participant?, personalLink: String?,
        timeZone: TimeZone, language: Language
    ) -> String {
        let link = personalLink.map(trimmed).flatMap { $0.isEmpty ? nil : $0 }
        let room = meeting.system.room.map(trimmed).flatMap { $0.isEmpty ? nil : $0 }
        let systemLink = meeting.system.link.map(trimmed).flatMap { $0.isEmpty ? nil : $0 }
        let pre = Etiquette.preMeeting(systemName: meeting.system.name, displayName: participant?.displayName)
        let time = when(start: meeting.startsAt, minutes: meeting.durationMinutes, timeZone: timeZone, language: language)
        var lines: [String] = []
        switch language {
        case .zh:
            if let p = participant {
                lines.append("尊敬的\(p.name)（\(p.unit)）：")
            } else {
                lines.append("尊敬的参会人员：")
            }
            lines.append("")
            lines.append("您好！诚邀您参加\(meeting.kind.zh)会议，安排如下。")
            lines.append("")
            lines.append("会议名称：\(meeting.title)")
            lines.append("会议类型：\(meeting.kind.zh)")
            lines.append("路演企业：\(meeting.company.name)")
            lines.append("路演项目：\(meeting.project.name)（\(meeting.project.category.zh)）")
            lines.append("会议时间：\(time)")
            lines.append("会议系统：\(meeting.system.name)")
            if let room { lines.append("会议号：\(room)") }
            if let systemLink { lines.append("会议链接：\(systemLink)") }
            if let p = participant {
                lines.append("显示名称：进入会议室后请改名为：\(p.displayName)")
            } else {
                lines.append("显示名称：进入会议室后请改名为“姓名-单位”")
            }
            lines.append("")
            lines.append("会前准备：")
            lines += numbered(pre.map(\.zh))
            lines.append("")
            lines.append("会议注意事项：")
            lines += numbered(Etiquette.reminders.map(\.zh))
            lines.append("")
            if let link {
                lines.append("您的个人页面（确认参会、会前联调自检）：\(link)")
            } else {
                lines.append("您的个人页面链接（确认参会、会前联调自检）将由组织方另行发送。")
            }
            lines.append("")
            lines.append("会议组织方：\(meeting.ownerName)")
        case .en:
            if let p = participant {
                lines.append("Dear \(p.name) (\(p.unit)),")
            } else {
                lines.append("Dear participant,")
            }
            lines.append("")
            lines.append("You are invited to an online investment roadshow: \(meeting.kind.en.lowercased()).")
            lines.append("")
            lines.append("Meeting: \(meeting.title)")
            lines.append("Kind of meeting: \(meeting.kind.en) (\(meeting.kind.zh))")
            lines.append("Company: \(meeting.company.name)")
            lines.append("Project: \(meeting.project.name) (\(meeting.project.category.en))")
            lines.append("Time: \(time)")
            lines.append("Meeting system: \(meeting.system.name)")
            if let room { lines.append("Room number: \(room)") }
            if let systemLink { lines.append("Meeting link: \(systemLink)") }
            if let p = participant {
                lines.append("Display name: when you join, please rename to: \(p.displayName)")
            } else {
                lines.append("Display name: when you join, please rename to “name-unit” (姓名-单位)")
            }
            lines.append("")
            lines.append("Before the meeting:")
            lines += numbered(pre.map(\.en))
            lines.append("")
            lines.append("During the meeting:")
            lines += numbered(Etiquette.reminders.map(\.en))
            lines.append("")
            if let link {
                lines.append("Your personal page (confirm attendance, AV self-test): \(link)")
            } else {
                lines.append("The organizer sends your personal page link (confirm attendance, AV self-test) separately.")
            }
            lines.append("")
            lines.append("Organizer: \(meeting.ownerName)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Both languages: `{"zh": ..., "en": ...}`.
    public static func both(
        meeting: MeetingInfo, participant: Participant?, personalLink: String?, timeZone: TimeZone
    ) -> JSON {
        var o: [String: JSON] = [:]
        for language in Language.allCases {
            o[language.rawValue] = .string(text(
                meeting: meeting, participant: participant, personalLink: personalLink,
                timeZone: timeZone, language: language))
        }
        return .object(o)
    }

    // MARK: - Times

    /// Zones shown as 北京时间 in Chinese.
    static let beijingZones: Set<String> = ["Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"]

    /// "2026年12月1日（星期二）14:00–15:30（北京时间 Asia/Shanghai）" /
    /// "Tuesday 1 December 2026, 14:00–15:30 (Asia/Shanghai)". An end on the next
    /// day reads "次日" / "next day"; any later day gets its full date.
    static func when(start: Date, minutes: Int, timeZone: TimeZone, language: Language) -> String {
        let end = start.addingTimeInterval(TimeInterval(max(0, minutes)) * 60)
        let local = LocalTime(timeZone: timeZone)
        let days = local.fields(end).dayNumber - local.fields(start).dayNumber
        // Shown to the nearest millisecond, as DateFormatter showed them before.
        func nearestMillisecond(_ d: Date) -> Date { Date(timeIntervalSince1970: (d.timeIntervalSince1970 * 1000).rounded() / 1000) }
        let (s, e) = (local.fields(nearestMillisecond(start)), local.fields(nearestMillisecond(end)))
        let zone = timeZone.identifier
        switch language {
        case .zh:
            let endText: String
            switch days {
            case 0: endText = clock(e)
            case 1: endText = "次日\(clock(e))"
            default: endText = date(e, language) + clock(e)
            }
            let zoneText = beijingZones.contains(zone) ? "北京时间 \(zone)" : "\(zone) 时间"
            return "\(date(s, language))\(clock(s))–\(endText)（\(zoneText)）"
        case .en:
            let endText: String
            switch days {
            case 0: endText = clock(e)
            case 1: endText = "\(clock(e)) next day"
            default: endText = "\(date(e, language)), \(clock(e))"
            }
            return "\(date(s, language)), \(clock(s))–\(endText) (\(zone))"
        }
    }

    static let weekdaysZh = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"]
    static let weekdaysEn = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let monthsEn = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// "2026年12月1日（星期二）" / "Tuesday 1 December 2026".
    static func date(_ f: LocalTime.Fields, _ language: Language) -> String {
        switch language {
        case .zh: "\(f.year)年\(f.month)月\(f.day)日（\(weekdaysZh[f.weekday - 1])）"
        case .en: "\(weekdaysEn[f.weekday - 1]) \(f.day) \(monthsEn[f.month - 1]) \(f.year)"
        }
    }

    /// "14:00"
    static func clock(_ f: LocalTime.Fields) -> String { "\(LocalTime.two(f.hour)):\(LocalTime.two(f.minute))" }

    static func numbered(_ items: [String]) -> [String] {
        items.enumerated().map { "\($0.offset + 1). \($0.element)" }
    }

    static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
}
