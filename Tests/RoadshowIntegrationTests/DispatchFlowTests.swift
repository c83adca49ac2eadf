import Foundation
import RoadshowClient
import RoadshowCore
import RoadshowServer
import Testing

/// After the meeting, through the real server and database: the follow-up,
/// the dispatch record, the feedback rule, escalation, closing, who sees
/// what, the CSV, and the monthly bulletin of a scripted month.
@Suite("Follow-up and dispatch (server)")
struct DispatchFlowTests {
    struct Ended {
        let meeting: String
        let host: (id: String, token: String)
        let unitA: (id: String, token: String)
        let unitB: (id: String, token: String)
        let company: (id: String, token: String)
    }

    static func meetingArgs(startsAt: String, title: String = "新能源储能项目线上路演", company: String = "皖南新能源科技有限公司") -> JSON {
        guard case .object(var o) = TestServer.meetingArgs else { return TestServer.meetingArgs }
        o["startsAt"] = .string(startsAt)
        o["title"] = .string(title)
        o["company"] = ["name": .string(company), "contact": "李四", "phone": "138 0000 0000"]
        return .object(o)
    }

    /// A meeting that ran (forced live) with minutes, ended: a host, two attending units and the company.
    static func endedMeeting(_ server: TestServer, _ org: RoadshowConnection, startsAt: String = "2026-12-01T14:00:00+08:00",
                             company: String = "皖南新能源科技有限公司") async throws -> Ended {
        let r = try await org.call("meeting.create", meetingArgs(startsAt: startsAt, company: company))
        let m = try #require(r["meeting"]?["id"]?.stringValue)
        let host = try await server.addParticipant(org, meeting: m, name: "周主持", unit: "市投资促进局", role: "host")
        let a = try await server.addParticipant(org, meeting: m, name: "王五", unit: "黄山高新区", role: "unit")
        let b = try await server.addParticipant(org, meeting: m, name: "赵六", unit: "歙县", role: "unit")
        let c = try await server.addParticipant(org, meeting: m, name: "李四", unit: company, role: "company")
        for phase in ["rehearsal", "live"] {
            _ = try await org.call("meeting.advance", ["meeting": .string(m), "to": .string(phase), "force": true, "reason": "测试"])
        }
        for (kind, text) in [("intent", "拟投资12.5亿元建设储能电池基地"), ("needs", "需要200亩工业用地"), ("prospects", "年产值预计30亿元"),
                             ("decision", "会议决定由高新区牵头对接"), ("next_contact", "12月10日前再次视频沟通")] {
            _ = try await org.call("minutes.add", ["meeting": .string(m), "kind": .string(kind), "text": .string(text)])
        }
        _ = try await org.call("minutes.add", ["meeting": .string(m), "kind": "action", "text": "提供用地方案", "owner": "黄山高新区", "due": "2026-12-10"])
        _ = try await org.call("meeting.advance", ["meeting": .string(m), "to": "ended"])
        return Ended(meeting: m, host: host, unitA: a, unitB: b, company: c)
    }

    static let commissioner: JSON = ["name": "陈专员", "unit": "黄山高新区管委会", "title": "招商科科长", "phone": "0559-2345678"]

