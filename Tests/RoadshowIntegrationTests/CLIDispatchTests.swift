import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// The `roadshow` binary after the meeting, against a real server: the units'
/// assessments (by the organizer and by a unit's own invite token), the
/// company's intent, the report to leadership, the dispatch record fed by its
/// handling unit (a refused boilerplate feedback, then a real one), escalation
/// and answer, the filtered list, the CSV export read back with Python's csv
/// module, shelving and reopening, and the monthly bulletin.
@Suite(.serialized)
struct CLIDispatchTests {
    static let shanghai = LocalTime(identifier: "Asia/Shanghai")!
    /// A company name a spreadsheet would run as a formula if it were not escaped.
    static let company = "=1+1新能源科技有限公司"
    static let phone = "+86 138 0559 1234"

    @Test func afterTheMeetingWalkthrough() async throws {
        let server = try ClientTestServer()
        let admin = CLISession(server: server, token: ClientTestServer.adminToken)
        let org = try await admin.run(["account", "create", "--name", "黄山市投资促进局", "--kind", "organizer", "--json"])
        #expect(org.status == 0, "\(org.stderr)")
        let cli = CLISession(server: server, token: try #require(org.json?["token"]?.stringValue))
        let unitAccount = try await admin.run(["account", "create", "--name", "黄山高新区管委会", "--kind", "unit", "--json"])
        #expect(unitAccount.status == 0, "\(unitAccount.stderr)")
        let unitId = try #require(unitAccount.json?["account"]?["id"]?.stringValue)
        let unitToken = try #require(unitAccount.json?["token"]?.stringValue)

        // A meeting that starts now, so that it counts in this month's bulletin.
        let now = Date()
        let month = String(Self.shanghai.format(now).prefix(7))
        let created = try await cli.run([
            "meeting", "create", "--title", "储能电池项目线上路演", "--company", Self.company, "--company-contact", "李四",
            "--project", "储能电池生产基地", "--category", "industrial", "--investment", "12.5",
            "--starts-at", Self.shanghai.format(now), "--duration", "90", "--system", "腾讯会议", "--json",
        ])
        #expect(created.status == 0, "\(created.stderr)")
        let meeting = try #require(created.json?["meeting"]?["id"]?.stringValue)
        let wang = try await cli.add(meeting, name: "王芳", unit: "黄山高新区", role: "unit")
        _ = try await cli.add(meeting, name: "李强", unit: "经开区管委会", role: "unit")
        let company = try await cli.add(meeting, name: "王经理", unit: Self.company, role: "company")
        for phase in ["rehearsal", "live"] {
            let advanced = try await cli.run(["meeting", "advance", meeting, "--to", phase, "--force", "--reason", "演练用"])
            #expect(advanced.status == 0, "\(advanced.stderr)")
        }
        for (kind, text) in [("intent", "企业拟投资12.5亿元建设储能电池生产基地"), ("next_contact", "12月10日前赴企业实地考察")] {
            let added = try await cli.run(["minutes", "add", meeting, "--kind", kind, text])
            #expect(added.status == 0, "\(added.stderr)")
        }

        // The follow-up waits for the end of the meeting, and says so.
        let early = try await cli.run(Self.assess(meeting, unit: "经开区管委会", feasible: "no", willing: "no", comment: "本区无匹配用地"))
        #expect(early.status == 1)
        #expect(early.stderr.hasPrefix("error: conflict: "))
        #expect(early.stderr.contains("hint: ") && early.stderr.contains("roadshow meeting advance \(meeting) --to ended"))

        let ended = try await cli.run(["meeting", "advance", meeting, "--to", "ended"])
        #expect(ended.status == 0, "\(ended.stderr)")

        // Assessments: the organizer for one unit, the other unit with its own invite token.
        let byOrganizer = try await cli.run(
            Self.assess(meeting, unit: "经开区管委会", feasible: "no", willing: "no", comment: "本区无匹配的工业用地指标"))
        #expect(byOrganizer.status == 0, "\(byOrganizer.stderr)")
        #expect(byOrganizer.stdout.hasPrefix("Assessed for 经开区管委会: feasible no 不可行, willing to host no 无承接意向"))
        #expect(byOrganizer.stdout.contains("Still to assess 待评估: 黄山高新区"))
        let notItsUnit = try await cli.run(
            Self.assess(meeting, unit: "经开区管委会", feasible: "yes", willing: "yes", comment: "代为填写"), token: wang.token)
        #expect(notItsUnit.status == 1)
        #expect(notItsUnit.stderr.hasPrefix("error: forbidden: "))
        let byCompany = try await cli.run(
            Self.assess(meeting, unit: "黄山高新区", feasible: "yes", willing: "yes", comment: "企业代填"), token: company.token)
        #expect(byCompany.status == 1)
        #expect(byCompany.stderr.hasPrefix("error: forbidden: "))
        let byUnit = try await cli.run(
            Self.assess(meeting, unit: "黄山高新区", feasible: "yes", willing: "yes", comment: "园区有约200亩工业用地，可满足项目需求", json: true),
            token: wang.token)
        #expect(byUnit.status == 0, "\(byUnit.stderr)")
        #expect(byUnit.json?["assessment"]?["unit"] == "黄山高新区")
        #expect(byUnit.json?["assessment"]?["willingToHost"] == true)
        #expect(byUnit.json?["assessment"]?["by"] == .string(wang.id))
        let badYesNo = try await cli.run(Self.assess(meeting, unit: "黄山高新区", feasible: "maybe", willing: "yes", comment: "x"))
        #expect(badYesNo.status != 0 && badYesNo.status != 1)
        #expect(badYesNo.stderr.contains("--feasible"))

        let intent = try await cli.run([
            "followup", "intent", "--meeting", meeting, "--further-talks", "yes", "--district", "黄山高新区",
            "--unit-needed", "市自然资源和规划局", "--unit-needed", "国网黄山供电公司", "--comment", "企业希望12月中旬前实地考察",
        ])
        #expect(intent.status == 0, "\(intent.stderr)")
        #expect(intent.stdout.hasPrefix("Recorded the company's intent for \(meeting)"))
        #expect(intent.stdout.contains("further talks 进一步洽谈  yes 有进一步洽谈意向"))
        #expect(intent.stdout.contains("市自然资源和规划局, 国网黄山供电公司"))

        let shown = try await cli.run(["followup", "show", "--meeting", meeting])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("Units' assessments (2 of 2)"))
        let yesRow = try #require(shown.lines.first { $0.contains("黄山高新区") && $0.contains("yes 可行") })
        #expect(yesRow.contains("yes 有承接意向") && yesRow.contains("园区有约200亩工业用地"))
        #expect(!shown.stdout.contains("still to assess"))
        let hidden = try await cli.run(["followup", "show", "--meeting", meeting], token: company.token)
        #expect(hidden.status == 0, "\(hidden.stderr)")
        #expect(hidden.stdout.contains("belongs to the government side") && !hidden.stdout.contains("园区有约200亩"))
        let followupJSON = try await cli.run(["followup", "show", "--meeting", meeting, "--json"])
        #expect(followupJSON.json?["followup"]?["intent"]?["district"] == "黄山高新区")
        #expect(followupJSON.json?["followup"]?["assessments"]?.arrayValue?.count == 2)
        // Both assessments and the intent tick their follow-up items.
        let ticked = (followupJSON.json?["checklist"]?.arrayValue ?? []).filter { $0["done"] == true }.compactMap { $0["key"]?.stringValue }
        #expect(Set(ticked).isSuperset(of: ["unit_assessments", "company_intent"]))

        // The report to leadership, written to a file and the same as the printed one.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-dispatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let reportFile = dir.appendingPathComponent("路演情况汇报.md").path
        let written = try await cli.run(["followup", "report", "--meeting", meeting, "--out", reportFile])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.hasPrefix("Wrote the report to leadership on \(meeting) to \(reportFile)"))
        let report = try String(contentsOfFile: reportFile, encoding: .utf8)
        let printed = try await cli.run(["followup", "report", "--meeting", meeting])
        #expect(printed.stdout == (report.hasSuffix("\n") ? report : report + "\n"))
        for text in ["储能电池项目线上路演", "园区有约200亩工业用地，可满足项目需求", "本区无匹配的工业用地指标", "黄山高新区", "批示"] {
            #expect(report.contains(text), "the report lacks \(text)")
        }
        let reportJSON = try await cli.run(["followup", "report", "--meeting", meeting, "--json"])
        #expect(reportJSON.json?["markdown"]?.stringValue == report)
        let reportName = reportJSON.json?["filename"]?.stringValue ?? ""
        #expect(reportName.hasPrefix("储能电池项目线上路演-路演情况报告-") && reportName.hasSuffix(".md") && !reportName.contains(meeting))
        #expect(reportJSON.json?["report"]?["assessments"]?.arrayValue?.count == 2)

