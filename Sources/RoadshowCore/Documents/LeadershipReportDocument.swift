import Foundation

/// 路演情况报告: the leadership report (`LeadershipReport`) as a `Document`,
/// in one language, with room for the leader's instruction (领导批示).
extension LeadershipReport {
    func title(_ lang: Document.Language) -> String {
        lang.pick("关于“\(m.info.title)”线上路演情况的报告", "Report on the online roadshow \u{201C}\(m.info.title)\u{201D}")
    }

    func document(language lang: Document.Language, timeZone: TimeZone) -> Document {
        let clock = LocalTime(timeZone: timeZone)
        let info = m.info
        let zh = lang == .zh
        func L(_ a: String, _ b: String) -> String { lang.pick(a, b) }
        let sep = zh ? "、" : "; "
        func fact(_ label: String, _ value: String) -> Document.Block {
            .paragraph([.init(label + (zh ? "：" : ": "), bold: true), .init(value)])
        }
        func none(_ zhText: String, _ enText: String) -> Document.Block { .paragraph([.init(L(zhText, enText))], indent: true) }
        var heads = SectionNumbers(lang)
        var blocks: [Document.Block] = []
        let day = CalendarDay(info.startsAt, in: timeZone)
        let today = CalendarDay(now, in: timeZone)

        // 一、基本情况, as the prose of an official report.
        blocks.append(.heading(heads.next(L("会议基本情况", "The meeting")), level: 1))
        var system = info.system.name
        if let room = info.system.room { system += L("，会议号 ", ", meeting number ") + room }
        let chair = m.roster.first { $0.role == .host }?.displayName
        var project = info.project.name + (zh ? "（" : " (") + lang.label(info.project.category)
        if let industry = info.project.industry { project += (zh ? "，" : ", ") + industry }
        if let inv = info.project.investment {
            project += L("，拟投资 \(MinutesExport.number(inv)) 亿元", ", planned investment CNY \(MinutesExport.number(inv * 100)) million")
        }
        project += zh ? "）" : ")"
        let when = zh ? "\(Doc.chineseDate(day)) \(clock.time(info.startsAt))（\(timeZone.identifier)）" : "\(day) at \(clock.time(info.startsAt)) (\(timeZone.identifier))"
        blocks.append(.paragraph([.init(zh
            ? "\(when)，\(info.ownerName)通过\(system)组织召开“\(info.title)”线上路演\(chair.map { "，由\($0)主持" } ?? "")，计划 \(info.durationMinutes) 分钟。\(info.company.name)推介了\(project)项目。"
            : "On \(when), \(info.ownerName) held the online roadshow \u{201C}\(info.title)\u{201D} in \(system)\(chair.map { ", chaired by \($0)" } ?? ""), planned for \(info.durationMinutes) minutes. \(info.company.name) presented the project \(project).")],
            indent: true))
        blocks.append(fact(L("出席", "Present"), present.isEmpty ? "—" : present.map(\.displayName).joined(separator: sep)))
        blocks.append(fact(L("缺席", "Absent"), absent.isEmpty ? L("无", "none") : absent.map(\.displayName).joined(separator: sep)))
        let early = leftEarly.map { p in
            p.displayName + (p.presence?.log.last { $0.status == .left }?.reason.map { zh ? "（\($0)）" : " (\($0))" } ?? "")
        }
        blocks.append(fact(L("提前离会", "Left early"), early.isEmpty ? L("无", "none") : early.joined(separator: sep)))

        func list(_ zhTitle: String, _ enTitle: String, _ items: [String]) {
            blocks.append(.heading(heads.next(L(zhTitle, enTitle)), level: 1))
            if items.isEmpty { blocks.append(none("（未记录）", "(Not recorded.)")) }
            for i in items { for line in MinutesExport.lines(i) { blocks.append(.paragraph([.init(line)], indent: true)) } }
        }
        list("企业投资合作意向", "Investment intent", texts(.intent))
        list("落地需求", "Landing needs", texts(.needs))
        list("发展前景", "Prospects", texts(.prospects))

        blocks.append(.heading(heads.next(L("议定事项", "Decisions and actions")), level: 1))
        let agreed = m.minutes.filter { $0.kind == .decision || $0.kind == .action }
        if agreed.isEmpty { blocks.append(none("（无）", "(None.)")) } else { blocks.append(.table(MinutesExport.decisionsTable(agreed, lang))) }

        blocks.append(.heading(heads.next(L("各参会单位评估意见", "The units' assessments")), level: 1))
        if m.followup.assessments.isEmpty {
            blocks.append(none("（尚未收到）", "(None received yet.)"))
        } else {
            let yes = L("是", "yes"), no = L("否", "no")
            blocks.append(.table(.init(
                header: [L("单位", "Unit"), L("是否可行", "Feasible"), L("承接意向", "Willing to host"), L("意见", "Comment")],
                rows: m.followup.assessments.map { [$0.unit, $0.feasible ? yes : no, $0.willingToHost ? yes : no, $0.comment] },
                widths: [26, 13, 13, 48])))
        }
        if !pendingUnits.isEmpty { blocks.append(fact(L("待反馈单位", "Not yet assessed"), pendingUnits.joined(separator: sep))) }

        blocks.append(.heading(heads.next(L("企业进一步意向", "The company's further intent")), level: 1))
        if let i = m.followup.intent {
            blocks.append(fact(L("进一步洽谈", "Further talks"), i.furtherTalks ? L("是", "yes") : L("否", "no")))
            blocks.append(fact(L("拟落户区县", "Intended district"), i.district ?? L("未定", "not decided")))
            blocks.append(fact(L("需对接单位", "Units needed"), i.unitsNeeded.map { $0.isEmpty ? nil : $0.joined(separator: sep) }.flatMap { $0 } ?? L("无", "none")))
            if let c = i.comment { blocks.append(fact(L("说明", "Comment"), c)) }
        } else {
            blocks.append(none("（尚未了解）", "(Not asked yet.)"))
        }

        blocks.append(.heading(heads.next(L("建议", "Recommendation")), level: 1))
        blocks.append(.paragraph([.init(recommendation)], indent: true))
        if let d = info.dispatch { blocks.append(.paragraph([.init(L("已转办，调度编号 \(d)。", "Dispatched as record \(d)."))], indent: true)) }

        blocks.append(.paragraph([.init(info.ownerName)], align: .right))
        blocks.append(.paragraph([.init(zh ? Doc.chineseDate(today) : today.description)], align: .right))
        blocks.append(.box(label: L("领导批示：", "Leader's instruction:"), lines: 8))

        return Document(
            language: lang, title: title(lang), subtitle: [info.ownerName], blocks: blocks,
            kind: L("路演情况报告", "Roadshow report"), basename: "\(info.title)-\(L("路演情况报告", "report"))-\(today)",
            created: now)
    }
}
