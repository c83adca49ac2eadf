import Foundation
import Testing

@testable import RoadshowCore

/// The dispatch record's rules, decided by the pure core with a controllable
/// clock and the official working-day calendar: due dates across the Spring
/// Festival and National Day, escalation clocks, stages, closing, corrections.
@Suite("Dispatch records: due dates, escalation, closing (core)")
struct DispatchRulesTests {
    struct World: DecisionWorld {
        var others: [(record: String, text: String)] = []
        func account(_ id: String) -> Account? {
            id == Fixture.unitAccount.id ? Account(id: id, name: Fixture.unitAccount.name, kind: .unit, createdAt: Fixture.now) : nil
        }
        func latestFeedback(handledBy unit: String, except record: String) -> [(record: String, text: String)] { others }
    }

    /// A record stream decided op by op at the times given.
    struct Record {
        var state: StreamState?
        var policy: DispatchPolicy
        var world = World()
        var rng = SeededGenerator()

        var record: DispatchRecord { state!.record! }

        @discardableResult
        mutating func run(_ op: String, _ args: [String: JSON], at time: String, as actor: Actor = Fixture.organizer) throws(RoadshowError) -> Decision {
            var a = args
            a["record"] = .string(record.id)
            var ctx = Context(now: Timestamp.parse(time)!, actor: actor, rng: rng, policy: policy, world: world)
            let d = try Operations.mutations[op]!.decide(try Args(.object(a)), state, &ctx)
            rng = ctx.rng as! SeededGenerator
            state = StreamState.applying(d.events, to: state)
            // Replay from the stored form agrees with the live state.
            return d
        }

        func due(at time: String) -> Due { record.due(now: Timestamp.parse(time)!, policy: policy) }
    }

    static let commissioner: JSON = ["name": "陈专员", "unit": "高新区", "title": "科长", "phone": "138 0000 0000"]

    /// An ended meeting dispatched at `time` (UTC+8 days), with this policy.
    static func dispatched(at time: String, category: String = "industrial", stage: String = "initial_contact",
                           policy: DispatchPolicy = DispatchPolicy()) throws -> Record {
        var h = Harness()
        try h.run("meeting.create", Fixture.createArgs(["project": ["name": "储能基地", "category": .string(category)]]))
        for phase in ["rehearsal", "live", "ended"] {
            try h.run("meeting.advance", h.on(["to": .string(phase), "force": true, "reason": "测试"]))
        }
        var ctx = Context(now: Timestamp.parse(time)!, actor: Fixture.organizer, rng: SeededGenerator(), policy: policy, world: World())
        let d = try Operations.mutations["dispatch.create"]!.decide(
            try Args(h.on(["handlingUnit": .string(Fixture.unitAccount.id), "stage": .string(stage), "commissioner": commissioner])),
            h.state, &ctx)
        let (_, events) = try #require(d.spawned)
        #expect(d.events.contains { if case .meetingAdvanced(let m) = $0 { return m.phase == .dispatched }; return false })
        return Record(state: StreamState.applying(events, to: nil), policy: policy)
    }

    static func feedback(_ text: String, stage: String = "negotiating") -> [String: JSON] {
        ["text": .string(text), "stage": .string(stage), "commissioner": commissioner]
    }

    @Test("feedback due in working days across National Day 2026 and its make-up Saturday; overdue counted in working days")
    func nationalDay() throws {
        // Created Friday 2026-09-25 (UTC+8); 5 working days: 9-28, 9-29, 9-30, (10-1…10-7 off), 10-8, 10-9.
        let r = try Self.dispatched(at: "2026-09-25T02:00:00Z", policy: DispatchPolicy(feedbackPeriod: .workingDays(5)))
        #expect(r.due(at: "2026-09-30T02:00:00Z").next == "2026-10-09")
        #expect(r.due(at: "2026-09-28T02:00:00Z").status == .ok, "9-29, 9-30, 10-8, 10-9: 4 working days ahead")
        #expect(r.due(at: "2026-10-05T02:00:00Z").status == .dueSoon, "10-8 and 10-9 left: due soon in a holiday")
        let late = r.due(at: "2026-10-12T02:00:00Z")
        #expect(late.status == .overdue && late.daysOverdue == 3)
        #expect(late.workingDaysOverdue == 2, "Saturday 10-10 is a make-up workday, then Monday 10-12")
        #expect(!late.estimated)
        // The due day itself is not overdue until it has ended (in the server's zone).
        #expect(r.due(at: "2026-10-09T15:59:00Z").status == .dueSoon)
        #expect(r.due(at: "2026-10-09T16:00:00Z").status == .overdue)
    }

