import Foundation

/// Helpers the documents share.
enum Doc {
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func day(_ date: Date, _ zone: TimeZone) -> String { CalendarDay(date, in: zone).description }

    static func yesNo(_ b: Bool) -> String { b ? "是" : "否" }

    static func chineseDate(_ d: CalendarDay) -> String { "\(d.year)年\(d.month)月\(d.day)日" }
}

/// `export.dispatch`: CSV that Excel and WPS open as it is — UTF-8 with a BOM,
/// CRLF, RFC 4180 quoting — hand-written because it is twenty lines and no
/// package on this machine's list writes CSV with the formula escape
/// spreadsheets need.
public enum DispatchCSV {
    public static let header = [
        "编号", "企业", "项目", "类别", "阶段", "状态", "办理单位", "专员", "专员职务", "专员电话", "区县",
        "下次反馈截止", "逾期天数", "逾期工作日", "未答复提级", "最新反馈时间", "最新反馈", "来源会议",
    ]

    /// A cell that a spreadsheet would run as a formula gets a leading `'`.
    public static func escapeFormula(_ s: String) -> String {
        guard let c = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(c) else { return s }
        return "'" + s
    }

    public static func field(_ s: String) -> String {
        let v = escapeFormula(s)
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func text(_ rows: [(DispatchRecord, Due)], timeZone: TimeZone) -> String {
        let clock = LocalTime(timeZone: timeZone)
        var lines = [header.map(field).joined(separator: ",")]
        for (r, due) in rows {
            let latest = r.feedback.last
            let cells = [
                r.id, r.company.name, r.project.name, r.category.zh, r.stage.zh, r.status == .open ? "办理中" : "已办结",
                r.handlingUnit.name, r.commissioner.name, r.commissioner.title, r.commissioner.phone, r.district ?? "",
                due.next ?? "", String(due.daysOverdue), String(due.workingDaysOverdue), String(r.openEscalations.count),
                latest.map { clock.format($0.at) } ?? "", latest?.text ?? "", "\(r.meeting) \(r.meetingTitle)",
            ]
            lines.append(cells.map(field).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// 催办单: the reminder notice for an overdue record.
struct ReminderNotice {
    let record: DispatchRecord
    let due: Due
    let now: Date
    let issuer: String
    let policy: DispatchPolicy

    var overdueEscalations: [Escalation] {
        let today = policy.calendar.day(of: now)
        return record.openEscalations.filter { CalendarDay($0.due).map { $0 < today } ?? false }
    }

    var what: String {
        due.kind == .escalation ? "提级调度问题答复（15日内）" : "平台反馈（本期项目进展）"
    }

    var json: JSON {
        [
            "record": .string(record.id), "company": JSON(encoding: record.company), "project": JSON(encoding: record.project),
            "handlingUnit": JSON(encoding: record.handlingUnit), "commissioner": JSON(encoding: record.commissioner),
            "due": JSON(encoding: due), "what": .string(what), "overdueEscalations": JSON(encoding: overdueEscalations),
            "issuedAt": .string(Timestamp.format(now)), "issuer": .string(issuer),
        ]
    }

    func markdown(timeZone: TimeZone) -> String {
        let r = record
        let c = r.commissioner
        var out = ["# 催办单", "", "**\(Doc.cell(r.handlingUnit.name))：**", ""]
        out.append("贵单位承办的项目“\(r.project.name)”（\(r.company.name)，调度编号 \(r.id)）\(what)已于 \(due.next ?? "—") 到期，"
            + "截至 \(Doc.chineseDate(policy.calendar.day(of: now))) 已逾期 **\(due.workingDaysOverdue) 个工作日**（\(due.daysOverdue) 天）。"
            + "请于收到本单后尽快在平台反馈本期具体进展（不得仅填写“正在对接中”等）。")
        out.append("")
        out.append("| 项目 Item | 内容 Details |")
        out.append("|---|---|")
        out.append("| 调度编号 Record | \(r.id) |")
        out.append("| 企业 Company | \(Doc.cell(r.company.name)) |")
        out.append("| 项目 Project | \(Doc.cell(r.project.name))（\(r.category.zh)，\(r.stage.zh)） |")
        out.append("| 办理单位 Handling unit | \(Doc.cell(r.handlingUnit.name)) |")
        out.append("| 客商专员 Commissioner | \(Doc.cell(c.name))，\(Doc.cell(c.unit)) \(Doc.cell(c.title)) |")
        out.append("| 专员电话 Phone | \(Doc.cell(c.phone)) |")
        out.append("| 应办事项 Due | \(what)，截止 \(due.next ?? "—") |")
        out.append("| 逾期 Overdue | \(due.workingDaysOverdue) 个工作日（\(due.daysOverdue) 天）\(due.estimated ? "（部分年份无官方节假日数据，按周一至周五估算）" : "") |")
        if let f = r.feedback.last {
            out.append("| 上次反馈 Last feedback | \(Doc.day(f.at, timeZone))：\(Doc.cell(f.text)) |")
        } else {
            out.append("| 上次反馈 Last feedback | 尚无反馈（转办于 \(Doc.day(r.createdAt, timeZone))） |")
        }
        for e in overdueEscalations {
            out.append("| 未答复提级 Open escalation | \(e.id) \(e.from.zh)→\(e.to.zh)：\(Doc.cell(e.problem))，应于 \(e.due) 前答复 |")
        }
        out.append("")
        out.append("\(Doc.cell(issuer))")
        out.append("")
        out.append(Doc.chineseDate(policy.calendar.day(of: now)))
        return out.joined(separator: "\n") + "\n"
    }
}

/// 向领导汇报: the report to leadership after the meeting (mechanism 7 §5.1).
struct LeadershipReport {
    let m: Meeting
    let now: Date

    init(_ m: Meeting, now: Date) {
        self.m = m
        self.now = now
    }

    var texts: (MinutesEntry.Kind) -> [String] { { k in m.minutes.filter { $0.kind == k }.map(\.text) } }
    var actions: [MinutesEntry] { m.minutes.filter { $0.kind == .action } }

    var present: [Participant] { m.roster.filter { $0.presence?.joinedAt != nil } }
    var absent: [Participant] { m.roster.filter { $0.presence?.joinedAt == nil } }
    /// Left before the meeting ended (a `left` with the meeting still live).
    var leftEarly: [Participant] {
        let ended = m.info.transitions?.first { $0.to == .ended }?.at
        return m.roster.filter { p in
            guard let left = p.presence?.log.last(where: { $0.status == .left }) else { return false }
            return ended.map { left.at < $0 } ?? true
        }
    }

    var pendingUnits: [String] {
        let done = Set(m.followup.assessments.map(\.unit))
        return m.attendingUnits.filter { !done.contains($0) }
    }

    var recommendation: String { recommendation(.zh) }

    /// The organizer's recommendation as given, else derived in `lang`.
    func recommendation(_ lang: Document.Language) -> String {
        if let r = m.followup.intent?.recommendation { return r }
        let willing = m.followup.assessments.filter { $0.willingToHost && $0.feasible }.map(\.unit)
        if m.followup.intent?.furtherTalks == true, !willing.isEmpty {
            if lang == .en {
                let district = m.followup.intent?.district.map { " to \($0)" } ?? ""
                return "Dispatch the project\(district), to be followed up by the units willing to host it (\(willing.joined(separator: "; ")))."
            }
            let district = m.followup.intent?.district.map { "至\($0)" } ?? ""
            return "建议转办\(district)，由承接意向单位（\(willing.joined(separator: "、"))）跟进。"
        }
        return lang.pick("建议保持联系，暂不转办。", "Keep in touch; do not dispatch yet.")
    }

    func json(timeZone: TimeZone, language: Document.Language = .zh) -> JSON {
        var o: [String: JSON] = [
            "title": .string(title(language)),
            "meeting": JSON(encoding: m.info),
            "attendance": [
                "present": .array(present.map { .string($0.displayName) }),
                "absent": .array(absent.map { .string($0.displayName) }),
                "leftEarly": .array(leftEarly.map { p in
                    var e: [String: JSON] = ["name": .string(p.displayName)]
                    if let r = p.presence?.log.last(where: { $0.status == .left })?.reason { e["reason"] = .string(r) }
                    return .object(e)
                }),
            ],
            "intent": JSON(encoding: texts(.intent)), "needs": JSON(encoding: texts(.needs)),
            "prospects": JSON(encoding: texts(.prospects)), "decisions": JSON(encoding: texts(.decision)),
            "actions": .array(actions.map { a in
                var e: [String: JSON] = ["text": .string(a.text)]
                if let o = a.owner { e["owner"] = .string(o) }
                if let d = a.due { e["due"] = .string(d) }
                return .object(e)
            }),
            "assessments": JSON(encoding: m.followup.assessments),
            "pendingUnits": JSON(encoding: pendingUnits),
            "recommendation": .string(recommendation(language)),
            "generatedAt": .string(Timestamp.format(now)), "timeZone": .string(timeZone.identifier),
        ]
        if let chair = m.roster.first(where: { $0.role == .host }) { o["chair"] = .string(chair.displayName) }
        if let i = m.followup.intent { o["companyIntent"] = JSON(encoding: i) }
        if let d = m.info.dispatch { o["dispatch"] = .string(d) }
        return .object(o)
    }

}

/// 每月信息专报 (mechanism 6 §3, §7): the month's counts, as data and Markdown.
struct MonthlyReport {
    let month: CalendarDay
    let records: [DispatchRecord]
    let meetings: [Meeting]
    let now: Date
    let policy: DispatchPolicy
    let issue: Int
    let issuer: String

    static let distribution = (
        to: "市招商引资工作领导组组长、副组长，市新兴产业推进组组长、副组长，市委市政府办公室",
        send: "各区县政府、市领导组成员单位、市产业推进组成员单位及市政府有关单位",
        cc: "省新兴产业聚集地执行小组")

    var zone: TimeZone { policy.timeZone }
    var start: Date { month.start(in: zone) }
    var end: Date { month.adding(months: 1).start(in: zone) }
    /// The moment the counts are taken: the month's end, or now for the current month.
    var cut: Date { min(end, now) }
    var label: String { "\(month.year)年\(month.month)月" }

    func inMonth(_ d: Date) -> Bool { d >= start && d < end }

    var existing: [DispatchRecord] { records.filter { $0.createdAt < cut } }

    func reached(_ stage: DispatchStage) -> [DispatchRecord] {
        records.filter { r in r.stages.contains { $0.stage == stage && inMonth($0.at) && $0.at < cut } }
    }

    var roadshows: [Meeting] {
        meetings.filter { m in
            inMonth(m.info.startsAt) && (m.info.transitions ?? []).contains { $0.to == .live && $0.at < cut }
        }
    }

    var shelved: [(DispatchRecord, String, Date)] {
        records.compactMap { r in
            guard let c = r.closures?.last(where: { $0.outcome == .shelved && inMonth($0.at) && $0.at < cut }) else { return nil }
            return (r, c.reason ?? "—", c.at)
        }
    }

    /// Overdue at the cut: open then, by the due rule, with the feedback known then.
    var overdue: [(DispatchRecord, Due)] {
        existing.compactMap { r in
            let then = r.asOf(cut)
            let due = then.due(now: cut.addingTimeInterval(-0.001), policy: policy)
            return due.status == .overdue ? (then, due) : nil
        }
    }

    var escalations: [(DispatchRecord, Escalation)] {
        existing.flatMap { r in
            r.escalations.filter { $0.at < cut && ($0.answer.map { $0.at >= cut } ?? true) }.map { (r, $0) }
        }
    }

    var byStage: [DispatchStage: Int] {
        var out: [DispatchStage: Int] = [:]
        for r in existing { if let s = r.stage(at: cut.addingTimeInterval(-0.001)) { out[s, default: 0] += 1 } }
        return out
    }

    var byDistrict: [(String, Int)] {
        var out: [String: Int] = [:]
        for r in existing { out[r.district ?? "未定", default: 0] += 1 }
        return out.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
    }

    /// The bulletin as a document (the `.docx` is written from it).
    func document(language: Document.Language) -> Document {
        let stages = byStage
        return document(stages: stages, inTalks: (stages[.initialContact] ?? 0) + (stages[.negotiating] ?? 0), language: language)
    }

    /// The counts and lists as data, with the Markdown written from the same document.
    func json(language: Document.Language) -> JSON {
        let stages = byStage
        let inTalks = (stages[.initialContact] ?? 0) + (stages[.negotiating] ?? 0)
        let doc = document(stages: stages, inTalks: inTalks, language: language)
        let counts: JSON = [
            "byStage": .object(Dictionary(uniqueKeysWithValues: DispatchStage.allCases.map { ($0.rawValue, JSON.int(Int64(stages[$0] ?? 0))) })),
            "inTalks": .int(Int64(inTalks)),
            "byDistrict": .object(Dictionary(uniqueKeysWithValues: byDistrict.map { ($0.0, JSON.int(Int64($0.1))) })),
            "newlySigned": .int(Int64(reached(.signed).count)),
            "newlyStarted": .int(Int64(reached(.started).count)),
            "roadshowsHeld": .int(Int64(roadshows.count)),
            "dispatched": .int(Int64(records.filter { inMonth($0.createdAt) && $0.createdAt < cut }.count)),
            "feedbackOverdue": .int(Int64(overdue.count)),
            "openEscalations": .int(Int64(escalations.count)),
            "shelved": .int(Int64(shelved.count)),
        ]
        let years = policy.calendar.yearsWithoutData(from: month, to: month.adding(months: 1))
        return [
            "month": .string(String(month.description.prefix(7))), "counts": counts,
            "shelved": .array(shelved.map { r, reason, at in
                ["record": .string(r.id), "company": .string(r.company.name), "project": .string(r.project.name),
                 "reason": .string(reason), "at": .string(Timestamp.format(at))]
            }),
            "overdue": .array(overdue.map { $0.0.row(due: $0.1) }),
            "escalations": .array(escalations.map { ["record": .string($0.0.id), "escalation": JSON(encoding: $0.1)] }),
            "markdown": .string(DocumentMarkdown.render(doc)), "document": doc.json, "lang": .string(language.rawValue),
            "filename": .string(doc.basename + ".md"),
            "issue": .int(Int64(issue)), "issuer": .string(issuer),
            "calendar": policy.calendarState(years: years),
        ]
    }

}

extension DispatchRecord {
    /// The record as it stood at `time`: feedback, escalations, answers,
    /// closure and reopenings after it left out (for the monthly bulletin).
    func asOf(_ time: Date) -> DispatchRecord {
        var r = self
        r.feedback = feedback.filter { $0.at < time }
        r.escalations = escalations.filter { $0.at < time }.map { e in
            var e = e
            if let a = e.answer, a.at >= time { e.answer = nil }
            return e
        }
        r.reopenings = reopenings?.filter { $0.at < time }
        r.stages = stages.filter { $0.at < time }
        if let s = r.stages.last?.stage { r.stage = s }
        r.closures = closures?.filter { $0.at < time }
        // Closed then if its last closing before `time` came after its last reopening.
        let lastClose = r.closures?.last
        if let c = lastClose, (r.reopenings?.last.map { $0.at < c.at } ?? true) {
            r.status = .closed
            r.closure = c
        } else {
            r.status = .open
            r.closure = nil
        }
        return r
    }
}
