import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// The company is the guest: through the real server, its snapshot, its live
/// events, its resume and its minutes export carry no force reason, blocker,
/// AV note, remarks minute or follow-up, while a unit's do.
@Suite("Who sees what: the company and the government side")
struct AudienceTests {
    @Test("force reasons, AV notes and remarks minutes never reach the company; shared minutes do")
    func companySeesNoInternalRemark() async throws {
        let server = try TestServer()
        let org = try await server.connect(token: try await server.organizerToken())
        let m = try await server.createMeeting(org)
        let mid = JSON.string(m)
        let unit = try await server.addParticipant(org, meeting: m, name: "王五", unit: "黄山高新区", role: "unit")
        let company = try await server.addParticipant(org, meeting: m, name: "李四", unit: "皖南新能源科技有限公司", role: "company")
        let c = try await server.connect(token: company.token)
        let u = try await server.connect(token: unit.token)
        let cSub = try await c.call("stream.subscribe", ["stream": mid])
        _ = try await u.call("stream.subscribe", ["stream": mid])
        let cEvents = EventCollector(c)
        let uEvents = EventCollector(u)

        _ = try await org.call("meeting.advance", ["meeting": mid, "to": "rehearsal"])
        _ = try await org.call("av.mark", ["meeting": mid, "participant": .string(company.id), "check": "mic", "result": "fail", "note": "企业麦克风有杂音内部备注"])
        _ = try await org.call("av.mark", ["meeting": mid, "participant": .string(unit.id), "check": "mic", "result": "fail", "note": "王五声音小内部备注"])
        _ = try await org.call("meeting.advance", ["meeting": mid, "to": "live", "force": true, "reason": "李娜麦克风待会中解决"])
        _ = try await org.call("minutes.add", ["meeting": mid, "kind": "decision", "text": "内部：企业报价偏高需压价"])
        let shared = try await org.call("minutes.add", ["meeting": mid, "kind": "action", "text": "双方12月10日前交换用地方案", "visibility": "everyone"])
        let sharedId = try #require(shared["entry"]?["id"]?.stringValue)
        // Un-sharing takes the entry away from the company.
        _ = try await org.call("minutes.edit", ["meeting": mid, "entry": .string(sharedId), "visibility": "government"])
        _ = try await org.call("minutes.edit", ["meeting": mid, "entry": .string(sharedId), "visibility": "everyone"])

        let remarks = ["企业麦克风有杂音内部备注", "王五声音小内部备注", "李娜麦克风待会中解决", "企业报价偏高需压价"]
        let unitSeen = await uEvents.wait(for: 8)
        let companySeen = await cEvents.wait(for: unitSeen.count)
        #expect(companySeen.map(\.seq) == unitSeen.map(\.seq), "no gaps for the company")
        let unitText = unitSeen.map(\.encodedString).joined()
        let companyText = companySeen.map(\.encodedString).joined()
        for needle in remarks {
            #expect(unitText.contains(needle), "the unit sees \(needle)")
            #expect(!companyText.contains(needle), "the company's events carry \(needle)")
        }
        #expect(companyText.contains("双方12月10日前交换用地方案"))
        #expect(companySeen.contains { $0["event"]?.stringValue == "minutes.removed" && $0["data"]?["entry"]?["id"]?.stringValue == sharedId })

        // The snapshot and a resume from the company's first seq: the same.
        let snapshot = try await c.call("meeting.get", ["meeting": mid])["snapshot"]
        let snapshotText = snapshot?.encodedString ?? ""
        for needle in remarks { #expect(!snapshotText.contains(needle), "the company's snapshot carries \(needle)") }
        #expect(snapshot?["minutes"]?.arrayValue?.map { $0["id"]?.stringValue } == [sharedId])
        let resumed = try await server.connect(token: company.token)
        let rEvents = EventCollector(resumed)
        _ = try await resumed.call("stream.subscribe", ["stream": mid, "since": .int(cSub["seq"]?.intValue ?? 0)])
        let replay = await rEvents.wait(for: companySeen.count)
        for needle in remarks { #expect(!replay.map(\.encodedString).joined().contains(needle), "a resume carries \(needle)") }
        let uSnap = try await u.call("meeting.get", ["meeting": mid])["snapshot"]?.encodedString ?? ""
        for needle in remarks { #expect(uSnap.contains(needle), "the unit's snapshot lacks \(needle)") }

        // The minutes export: the company's edition has only what was shared.
        let export = try await c.call("export.minutes", ["meeting": mid])["text"]?.stringValue ?? ""
        for needle in remarks { #expect(!export.contains(needle), "the company's export carries \(needle)") }
        #expect(export.contains("双方12月10日前交换用地方案"))
        let orgExport = try await org.call("export.minutes", ["meeting": mid])["text"]?.stringValue ?? ""
        #expect(orgExport.contains("李娜麦克风待会中解决") && orgExport.contains("企业报价偏高需压价"))
        // The company still sees its own check's result (not the note).
        let me = snapshot?["roster"]?.arrayValue?.first { $0["id"]?.stringValue == company.id }
        #expect(me?["av"]?["checks"]?["mic"]?["result"]?.stringValue == "fail")
        let bad = try await org.callRaw("minutes.add", ["meeting": mid, "kind": "note", "text": "x", "visibility": "company"])
        #expect(bad["error"]?["field"]?.stringValue == "args.visibility")
    }
}
