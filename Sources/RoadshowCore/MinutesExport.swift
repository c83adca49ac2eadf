import Foundation

/// `export.minutes`: the meeting record (会议纪要) the organizer sends to its
/// leadership, in one language, as a `Document` that the Markdown and the
/// `.docx` are both written from. Times are shown in the given zone.
public enum MinutesExport {
    /// Who the copy is for: what of the meeting it may show.
    public enum Edition: String, Sendable {
        /// The company: `Meeting.outsiderView` (shared minutes only, no internal remarks).
        case company
        /// The units and observers: every minute, no internal remarks.
        case government
        /// Those who run the meeting (organizer, host, recorder, admin): every
        /// minute, and the internal remarks in an annex at the end.
        case organizer

        public static func of(_ actor: Actor, _ m: Meeting) -> Edition {
            if m.isOutsider(actor) { return .company }
            return Permissions.canWriteMinutes(actor, m) ? .organizer : .government
        }
    }

    public static func markdown(
        _ m: Meeting, edition: Edition = .organizer, language: Document.Language = .zh, timeZone: TimeZone,
        accountName: (String) -> String? = { _ in nil }
    ) -> String {
        DocumentMarkdown.render(document(m, edition: edition, language: language, timeZone: timeZone, accountName: accountName))
    }