    @Test("across the Spring Festival 2026: make-up Saturdays count, the holiday week does not")
    func springFestival() throws {
        let r = try Self.dispatched(at: "2026-02-12T02:00:00Z", policy: DispatchPolicy(feedbackPeriod: .workingDays(3)))
        // 2-13 (Fri), 2-14 (Saturday make-up), then 2-15…2-23 off, 2-24.
        #expect(r.due(at: "2026-02-12T03:00:00Z").next == "2026-02-24")
        let late = r.due(at: "2026-03-02T02:00:00Z")
        // 2-25, 2-26, 2-27, 2-28 (Saturday make-up), 3-2.
        #expect(late.workingDaysOverdue == 5 && late.daysOverdue == 6)
    }

    @Test("monthly by default: one calendar month after the last feedback, clamped to a shorter month")
    func monthly() throws {
        var r = try Self.dispatched(at: "2026-01-31T02:00:00Z")
        #expect(r.due(at: "2026-02-01T00:00:00Z").next == "2026-02-28")
        try r.run("dispatch.feedback", Self.feedback("2月10日赴企业总部洽谈，确定一期用地80亩，拟3月签约。"), at: "2026-02-10T02:00:00Z", as: Fixture.unitAccount)
        #expect(r.due(at: "2026-02-11T00:00:00Z").next == "2026-03-10")
        #expect(r.due(at: "2026-12-31T00:00:00Z").estimated == false, "every day counted is in 2026: official data")
        // A year without data: Monday–Friday, said so.
        var late = try Self.dispatched(at: "2026-12-20T02:00:00Z")
        #expect(late.due(at: "2027-01-25T02:00:00Z").estimated)
        try late.run("dispatch.close", ["outcome": "started"], at: "2027-01-26T02:00:00Z")
        #expect(late.due(at: "2027-02-25T02:00:00Z").status == .closed)
    }

    @Test("escalation: county → city → province, each with a 15-calendar-day clock that also shortens the feedback clock")
    func escalation() throws {
        var r = try Self.dispatched(at: "2026-11-02T02:00:00Z")
        #expect(r.due(at: "2026-11-03T00:00:00Z").next == "2026-12-02")
        #expect(throws: RoadshowError.self) { try r.run("dispatch.escalate", ["to": "province", "reason": "跳级"], at: "2026-11-05T02:00:00Z") }
        let d = try r.run("dispatch.escalate", ["to": "city", "reason": "区级无法协调能耗指标"], at: "2026-11-05T02:00:00Z", as: Fixture.unitAccount)
        #expect(d.result["escalation"]?["due"]?.stringValue == "2026-11-20")
        #expect(r.record.level == .city)
        let open = r.due(at: "2026-11-06T00:00:00Z")
        #expect(open.next == "2026-11-20" && open.feedbackDue == "2026-11-20")
        // Feedback on 11-10: the feedback clock is 15 days from it, the escalation's stays.
        try r.run("dispatch.feedback", Self.feedback("11月9日市发改委已受理能耗指标申请，正在组织专家评审，预计下旬出结果。"), at: "2026-11-10T02:00:00Z", as: Fixture.unitAccount)
        let both = r.due(at: "2026-11-11T00:00:00Z")
        #expect(both.feedbackDue == "2026-11-25" && both.next == "2026-11-20" && both.kind == .escalation)
        #expect(r.due(at: "2026-11-21T02:00:00Z").status == .overdue)
        try r.run("dispatch.answer", ["escalation": "E-1", "text": "市发改委统筹解决"], at: "2026-11-19T02:00:00Z")
        let answered = r.due(at: "2026-11-21T02:00:00Z")
        #expect(answered.next == "2026-12-10" && answered.kind == .feedback && answered.status == .ok)
        #expect(throws: RoadshowError.self) { try r.run("dispatch.answer", ["escalation": "E-1", "text": "再答"], at: "2026-11-20T02:00:00Z") }
        try r.run("dispatch.escalate", ["to": "province", "reason": "市级无法解决"], at: "2026-11-22T02:00:00Z")
        do {
            try r.run("dispatch.escalate", ["to": "province", "reason": "再升"], at: "2026-11-23T02:00:00Z")
            Issue.record("escalating past the province succeeded")
        } catch {
            #expect(error.code == .conflict && error.message.contains("highest"))
        }
    }

