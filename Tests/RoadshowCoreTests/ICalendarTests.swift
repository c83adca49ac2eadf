import Foundation
import Testing

@testable import RoadshowCore

/// The RFC 5545 calendar file: line endings, folding at 75 octets, escaping, UTC
/// times, and a round trip through the real `icalendar` Python library.
@Suite("iCalendar")
struct ICalendarTests {
    typealias F = InviteFixture

    static let now = Timestamp.parse("2026-11-25T03:04:05.678Z")!
    /// 29 Chinese characters and more: far over 75 octets on its own.
    static let longTitle = "黄山市重点新兴产业“双招双引”皖南新能源科技有限公司年产5GWh储能电池生产基地项目线上路演暨投资合作对接会（第二场）"
    static let trickyCompany = "皖南新能源科技有限公司, 研发中心; 二期"

    static func ics(
        meeting: MeetingInfo = InviteFixture.meeting(), participant: Participant? = InviteFixture.participant,
        link: String? = InviteFixture.personalLink, email: String? = nil, zone: TimeZone = InviteFixture.shanghai
    ) -> String {
        ICalendar.event(meeting: meeting, participant: participant, personalLink: link, organizerEmail: email, now: now, timeZone: zone)
    }

    // MARK: - Helpers working on octets

    /// The physical lines (without CRLF); fails the test if a CR or LF stands alone.
    static func physicalLines(_ text: String) -> [[UInt8]] {
        let b = Array(text.utf8)
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == 13 {
                #expect(i + 1 < b.count && b[i + 1] == 10, "a CR not followed by LF at octet \(i)")
                lines.append(current)
                current = []
                i += 2
                continue
            }
            #expect(b[i] != 10, "a bare LF at octet \(i)")
            current.append(b[i])
            i += 1
        }
        #expect(current.isEmpty, "the text does not end with CRLF")
        return lines
    }

    /// RFC 5545 §3.1 unfolding: drop each CRLF followed by one space or tab.
    static func contentLines(_ text: String) -> [String] {
        var logical: [[UInt8]] = []
        for line in physicalLines(text) {
            if let first = line.first, first == 32 || first == 9, !logical.isEmpty {
                logical[logical.count - 1] += line.dropFirst()
            } else {
                logical.append(line)
            }
        }
        return logical.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The value of the first property `name` (unfolded, still escaped).
    static func value(_ name: String, in text: String) -> String? {
        for line in contentLines(text) {
            if line.hasPrefix(name + ":") { return String(line.dropFirst(name.count + 1)) }
            if line.hasPrefix(name + ";"), let colon = line.firstIndex(of: ":") { return String(line[line.index(after: colon)...]) }
        }
        return nil
    }

    /// Inverse of `escapeText`.
    static func unescape(_ s: String) -> String {
        var out = ""
        var escaping = false
        for c in s.unicodeScalars {
            if escaping {
                out += (c == "n" || c == "N") ? "\n" : String(c)
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    // MARK: - Structure

    @Test("one VEVENT in a VCALENDAR with the required properties, in order, and a 30-minute alarm")
    func structure() {
        let lines = Self.contentLines(Self.ics())
        #expect(Array(lines.prefix(7)) == [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Roadshow//Roadshow 1.0//ZH", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "BEGIN:VEVENT", "UID:M-7Q2K-P-8H3KD2QX@roadshow",
        ])
        #expect(Array(lines.suffix(7)) == [
            "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT30M",
            "DESCRIPTION:" + ICalendar.escapeText("\(F.meeting().title)：30分钟后开始 / starts in 30 minutes"),
            "END:VALARM", "END:VEVENT", "END:VCALENDAR",
        ])
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1)
        #expect(lines.filter { $0 == "BEGIN:VALARM" }.count == 1)
        #expect(Self.value("SUMMARY", in: Self.ics()) == "皖南新能源储能电池项目线上路演")
        #expect(Self.value("LOCATION", in: Self.ics()) == "腾讯会议 123-456-789")
        #expect(Self.value("LOCATION", in: Self.ics(meeting: F.meeting(room: nil))) == "腾讯会议")
    }

    @Test("UID: meeting id, then participant id when given")
    func uid() {
        #expect(Self.value("UID", in: Self.ics()) == "M-7Q2K-P-8H3KD2QX@roadshow")
        #expect(Self.value("UID", in: Self.ics(participant: nil)) == "M-7Q2K@roadshow")
    }

    @Test("DTSTART/DTEND in UTC whatever the zone; DTSTAMP is now, whole seconds")
    func times() {
        for zone in [F.shanghai, F.berlin, TimeZone(identifier: "America/Los_Angeles")!] {
            let ics = Self.ics(zone: zone)
            #expect(Self.value("DTSTART", in: ics) == "20261201T060000Z")
            #expect(Self.value("DTEND", in: ics) == "20261201T073000Z")
            #expect(Self.value("DTSTAMP", in: ics) == "20261125T030405Z")
        }
        let late = F.meeting(startsAt: "2026-12-31T23:30:00Z", minutes: 45)
        #expect(Self.value("DTSTART", in: Self.ics(meeting: late)) == "20261231T233000Z")
        #expect(Self.value("DTEND", in: Self.ics(meeting: late)) == "20270101T001500Z")
        // The zone only changes the readable time in the description.
        let berlin = Self.unescape(Self.value("DESCRIPTION", in: Self.ics(zone: F.berlin))!)
        #expect(berlin.contains("Tuesday 1 December 2026, 07:00–08:30 (Europe/Berlin)"))
        #expect(berlin.contains("2026年12月1日（星期二）07:00–08:30（Europe/Berlin 时间）"))
    }

    @Test("URL only for a present, valid web link")
    func url() {
        #expect(Self.value("URL", in: Self.ics()) == "https://meeting.tencent.com/dm/demo")
        for bad in [nil, "", "   ", "not a link", "ftp://example.com/x", "https://exa mple.com/x", "https://"] as [String?] {
            #expect(Self.value("URL", in: Self.ics(meeting: F.meeting(link: bad))) == nil, "\(bad ?? "nil")")
        }
        // URI values are not TEXT: commas and semicolons stay as they are.
        let query = "https://meeting.example.cn/j?a=1,2;b=3"
        #expect(Self.value("URL", in: Self.ics(meeting: F.meeting(link: query))) == query)
    }

    @Test("DESCRIPTION: company, project, display name, both etiquettes, the personal link")
    func description() {
        let d = Self.unescape(Self.value("DESCRIPTION", in: Self.ics())!)
        for part in ["皖南新能源科技有限公司", "年产5GWh储能电池生产基地", "请改名为：张三-市商务局",
                     "please rename to: 张三-市商务局", "会议号 Room 123-456-789", F.personalLink,
                     "2026年12月1日（星期二）14:00–15:30（北京时间 Asia/Shanghai）"] {
            #expect(d.contains(part), "description lacks \(part)")
        }
        for (i, r) in Etiquette.reminders.enumerated() {
            #expect(d.contains("\(i + 1). \(r.zh)"))
            #expect(d.contains("\(i + 1). \(r.en)"))
        }
        let noLink = Self.unescape(Self.value("DESCRIPTION", in: Self.ics(participant: nil, link: nil))!)
        #expect(!noLink.contains("Personal page") && !noLink.contains("张三"))
        #expect(noLink.contains("姓名-单位"))
    }

    @Test("ORGANIZER only with a plausible e-mail, CN quoted")
    func organizer() {
        #expect(Self.value("ORGANIZER", in: Self.ics()) == nil)
        #expect(Self.contentLines(Self.ics(email: "zhaoshang@hs.gov.cn")).contains("ORGANIZER;CN=\"黄山市投资促进局\":mailto:zhaoshang@hs.gov.cn"))
        #expect(Self.value("ORGANIZER", in: Self.ics(email: "not an email")) == nil)
    }

    // MARK: - Octets

    @Test("CRLF everywhere, no bare CR or LF, and a final CRLF")
    func crlf() {
        let text = Self.ics(meeting: F.meeting(title: "第一行\n第二行\r\n第三行", company: Self.trickyCompany))
        let lines = Self.physicalLines(text)
        #expect(lines.count > 20)
        #expect(text.utf8.suffix(2).elementsEqual([13, 10]))
        #expect(text.utf8.filter { $0 == 10 }.count == lines.count)
        #expect(text.utf8.filter { $0 == 13 }.count == lines.count)
    }

    @Test("no physical line over 75 octets, and no line splits a UTF-8 character")
    func folding() throws {
        let m = F.meeting(title: Self.longTitle, company: Self.trickyCompany + "（" + Self.longTitle + "）")
        let text = Self.ics(meeting: m)
        let physical = Self.physicalLines(text)
        #expect(physical.contains { $0.count == 75 }, "long lines are folded at exactly 75 octets")
        for (n, line) in physical.enumerated() {
            #expect(line.count <= 75, "line \(n + 1) has \(line.count) octets")
            // Each physical line on its own is valid UTF-8: no sequence was cut.
            #expect(String(validating: line, as: UTF8.self) != nil, "line \(n + 1) cuts a UTF-8 sequence")
        }
        // Unfolding gives back exactly the unfolded properties.
        let lines = Self.contentLines(text)
        #expect(lines.contains("SUMMARY:" + ICalendar.escapeText(Self.longTitle)))
        let description = ICalendar.description(meeting: m, participant: F.participant, personalLink: F.personalLink, timeZone: F.shanghai)
        #expect(lines.contains("DESCRIPTION:" + ICalendar.escapeText(description)))
        #expect(Self.unescape(Self.value("SUMMARY", in: text)!) == Self.longTitle)
        #expect(Self.unescape(Self.value("DESCRIPTION", in: text)!) == description)
    }

    @Test("fold: fills each line to 75 octets without cutting a scalar, for 1- to 4-octet characters at every offset")
    func foldUnit() {
        #expect(ICalendar.fold("SUMMARY:short") == "SUMMARY:short")
        let exactly75 = String(repeating: "a", count: 75)
        #expect(ICalendar.fold(exactly75) == exactly75)
        #expect(ICalendar.fold(exactly75 + "b") == exactly75 + "\r\n b")
        #expect(ICalendar.fold(String(repeating: "a", count: 75 + 74 + 1))
            == exactly75 + "\r\n " + String(repeating: "a", count: 74) + "\r\n a")
        // 25 three-octet characters fill the first line; 24 fit after the leading space.
        let han = String(repeating: "路", count: 60)
        #expect(ICalendar.fold(han) == String(repeating: "路", count: 25) + "\r\n " + String(repeating: "路", count: 24) + "\r\n " + String(repeating: "路", count: 11))

        let alphabet = ["a", "é", "路", "🔋", "𠀀", ",", "\\"]
        for prefix in 0..<8 {
            for pattern in 0..<alphabet.count {
                var line = "DESCRIPTION:" + String(repeating: "x", count: prefix)
                for i in 0..<120 { line += alphabet[(i * (pattern + 1) + i / 3) % alphabet.count] }
                let folded = ICalendar.fold(line)
                let pieces = folded.utf8.split(separator: 13, omittingEmptySubsequences: false).enumerated().map { i, piece -> [UInt8] in
                    // Every piece after the first started with LF (of the CRLF) and one space.
                    if i == 0 { return Array(piece) }
                    #expect(piece.first == 10)
                    return Array(piece.dropFirst())
                }
                var unfolded: [UInt8] = []
                for (i, piece) in pieces.enumerated() {
                    #expect(piece.count <= 75)
                    #expect(String(validating: piece, as: UTF8.self) != nil)
                    if i > 0 {
                        #expect(piece.first == 32)
                        unfolded += piece.dropFirst()
                    } else {
                        unfolded += piece
                    }
                    // A line is only folded when the next character no longer fits.
                    if i + 1 < pieces.count {
                        let nextFirst = pieces[i + 1].dropFirst()
                        let width = String(decoding: nextFirst, as: UTF8.self).unicodeScalars.first.map { UTF8.width($0) } ?? 0
                        #expect(piece.count + width > 75, "folded early: \(piece.count) + \(width)")
                    }
                }
                #expect(unfolded == Array(line.utf8), "prefix \(prefix) pattern \(pattern)")
            }
        }
    }

    @Test("escapeText: backslash, semicolon, comma, line breaks; control characters dropped")
    func escaping() {
        #expect(ICalendar.escapeText("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
        #expect(ICalendar.escapeText(Self.trickyCompany) == "皖南新能源科技有限公司\\, 研发中心\\; 二期")
        #expect(ICalendar.escapeText("一\r\n二\r三\n四") == "一\\n二\\n三\\n四")
        #expect(ICalendar.escapeText("\n\n") == "\\n\\n")
        #expect(ICalendar.escapeText("\\n") == "\\\\n")
        #expect(ICalendar.escapeText("a\u{0}b\u{7}c\u{7F}d\te") == "abcd\te")
        #expect(ICalendar.escapeText("：；，") == "：；，")  // full-width punctuation is plain text
        for s in ["a,b;c\\d\ne", Self.trickyCompany, "\\,\\;\\\\n", "末尾\\"] {
            #expect(Self.unescape(ICalendar.escapeText(s)) == s)
        }
        // In the file: the company's comma and semicolon are escaped in DESCRIPTION.
        let ics = Self.ics(meeting: F.meeting(company: Self.trickyCompany))
        #expect(Self.value("DESCRIPTION", in: ics)!.contains("皖南新能源科技有限公司\\, 研发中心\\; 二期"))
        let titled = Self.ics(meeting: F.meeting(title: "路演, 第二场; 储能\\一期\n备注"))
        #expect(Self.value("SUMMARY", in: titled) == "路演\\, 第二场\\; 储能\\\\一期\\n备注")
    }

    // MARK: - The real parser

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let python = "/usr/bin/python3"
    static let script = repoRoot.appendingPathComponent("Tests/ics/parse_ics.py").path

    static func run(_ arguments: [String]) throws -> (status: Int32, out: Data, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, o, String(decoding: e, as: UTF8.self))
    }

    /// /usr/bin/python3 with the icalendar library (Debian python3-icalendar; `make test` installs it).
    static let icalendarAvailable: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return (try? run(["-c", "import icalendar"]).status) == 0
    }()

    static func parse(_ ics: String) throws -> (status: Int32, json: JSON?, err: String) {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("roadshow-\(UUID().uuidString).ics")
        try Data(ics.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try run([script, file.path])
        return (r.status, r.status == 0 ? try JSON.parse(r.out) : nil, r.err)
    }

    @Test(
        "icalendar parses the file back to the original fields (Chinese title, , and ; in the text, folded lines)",
        .enabled(if: ICalendarTests.icalendarAvailable,
                 "skipped: /usr/bin/python3 with the icalendar library is missing (apt-get install -y python3-icalendar)"))
    func roundTripThroughICalendar() throws {
        // Note: icalendar 4.x unescapes "\n" before "\\", so a backslash followed by
        // "n" would read back wrongly there; this text keeps backslashes before other letters.
        let m = F.meeting(title: Self.longTitle + ", 第二场; 储能", company: Self.trickyCompany + " C:\\路演资料")
        let ics = Self.ics(meeting: m, email: "zhaoshang@hs.gov.cn")
        #expect(Self.physicalLines(ics).contains { $0.count > 70 && $0.count <= 75 })
        let r = try Self.parse(ics)
        #expect(r.status == 0, "parse_ics.py failed: \(r.err)")
        let j = try #require(r.json)
        #expect(j["summary"]?.stringValue == m.title)
        #expect(j["location"]?.stringValue == "腾讯会议 123-456-789")
        #expect(j["url"]?.stringValue == "https://meeting.tencent.com/dm/demo")
        let description = ICalendar.description(meeting: m, participant: F.participant, personalLink: F.personalLink, timeZone: F.shanghai)
        #expect(j["description"]?.stringValue == description)
        #expect(j["description"]?.stringValue?.contains("企业 Company：皖南新能源科技有限公司, 研发中心; 二期 C:\\路演资料") == true)
        #expect(j["dtstart"]?.stringValue == "2026-12-01T06:00:00Z")
        #expect(j["dtend"]?.stringValue == "2026-12-01T07:30:00Z")
        #expect(j["dtstamp"]?.stringValue == "2026-11-25T03:04:05Z")
        #expect(j["uid"]?.stringValue == "M-7Q2K-P-8H3KD2QX@roadshow")
        #expect(j["version"]?.stringValue == "2.0")
        #expect(j["method"]?.stringValue == "PUBLISH")
        #expect(j["organizer"]?["address"]?.stringValue == "mailto:zhaoshang@hs.gov.cn")
        #expect(j["organizer"]?["cn"]?.stringValue == "黄山市投资促进局")
        let alarm = try #require(j["alarms"]?.arrayValue?.first)
        #expect(j["alarms"]?.arrayValue?.count == 1)
        #expect(alarm["action"]?.stringValue == "DISPLAY")
        #expect(alarm["triggerSeconds"]?.intValue == -1800)
        #expect(alarm["description"]?.stringValue == "\(m.title)：30分钟后开始 / starts in 30 minutes")
    }

    @Test(
        "without a participant, personal link or room, icalendar still reads it",
        .enabled(if: ICalendarTests.icalendarAvailable,
                 "skipped: /usr/bin/python3 with the icalendar library is missing (apt-get install -y python3-icalendar)"))
    func minimalThroughICalendar() throws {
        let m = F.meeting(room: nil, link: nil)
        let r = try Self.parse(Self.ics(meeting: m, participant: nil, link: nil))
        #expect(r.status == 0, "parse_ics.py failed: \(r.err)")
        let j = try #require(r.json)
        #expect(j["uid"]?.stringValue == "M-7Q2K@roadshow")
        #expect(j["location"]?.stringValue == "腾讯会议")
        #expect(j["url"]?.isNull == true)
        #expect(j["description"]?.stringValue == ICalendar.description(meeting: m, participant: nil, personalLink: nil, timeZone: F.shanghai))
    }

    @Test(
        "parse_ics.py fails on a broken file (so a pass above means something)",
        .enabled(if: ICalendarTests.icalendarAvailable,
                 "skipped: /usr/bin/python3 with the icalendar library is missing (apt-get install -y python3-icalendar)"))
    func brokenFileFails() throws {
        let good = Self.ics()
        let broken = good.replacingOccurrences(of: "SUMMARY:", with: "SUMMARY ")
        #expect(try Self.parse(broken).status != 0)
        let truncated = String(good.prefix(200))
        #expect(try Self.parse(truncated).status != 0)
    }
}