    public static func document(
        _ meeting: Meeting, edition: Edition, language lang: Document.Language, timeZone: TimeZone,
        accountName: (String) -> String? = { _ in nil }
    ) -> Document {
        // One source of truth for what the company may see: the same cut as its snapshot.
        let m = edition == .company ? meeting.outsiderView : meeting
        let clock = LocalTime(timeZone: timeZone)
        let info = m.info
        let zh = lang == .zh
        func L(_ a: String, _ b: String) -> String { lang.pick(a, b) }
        func who(_ id: String) -> String {
            if let p = m.participant(id) { return p.displayName }
            if id == info.owner { return info.ownerName }
            return accountName(id) ?? id
        }
        func duration(_ seconds: Int) -> String {
            if zh { return seconds >= 60 ? "\(seconds / 60) 分 \(seconds % 60) 秒" : "\(seconds) 秒" }
            return seconds >= 60 ? "\(seconds / 60) min \(seconds % 60) s" : "\(seconds) s"
        }
        func names(_ ps: [Participant]) -> String { ps.map(\.displayName).joined(separator: zh ? "、" : "; ") }
        func fact(_ label: String, _ value: String) -> Document.Block {
            .paragraph([.init(label + (zh ? "：" : ": "), bold: true), .init(value)])
        }
        var heads = SectionNumbers(lang)
        var blocks: [Document.Block] = []

        // The meeting's facts.
        let day = CalendarDay(info.startsAt, in: timeZone)
        let end = info.startsAt.addingTimeInterval(Double(info.durationMinutes) * 60)
        let date = zh ? Doc.chineseDate(day) : day.description
        blocks.append(fact(L("时间", "Time"), "\(date) \(clock.time(info.startsAt))–\(clock.time(end))" + L("（\(timeZone.identifier)）", " (\(timeZone.identifier))")))
        var system = info.system.name
        if let room = info.system.room { system += L("，会议号 ", ", meeting number ") + room }
        blocks.append(fact(L("会议类型", "Kind of meeting"), lang.label(info.kind)))
        blocks.append(fact(L("形式", "Format"), L("线上会议（\(system)）", "Online meeting (\(system))")))
        blocks.append(fact(L("组织单位", "Organizer"), info.ownerName))
        let hosts = m.roster.filter { $0.role == .host }
        blocks.append(fact(L("主持", "Chair"), hosts.isEmpty ? "—" : names(hosts)))
        let recorders = m.roster.filter { $0.role == .recorder }
        if !recorders.isEmpty { blocks.append(fact(L("记录", "Minutes taken by"), names(recorders))) }
        var company = info.company.name
        if let c = info.company.contact { company += L("（联系人 \(c)）", " (contact: \(c))") }
        blocks.append(fact(L("企业", "Company"), company))
        var project = info.project.name + (zh ? "，" : ", ") + lang.label(info.project.category)
        if let industry = info.project.industry { project += (zh ? "，" : ", ") + industry }
        if let inv = info.project.investment {
            project += L("，拟投资 \(number(inv)) 亿元", ", planned investment CNY \(number(inv * 100)) million")
        }
        blocks.append(fact(L("项目", "Project"), project))

        // Attendance (出席 / 列席): who was there, as "name-unit".
        let wentLive = (info.transitions ?? []).contains { $0.to == .live }
        func attended(_ p: Participant) -> Bool { wentLive ? p.presence?.joinedAt != nil : p.attending != false }
        let members = m.roster.filter { $0.role != .observer }
        let present = members.filter(attended)
        var units: [String] = []
        for p in present where !units.contains(p.unit) { units.append(p.unit) }
        blocks.append(fact(L("出席单位", "Attending units"), units.isEmpty ? "—" : units.joined(separator: zh ? "、" : "; ")))
        blocks.append(fact(L("出席人员", "Attending"), present.isEmpty ? "—" : names(present)))
        let observers = m.roster.filter { $0.role == .observer && attended($0) }
        if !observers.isEmpty { blocks.append(fact(L("列席", "Observers"), names(observers))) }
        let absent = members.filter { !attended($0) }
        if !absent.isEmpty { blocks.append(fact(L("缺席", "Absent"), names(absent))) }
        let early = m.roster.compactMap { p -> String? in
            guard let left = p.presence?.log.last(where: { $0.status == .left }), p.presence?.status == .left else { return nil }
            let reason = left.reason.map { zh ? "，\($0)" : ", \($0)" } ?? ""
            return p.displayName + (zh ? "（\(clock.time(left.at)) 离会\(reason)）" : " (left at \(clock.time(left.at))\(reason))")
        }
        if !early.isEmpty { blocks.append(fact(L("提前离会", "Left early"), early.joined(separator: zh ? "；" : "; "))) }
        let away = m.roster.flatMap { p in
            (p.presence?.log ?? []).filter { $0.status == .away }.map { c in
                p.displayName + (zh ? "（\(clock.time(c.at))\(c.reason.map { "，\($0)" } ?? "")）" : " (\(clock.time(c.at))\(c.reason.map { ", \($0)" } ?? ""))")
            }
        }
        if !away.isEmpty { blocks.append(fact(L("中途暂离", "Stepped away"), away.joined(separator: zh ? "；" : "; "))) }

        // The agenda, planned and as it ran.
        blocks.append(.heading(heads.next(L("会议议程", "Agenda")), level: 1))
        if m.agenda.isEmpty {
            blocks.append(.paragraph([.init(L("（未设议程）", "(No agenda was set.)"))], indent: true))
        } else {
            let rows = m.agenda.enumerated().map { i, a -> [String] in
                let actual = a.actualSeconds.map(duration) ?? (a.status == .running ? L("进行中", "running") : "—")
                return [String(i + 1), a.title, a.speaker.map(who) ?? "—", L("\(a.minutes) 分钟", "\(a.minutes) min"), actual,
                        a.startedAt.map(clock.time) ?? "—"]
            }
            blocks.append(.table(.init(
                header: [L("序号", "No."), L("议题", "Item"), L("发言人", "Speaker"), L("计划", "Planned"), L("实际", "Actual"), L("开始", "Start")],
                rows: rows, widths: [9, 27, 25, 14, 13, 12])))
        }

        // What was said, by kind.
        blocks.append(.heading(heads.next(L("会议内容", "Discussion")), level: 1))
        var subs = SectionNumbers(lang, level: 2)
        for kind in [MinutesEntry.Kind.intent, .needs, .prospects, .contact, .note] {
            let entries = m.minutes.filter { $0.kind == kind }
            if entries.isEmpty && (kind == .contact || kind == .note) { continue }
            blocks.append(.heading(subs.next(lang.label(kind)), level: 2))
            if entries.isEmpty { blocks.append(.paragraph([.init(L("（未记录）", "(Not recorded.)"))], indent: true)) }
            for e in entries {
                let item = e.agendaItem.flatMap { id in m.agenda.first { $0.id == id } }.map { L("［\($0.title)］", "[\($0.title)] ") } ?? ""
                for (i, line) in lines(e.text).enumerated() {
                    blocks.append(.paragraph([.init(i == 0 ? item + line : line)], indent: true))
                }
            }
        }

        // 议定事项: what was agreed, who does it and by when.
        blocks.append(.heading(heads.next(L("议定事项", "Decisions and actions")), level: 1))
        let agreed = m.minutes.filter { $0.kind == .decision || $0.kind == .action }
        if agreed.isEmpty {
            blocks.append(.paragraph([.init(L("（无）", "(None.)"))], indent: true))
        } else {
            blocks.append(.table(decisionsTable(agreed, lang)))
        }

        blocks.append(.heading(heads.next(L("下次沟通", "Next contact")), level: 1))
        let next = m.minutes.filter { $0.kind == .nextContact }
        if next.isEmpty { blocks.append(.paragraph([.init(L("（未约定）", "(Not agreed.)"))], indent: true)) }
        for e in next {
            var text = lines(e.text).joined(separator: " ")
            if let o = e.owner { text += L("（联系人：\(o)）", " (contact: \(o))") }
            if let d = e.due { text += L("（时间：\(d)）", " (by \(d))") }
            blocks.append(.paragraph([.init(text)], indent: true))
        }

        let totals = m.speeches.isEmpty ? [] : (m.speakingTotals["units"]?.arrayValue ?? [])
        if !totals.isEmpty {
            blocks.append(.heading(heads.next(L("发言时长", "Speaking time")), level: 1))
            blocks.append(.table(.init(
                header: [L("单位", "Unit"), L("时长", "Time")],
                rows: totals.map { [$0["unit"]?.stringValue ?? "", duration(Int($0["seconds"]?.intValue ?? 0))] }, widths: [70, 30])))
        }

        if edition == .company {
            blocks.append(.paragraph([.init(L("本纪要为企业版，仅含与企业共享的记录。", "This copy is the company's: it holds the minutes shared with the company."))]))
        }
        if edition == .organizer { blocks.append(contentsOf: internalRemarks(m, lang, clock: clock, who: who)) }

        let basename = "\(info.title)-\(L("会议纪要", "minutes"))-\(day.description)"
        return Document(
            language: lang, title: zh ? info.title + "会议纪要" : "Minutes: " + info.title,
            subtitle: [info.ownerName, zh ? Doc.chineseDate(day) : day.description], blocks: blocks,
            kind: L("会议纪要", "Minutes"), basename: basename)
    }