    @Test("stages per category; closing outcomes; shelved needs a reason and reopens at its earlier stage")
    func closing() throws {
        #expect(throws: RoadshowError.self) { _ = try Self.dispatched(at: "2026-11-02T02:00:00Z", category: "non_industrial", stage: "negotiating") }
        var matter = try Self.dispatched(at: "2026-11-02T02:00:00Z", category: "non_industrial", stage: "matter_connected")
        do {
            try matter.run("dispatch.close", ["outcome": "shelved", "reason": "x"], at: "2026-11-03T02:00:00Z")
            Issue.record("a non-industrial record closed as shelved")
        } catch { #expect(error.field == "args.outcome") }
        try matter.run("dispatch.close", ["outcome": "matter_connected"], at: "2026-11-03T02:00:00Z")
        #expect(throws: RoadshowError.self) { try matter.run("dispatch.reopen", ["reason": "x"], at: "2026-11-04T02:00:00Z") }

        var r = try Self.dispatched(at: "2026-11-02T02:00:00Z", stage: "negotiating")
        do {
            try r.run("dispatch.close", ["outcome": "shelved"], at: "2026-11-03T02:00:00Z")
            Issue.record("shelved without a reason")
        } catch { #expect(error.field == "args.reason") }
        try r.run("dispatch.close", ["outcome": "shelved", "reason": "企业暂无投资意向"], at: "2026-11-03T02:00:00Z")
        #expect(r.record.status == .closed && r.record.stage == .shelved)
        do {
            try r.run("dispatch.feedback", Self.feedback("企业表示明年恢复投资计划，已约定一季度回访。"), at: "2026-11-04T02:00:00Z", as: Fixture.unitAccount)
            Issue.record("a closed record took feedback")
        } catch { #expect(error.code == .conflict && error.message.contains("reopen")) }
        try r.run("dispatch.reopen", ["reason": "企业重启项目"], at: "2026-11-10T02:00:00Z")
        #expect(r.record.status == .open && r.record.stage == .negotiating)
        #expect(r.due(at: "2026-11-11T00:00:00Z").next == "2026-12-10", "the feedback clock starts again at the reopening")
        #expect(r.record.stages.map(\.stage) == [.negotiating, .shelved, .negotiating])
        // As of a time while it was shelved, it was closed.
        let then = r.record.asOf(Timestamp.parse("2026-11-05T00:00:00Z")!)
        #expect(then.status == .closed && then.stage == .shelved)
        #expect(r.record.asOf(Timestamp.parse("2026-11-11T00:00:00Z")!).status == .open)
    }

    @Test("feedback: append-only, a correction names the entry it corrects, the same text on another record is flagged")
    func feedbackEntries() throws {
        var r = try Self.dispatched(at: "2026-11-02T02:00:00Z")
        let first = "11月3日与企业总经理面谈，企业确认拟在高新区建设一期厂房，用地需求120亩。"
        try r.run("dispatch.feedback", Self.feedback(first), at: "2026-11-03T02:00:00Z", as: Fixture.unitAccount)
        do {
            try r.run("dispatch.feedback", Self.feedback("更正：用地需求为150亩而非120亩，其余不变。", stage: "negotiating").merging(["corrects": "F-9"]) { $1 },
                      at: "2026-11-04T02:00:00Z", as: Fixture.unitAccount)
            Issue.record("a correction of a missing entry was accepted")
        } catch { #expect(error.code == .notFound && error.field == "args.corrects") }
        try r.run("dispatch.feedback", Self.feedback("更正：用地需求为150亩而非120亩，其余不变。").merging(["corrects": "F-1"]) { $1 },
                  at: "2026-11-04T02:00:00Z", as: Fixture.unitAccount)
        #expect(r.record.feedback.map(\.id) == ["F-1", "F-2"] && r.record.feedback[1].corrects == "F-1")
        #expect(r.record.feedback[0].text == first, "the corrected entry stays as it was")
        r.world.others = [("D-OTHER1", "11月5日赴企业调研，企业确认将扩大产能，新增投资3亿元，双方商定12月签约。")]
        try r.run("dispatch.feedback", Self.feedback("11月5日赴企业调研，企业确认将扩大产能，新增投资3亿元，双方商定12月签约！"),
                  at: "2026-11-06T02:00:00Z", as: Fixture.unitAccount)
        #expect(r.record.feedback.last?.similarTo?.first?.record == "D-OTHER1")
        // Another unit's actor may not post on it.
        let stranger = Actor(id: "A-UNIT02", name: "歙县", kind: .unit)
        #expect(throws: RoadshowError.self) { try r.run("dispatch.feedback", Self.feedback("别的单位写的：项目已完成选址论证，进入环评阶段。"), at: "2026-11-07T02:00:00Z", as: stranger) }
    }

    @Test("CSV cells: formulas escaped, quotes doubled, commas and line breaks quoted")
    func csvCells() {
        #expect(DispatchCSV.field("=1+1") == "'=1+1")
        #expect(DispatchCSV.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(DispatchCSV.field("-5") == "'-5")
        #expect(DispatchCSV.field("+86 138") == "'+86 138")
        #expect(DispatchCSV.field("a,b") == "\"a,b\"")
        #expect(DispatchCSV.field("他说\"好\"") == "\"他说\"\"好\"\"\"")
        #expect(DispatchCSV.field("一\n二") == "\"一\n二\"")
        #expect(DispatchCSV.field("黄山区") == "黄山区")
    }
}
