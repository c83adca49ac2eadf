import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// Errors in the reader's language, every faulty field at once, and the
/// limits the page's inputs use — through the real server.
@Suite("Field errors and limits")
struct FieldErrorTests {
    static func faults(_ reply: JSON) -> [JSON] {
        guard let error = reply["error"] else { return [] }
        return error["errors"]?.arrayValue ?? [error]
    }

    @Test("a form with three bad fields gets three errors, each with its reason, params and Chinese text; nothing is stored")
    func threeAtOnce() async throws {
        let server = try TestServer()
        let org = try await server.connect(token: try await server.organizerToken())
        let before = try server.storedEventCount()
        guard case .object(var args) = TestServer.meetingArgs else { return }
        args["title"] = .string(String(repeating: "路", count: 201))
        args["durationMinutes"] = 5
        args["system"] = ["name": "腾讯会议", "link": "ftp:/x"]
        let reply = try await org.callRaw("meeting.create", .object(args))
        let all = Self.faults(reply)
        #expect(all.map { $0["field"]?.stringValue } == ["args.title", "args.durationMinutes", "args.system.link"])
        #expect(all.map { $0["reason"]?.stringValue } == ["too_long", "range", "link_form"])
        #expect(all[0]["params"]?["max"]?.intValue == 200)
        #expect(all[1]["params"]?["min"]?.intValue == 10 && all[1]["params"]?["max"]?.intValue == 1440)
        #expect(all[0]["text"]?["zh"]?.stringValue == "太长了：最多 200 个字")
        #expect(all[0]["text"]?["en"]?.stringValue == "Too long: at most 200 characters.")
        for f in all {
            let zh = try #require(f["text"]?["zh"]?.stringValue)
            // Chinese throughout: no English words (examples such as https:// aside).
            #expect(zh.range(of: #"\b(?!https)[A-Za-z]{3,}\b"#, options: .regularExpression) == nil, "English in \(zh)")
        }
        #expect(reply["error"]?["field"]?.stringValue == "args.title", "the first fault is the error itself")
        #expect(try server.storedEventCount() == before)

        // The roster form: name too long, bad phone, bad e-mail, unknown role — four at once.
        let meeting = try await server.createMeeting(org)
        let roster = try await org.callRaw("roster.add", [
            "meeting": .string(meeting), "name": .string(String(repeating: "王", count: 61)), "unit": "黄山高新区",
            "role": "guest", "phone": "abc", "email": "x@y",
        ])
        #expect(Self.faults(roster).map { $0["field"]?.stringValue } == ["args.name", "args.role", "args.phone", "args.email"])
        #expect(Self.faults(roster).allSatisfy { $0["text"]?["zh"]?.stringValue?.isEmpty == false })

        // A state error has its Chinese text too.
        _ = try await org.call("meeting.advance", ["meeting": .string(meeting), "to": "rehearsal", "force": true, "reason": "测试"])
        let skip = try await org.callRaw("meeting.advance", ["meeting": .string(meeting), "to": "closed", "reason": "x"])
        #expect(skip["error"]?["code"]?.stringValue == "conflict")
        #expect(skip["error"]?["text"]?["zh"]?.stringValue?.contains("会前联调") == true)
    }