    /// 议定事项 as a table: decisions and actions, who and by when.
    static func decisionsTable(_ entries: [MinutesEntry], _ lang: Document.Language) -> Document.Table {
        .init(
            header: [lang.pick("序号", "No."), lang.pick("事项", "Item"), lang.pick("负责单位（人）", "Owner"), lang.pick("完成时限", "Due")],
            rows: entries.enumerated().map { i, e in [String(i + 1), lines(e.text).joined(separator: " "), e.owner ?? "—", e.due ?? "—"] },
            widths: [9, 51, 24, 16])
    }

    /// The organizer's own remarks: the forced go-live, its blockers, AV notes.
    /// At the end, after the record, and only in the organizer's copy.
    static func internalRemarks(_ m: Meeting, _ lang: Document.Language, clock: LocalTime, who: (String) -> String) -> [Document.Block] {
        let zh = lang == .zh
        var out: [Document.Block] = []
        for t in m.info.transitions ?? [] where t.forced {
            var text = zh
                ? "\(clock.format(t.at))，\(who(t.by))在准备未完成时将会议由“\(t.from.zh)”推进至“\(t.to.zh)”"
                : "\(clock.format(t.at)): \(who(t.by)) moved the meeting from \(t.from.en.lowercased()) to \(t.to.en.lowercased()) before preparation was complete"
            if let r = t.reason { text += zh ? "，理由：\(r)" : "; reason: \(r)" }
            text += zh ? "。当时未完成 \(t.blockers?.count ?? 0) 项。" : ". \(t.blockers?.count ?? 0) item(s) were open."
            out.append(.paragraph([.init(text)], indent: true))
            for b in t.blockers ?? [] {
                let missing = b.missing.map { list in
                    zh ? "（缺：" + list.map(\.zh).joined(separator: "、") + "）" : " (missing: " + list.map(\.en).joined(separator: ", ") + ")"
                } ?? ""
                out.append(.item([.init(b.text + missing)]))
            }
        }
        var notes: [[String]] = []
        for p in m.roster {
            for kind in AVCheckKind.allCases {
                guard let c = p.av.check(kind), let note = c.note else { continue }
                notes.append([p.displayName, lang.label(kind), c.result == .pass ? lang.pick("通过", "passed") : c.result == .fail ? lang.pick("未通过", "failed") : lang.pick("待测", "pending"), note])
            }
        }
        if !notes.isEmpty {
            out.append(.paragraph([.init(lang.pick("联调备注：", "Notes from the joint AV test:"), bold: true)]))
            out.append(.table(.init(
                header: [lang.pick("参会人", "Participant"), lang.pick("检查项", "Check"), lang.pick("结果", "Result"), lang.pick("备注", "Note")],
                rows: notes, widths: [30, 16, 12, 42])))
        }
        guard !out.isEmpty else { return [] }
        return [.heading(lang.pick("附：内部备注（仅限组织方，不对企业发送）", "Annex: internal remarks (organizer only, not for the company)"), level: 1)] + out
    }

    /// A text's lines without empty ones.
    static func lines(_ s: String) -> [String] {
        s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func number(_ d: Double) -> String {
        d.rounded() == d ? String(Int64(d)) : String(format: "%.2f", d).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}

/// Official section numbers: 一、二、… and （一）（二）… in Chinese; 1. 2. … in English.
struct SectionNumbers {
    let lang: Document.Language
    let level: Int
    var count = 0

    init(_ lang: Document.Language, level: Int = 1) {
        self.lang = lang
        self.level = level
    }

    static let digits = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"]

    mutating func next(_ title: String) -> String {
        count += 1
        let n = count <= Self.digits.count ? Self.digits[count - 1] : String(count)
        if lang == .zh { return level == 1 ? "\(n)、\(title)" : "（\(n)）\(title)" }
        return level == 1 ? "\(count). \(title)" : title
    }
}