        // Dispatch to the unit account.
        let noCommissioner = try await cli.run([
            "dispatch", "create", "--meeting", meeting, "--handling-unit", unitId, "--stage", "initial_contact",
            "--commissioner-name", "张伟",
        ])
        #expect(noCommissioner.status != 0 && noCommissioner.status != 1)
        #expect(noCommissioner.stderr.contains("--commissioner-unit") && noCommissioner.stderr.contains("--commissioner-phone"))
        let dispatched = try await cli.run([
            "dispatch", "create", "--meeting", meeting, "--handling-unit", unitId, "--stage", "initial_contact",
            "--commissioner-name", "张伟", "--commissioner-unit", "黄山高新区管委会", "--commissioner-title", "招商科科长",
            "--commissioner-phone", Self.phone, "--json",
        ])
        #expect(dispatched.status == 0, "\(dispatched.stderr)")
        let record = try #require(dispatched.json?["record"]?["id"]?.stringValue)
        #expect(record.hasPrefix("D-"))
        #expect(dispatched.json?["record"]?["district"] == "黄山高新区")
        #expect(dispatched.json?["record"]?["handlingUnit"]?["id"] == .string(unitId))
        #expect(dispatched.json?["record"]?["assessments"]?.arrayValue?.count == 2)
        let phase = try await cli.run(["meeting", "show", meeting, "--json"])
        #expect(phase.json?["snapshot"]?["phase"] == "dispatched")
        let lateAssess = try await cli.run(Self.assess(meeting, unit: "黄山高新区", feasible: "yes", willing: "yes", comment: "补充意见"))
        #expect(lateAssess.status == 1)
        #expect(lateAssess.stderr.hasPrefix("error: conflict: ") && lateAssess.stderr.contains("dispatch list"))

