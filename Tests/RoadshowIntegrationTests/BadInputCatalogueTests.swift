import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// The bad-input catalogue (issue 10, point 7): Tests/catalogue/bad_inputs.json
/// (written by make_bad_inputs.py) lists bad requests across the ops, the
/// dispatch ops included, with the answer docs/protocol.md gives each. Every
/// one goes through the real server, gets that answer, and stores nothing.
@Suite("Bad-input catalogue")
struct BadInputCatalogueTests {
    @Test("every case gets its documented answer and stores nothing")
    func catalogue() async throws {
        let path = TestServer.repositoryRoot.appendingPathComponent("Tests/catalogue/bad_inputs.json").path
        let cases = try JSON.parse(Array(try #require(FileManager.default.contents(atPath: path)))).arrayValue ?? []
        #expect(cases.count >= 100)

        let server = try TestServer()
        let admin = try await server.admin()
        let org = try await server.connect(token: try await server.organizerToken())
        let org2 = try await server.connect(token: try await server.organizerToken("歙县招商中心"))
        let unit = try await DispatchFlowTests.unitAccount(server, "黄山高新区管委会")
        let m = try await server.createMeeting(org)
        let p = try await server.addParticipant(org, meeting: m, name: "王五", unit: "黄山高新区")
        let c = try await server.addParticipant(org, meeting: m, name: "李四", unit: "皖南新能源科技有限公司", role: "company")
        let g = try #require(try await org.call("agenda.add", ["meeting": .string(m), "title": "项目介绍", "minutes": 10])["item"]?["id"]?.stringValue)
        let live = try await server.createMeeting(org)
        let lp = try await server.addParticipant(org, meeting: live, name: "赵六", unit: "歙县")
        for phase in ["rehearsal", "live"] {
            _ = try await org.call("meeting.advance", ["meeting": .string(live), "to": .string(phase), "force": true, "reason": "测试"])
        }
        let ended = try await DispatchFlowTests.endedMeeting(server, org)
        let forRecord = try await DispatchFlowTests.endedMeeting(server, org)
        let record = try #require(try await org.call("dispatch.create", [
            "meeting": .string(forRecord.meeting), "handlingUnit": .string(unit.id), "commissioner": DispatchFlowTests.commissioner,
            "stage": "negotiating",
        ])["record"]?["id"]?.stringValue)
        let places = ["$M": m, "$P": p.id, "$C": c.id, "$G": g, "$L": live, "$E": ended.meeting, "$D": record, "$UNIT": unit.id]
        let actors: [String: RoadshowConnection] = [
            "admin": admin, "org": org, "org2": org2,
            "participant": try await server.connect(token: p.token), "company": try await server.connect(token: c.token),
            "live": try await server.connect(token: lp.token), "unit": try await server.connect(token: unit.token),
        ]

        for (i, item) in cases.enumerated() {
            let op = try #require(item["op"]?.stringValue)
            let who = try #require(item["as"]?.stringValue)
            let conn = try #require(actors[who], "case \(i): no actor \(who)")
            let args = Self.fill(item["args"] ?? [:], places)
            let before = try server.storedEventCount()
            let reply = try await conn.callRaw(op, args)
            let label = "case \(i) \(op) as \(who) \(item["note"]?.stringValue ?? "")"
            let error = reply["error"]
            #expect(reply["ok"]?.boolValue == false, "\(label): answered ok")
            #expect(error?["code"] == item["code"], "\(label): \(error?["code"]?.stringValue ?? "-") \(error?["message"]?.stringValue ?? "")")
            let faults = error?["errors"]?.arrayValue ?? (error.map { [$0] } ?? [])
            if let field = item["field"] {
                let hit = faults.first { $0["field"] == field }
                #expect(hit != nil, "\(label): no fault on \(field.stringValue ?? "") (\(faults.map { $0["field"]?.stringValue ?? "-" }))")
                if let reason = item["reason"] {
                    #expect(hit?["reason"] == reason, "\(label): reason \(hit?["reason"]?.stringValue ?? "-")")
                }
            }
            #expect(error?["text"]?["zh"]?.stringValue?.isEmpty == false, "\(label): no Chinese text")
            #expect(try server.storedEventCount() == before, "\(label): stored something")
        }
    }

    /// `args` with every "$X" string (whole, or as a member of a string) replaced.
    static func fill(_ json: JSON, _ places: [String: String]) -> JSON {
        switch json {
        case .string(let s): return .string(places[s] ?? s)
        case .array(let a): return .array(a.map { fill($0, places) })
        case .object(let o): return .object(o.mapValues { fill($0, places) })
        default: return json
        }
    }
}
