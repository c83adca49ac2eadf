import Foundation

/// `export.minutes`: the meeting record the organizer sends to its leadership,
/// as Markdown. Times are shown in the given zone.
public enum MinutesExport {
    public static func markdown(_ m: Meeting, timeZone: TimeZone, accountName: (String) -> String? = { _ in nil }) -> String {
        let clock = LocalTime(timeZone: timeZone)
        func who(_ id: String) -> String {
            if let p = m.participant(id) { return p.displayName }
            if id == m.info.owner { return m.info.ownerName }
            return accountName(id) ?? id
        }
        let cell = Doc.cell
        func duration(_ seconds: Int) -> String {
            seconds >= 60 ? "\(seconds / 60) 分 \(seconds % 60) 秒" : "\(seconds) 秒"
        }
        var out: [String] = []
        let info = m.info
        out.append("# 会议纪要：\(info.title)")
        out.append("")
        out.append("| 项目 Item | 内容 Details |")
        out.append("|---|---|")
        out.append("| 企业 Company | \(cell(info.company.name))\(info.company.contact.map { "（联系人 \(cell($0))）" } ?? "") |")
        var project = "\(cell(info.project.name))，\(info.project.category.zh)"
        if let industry = info.project.industry { project += "，\(cell(industry))" }
        if let investment = info.project.investment { project += "，拟投资 \(Self.number(investment)) 亿元" }
        out.append("| 项目 Project | \(project) |")
        let end = info.startsAt.addingTimeInterval(Double(info.durationMinutes) * 60)
        out.append("| 时间 Time | \(clock.format(info.startsAt))–\(clock.time(end))（\(timeZone.identifier)） |")
        var system = cell(info.system.name)
        if let room = info.system.room { system += " 会议号 \(cell(room))" }
        out.append("| 会议系统 System | \(system) |")
        let hosts = m.roster.filter { $0.role == .host }.map(\.displayName)
        out.append("| 主持人 Host | \(hosts.isEmpty ? "—" : cell(hosts.joined(separator: "、"))) |")
        let recorders = m.roster.filter { $0.role == .recorder }.map(\.displayName)
        if !recorders.isEmpty { out.append("| 记录员 Recorder | \(cell(recorders.joined(separator: "、"))) |") }
        out.append("| 组织单位 Organizer | \(cell(info.ownerName)) |")
        out.append("| 状态 Phase | \(info.phase.zh) \(info.phase.rawValue) |")

        if let forced = info.forcedGoLive {
            out.append("")
            out.append("> **未完成准备即开会（强制开始）Forced go-live**：\(forced.reason ?? "")")
            out.append("> \(clock.format(forced.at))，\(who(forced.by))；当时未完成 \(forced.blockers?.count ?? 0) 项：")
            for b in forced.blockers ?? [] {
                let missing = b.missing.map { "（缺：" + $0.map(\.zh).joined(separator: "、") + "）" } ?? ""
                out.append("> - \(cell(b.text))\(missing)")
            }
        }

        out.append("")
        out.append("## 参会人员 Attendance")
        out.append("")
        if m.roster.isEmpty {
            out.append("（无 None）")
        } else {
            out.append("| 姓名 Name | 单位 Unit | 角色 Role | 出席 Attending | 入会 Joined | 离会 Left | 备注 Notes |")
            out.append("|---|---|---|---|---|---|---|")
            for p in m.roster {
                let attending = p.attending == true ? "是" : p.attending == false ? "否" : "未确认"
                let joined = p.presence?.joinedAt.map(clock.time) ?? "—"
                let left = p.presence?.leftAt.map(clock.time) ?? "—"
                let notes = (p.presence?.log ?? []).filter { $0.reason != nil }
                    .map { "\(clock.time($0.at)) \($0.status.zh)：\(cell($0.reason!))" }.joined(separator: "；")
                out.append("| \(cell(p.name)) | \(cell(p.unit)) | \(p.role.zh) | \(attending) | \(joined) | \(left) | \(notes.isEmpty ? "" : notes) |")
            }
        }

        out.append("")
        out.append("## 议程 Agenda")
        out.append("")
        if m.agenda.isEmpty {
            out.append("（无 None）")
        } else {
            out.append("| # | 议题 Item | 发言人 Speaker | 计划 Planned | 实际 Actual | 开始 Start |")
            out.append("|---|---|---|---|---|---|")
            for (i, a) in m.agenda.enumerated() {
                let actual = a.actualSeconds.map(duration) ?? (a.status == .running ? "进行中" : "—")
                out.append("| \(i + 1) | \(cell(a.title)) | \(a.speaker.map(who).map(cell) ?? "—") | \(a.minutes) 分 | \(actual) | \(a.startedAt.map(clock.time) ?? "—") |")
            }
        }

        let sections: [MinutesEntry.Kind] = [.intent, .needs, .prospects, .decision, .contact, .note]
        out.append("")
        out.append("## 会议记录 Minutes")
        for kind in sections {
            let entries = m.minutes.filter { $0.kind == kind }
            out.append("")
            out.append("### \(kind.zh) \(kind.en)")
            out.append("")
            if entries.isEmpty { out.append("（无 None）"); continue }
            for e in entries {
                let item = e.agendaItem.flatMap { id in m.agenda.first { $0.id == id } }.map { "［\(cell($0.title))］" } ?? ""
                out.append("- \(item)\(e.text.replacingOccurrences(of: "\n", with: "\n  "))")
            }
        }

        out.append("")
        out.append("## 后续分工 Actions")
        out.append("")
        out.append(contentsOf: actionsTable(m.minutes.filter { $0.kind == .action }))

        out.append("")
        out.append("## 下次沟通 Next contact")
        out.append("")
        let next = m.minutes.filter { $0.kind == .nextContact }
        if next.isEmpty { out.append("（未约定 Not agreed）") }
        for e in next {
            var line = "- \(e.text.replacingOccurrences(of: "\n", with: "\n  "))"
            if let owner = e.owner { line += "（联系人 \(owner)）" }
            if let due = e.due { line += "（时间 \(due)）" }
            out.append(line)
        }

        if !m.speeches.isEmpty {
            out.append("")
            out.append("## 发言时长 Speaking time")
            out.append("")
            out.append("| 单位 Unit | 时长 Time |")
            out.append("|---|---|")
            for u in m.speakingTotals["units"]?.arrayValue ?? [] {
                out.append("| \(cell(u["unit"]?.stringValue ?? "")) | \(duration(Int(u["seconds"]?.intValue ?? 0))) |")
            }
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    /// The actions with owner and due date, as the minutes and the leadership report show them.
    static func actionsTable(_ actions: [MinutesEntry]) -> [String] {
        guard !actions.isEmpty else { return ["（无 None）"] }
        return ["| 事项 Action | 负责人 Owner | 完成时限 Due |", "|---|---|---|"]
            + actions.map { "| \(Doc.cell($0.text)) | \(Doc.cell($0.owner ?? "—")) | \($0.due ?? "—") |" }
    }

    static func number(_ d: Double) -> String {
        d.rounded() == d ? String(Int64(d)) : String(format: "%.2f", d).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}