    static func unitAccount(_ server: TestServer, _ name: String) async throws -> (id: String, token: String) {
        let admin = try await server.admin()
        defer { admin.close() }
        let r = try await admin.call("account.create", ["name": .string(name), "kind": "unit"])
        return (try #require(r["account"]?["id"]?.stringValue), try #require(r["token"]?.stringValue))
    }

    static func code(_ reply: JSON) -> String? { reply["error"]?["code"]?.stringValue }

    @Test("follow-up: the checklist on the working-day calendar, assessments by units from their links, hidden from the company")
    func followup() async throws {
        let clock = TestClock("2026-12-01T08:00:00Z")
        let server = try TestServer { $0.clock = { clock.now } }
        let org = try await server.connect(token: try await server.organizerToken())
        let e = try await Self.endedMeeting(server, org)
        let m = JSON.string(e.meeting)

        let snap = try await org.call("meeting.get", ["meeting": m])["snapshot"]
        let followupItems = (snap?["checklist"]?.arrayValue ?? []).filter { $0["phase"]?.stringValue == "ended" }
        // Tue 2026-12-01 + 2 / 5 / 10 working days.
        #expect(followupItems.map { $0["key"]?.stringValue ?? "" } == FollowupChecklist.items.map(\.key))
        #expect(followupItems.map { $0["due"]?.stringValue ?? "" } == ["2026-12-03", "2026-12-08", "2026-12-08", "2026-12-08", "2026-12-15"])
        #expect(snap?["followup"]?["units"]?.arrayValue?.compactMap(\.stringValue) == ["黄山高新区", "歙县"])

        let company = try await server.connect(token: e.company.token)
        let companySub = try await company.call("stream.subscribe", ["stream": m])
        #expect(companySub["snapshot"]?["followup"] == nil, "the company's snapshot carries no follow-up")
        let companyEvents = EventCollector(company)
        let unitA = try await server.connect(token: e.unitA.token)
        _ = try await unitA.call("stream.subscribe", ["stream": m])
        let unitEvents = EventCollector(unitA)

        // A unit assesses its own unit from its link; not another's; the company not at all.
        let own = try await unitA.callRaw("followup.assess", ["meeting": m, "unit": "黄山高新区", "feasible": true, "willingToHost": true, "comment": "园区有现成标准厂房，愿意承接"])
        #expect(own["ok"]?.boolValue == true, "\(own)")
        let other = try await unitA.callRaw("followup.assess", ["meeting": m, "unit": "歙县", "feasible": false, "willingToHost": false, "comment": "代填"])
        #expect(Self.code(other) == "forbidden")
        let byCompany = try await company.callRaw("followup.assess", ["meeting": m, "unit": "黄山高新区", "feasible": true, "willingToHost": true, "comment": "好"])
        #expect(Self.code(byCompany) == "forbidden")
        let notAUnit = try await org.callRaw("followup.assess", ["meeting": m, "unit": "不存在的单位", "feasible": true, "willingToHost": true, "comment": "x"])
        #expect(Self.code(notAUnit) == "not_found")
        #expect(notAUnit["error"]?["field"]?.stringValue == "args.unit")
        // The organizer fills in the last unit: the checklist item is ticked in the same commit.
        let last = try await org.call("followup.assess", ["meeting": m, "unit": .string(e.unitB.id), "feasible": false, "willingToHost": false, "comment": "歙县缺少相应产业配套"])
        #expect(last["assessment"]?["unit"]?.stringValue == "歙县")
        _ = try await org.call("followup.intent", ["meeting": m, "furtherTalks": true, "district": "黄山区", "unitsNeeded": ["市自然资源局"], "comment": "希望尽快看地"])

        let unitSeen = await unitEvents.wait(for: 4)
        #expect(unitSeen.contains { $0["event"]?.stringValue == "followup.assessed" })
        #expect(unitSeen.contains { $0["event"]?.stringValue == "checklist.item_set" && $0["data"]?["item"]?["key"]?.stringValue == "unit_assessments" })
        let companySeen = await companyEvents.wait(for: 4)
        #expect(companySeen.count == unitSeen.count, "the company gets every seq: \(companySeen.map { $0["event"]?.stringValue ?? "" })")
        #expect(companySeen.filter { $0["event"]?.stringValue == "event.withheld" }.count == 3)
        let companyText = companySeen.map { $0.encodedString }.joined()
        #expect(!companyText.contains("愿意承接") && !companyText.contains("黄山区") && !companyText.contains("产业配套"))
        #expect(companySeen.map(\.seq) == unitSeen.map(\.seq))
        let resumed = try await server.connect(token: e.company.token)
        let resumedEvents = EventCollector(resumed)
        _ = try await resumed.call("stream.subscribe", ["stream": m, "since": .int(companySub["seq"]?.intValue ?? 0)])
        let replayed = await resumedEvents.wait(for: 4)
        #expect(!replayed.map { $0.encodedString }.joined().contains("愿意承接"), "a resume withholds them too")

        // The leadership report: for the government side that runs the meeting.
        let report = try await org.call("followup.report", ["meeting": m])
        let md = try #require(report["markdown"]?.stringValue)
        for needle in ["园区有现成标准厂房", "歙县缺少相应产业配套", "领导批示", "建议转办至黄山区", "提供用地方案", "2026-12-10", "拟投资12.5亿元", "需要200亩工业用地", "年产值预计30亿元"] {
            #expect(md.contains(needle), "the report lacks \(needle)")
        }
        #expect(Self.code(try await company.callRaw("followup.report", ["meeting": m])) == "forbidden")
        #expect(Self.code(try await unitA.callRaw("followup.report", ["meeting": m])) == "forbidden")
        // Closing without a dispatch needs a reason.
        let close = try await org.callRaw("meeting.advance", ["meeting": m, "to": "closed"])
        #expect(Self.code(close) == "bad_request" && close["error"]?["field"]?.stringValue == "args.reason")
        let toDispatched = try await org.callRaw("meeting.advance", ["meeting": m, "to": "dispatched"])
        #expect(Self.code(toDispatched) == "conflict")
    }

    @Test("dispatch: a record per meeting, a handling unit that sees only its own, the feedback rule, escalation, closing")
    func dispatch() async throws {
        let clock = TestClock("2026-12-01T08:00:00Z")
        let server = try TestServer { $0.clock = { clock.now } }
        let org = try await server.connect(token: try await server.organizerToken())
        let org2 = try await server.connect(token: try await server.organizerToken("歙县招商中心"))
        let e = try await Self.endedMeeting(server, org)
        let u1 = try await Self.unitAccount(server, "黄山高新区管委会")
        let u2 = try await Self.unitAccount(server, "歙县投资促进中心")
        let m = JSON.string(e.meeting)
        let base: [String: JSON] = ["meeting": m, "handlingUnit": .string(u1.id), "commissioner": Self.commissioner, "stage": "negotiating", "district": "黄山区"]
        func with(_ changes: [String: JSON]) -> JSON { .object(base.merging(changes) { $1 }) }

        // Bad input names the field and stores nothing.
        let before = try server.storedEventCount()
        var bad = try await org.callRaw("dispatch.create", with(["commissioner": ["name": "陈", "unit": "高新区", "title": "科长", "phone": "12345"]]))
        #expect(bad["error"]?["field"]?.stringValue == "args.commissioner.phone")
        bad = try await org.callRaw("dispatch.create", with(["stage": "matter_connected"]))
        #expect(bad["error"]?["field"]?.stringValue == "args.stage")
        bad = try await org.callRaw("dispatch.create", with(["handlingUnit": .string(AccountDirectory.adminId)]))
        #expect(bad["error"]?["field"]?.stringValue == "args.handlingUnit")
        #expect(Self.code(try await org2.callRaw("dispatch.create", with([:]))) == "forbidden")
        #expect(try server.storedEventCount() == before)

        clock.set("2026-12-02T02:00:00Z")
        let created = try await org.call("dispatch.create", with([:]))
        let record = try #require(created["record"])
        let id = try #require(record["id"]?.stringValue)
        #expect(id.hasPrefix("D-") && created["seq"]?.intValue == 1)
        #expect(record["category"]?.stringValue == "industrial" && record["level"]?.stringValue == "county")
        #expect(record["minutes"]?["intent"]?.arrayValue?.first?.stringValue == "拟投资12.5亿元建设储能电池基地")
        #expect(record["actions"]?.arrayValue?.first?["owner"]?.stringValue == "黄山高新区")
        #expect(record["due"]?["next"]?.stringValue == "2027-01-02", "monthly: one calendar month after dispatch")
        let meeting = try await org.call("meeting.get", ["meeting": m])["snapshot"]
        #expect(meeting?["phase"]?.stringValue == "dispatched" && meeting?["dispatch"]?.stringValue == id)
        #expect(Self.code(try await org.callRaw("dispatch.create", with([:]))) == "conflict", "one meeting, one record")

        // Who sees it.
        let unit1 = try await server.connect(token: u1.token)
        let unit2 = try await server.connect(token: u2.token)
        let r = JSON.string(id)
        #expect(try await unit1.call("dispatch.list")["records"]?.arrayValue?.map { $0["id"]?.stringValue } == [id])
        #expect(try await unit2.call("dispatch.list")["records"]?.arrayValue?.isEmpty == true)
        #expect(try await org2.call("dispatch.list")["records"]?.arrayValue?.isEmpty == true)
        #expect(Self.code(try await unit2.callRaw("dispatch.get", ["record": r])) == "forbidden")
        #expect(Self.code(try await org2.callRaw("dispatch.get", ["record": r])) == "forbidden")
        #expect(Self.code(try await unit2.callRaw("stream.subscribe", ["stream": r])) == "forbidden")
        let participant = try await server.connect(token: e.unitA.token)
        #expect(Self.code(try await participant.callRaw("dispatch.list")) == "forbidden")
        #expect(Self.code(try await unit2.callRaw("dispatch.feedback", ["record": r, "text": "企业已确认选址，双方就用地指标达成一致意见。", "stage": "negotiating", "commissioner": Self.commissioner])) == "forbidden")

        _ = try await org.call("stream.subscribe", ["stream": r])
        let board = EventCollector(org)

        // The feedback rule: boilerplate is rejected, with a reason, and stores nothing.
        let seqBefore = try server.storedEvents(id).count
        let boiler = try await unit1.callRaw("dispatch.feedback", ["record": r, "text": "正在对接中。", "stage": "negotiating", "commissioner": Self.commissioner])
        #expect(Self.code(boiler) == "rejected_feedback" && boiler["error"]?["details"]?["reason"]?.stringValue == "boilerplate")
        #expect(boiler["error"]?["field"]?.stringValue == "args.text")
        #expect(try server.storedEvents(id).count == seqBefore)
        let text = "12月5日与企业副总视频会商，确认选址黄山区新材料园，双方就200亩用地指标和供电方案达成一致，下周报送框架协议。"
        let ok = try await unit1.call("dispatch.feedback", ["record": r, "text": .string(text), "stage": "signed", "commissioner": Self.commissioner])
        #expect(ok["feedback"]?["id"]?.stringValue == "F-1" && ok["record"]?["stage"]?.stringValue == "signed")
        let copy = try await unit1.callRaw("dispatch.feedback", ["record": r, "text": .string(text.replacingOccurrences(of: "下周", with: "本周")), "stage": "signed", "commissioner": Self.commissioner])
        #expect(Self.code(copy) == "rejected_feedback" && copy["error"]?["details"]?["reason"]?.stringValue == "copy")
        #expect((copy["error"]?["details"]?["similarity"]?.doubleValue ?? 0) >= FeedbackRule.copyThreshold)
        let seen = await board.wait(for: 1)
        #expect(seen.first?["event"]?.stringValue == "dispatch.feedback_posted")
        #expect(seen.first?["data"]?["record"]?["stage"]?.stringValue == "signed")

        // Escalation: one level at a time, each with its 15-day clock; answered by the organizer.
        #expect(Self.code(try await unit1.callRaw("dispatch.escalate", ["record": r, "to": "province", "reason": "需省级协调能耗指标"])) == "conflict")
        let esc = try await unit1.call("dispatch.escalate", ["record": r, "to": "city", "reason": "区级无法解决能耗指标", "problem": "能耗指标缺口5万吨标煤"])
        #expect(esc["escalation"]?["due"]?.stringValue == "2026-12-17")
        #expect(esc["record"]?["due"]?["next"]?.stringValue == "2026-12-17", "an open escalation shortens the clock to 15 days")
        #expect(Self.code(try await unit1.callRaw("dispatch.answer", ["record": r, "escalation": "E-1", "text": "市发改委统筹"])) == "forbidden")
        _ = try await org.call("dispatch.answer", ["record": r, "escalation": "E-1", "text": "市发改委统筹解决能耗指标"])

        // Overdue with the clock: the list flags it and a reminder can be issued.
        #expect(Self.code(try await org.callRaw("dispatch.remind", ["record": r])) == "conflict")
        clock.set("2027-01-12T02:00:00Z")
        let listed = try await org.call("dispatch.list", ["overdue": true])
        let row = try #require(listed["records"]?.arrayValue?.first)
        #expect(row["due"]?["status"]?.stringValue == "overdue" && row["due"]?["daysOverdue"]?.intValue == 10)
        #expect(row["due"]?["workingDaysOverdue"]?.intValue == 7, "Jan 4–8, 11, 12 (2027 counted Monday–Friday)")
        #expect(row["due"]?["estimated"]?.boolValue == true, "2027 has no official data in chinese-calendar 1.11.0: Monday–Friday")
        #expect(listed["calendar"]?["fallback"]?.boolValue == true)
        let remind = try await org.call("dispatch.remind", ["record": r])
        #expect(remind["markdown"]?.stringValue?.contains("催办单") == true && remind["markdown"]?.stringValue?.contains("0559-2345678") == true)

        // Closing: shelved needs a reason, takes no feedback, can be reopened.
        #expect(try await org.callRaw("dispatch.close", ["record": r, "outcome": "shelved"])["error"]?["field"]?.stringValue == "args.reason")
        #expect(try await org.callRaw("dispatch.close", ["record": r, "outcome": "matter_connected"])["error"]?["field"]?.stringValue == "args.outcome")
        #expect(Self.code(try await unit1.callRaw("dispatch.close", ["record": r, "outcome": "started"])) == "forbidden")
        _ = try await org.call("dispatch.close", ["record": r, "outcome": "shelved", "reason": "企业资金链紧张，暂缓投资"])
        let closedFeedback = try await unit1.callRaw("dispatch.feedback", ["record": r, "text": "企业表示明年一季度资金到位后重启项目，已约定回访时间。", "stage": "negotiating", "commissioner": Self.commissioner])
        #expect(Self.code(closedFeedback) == "conflict")
        let reopened = try await org.call("dispatch.reopen", ["record": r, "reason": "企业完成融资，重启项目"])
        #expect(reopened["record"]?["status"]?.stringValue == "open" && reopened["record"]?["stage"]?.stringValue == "signed")

        // Everything survives a restart (replayed from the event log).
        let full = try await org.call("dispatch.get", ["record": r])["record"]
        server.stop()
        let again = try TestServer(directory: server.directory) { $0.clock = { clock.now } }
        let admin = try await again.admin()
        let replayed = try await admin.call("dispatch.get", ["record": r])["record"]
        #expect(replayed == full)
    }

    @Test("export.dispatch: CSV that a real CSV parser reads back, with the BOM, Chinese intact and formulas escaped")
    func csv() async throws {
        let server = try TestServer()
        let org = try await server.connect(token: try await server.organizerToken())
        let e = try await Self.endedMeeting(server, org, company: "=HYPERLINK(\"http://x\")公司")
        let u1 = try await Self.unitAccount(server, "黄山高新区管委会")
        _ = try await org.call("dispatch.create", [
            "meeting": .string(e.meeting), "handlingUnit": .string(u1.id), "stage": "initial_contact", "district": "+黄山区",
            "commissioner": ["name": "陈专员", "unit": "高新区", "title": "科长", "phone": "+86 138 0000 0000"],
        ])
        let result = try await org.call("export.dispatch")
        let text = try #require(result["text"]?.stringValue)
        #expect(text.hasPrefix("\u{FEFF}"))
        let file = server.directory.appendingPathComponent("export.csv")
        try Data(text.utf8).write(to: file)
        let script = """
            import csv, json, sys
            with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
                print(json.dumps(list(csv.reader(f)), ensure_ascii=False))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, file.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let rows = try #require(try JSON.parse(Array(data)).arrayValue)
        #expect(rows.count == 2)
        let header = rows[0].arrayValue?.compactMap { $0.stringValue } ?? []
        #expect(header == DispatchCSV.header)
        let row = rows[1].arrayValue?.compactMap { $0.stringValue } ?? []
        let col = { (name: String) in row[header.firstIndex(of: name)!] }
        #expect(col("企业") == "'=HYPERLINK(\"http://x\")公司", "a formula cell is escaped")
        #expect(col("区县") == "'+黄山区")
        #expect(col("专员电话") == "'+86 138 0000 0000")
        #expect(col("阶段") == "初步接洽" && col("办理单位") == "黄山高新区管委会")
    }

    @Test("report.monthly: the counts of a scripted month, exactly")
    func monthly() async throws {
        let clock = TestClock("2026-10-20T06:00:00Z")
        let server = try TestServer { $0.clock = { clock.now } }
        let org = try await server.connect(token: try await server.organizerToken("黄山市招商引资领导组办公室"))
        let u1 = try await Self.unitAccount(server, "黄山高新区管委会")
        func dispatch(_ e: Ended, stage: String, district: String?) async throws -> String {
            var args: [String: JSON] = ["meeting": .string(e.meeting), "handlingUnit": .string(u1.id), "stage": .string(stage), "commissioner": Self.commissioner]
            if let district { args["district"] = .string(district) }
            return try #require(try await org.call("dispatch.create", .object(args))["record"]?["id"]?.stringValue)
        }
        // October: a roadshow, dispatched, escalated, never fed back (overdue by November's end).
        let m3 = try await Self.endedMeeting(server, org, startsAt: "2026-10-20T14:00:00+08:00", company: "丙公司")
        clock.set("2026-10-21T02:00:00Z")
        let r3 = try await dispatch(m3, stage: "initial_contact", district: nil)
        clock.set("2026-10-25T02:00:00Z")
        _ = try await org.call("dispatch.escalate", ["record": .string(r3), "to": "city", "reason": "用地指标需市级协调"])
        // November: two roadshows; one record signs, one is shelved.
        clock.set("2026-11-03T06:00:00Z")
        let m1 = try await Self.endedMeeting(server, org, startsAt: "2026-11-03T14:00:00+08:00", company: "甲公司")
        let r1 = try await dispatch(m1, stage: "initial_contact", district: "黄山区")
        clock.set("2026-11-10T02:00:00Z")
        _ = try await org.call("dispatch.feedback", ["record": .string(r1), "text": "11月9日企业董事会通过投资决议，双方签订投资协议，总投资12.5亿元。", "stage": "signed", "commissioner": Self.commissioner])
        clock.set("2026-11-12T06:00:00Z")
        let m2 = try await Self.endedMeeting(server, org, startsAt: "2026-11-12T14:00:00+08:00", company: "乙公司")
        let r2 = try await dispatch(m2, stage: "negotiating", district: "歙县")
        clock.set("2026-11-20T02:00:00Z")
        _ = try await org.call("dispatch.close", ["record": .string(r2), "outcome": "shelved", "reason": "企业战略调整，暂缓布局"])
        // December: changes after the month do not count in it.
        clock.set("2026-12-02T02:00:00Z")
        _ = try await org.call("dispatch.feedback", ["record": .string(r1), "text": "12月1日项目举行开工仪式，一期厂房桩基施工已进场。", "stage": "started", "commissioner": Self.commissioner])
        _ = try await org.call("dispatch.answer", ["record": .string(r3), "escalation": "E-1", "text": "市自然资源局调剂用地指标"])
        let m4 = try await Self.endedMeeting(server, org, startsAt: "2026-12-01T14:00:00+08:00", company: "丁公司")
        _ = try await dispatch(m4, stage: "initial_contact", district: "黄山区")
        clock.set("2026-12-03T02:00:00Z")

        let report = try await org.call("report.monthly", ["month": "2026-11", "issue": 11])
        let c = try #require(report["counts"])
        #expect(c["byStage"] == ["initial_contact": 1, "negotiating": 0, "signed": 1, "started": 0, "shelved": 1, "matter_connected": 0])
        #expect(c["inTalks"]?.intValue == 1)
        #expect(c["byDistrict"] == ["黄山区": 1, "歙县": 1, "未定": 1])
        #expect(c["newlySigned"]?.intValue == 1 && c["newlyStarted"]?.intValue == 0)
        #expect(c["roadshowsHeld"]?.intValue == 2)
        #expect(c["dispatched"]?.intValue == 2)
        #expect(c["feedbackOverdue"]?.intValue == 1)
        #expect(c["openEscalations"]?.intValue == 1)
        #expect(c["shelved"]?.intValue == 1)
        #expect(report["shelved"]?.arrayValue?.first?["reason"]?.stringValue == "企业战略调整，暂缓布局")
        #expect(report["overdue"]?.arrayValue?.first?["id"]?.stringValue == r3)
        let md = try #require(report["markdown"]?.stringValue)
        for needle in ["每月信息专报", "第 11 期", "黄山市招商引资领导组办公室", "2026年12月3日", "**送**：市招商引资工作领导组组长、副组长",
                       "**发**：各区县政府", "**抄送**：省新兴产业聚集地执行小组", "2026年11月"] {
            #expect(md.contains(needle), "the bulletin lacks \(needle)")
        }
        // December so far: r1 started, one more dispatched.
        let dec = try await org.call("report.monthly", ["month": "2026-12"])["counts"]
        #expect(dec?["newlyStarted"]?.intValue == 1 && dec?["dispatched"]?.intValue == 1)
        #expect(try await org.callRaw("report.monthly", ["month": "2027-01"])["error"]?["field"]?.stringValue == "args.month")
        #expect(try await org.callRaw("report.monthly", ["month": "2026-13"])["error"]?["field"]?.stringValue == "args.month")
        let unit = try await server.connect(token: u1.token)
        #expect(Self.code(try await unit.callRaw("report.monthly", ["month": "2026-11"])) == "forbidden")
    }
}