        // The unit's boilerplate is refused, with the reason; nothing is stored.
        let boilerplate = try await cli.run(
            ["dispatch", "feedback", "--record", record, "--stage", "initial_contact", "--text", "正在对接中"], token: unitToken)
        #expect(boilerplate.status == 1)
        #expect(boilerplate.stdout.isEmpty)
        #expect(boilerplate.stderr.hasPrefix("error: rejected_feedback: "))
        #expect(boilerplate.stderr.contains("reason 原因: boilerplate 只有套话"))
        #expect(boilerplate.stderr.contains("Nothing was stored"))
        #expect(boilerplate.stderr.contains("hint: "))

        // A real one: only text and stage; the commissioner is the record's.
        let progress = "11月20日企业来园区考察选址，已提供两块备选地块的规划条件，企业12月5日前反馈选址意见"
        let feedback = try await cli.run(
            ["dispatch", "feedback", "--record", record, "--stage", "negotiating", "--text", progress], token: unitToken)
        #expect(feedback.status == 0, "\(feedback.stderr)")
        #expect(feedback.stdout.hasPrefix("Posted F-1 on \(record): stage negotiating 方案洽谈, commissioner 张伟 (黄山高新区管委会 招商科科长, \(Self.phone))"))
        #expect(feedback.stdout.contains("Next due 下次截止: "))
        let copy = try await cli.run(
            ["dispatch", "feedback", "--record", record, "--stage", "negotiating", "--text", progress + "。"], token: unitToken)
        #expect(copy.status == 1)
        #expect(copy.stderr.contains("reason 原因: copy"))
        let got = try await cli.run(["dispatch", "show", "--record", record, "--json"], token: unitToken)
        #expect(got.status == 0, "\(got.stderr)")
        let afterFeedback = try #require(got.json?["record"])
        #expect(afterFeedback["stage"] == "negotiating")
        #expect(afterFeedback["feedback"]?.arrayValue?.count == 1)
        #expect(afterFeedback["feedback"]?.arrayValue?.first?["commissioner"] == afterFeedback["commissioner"])
        #expect(afterFeedback["commissioner"]?["phone"] == .string(Self.phone))

