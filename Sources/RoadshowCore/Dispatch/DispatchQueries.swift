import Foundation

/// The read ops of the follow-up and the dispatch records.
public enum DispatchQueries {
    static func recordArg(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> DispatchRecord {
        let id = try args.id("record", prefix: "D-", what: Operations.recordWhat)
        guard let r = world.record(id) else {
            if actor.kind == .participant { throw RecordAccess.notVisible(actor, id) }
            throw .notFound("there is no dispatch record \(id); see dispatch.list", zh: "找不到转办件 \(id)，请在转办台账中核对。", field: "args.record")
        }
        try RecordAccess.requireView(actor, r)
        return r
    }

    /// The records this actor may see: the admin all, an organizer its own, a unit its assigned.
    public static func visibleRecords(_ actor: Actor, in world: any QueryWorld) -> [DispatchRecord] {
        var out: [DispatchRecord] = []
        world.forEachRecord { if RecordAccess.canView(actor, $0) { out.append($0) } }
        return out
    }

    @Sendable static func get(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["record"])
        let r = try recordArg(args, actor, world)
        let due = r.due(now: world.now, policy: world.policy)
        return [
            "record": r.full(now: world.now, policy: world.policy), "seq": .int(world.seq(of: r.id)),
            "serverTime": .string(Timestamp.format(world.now)), "calendar": calendar(world, estimated: due.estimated),
        ]
    }

    static func calendar(_ world: any QueryWorld, estimated: Bool) -> JSON {
        let today = world.policy.calendar.day(of: world.now)
        // The years a due date may touch: this one and the next.
        let years = estimated ? world.policy.calendar.yearsWithoutData(from: today, to: today.adding(days: 370)) : []
        return world.policy.calendarState(years: years)
    }

    /// The filters of `dispatch.list` and `export.dispatch`.
    struct Filters {
        static let keys: Set<String> = ["stage", "overdue", "unit", "category", "district", "status", "q"]
        var stage: DispatchStage?
        var overdue: Bool?
        var unit: String?
        var category: ProjectCategory?
        var district: String?
        var status: DispatchRecord.Status?
        var q: String?

        init(_ args: Args) throws(RoadshowError) {
            stage = try args.optionalEnum("stage", DispatchStage.self)
            overdue = try args.optionalBool("overdue")
            unit = try args.optionalId("unit", prefix: "A-", what: "a handling unit's account id")
            category = try args.optionalEnum("category", ProjectCategory.self)
            district = try args.optionalString("district", maxLength: 60, what: "a district")
            status = try args.optionalEnum("status", DispatchRecord.Status.self)
            q = try args.optionalString("q", maxLength: 100, what: "text to find in the company's or project's name")?.lowercased()
        }

        func keeps(_ r: DispatchRecord, _ due: Due) -> Bool {
            if let stage, r.stage != stage { return false }
            if let overdue, (due.status == .overdue) != overdue { return false }
            if let unit, r.handlingUnit.id != unit { return false }
            if let category, r.category != category { return false }
            if let district, r.district != district { return false }
            if let status, r.status != status { return false }
            if let q, ![r.company.name, r.project.name, r.id].contains(where: { $0.lowercased().contains(q) }) { return false }
            return true
        }
    }

    /// The records `dispatch.list` answers, what is due first.
    static func listed(_ args: Args, _ actor: Actor, _ world: any QueryWorld, also: Set<String> = []) throws(RoadshowError) -> [(DispatchRecord, Due)] {
        guard actor.kind != .participant else {
            throw .forbidden("a participant's invite link opens its meeting only, not dispatch records", zh: "个人邀请链接只能打开所属会议，不能查看转办件。")
        }
        try args.rejectUnknown(Filters.keys.union(also))
        let filters = try Filters(args)
        let now = world.now
        let rows = visibleRecords(actor, in: world).map { ($0, $0.due(now: now, policy: world.policy)) }.filter { filters.keeps($0.0, $0.1) }
        func rank(_ d: Due) -> Int { d.status == .overdue ? 0 : d.status == .closed ? 2 : 1 }
        return rows.sorted { a, b in
            if rank(a.1) != rank(b.1) { return rank(a.1) < rank(b.1) }
            if a.1.status == .overdue, a.1.daysOverdue != b.1.daysOverdue { return a.1.daysOverdue > b.1.daysOverdue }
            if let x = a.1.next, let y = b.1.next, x != y { return x < y }
            if a.0.updatedAt != b.0.updatedAt { return a.0.updatedAt > b.0.updatedAt }
            return a.0.id < b.0.id
        }
    }

