import Foundation

/// An RFC 5545 calendar file for one roadshow: a VCALENDAR with one VEVENT
/// (times in UTC) and a display alarm 30 minutes before it starts.
public enum ICalendar {
    /// The `.ics` text. `participant` makes the event personal (UID, display name);
    /// `personalLink` is the person's own page; `now` is the DTSTAMP; `timeZone`
    /// only affects the human-readable time in the description (DTSTART/DTEND are UTC).
    public static func event(
        meeting: MeetingInfo, participant: Participant?, personalLink: String?,
        organizerEmail: String? = nil, now: Date, timeZone: TimeZone
    ) -> String {
        let end = meeting.startsAt.addingTimeInterval(TimeInterval(max(0, meeting.durationMinutes)) * 60)
        let room = nonEmpty(meeting.system.room)
        let link = nonEmpty(personalLink)
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Roadshow//Roadshow 1.0//ZH",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            "UID:" + uid(meeting: meeting, participant: participant),
            "DTSTAMP:" + utc(now),
            "SEQUENCE:\(meeting.sequence ?? 0)",
            "DTSTART:" + utc(meeting.startsAt),
            "DTEND:" + utc(end),
            "SUMMARY:" + escapeText(meeting.title),
            "LOCATION:" + escapeText([meeting.system.name, room].compactMap { $0 }.joined(separator: " ")),
        ]
        if let url = validURL(meeting.system.link) { lines.append("URL:" + url) }
        if let email = nonEmpty(organizerEmail), let address = mailto(email) {
            lines.append("ORGANIZER;CN=" + paramValue(meeting.ownerName) + ":" + address)
        }
        lines.append("DESCRIPTION:" + escapeText(description(
            meeting: meeting, participant: participant, personalLink: link, timeZone: timeZone)))
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-PT30M",
            "DESCRIPTION:" + escapeText("\(meeting.title)：30分钟后开始 / starts in 30 minutes"),
            "END:VALARM",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// "<meeting id>[-<participant id>]@roadshow"
    static func uid(meeting: MeetingInfo, participant: Participant?) -> String {
        meeting.id + (participant.map { "-" + $0.id } ?? "") + "@roadshow"
    }

    /// The event's description (unescaped): company, project, time, system, the
    /// display name to use, the personal page, and the reminders in both languages.
    static func description(
        meeting: MeetingInfo, participant: Participant?, personalLink: String?, timeZone: TimeZone
    ) -> String {
        var lines: [String] = []
        lines.append("企业 Company：\(meeting.company.name)")
        lines.append("项目 Project：\(meeting.project.name)（\(meeting.project.category.zh) / \(meeting.project.category.en)）")
        lines.append("时间：" + Invitation.when(start: meeting.startsAt, minutes: meeting.durationMinutes, timeZone: timeZone, language: .zh))
        lines.append("Time: " + Invitation.when(start: meeting.startsAt, minutes: meeting.durationMinutes, timeZone: timeZone, language: .en))
        var system = "会议系统 Meeting system：\(meeting.system.name)"
        if let room = nonEmpty(meeting.system.room) { system += "，会议号 Room \(room)" }
        lines.append(system)
        if let url = nonEmpty(meeting.system.link) { lines.append("会议链接 Meeting link：\(url)") }
        if let p = participant {
            lines.append("显示名称：请改名为：\(p.displayName)")
            lines.append("Display name: please rename to: \(p.displayName)")
        } else {
            lines.append("显示名称：请改名为“姓名+单位”（姓名-单位）")
            lines.append("Display name: please rename to name + unit (name-unit)")
        }
        if let personalLink {
            lines.append("个人页面 Personal page：\(personalLink)")
        }
        lines.append("")
        lines.append("会议注意事项：")
        lines += Invitation.numbered(Etiquette.reminders.map(\.zh))
        lines.append("")
        lines.append("During the meeting:")
        lines += Invitation.numbered(Etiquette.reminders.map(\.en))
        lines.append("")
        lines.append("组织方 Organizer：\(meeting.ownerName)")
        return lines.joined(separator: "\n")
    }

    // MARK: - RFC 5545 text

    /// Folds one content line (given without its CRLF) so that no physical line
    /// exceeds 75 octets: continuation lines start with one space, which counts
    /// toward their 75. Splits only between Unicode scalars, never inside a
    /// UTF-8 sequence. The pieces are joined with CRLF; no trailing CRLF.
    public static func fold(_ line: String) -> String {
        var out = ""
        var current = ""
        var octets = 0
        var limit = 75
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if octets + size > limit {
                out += current + "\r\n "
                current = ""
                octets = 1
                limit = 75
            }
            current.unicodeScalars.append(scalar)
            octets += size
        }
        return out + current
    }

    /// Escapes a TEXT value: `\` → `\\`, `;` → `\;`, `,` → `\,`, a line break
    /// (CRLF, CR or LF) → `\n`. Other control characters, which TEXT cannot carry,
    /// are dropped (a tab is kept).
    public static func escapeText(_ s: String) -> String {
        var out = ""
        var previousCR = false
        for scalar in s.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousCR { out += "\\n" }
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `YYYYMMDDTHHMMSSZ` (whole seconds, UTC).
    static func utc(_ date: Date) -> String { Timestamp.basic(date) }

    /// A web link fit for the URL property: http(s), no spaces or control characters.
    static func validURL(_ link: String?) -> String? {
        guard let v = nonEmpty(link) else { return nil }
        let lower = v.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), v.count > 10,
            !v.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\"" }),
            let url = URL(string: v), url.host != nil
        else { return nil }
        return v
    }

    /// "mailto:<address>" for a plausible address, else nil.
    static func mailto(_ email: String) -> String? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !email.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || ":;,\"<>\\".unicodeScalars.contains($0) })
        else { return nil }
        return "mailto:" + email
    }

    /// A quoted parameter value: DQUOTE and control characters cannot appear in one.
    static func paramValue(_ s: String) -> String {
        let kept = s.unicodeScalars.filter { $0 != "\"" && ($0.value >= 0x20 || $0 == "\t") && $0.value != 0x7F }
        var v = ""
        v.unicodeScalars.append(contentsOf: kept)
        return "\"" + v + "\""
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let v = s?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }
}