        // Escalated by the unit, answered by the organizer (not by the unit).
        let escalated = try await cli.run(
            [
                "dispatch", "escalate", "--record", record, "--to", "city", "--reason", "项目用地涉及基本农田调整，区级无审批权限",
                "--problem", "请市自然资源和规划局协调用地指标",
            ], token: unitToken)
        #expect(escalated.status == 0, "\(escalated.stderr)")
        #expect(escalated.stdout.hasPrefix("Escalated \(record) from county 区县 to city 市 as E-1: answer due by "))
        let county = try await cli.run(["dispatch", "escalate", "--record", record, "--to", "county", "--reason", "x"], token: unitToken)
        #expect(county.status != 0 && county.status != 1)
        let unitAnswers = try await cli.run(
            ["dispatch", "answer", "--record", record, "--escalation", "E-1", "--text", "自行答复"], token: unitToken)
        #expect(unitAnswers.status == 1)
        #expect(unitAnswers.stderr.hasPrefix("error: forbidden: ") && unitAnswers.stderr.contains("hint: "))
        let answered = try await cli.run(
            ["dispatch", "answer", "--record", record, "--escalation", "E-1", "--text", "市自然资源和规划局已同意调整，12月底前完成用地预审"])
        #expect(answered.status == 0, "\(answered.stderr)")
        #expect(answered.stdout.hasPrefix("Answered E-1 on \(record)"))