    @Test("every limit /api/ops serves is the server's own: its length passes, one more is too_long with that max")
    func limitsMatchTheServer() async throws {
        let server = try TestServer()
        let admin = try await server.admin()
        let orgToken = try await server.organizerToken()
        let org = try await server.connect(token: orgToken)
        let unit = try await DispatchFlowTests.unitAccount(server, "黄山高新区管委会")
        let unitConn = try await server.connect(token: unit.token)

        // A meeting in preparation with a participant, an item, an agenda item.
        let m = try await server.createMeeting(org)
        let p = try await server.addParticipant(org, meeting: m, name: "王五", unit: "黄山高新区")
        let item = try #require(try await org.call("agenda.add", ["meeting": .string(m), "title": "项目介绍", "minutes": 10])["item"]?["id"]?.stringValue)
        // A live meeting with a minutes entry; an ended one; a record with an escalation; a shelved record.
        let live = try await server.createMeeting(org)
        let lp = try await server.addParticipant(org, meeting: live, name: "赵六", unit: "歙县")
        for phase in ["rehearsal", "live"] {
            _ = try await org.call("meeting.advance", ["meeting": .string(live), "to": .string(phase), "force": true, "reason": "测试"])
        }
        let entry = try #require(try await org.call("minutes.add", ["meeting": .string(live), "kind": "note", "text": "记录"])["entry"]?["id"]?.stringValue)
        let ended = try await DispatchFlowTests.endedMeeting(server, org)
        let ended2 = try await DispatchFlowTests.endedMeeting(server, org)
        let ended3 = try await DispatchFlowTests.endedMeeting(server, org)
        func dispatch(_ e: DispatchFlowTests.Ended) async throws -> String {
            let r = try await org.call("dispatch.create", [
                "meeting": .string(e.meeting), "handlingUnit": .string(unit.id), "commissioner": DispatchFlowTests.commissioner,
                "stage": "negotiating",
            ])
            return try #require(r["record"]?["id"]?.stringValue)
        }
        let record = try await dispatch(ended2)
        let esc = try await unitConn.call("dispatch.escalate", ["record": .string(record), "to": "city", "reason": "用地指标需市级协调"])
        let escalation = try #require(esc["escalation"]?["id"]?.stringValue ?? esc["record"]?["escalations"]?.arrayValue?.last?["id"]?.stringValue)
        let shelved = try await dispatch(ended3)
        _ = try await org.call("dispatch.close", ["record": .string(shelved), "outcome": "shelved", "reason": "企业暂缓投资"])

        let participant = try await server.connect(token: lp.token)
        let prepParticipant = try await server.connect(token: p.token)
        let s = JSON.string
        let cases: [String: (RoadshowConnection, [String: JSON])] = [
            "account.create": (admin, ["kind": "organizer"]),
            "meeting.create": (org, TestServer.meetingArgs.objectValue!),
            "meeting.update": (org, ["meeting": s(m)]),
            "meeting.advance": (org, ["meeting": s(m), "to": "rehearsal", "force": true]),
            "checklist.add": (org, ["meeting": s(m)]),
            "checklist.set": (org, ["meeting": s(m), "item": "C-1", "done": true]),
            "roster.add": (org, ["meeting": s(m), "name": "孙七", "unit": "某单位", "role": "unit"]),
            "roster.update": (org, ["meeting": s(m), "participant": s(p.id)]),
            "av.mark": (org, ["meeting": s(m), "participant": s(p.id), "check": "mic", "result": "pass"]),
            "av.self": (prepParticipant, ["meeting": s(m), "mic": ["ok": true], "speaker": ["ok": true]]),
            "agenda.add": (org, ["meeting": s(m), "minutes": 10]),
            "agenda.update": (org, ["meeting": s(m), "item": s(item)]),
            "minutes.add": (org, ["meeting": s(live), "kind": "note"]),
            "minutes.edit": (org, ["meeting": s(live), "entry": s(entry)]),
            "queue.raise": (participant, ["meeting": s(live), "kind": "question"]),
            "presence.set": (participant, ["meeting": s(live), "status": "away"]),
            "contacts.share": (prepParticipant, ["meeting": s(m), "audience": "government", "phone": "138 0000 0001"]),
            "followup.assess": (org, ["meeting": s(ended.meeting), "unit": "黄山高新区", "feasible": true, "willingToHost": true]),
            "followup.intent": (org, ["meeting": s(ended.meeting), "furtherTalks": true]),
            "dispatch.create": (org, ["meeting": s(ended.meeting), "handlingUnit": s(unit.id), "stage": "negotiating",
                                      "commissioner": DispatchFlowTests.commissioner]),
            "dispatch.feedback": (unitConn, ["record": s(record), "text": "本月完成用地踏勘，已形成选址方案并报区政府审议", "stage": "negotiating",
                                             "commissioner": DispatchFlowTests.commissioner]),
            "dispatch.escalate": (unitConn, ["record": s(record), "to": "province", "reason": "需要协调"]),
            "dispatch.answer": (org, ["record": s(record), "escalation": s(escalation)]),
            "dispatch.close": (org, ["record": s(record), "outcome": "shelved"]),
            "dispatch.reopen": (org, ["record": s(shelved), "stage": "negotiating"]),
        ]
        #expect(Set(cases.keys) == Set(FieldLimits.all.keys), "every op with limits is tried")

        let served = try await HTTP.get(server.httpBase + "/api/ops")
        let servedLimits = try JSON.parse(served.0)["limits"]
        for (op, fields) in FieldLimits.all.sorted(by: { $0.key < $1.key }) {
            let (conn, base) = try #require(cases[op])
            for (path, max) in fields.sorted(by: { $0.key < $1.key }) {
                #expect(servedLimits?[op]?[path]?.intValue == Int64(max))
                let fieldName = "args." + path
                for (length, refused) in [(max + 1, true), (max, false)] {
                    // An unknown argument keeps the request from ever being applied.
                    var args = base
                    args["zzzNeverApplied"] = true
                    Self.set(&args, path: path, to: .string(String(repeating: path.hasSuffix("phone") ? "1" : "字", count: length)))
                    let reply = try await conn.callRaw(op, .object(args))
                    let hit = Self.faults(reply).first { $0["field"]?.stringValue == fieldName && $0["reason"]?.stringValue == "too_long" }
                    if refused {
                        #expect(hit?["params"]?["max"]?.intValue == Int64(max), "\(op) \(path): \(max + 1) characters should be too_long (\(reply))")
                    } else {
                        #expect(hit == nil, "\(op) \(path): \(max) characters should be accepted")
                        #expect(Self.faults(reply).contains { $0["field"]?.stringValue == "args.zzzNeverApplied" }, "\(op): \(reply)")
                    }
                }
            }
        }
    }

    static func set(_ args: inout [String: JSON], path: String, to value: JSON) {
        let parts = path.split(separator: ".").map(String.init)
        if parts.count == 1 { args[parts[0]] = value; return }
        var inner = args[parts[0]]?.objectValue ?? [:]
        inner[parts[1]] = value
        args[parts[0]] = .object(inner)
    }
}