    @Sendable static func list(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        let rows = try listed(args, actor, world, also: Paging.keys)
        let paging = try Paging(args)
        var byStage: [String: JSON] = [:]
        for s in DispatchStage.allCases { byStage[s.rawValue] = .int(0) }
        for (r, _) in rows { byStage[r.stage.rawValue] = .int((byStage[r.stage.rawValue]?.intValue ?? 0) + 1) }
        let counts: JSON = [
            "total": .int(Int64(rows.count)),
            "open": .int(Int64(rows.filter { $0.0.status == .open }.count)),
            "closed": .int(Int64(rows.filter { $0.0.status == .closed }.count)),
            "overdue": .int(Int64(rows.filter { $0.1.status == .overdue }.count)),
            "dueSoon": .int(Int64(rows.filter { $0.1.status == .dueSoon }.count)),
            "byStage": .object(byStage),
        ]
        var result: [String: JSON] = [
            "counts": counts, "serverTime": .string(Timestamp.format(world.now)),
            "calendar": calendar(world, estimated: rows.contains { $0.1.estimated }),
        ]
        // The counts are of every row; the rows, a page of them.
        result["records"] = .array(paging.page(rows, into: &result).map { $0.0.row(due: $0.1) })
        return .object(result)
    }

    @Sendable static func export(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        let rows = try listed(args, actor, world)
        let text = DispatchCSV.text(rows, timeZone: world.timeZone)
        let day = world.policy.calendar.day(of: world.now)
        return ["text": .string(text), "format": "text/csv", "filename": .string("dispatch-\(day).csv"), "rows": .int(Int64(rows.count))]
    }

    @Sendable static func remind(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["record"])
        let r = try recordArg(args, actor, world)
        guard RecordAccess.canOwn(actor, r) else {
            throw .forbidden("only the organizer that owns \(r.id) issues reminder notices", zh: "只有负责 \(r.id) 的组织方可以出具催办单。")
        }
        let due = r.due(now: world.now, policy: world.policy)
        guard due.status == .overdue else {
            if due.status == .closed { throw .conflict("\(r.id) is closed; there is nothing to remind of", zh: "该转办件已办结，无需催办。") }
            throw .conflict("\(r.id) is not overdue: \(due.kind == .escalation ? "the escalation's answer" : "feedback") is due by \(due.next ?? "?")", zh: "该转办件尚未逾期：\(due.kind == .escalation ? "提级协调答复" : "进展反馈")应于 \(due.next ?? "?") 前完成。")
        }
        let issuer = world.policy.issuer ?? r.ownerName
        let notice = ReminderNotice(record: r, due: due, now: world.now, issuer: issuer, policy: world.policy)
        return ["markdown": .string(notice.markdown(timeZone: world.timeZone)), "filename": .string("\(r.id)-reminder.md"), "notice": notice.json]
    }

    @Sendable static func followupReport(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(Set(["meeting"]).union(DocumentRequest.keys))
        let request = try DocumentRequest(args)
        let m = try Queries.meetingArg(args, actor, world)
        guard Permissions.canWriteMinutes(actor, m) else {
            throw .forbidden("the leadership report is for the organizer, the host and the recorder", zh: "路演情况报告只供组织方、主持人和记录人查看。")
        }
        guard m.info.phase == .ended || m.info.phase == .dispatched || m.info.phase == .closed else {
            throw .conflict("the leadership report is written after the meeting; \(m.id) is in \(m.info.phase.rawValue) (\(m.info.phase.zh))", zh: "路演情况报告在会后撰写；会议现在处于“\(m.info.phase.zh)”阶段。")
        }
        let report = LeadershipReport(m, now: world.now)
        let doc = report.document(language: request.language, timeZone: world.timeZone)
        if let docx = try request.docxResult(doc, in: world) { return docx }
        return [
            "markdown": .string(DocumentMarkdown.render(doc)), "filename": .string(doc.basename + ".md"),
            "report": report.json(timeZone: world.timeZone, language: request.language), "lang": .string(request.language.rawValue),
            "document": doc.json,
        ]
    }

    @Sendable static func monthly(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        guard actor.kind == .admin || actor.kind == .organizer else {
            throw .forbidden("the monthly bulletin is compiled by the organizers (市领导组办公室)", zh: "月度通报由组织方（市领导组办公室）编制。")
        }
        try args.rejectUnknown(Set(["month", "issue", "issuer"]).union(DocumentRequest.keys))
        let request = try DocumentRequest(args)
        let text = try args.string("month", maxLength: 7, what: "a month as YYYY-MM, e.g. 2026-11")
        guard text.count == 7, let first = CalendarDay(text + "-01") else {
            throw .badRequest("args.month must be a month as YYYY-MM, e.g. 2026-11", zh: "月份格式应为 年-月，如 2026-11。", field: "args.month")
        }
        let today = world.policy.calendar.day(of: world.now)
        guard first <= today else { throw .badRequest("\(text) has not begun", zh: "\(text) 还没有开始。", field: "args.month") }
        let issue = try args.optionalInt("issue", in: 1...999, what: "the issue number (第 N 期)").map(Int.init) ?? first.month
        let account = world.accounts?.account(actor.id)?.name ?? actor.name
        let issuer = try args.optionalString("issuer", maxLength: 100, what: "the issuing unit") ?? world.policy.issuer ?? account
        var meetings: [Meeting] = []
        world.forEachMeeting { if Permissions.canView(actor, $0) { meetings.append($0) } }
        let report = MonthlyReport(
            month: first, records: visibleRecords(actor, in: world), meetings: meetings, now: world.now,
            policy: world.policy, issue: issue, issuer: issuer)
        if let docx = try request.docxResult(report.document(language: request.language), in: world) { return docx }
        return report.json(language: request.language)
    }
}