        // The list, with filters.
        let list = try await cli.run(["dispatch", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        let header = try #require(list.lines.first { $0.hasPrefix("ID ") })
        #expect(header.contains("Stage 阶段") && header.contains("Handling unit 办理单位") && header.contains("Next due 下次截止"))
        let row = try #require(list.lines.first { $0.hasPrefix(record) })
        #expect(row.contains("negotiating 方案洽谈") && row.contains("黄山高新区管委会") && row.contains("open 办理中"))
        #expect(CLIWalkthroughTests.column(of: "Stage 阶段", in: header) == CLIWalkthroughTests.column(of: "negotiating", in: row))
        #expect(list.stdout.contains("1 record(s) 共1条: open 办理中 1, closed 已办结 0, overdue 已逾期 0"))
        let negotiatingCount = try #require(list.lines.first { $0.hasPrefix("negotiating 方案洽谈") })
        #expect(negotiatingCount.hasSuffix(" 1"))
        #expect(list.lines.first { $0.hasPrefix("signed 已签约") }?.hasSuffix(" 0") == true)
        for (filters, count) in [
            (["--stage", "negotiating"], 1), (["--stage", "signed"], 0), (["--status", "open"], 1), (["--status", "closed"], 0),
            (["--not-overdue"], 1), (["--overdue"], 0), (["--unit", unitId], 1), (["--district", "黄山高新区"], 1),
            (["--district", "屯溪区"], 0), (["--search", "储能"], 1), (["--search", "光伏"], 0), (["--category", "non_industrial"], 0),
        ] {
            let filtered = try await cli.run(["dispatch", "list", "--json"] + filters)
            #expect(filtered.status == 0, "\(filtered.stderr)")
            #expect(filtered.json?["records"]?.arrayValue?.count == count, "dispatch list \(filters.joined(separator: " "))")
            #expect(filtered.json?["counts"]?["total"]?.intValue == Int64(count))
        }
        let none = try await cli.run(["dispatch", "list", "--stage", "signed"])
        #expect(none.stdout.hasPrefix("No dispatch records match these filters."))
        let both = try await cli.run(["dispatch", "list", "--overdue", "--not-overdue"])
        #expect(both.status != 0 && both.status != 1)
        #expect(both.stderr.contains("--overdue and --not-overdue"))
        let unitList = try await cli.run(["dispatch", "list", "--json"], token: unitToken)
        #expect(unitList.json?["records"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [record])

        // The export: the server's bytes, read back by a real CSV parser.
        let csvFile = dir.appendingPathComponent("项目调度台账.csv").path
        let exported = try await cli.run(["dispatch", "export", "--status", "open", "--out", csvFile])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.hasPrefix("Wrote 1 record(s) to \(csvFile)"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: csvFile))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let exportJSON = try await cli.run(["dispatch", "export", "--status", "open", "--json"])
        #expect(exportJSON.json?["text"]?.stringValue.map { Data($0.utf8) } == bytes)
        let toStdout = try await cli.run(["dispatch", "export", "--status", "open"])
        #expect(Data(toStdout.stdout.utf8) == bytes)
        let csv = try Self.readCSV(csvFile)
        #expect(csv["bom"] == true)
        #expect(csv["crlf"] == true)
        let columns = (csv["header"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(columns == [
            "编号", "企业", "项目", "类别", "阶段", "状态", "办理单位", "专员", "专员职务", "专员电话", "区县", "下次反馈截止", "逾期天数",
            "逾期工作日", "未答复提级", "最新反馈时间", "最新反馈", "来源会议",
        ])
        let rows = csv["rows"]?.arrayValue ?? []
        #expect(rows.count == 1)
        let cells = Dictionary(uniqueKeysWithValues: zip(columns, (rows.first?.arrayValue ?? []).compactMap(\.stringValue)))
        #expect(cells["编号"] == record)
        #expect(cells["企业"] == "'" + Self.company)
        #expect(cells["专员电话"] == "'" + Self.phone)
        #expect(cells["项目"] == "储能电池生产基地")
        #expect(cells["办理单位"] == "黄山高新区管委会")
        #expect(cells["专员"] == "张伟")
        #expect(cells["区县"] == "黄山高新区")
        #expect(cells["最新反馈"] == progress)
        #expect(cells["阶段"]?.contains("方案洽谈") == true)
        #expect(cells["未答复提级"] == "0")

        // The record with its timeline, in the server's zone (Asia/Shanghai).
        let show = try await cli.run(["dispatch", "show", "--record", record])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("Timeline 办理经过 (Asia/Shanghai)"))
        #expect(show.stdout.contains("level 层级") && show.stdout.contains("city 市"))
        let createdAt = try #require(afterFeedback["createdAt"]?.stringValue)
        let createdLine = try #require(show.lines.firstIndex { $0.contains("created 转办") })
        #expect(show.lines[createdLine].contains(Self.shanghai.format(wire: createdAt)))
        let feedbackLine = try #require(show.lines.firstIndex { $0.contains("feedback F-1 反馈") })
        let escalatedLine = try #require(show.lines.firstIndex { $0.contains("escalated E-1 提级 county 区县 → city 市") })
        let answeredLine = try #require(show.lines.firstIndex { $0.contains("answered E-1 答复") })
        #expect(createdLine < feedbackLine && feedbackLine < escalatedLine && escalatedLine < answeredLine)
        #expect(show.lines[feedbackLine + 1].contains(progress))
        #expect(show.lines[answeredLine + 1].contains("市自然资源和规划局已同意调整"))

        // Shelved with a reason, then reopened to the stage it had.
        let noReason = try await cli.run(["dispatch", "close", "--record", record, "--outcome", "shelved"])
        #expect(noReason.status != 0 && noReason.status != 1)
        #expect(noReason.stderr.contains("--reason"))
        let shelved = try await cli.run(["dispatch", "close", "--record", record, "--outcome", "shelved", "--reason", "企业因融资未到位暂缓投资"])
        #expect(shelved.status == 0, "\(shelved.stderr)")
        #expect(shelved.stdout.hasPrefix("Closed \(record) as shelved 暂搁置: 企业因融资未到位暂缓投资"))
        let closedFeedback = try await cli.run(
            ["dispatch", "feedback", "--record", record, "--stage", "negotiating", "--text", "12月2日企业来函，融资方案仍在审批，暂无新进展安排"],
            token: unitToken)
        #expect(closedFeedback.status == 1)
        #expect(closedFeedback.stderr.hasPrefix("error: conflict: ") && closedFeedback.stderr.contains("roadshow dispatch reopen --record \(record)"))
        let closedList = try await cli.run(["dispatch", "list", "--status", "closed", "--json"])
        #expect(closedList.json?["records"]?.arrayValue?.first?["closure"]?["reason"] == "企业因融资未到位暂缓投资")
        let reopened = try await cli.run(["dispatch", "reopen", "--record", record, "--reason", "企业融资到位，重新启动选址"])
        #expect(reopened.status == 0, "\(reopened.stderr)")
        #expect(reopened.stdout.hasPrefix("Reopened \(record): stage negotiating 方案洽谈, open 办理中"))
        let history = try await cli.run(["dispatch", "show", "--record", record])
        let reopenedLine = try #require(history.lines.firstIndex { $0.contains("reopened 重新打开") })
        #expect(history.lines[reopenedLine + 1].contains("企业融资到位，重新启动选址"))
        #expect(reopenedLine > answeredLine)

        // Not overdue: no reminder notice, and the command says why.
        let remind = try await cli.run(["dispatch", "remind", "--record", record])
        #expect(remind.status == 1)
        #expect(remind.stderr.hasPrefix("error: conflict: ") && remind.stderr.contains("dispatch show --record \(record)"))

        // The monthly bulletin for this month.
        let monthly = try await cli.run(["report", "monthly", "--month", month, "--issue", "12", "--json"])
        #expect(monthly.status == 0, "\(monthly.stderr)")
        let counts = try #require(monthly.json?["counts"])
        #expect(counts["dispatched"] == 1)
        #expect(counts["roadshowsHeld"] == 1)
        #expect(counts["byStage"]?["negotiating"] == 1)
        #expect(counts["inTalks"] == 1)
        #expect(counts["byDistrict"]?["黄山高新区"] == 1)
        #expect(counts["shelved"] == 1)
        #expect(counts["openEscalations"] == 0)
        #expect(counts["newlySigned"] == 0)
        #expect(counts["newlyStarted"] == 0)
        #expect(counts["feedbackOverdue"] == 0)
        #expect(monthly.json?["shelved"]?.arrayValue?.first?["reason"] == "企业因融资未到位暂缓投资")
        #expect(monthly.json?["issue"] == 12)
        #expect(monthly.json?["issuer"] == "黄山市投资促进局")
        let bulletinFile = dir.appendingPathComponent("每月信息专报.md").path
        let bulletin = try await cli.run(["report", "monthly", "--month", month, "--out", bulletinFile])
        #expect(bulletin.status == 0, "\(bulletin.stderr)")
        #expect(bulletin.stdout.hasPrefix("Wrote the monthly bulletin for \(month)"))
        #expect(bulletin.lines.first { $0.hasPrefix("dispatched 本月转办") }?.hasSuffix(" 1") == true)
        let markdown = try String(contentsOfFile: bulletinFile, encoding: .utf8)
        #expect(markdown.contains("每月信息专报") && markdown.contains("抄送"))
        let future = try await cli.run(["report", "monthly", "--month", "2099-01"])
        #expect(future.status == 1)
        #expect(future.stderr.hasPrefix("error: bad_request: "))
        let badMonth = try await cli.run(["report", "monthly", "--month", "2026-13"])
        #expect(badMonth.status != 0 && badMonth.status != 1)
        let unitReport = try await cli.run(["report", "monthly", "--month", month], token: unitToken)
        #expect(unitReport.status == 1)
        #expect(unitReport.stderr.hasPrefix("error: forbidden: "))
    }

    /// A record whose feedback is late, on a server whose clock the test sets:
    /// flagged in the list, its reminder notice, the bulletin's overdue count.
    @Test func overdueRecords() async throws {
        // Monday 2026-11-02 10:00 in Shanghai; the feedback is due a calendar month later, 2026-12-02.
        let clock = TestClock("2026-11-02T02:00:00.000Z")
        let server = try TestServer { $0.clock = { clock.now } }
        let admin = ServerCLI(url: server.url, token: TestServer.adminToken)
        let org = try await admin.run(["account", "create", "--name", "黄山市投资促进局", "--kind", "organizer", "--json"])
        let cli = ServerCLI(url: server.url, token: try #require(org.json?["token"]?.stringValue))
        let unitAccount = try await admin.run(["account", "create", "--name", "屯溪区商务局", "--kind", "unit", "--json"])
        let unitId = try #require(unitAccount.json?["account"]?["id"]?.stringValue)
        let created = try await cli.run([
            "meeting", "create", "--title", "跨境电商项目线上路演", "--company", "徽州电商有限公司", "--project", "跨境电商产业园",
            "--category", "industrial", "--starts-at", "2026-11-02 09:00", "--duration", "60", "--system", "Zoom", "--json",
        ])
        let meeting = try #require(created.json?["meeting"]?["id"]?.stringValue)
        for phase in ["rehearsal", "live", "ended"] {
            let advanced = try await cli.run(["meeting", "advance", meeting, "--to", phase, "--force", "--reason", "演练用"])
            #expect(advanced.status == 0, "\(advanced.stderr)")
        }
        let dispatched = try await cli.run([
            "dispatch", "create", "--meeting", meeting, "--handling-unit", unitId, "--stage", "initial_contact", "--district", "屯溪区",
            "--commissioner-name", "李娜", "--commissioner-unit", "屯溪区商务局", "--commissioner-title", "副局长",
            "--commissioner-phone", "0559-2345678", "--json",
        ])
        #expect(dispatched.status == 0, "\(dispatched.stderr)")
        let record = try #require(dispatched.json?["record"]?["id"]?.stringValue)
        #expect(dispatched.json?["record"]?["due"]?["next"] == "2026-12-02")

        // 2026-12-10: eight calendar days late.
        clock.set("2026-12-10T02:00:00.000Z")
        let json = try await cli.run(["dispatch", "list", "--overdue", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let due = try #require(json.json?["records"]?.arrayValue?.first?["due"])
        #expect(due["status"] == "overdue")
        #expect(due["daysOverdue"] == 8)
        let working = try #require(due["workingDaysOverdue"]?.intValue)
        #expect(working > 0 && working <= 8)
        #expect(json.json?["counts"]?["overdue"] == 1)
        let list = try await cli.run(["dispatch", "list"])
        let row = try #require(list.lines.first { $0.hasPrefix(record) })
        #expect(row.contains("2026-12-02") && row.contains("  ! 8d / \(working)wd 逾期"))
        #expect(list.stdout.contains("overdue 已逾期 1"))
        let notLate = try await cli.run(["dispatch", "list", "--not-overdue", "--json"])
        #expect(notLate.json?["records"]?.arrayValue?.isEmpty == true)
        let show = try await cli.run(["dispatch", "show", "--record", record])
        #expect(show.stdout.contains("due 下次截止            2026-12-02 feedback 平台反馈, overdue 8 day(s), \(working) working day(s) 逾期8天（\(working)个工作日）"))

        // The reminder notice.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-overdue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("催办单.md").path
        let remind = try await cli.run(["dispatch", "remind", "--record", record, "--out", file])
        #expect(remind.status == 0, "\(remind.stderr)")
        #expect(remind.stdout.hasPrefix("Wrote the reminder notice for \(record) to \(file): 2026-12-02 feedback 平台反馈, overdue 8 day(s)"))
        let notice = try String(contentsOfFile: file, encoding: .utf8)
        for text in ["催办", record, "屯溪区商务局", "李娜", "0559-2345678", "2026-12-02"] {
            #expect(notice.contains(text), "the reminder notice lacks \(text)")
        }
        let printed = try await cli.run(["dispatch", "remind", "--record", record])
        #expect(printed.stdout == (notice.hasSuffix("\n") ? notice : notice + "\n"))

        // The bulletin: not overdue at the end of November, overdue now in December.
        let november = try await cli.run(["report", "monthly", "--month", "2026-11", "--json"])
        #expect(november.status == 0, "\(november.stderr)")
        #expect(november.json?["counts"]?["feedbackOverdue"] == 0)
        #expect(november.json?["counts"]?["dispatched"] == 1)
        #expect(november.json?["counts"]?["roadshowsHeld"] == 1)
        let december = try await cli.run(["report", "monthly", "--month", "2026-12", "--json"])
        #expect(december.json?["counts"]?["feedbackOverdue"] == 1)
        #expect(december.json?["counts"]?["dispatched"] == 0)
        #expect(december.json?["overdue"]?.arrayValue?.first?["id"] == .string(record))
        let later = try await cli.run(["report", "monthly", "--month", "2027-01"])
        #expect(later.status == 1)
        #expect(later.stderr.hasPrefix("error: bad_request: ") && later.stderr.contains("hint: "))
    }

    /// A meeting with no dispatch is closed with a reason through `meeting advance`.
    @Test func closingWithoutADispatch() async throws {
        let server = try ClientTestServer()
        let cli = CLISession(server: server, token: try await server.organizerToken())
        let organizer = try await server.connect(token: cli.token)
        defer { organizer.close() }
        let meeting = try await server.createMeeting(on: organizer)
        _ = try await cli.add(meeting, name: "王芳", unit: "黄山高新区", role: "unit")
        for phase in ["rehearsal", "live", "ended"] {
            let advanced = try await cli.run(["meeting", "advance", meeting, "--to", phase, "--force", "--reason", "演练用"])
            #expect(advanced.status == 0, "\(advanced.stderr)")
        }
        let intent = try await cli.run([
            "followup", "intent", "--meeting", meeting, "--further-talks", "no", "--recommendation", "建议保持联系，暂不转办",
        ])
        #expect(intent.status == 0, "\(intent.stderr)")
        #expect(intent.stdout.contains("roadshow meeting advance \(meeting) --to closed --reason"))
        let noReason = try await cli.run(["meeting", "advance", meeting, "--to", "closed"])
        #expect(noReason.status == 1)
        #expect(noReason.stderr.hasPrefix("error: bad_request: "))
        let closed = try await cli.run(["meeting", "advance", meeting, "--to", "closed", "--reason", "企业暂无落地意向，保持联系"])
        #expect(closed.status == 0, "\(closed.stderr)")
        #expect(closed.stdout.hasPrefix("\(meeting) is now closed 已结束"))
        let report = try await cli.run(["followup", "report", "--meeting", meeting, "--json"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.json?["report"]?["recommendation"] == "建议保持联系，暂不转办")
    }

    @Test func everyNewCommandExplainsItselfWithExamples() async throws {
        for command in [
            ["followup", "show"], ["followup", "assess"], ["followup", "intent"], ["followup", "report"],
            ["dispatch", "create"], ["dispatch", "list"], ["dispatch", "show"], ["dispatch", "feedback"], ["dispatch", "escalate"],
            ["dispatch", "answer"], ["dispatch", "close"], ["dispatch", "reopen"], ["dispatch", "export"], ["dispatch", "remind"],
            ["report", "monthly"],
        ] {
            let help = try await CLIRunner.run(command + ["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example"), "\(command.joined(separator: " ")) --help has no example")
            #expect(help.stdout.contains("--server") && help.stdout.contains("--json"))
            // Every example line fits the help's width (none wrapped onto a line of its own).
            let examples = help.stdout.components(separatedBy: "Examples:").dropFirst().first?.components(separatedBy: "USAGE:").first ?? ""
            for line in examples.split(separator: "\n") where !line.isEmpty {
                #expect(line.hasPrefix("  "), "\(command.joined(separator: " ")) --help: a wrapped example line: \(line)")
            }
        }
    }

    /// The session gives every mutating call a requestKey from the op table;
    /// these are the ops the new commands change things with.
    @Test func theNewCommandsSendRequestKeys() {
        for op in [
            "followup.assess", "followup.intent", "dispatch.create", "dispatch.feedback", "dispatch.escalate", "dispatch.answer",
            "dispatch.close", "dispatch.reopen",
        ] {
            #expect(RequestKey.isMutating(op), "\(op) would be sent without a requestKey")
        }
        for op in ["followup.report", "dispatch.get", "dispatch.list", "dispatch.remind", "export.dispatch", "report.monthly"] {
            #expect(!RequestKey.isMutating(op), "\(op) is a read")
        }
    }

    static func assess(_ meeting: String, unit: String, feasible: String, willing: String, comment: String, json: Bool = false) -> [String] {
        ["followup", "assess", "--meeting", meeting, "--unit", unit, "--feasible", feasible, "--willing", willing, "--comment", comment]
            + (json ? ["--json"] : [])
    }

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Tests/cli/read_csv.py: the file as Python's csv module reads it.
    static func readCSV(_ path: String) throws -> JSON {
        try readWithPython("/usr/bin/python3", script: "Tests/cli/read_csv.py", path)
    }

    /// A file as a reader script of Tests/cli sees it (its JSON on stdout), run by this Python.
    static func readWithPython(_ python: String, script: String, _ path: String) throws -> JSON {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [repoRoot.appendingPathComponent(script).path, path]
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(script): \(String(decoding: e, as: UTF8.self))")
        return try JSON.parse(o)
    }
}

/// The CLI as one actor of a server given by its address.
struct ServerCLI {
    let url: String
    let token: String

    func run(_ args: [String], token: String? = nil) async throws -> CLIRunner.Result {
        try await CLIRunner.run(args, env: ["ROADSHOW_SERVER": url, "ROADSHOW_TOKEN": token ?? self.token])
    }
}
