import Foundation

/// 每月信息专报: the monthly bulletin (`MonthlyReport`) as a `Document`, in one
/// language: the header (issue, issuing unit, date), the month's counts and
/// lists, and the distribution of mechanism 6 §7.
extension MonthlyReport {
    func document(stages: [DispatchStage: Int], inTalks: Int, language lang: Document.Language) -> Document {
        let zh = lang == .zh
        func L(_ a: String, _ b: String) -> String { lang.pick(a, b) }
        let today = policy.calendar.day(of: now)
        let monthText = String(month.description.prefix(7))
        var heads = SectionNumbers(lang)
        var blocks: [Document.Block] = [.rule]
        func none() -> Document.Block { .paragraph([.init(L("（无）", "(None.)"))], indent: true) }

        blocks.append(.heading(L("\(label)“双招双引”项目调度情况", "Investment projects dispatched, \(monthText)"), level: 1))
        let signed = reached(.signed).count, started = reached(.started).count
        let dispatched = records.filter { inMonth($0.createdAt) && $0.createdAt < cut }.count
        func n(_ s: DispatchStage) -> Int { stages[s] ?? 0 }
        blocks.append(.paragraph([.init(zh
            ? "截至\(label)底，平台调度项目 \(existing.count) 个，其中在谈 \(inTalks) 个（初步接洽 \(n(.initialContact)) 个、方案洽谈 \(n(.negotiating)) 个），"
                + "已签约 \(n(.signed)) 个，已开工 \(n(.started)) 个，暂搁置 \(n(.shelved)) 个，事项已对接 \(n(.matterConnected)) 个。"
                + "本月新增转办 \(dispatched) 个，新签约 \(signed) 个，新开工 \(started) 个；举办线上路演 \(roadshows.count) 场。"
            : "At the end of \(monthText) the platform follows \(existing.count) projects: \(inTalks) in talks (\(n(.initialContact)) at first contact, \(n(.negotiating)) negotiating), "
                + "\(n(.signed)) signed, \(n(.started)) started, \(n(.shelved)) shelved, \(n(.matterConnected)) matters connected. "
                + "This month \(dispatched) were dispatched, \(signed) signed and \(started) started; \(roadshows.count) online roadshows were held.")],
            indent: true))

        blocks.append(.heading(heads.next(L("项目阶段分布", "Projects by stage")), level: 1))
        blocks.append(.table(.init(
            header: [L("阶段", "Stage"), L("项目数", "Projects")],
            rows: DispatchStage.allCases.map { [lang.label($0), String(n($0))] }, widths: [70, 30])))

        blocks.append(.heading(heads.next(L("区县分布", "By district")), level: 1))
        if byDistrict.isEmpty { blocks.append(none()) } else {
            blocks.append(.table(.init(
                header: [L("区县", "District"), L("项目数", "Projects")],
                rows: byDistrict.map { [$0.0 == "未定" ? L("未定", "not decided") : $0.0, String($0.1)] }, widths: [70, 30])))
        }

        blocks.append(.heading(heads.next(L("本月线上路演", "Roadshows held")), level: 1))
        if roadshows.isEmpty { blocks.append(none()) } else {
            blocks.append(.table(.init(
                header: [L("日期", "Date"), L("路演", "Roadshow"), L("企业", "Company")],
                rows: roadshows.sorted { $0.info.startsAt < $1.info.startsAt }.map { [Doc.day($0.info.startsAt, zone), $0.info.title, $0.info.company.name] },
                widths: [18, 46, 36])))
        }

        blocks.append(.heading(heads.next(L("反馈逾期", "Feedback overdue")), level: 1))
        if overdue.isEmpty { blocks.append(none()) } else {
            blocks.append(.table(.init(
                header: [L("编号", "Record"), L("企业", "Company"), L("办理单位", "Handling unit"), L("截止", "Due"), L("逾期工作日", "Working days overdue")],
                rows: overdue.map { r, d in [r.id, r.company.name, r.handlingUnit.name, d.next ?? "—", String(d.workingDaysOverdue)] },
                widths: [14, 30, 26, 16, 14])))
        }

        blocks.append(.heading(heads.next(L("需协调解决的问题", "Problems needing coordination")), level: 1))
        if escalations.isEmpty { blocks.append(none()) } else {
            for (r, e) in escalations {
                blocks.append(.paragraph([.init(zh
                    ? "\(r.id) \(r.company.name)：\(e.from.zh)→\(e.to.zh)，\(e.problem)（应于 \(e.due) 前答复）"
                    : "\(r.id) \(r.company.name): \(e.from.en) → \(e.to.en), \(e.problem) (answer due by \(e.due))")], indent: true))
            }
        }

        blocks.append(.heading(heads.next(L("暂搁置项目", "Shelved")), level: 1))
        if shelved.isEmpty { blocks.append(none()) } else {
            for (r, reason, _) in shelved {
                blocks.append(.paragraph([.init(zh ? "\(r.id) \(r.company.name)“\(r.project.name)”：\(reason)" : "\(r.id) \(r.company.name), \u{201C}\(r.project.name)\u{201D}: \(reason)")], indent: true))
            }
        }

        blocks.append(.rule)
        let d = Self.distribution
        if zh {
            blocks.append(.paragraph([.init("送：", bold: true), .init(d.to + "。")]))
            blocks.append(.paragraph([.init("发：", bold: true), .init(d.send + "。")]))
            blocks.append(.paragraph([.init("抄送：", bold: true), .init(d.cc + "。")]))
        } else {
            let e = Self.distributionEnglish
            blocks.append(.paragraph([.init("To: ", bold: true), .init(e.to + ".")]))
            blocks.append(.paragraph([.init("Sent to: ", bold: true), .init(e.send + ".")]))
            blocks.append(.paragraph([.init("Copy: ", bold: true), .init(e.cc + ".")]))
        }

        return Document(
            language: lang, title: L("每月信息专报", "Monthly bulletin"),
            subtitle: [L("第 \(issue) 期", "No. \(issue)"), "\(issuer)　\(zh ? Doc.chineseDate(today) : today.description)"],
            blocks: blocks, kind: L("每月信息专报", "Monthly bulletin"),
            basename: "\(L("每月信息专报", "monthly-bulletin"))-\(monthText)-\(L("第\(issue)期", "no\(issue)"))", created: now)
    }

    static let distributionEnglish = (
        to: "The leaders and deputy leaders of the city's investment-promotion leading group and emerging-industries group; the offices of the city's Party committee and government",
        send: "The district and county governments, the member units of the city's leading group and industries group, and the city government's units concerned",
        cc: "The provincial emerging-industries cluster working group")
}
