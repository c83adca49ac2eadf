import Foundation
import RoadshowClient
import RoadshowCore
import RoadshowServer
import Testing

/// The "Who may do what" table of docs/protocol.md, cell by cell, through the
/// real server: every op in the table is called by each of the six kinds of
/// actor on a fresh live meeting. A "—" cell must answer `forbidden`; any
/// other cell must not (it may still answer `conflict` or `not_found` for the
/// state it finds). The table is read from the document, so the document and
/// the server cannot drift apart.
@Suite("Permission matrix (docs/protocol.md ↔ server)")
struct PermissionMatrixTests {
    enum Actor: Int, CaseIterable, CustomStringConvertible {
        case admin, organizer, host, recorder, other, unitAccount
        var description: String { ["admin", "organizer", "host", "recorder", "participant (unit role)", "unit account"][rawValue] }
    }

    struct Row {
        let label: String
        let ops: [String]
        let cells: [String]  // one per Actor
    }

    static let recordTable = "### Who may do what on a dispatch record"

    /// A table's rows: op names in backticks (those with a dot), six cells.
    static func rows(_ heading: String = "### Who may do what\n") throws -> [Row] {
        let text = try String(contentsOfFile: ProtocolDocTests.docPath, encoding: .utf8)
        guard let start = text.range(of: heading) else { return [] }
        var rows: [Row] = []
        for line in text[start.upperBound...].split(separator: "\n") {
            if line.hasPrefix("## ") || line.hasPrefix("### ") { break }
            guard line.hasPrefix("| `") else { continue }
            let cols = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            // "", label, six cells, ""
            guard cols.count == 9 else { continue }
            rows.append(Row(label: cols[1], ops: Self.opNames(cols[1]), cells: Array(cols[2...7])))
        }
        return rows
    }

    @Test("the table says what the op table declares: each op's row admits exactly the seats its `Who` admits")
    func tableMatchesOpTable() throws {
        let rows = try Self.rows()
        var seen: Set<String> = []
        for row in rows where row.label != "`stream.subscribe` `accounts`" {
            // auth and ping have no dot: take every backticked name here.
            let parts = row.label.components(separatedBy: "`")
            for op in stride(from: 1, to: parts.count, by: 2).map({ parts[$0] }) {
                seen.insert(op)
                let declared = try #require(OpTable[op], "docs name \(op), which the op table does not have")
                for (i, seat) in Who.Seat.allCases.enumerated() {
                    let documented = row.cells[i] != "—"
                    #expect(documented == declared.who.admits(seat),
                        "\(op) as \(seat): docs say \(row.cells[i]), the op table's \(declared.who) says \(declared.who.admits(seat))")
                }
            }
        }
        for row in try Self.rows(Self.recordTable) {
            for op in Self.opNames(row.label) {
                seen.insert(op)
                // Subscribing is a session op, checked per stream kind by everyRecordCell.
                if op == "stream.subscribe" { continue }
                let declared = try #require(OpTable[op], "docs name \(op), which the op table does not have")
                for (i, seat) in Who.RecordSeat.allCases.enumerated() {
                    let documented = row.cells[i] != "—"
                    #expect(documented == declared.who.admits(seat),
                        "\(op) as \(seat) on a record: docs say \(row.cells[i]), the op table's \(declared.who) says \(declared.who.admits(seat))")
                }
            }
        }
        let missing = Set(OpTable.all.map(\.name)).subtracting(seen).sorted()
        #expect(missing.isEmpty, "ops the op table has and the table does not: \(missing)")
    }

    @Test("the page sends only ops the op table has")
    func pageUsesOnlyTableOps() throws {
        let web = TestServer.repositoryRoot.appendingPathComponent("web")
        let files = try FileManager.default.contentsOfDirectory(atPath: web.path).filter { $0.hasSuffix(".js") }
        #expect(!files.isEmpty)
        // Calls look like call("op", …), .call("op", …) or mutate("op", …).
        let pattern = try Regex(#"(?:call|mutate|request|send)\(\s*["'`]([a-z]+\.[a-z_.]+)["'`]"#)
        var used: [String: String] = [:]
        for file in files {
            let text = try String(contentsOf: web.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) {
                if let name = match.output[1].substring { used[String(name)] = file }
            }
        }
        #expect(used.count > 10, "found only \(used.count) op calls in web/: the pattern no longer fits the page")
        let unknown = used.filter { OpTable[$0.key] == nil }.map { "\($0.key) (\($0.value))" }.sorted()
        #expect(unknown.isEmpty, "web/ calls ops the server does not have: \(unknown)")
    }

    static func opNames(_ label: String) -> [String] {
        let parts = label.components(separatedBy: "`")
        return stride(from: 1, to: parts.count, by: 2).map { parts[$0] }.filter { $0.contains(".") }
    }

    /// A live meeting with a host, a recorder and a unit participant, an agenda
    /// item, a question in the queue and a minutes entry.
    struct World {
        let meeting: String
        let host: (id: String, token: String)
        let recorder: (id: String, token: String)
        let other: (id: String, token: String)
    }

    static func world(_ server: TestServer, organizerToken: String) async throws -> World {
        let org = try await server.connect(token: organizerToken)
        defer { org.close() }
        let meeting = try await server.createMeeting(org)
        let host = try await server.addParticipant(org, meeting: meeting, name: "周主持", unit: "市投资促进局", role: "host")
        let recorder = try await server.addParticipant(org, meeting: meeting, name: "吴记录", unit: "市投资促进局", role: "recorder")
        let other = try await server.addParticipant(org, meeting: meeting, name: "王五", unit: "黄山高新区", role: "unit")
        _ = try await org.call("agenda.add", ["meeting": .string(meeting), "title": "项目推介", "minutes": 20])
        _ = try await org.call("agenda.add", ["meeting": .string(meeting), "title": "提问", "minutes": 10])
        for phase in ["rehearsal", "live"] {
            _ = try await org.call("meeting.advance", ["meeting": .string(meeting), "to": .string(phase), "force": true, "reason": "test"])
        }
        _ = try await org.call("minutes.add", ["meeting": .string(meeting), "kind": "note", "text": "记录"])
        let p = try await server.connect(token: other.token)
        defer { p.close() }
        _ = try await p.call("queue.raise", ["meeting": .string(meeting), "kind": "question", "text": "用地多大？"])
        return World(meeting: meeting, host: host, recorder: recorder, other: other)
    }

    /// Valid arguments for `op` as `actor` would send them ("self" ops name the caller).
    static func args(_ op: String, _ label: String, _ w: World, as actor: Actor) -> JSON {
        let m = JSON.string(w.meeting)
        let me: String? = switch actor {
        case .host: w.host.id
        case .recorder: w.recorder.id
        case .other: w.other.id
        default: nil
        }
        let someone = JSON.string(me ?? w.other.id)
        switch op {
        case "auth": return [:]  // sent as a fresh sign-in below
        case "ping", "account.list", "meeting.list": return [:]
        case "stream.unsubscribe": return ["stream": m]
        case "stream.subscribe": return ["stream": label.contains("`accounts`") ? "accounts" : m]
        case "account.create": return ["name": .string("单位\(UUID().uuidString.prefix(6))"), "kind": "unit"]
        case "account.reissue": return ["account": "A-NOPE00"]
        case "meeting.create": return TestServer.meetingArgs
        case "meeting.get", "export.minutes": return ["meeting": m]
        case "export.ics", "roster.invitation": return ["meeting": m, "participant": someone]
        case "meeting.update": return ["meeting": m, "durationMinutes": 100]
        case "meeting.advance": return ["meeting": m, "to": "ended", "force": true, "reason": "test"]
        case "checklist.add": return ["meeting": m, "text": "新事项"]
        case "checklist.set": return ["meeting": m, "item": "C-1", "done": true]
        case "checklist.remove": return ["meeting": m, "item": "C-2"]
        case "roster.add": return ["meeting": m, "name": "新人", "unit": "新单位", "role": "observer"]
        case "roster.update": return ["meeting": m, "participant": .string(w.other.id), "title": "主任"]
        case "roster.remove", "roster.link": return ["meeting": m, "participant": .string(w.other.id)]
        case "roster.confirm": return ["meeting": m, "attending": true]
        case "av.self": return ["meeting": m, "mic": ["ok": true, "peakDb": -20], "speaker": ["ok": true]]
        case "av.mark": return ["meeting": m, "participant": .string(w.other.id), "check": "mic", "result": "pass"]
        case "presence.set": return ["meeting": m, "status": "present"]
        case "agenda.add": return ["meeting": m, "title": "新议题", "minutes": 5]
        case "agenda.update": return ["meeting": m, "item": "G-1", "minutes": 25]
        case "agenda.move": return ["meeting": m, "item": "G-2", "position": 1]
        case "agenda.remove": return ["meeting": m, "item": "G-2"]
        case "agenda.start": return ["meeting": m, "item": "G-1"]
        case "agenda.next", "agenda.finish", "queue.lower", "queue.next", "queue.release": return ["meeting": m]
        case "queue.raise": return ["meeting": m, "kind": "speak"]
        case "queue.upvote", "queue.grant", "queue.remove": return ["meeting": m, "entry": "Q-1"]
        case "minutes.add": return ["meeting": m, "kind": "note", "text": "又一条"]
        case "minutes.edit": return ["meeting": m, "entry": "N-1", "text": "改过"]
        case "minutes.remove": return ["meeting": m, "entry": "N-1"]
        case "followup.assess": return ["meeting": m, "unit": "黄山高新区", "feasible": true, "willingToHost": true, "comment": "可以承接"]
        case "followup.intent": return ["meeting": m, "furtherTalks": true]
        case "contacts.share": return ["meeting": m, "audience": "government", "phone": "138 0000 0009"]
        case "materials.remove": return ["meeting": m, "material": "F-1"]
        case "dispatch.create":
            return ["meeting": m, "handlingUnit": "A-NOPE00", "stage": "initial_contact",
                    "commissioner": ["name": "陈专员", "unit": "高新区", "title": "科长", "phone": "13800000000"]]
        default: return ["meeting": m]
        }
    }

    @Test("every cell of the table: '—' answers forbidden, the others do not")
    func everyCell() async throws {
        var limits = ServerConfiguration.Limits()
        limits.requestsPerSecond = 10_000
        limits.requestBurst = 10_000
        let server = try TestServer(limits: limits)
        let organizerToken = try await server.organizerToken()
        let admin = try await server.admin()
        let unitToken = try #require(try await admin.call("account.create", ["name": "高新区管委会", "kind": "unit"])["token"]?.stringValue)
        admin.close()

        let rows = try Self.rows()
        #expect(rows.count >= 15, "the table was not found or not read: \(rows.count) rows")
        var checked = 0
        for row in rows {
            for op in row.ops {
                // A fresh meeting per op; per call for the ops that would take the
                // next caller's token away or end the meeting.
                let destructive = ["roster.remove", "roster.link", "meeting.advance"].contains(op)
                var shared: World? = nil
                for actor in Actor.allCases {
                    let cell = row.cells[actor.rawValue]
                    let w: World
                    if let s = shared, !destructive { w = s } else {
                        w = try await Self.world(server, organizerToken: organizerToken)
                        shared = w
                    }
                    let token: String = switch actor {
                    case .admin: TestServer.adminToken
                    case .organizer: organizerToken
                    case .host: w.host.token
                    case .recorder: w.recorder.token
                    case .other: w.other.token
                    case .unitAccount: unitToken
                    }
                    let c = try await server.connect(token: token)
                    defer { c.close() }
                    let reply: JSON
                    if op == "auth" {
                        reply = try await c.callRaw("auth", ["token": .string(token)])
                    } else {
                        reply = try await c.callRaw(op, Self.args(op, row.label, w, as: actor))
                    }
                    let code = reply["error"]?["code"]?.stringValue
                    // "only while it has the floor": nobody has the floor here.
                    let expectForbidden = cell == "—" || cell.hasPrefix("only while")
                    if expectForbidden {
                        #expect(code == "forbidden", "\(op) by \(actor) (\(cell)): \(reply)")
                    } else {
                        #expect(code != "forbidden", "\(op) by \(actor) (\(cell)): \(reply)")
                        #expect(code != "bad_request" && code != "unknown_op", "the test's arguments for \(op) are wrong: \(reply)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked >= 6 * 40, "only \(checked) cells checked")
    }

    /// Valid arguments for a record op.
    static func recordArgs(_ op: String, _ record: String) -> JSON {
        let r = JSON.string(record)
        let commissioner: JSON = ["name": "陈专员", "unit": "高新区", "title": "科长", "phone": "13800000000"]
        switch op {
        case "stream.subscribe": return ["stream": r]
        case "dispatch.list", "export.dispatch": return [:]
        case "dispatch.feedback":
            return ["record": r, "text": .string("第\(UUID().uuidString.prefix(8))次：与企业财务总监会商融资方案，约定下周三前提交用地申请材料。"), "stage": "negotiating", "commissioner": commissioner]
        case "dispatch.escalate": return ["record": r, "to": "city", "reason": "区级无法协调"]
        case "dispatch.answer": return ["record": r, "escalation": "E-1", "text": "市级协调"]
        case "dispatch.close": return ["record": r, "outcome": "shelved", "reason": "测试"]
        case "dispatch.reopen": return ["record": r, "reason": "测试"]
        case "report.monthly": return ["month": "2026-11"]
        default: return ["record": r]
        }
    }

    @Test("every cell of the dispatch-record table: '—' answers forbidden, the others do not")
    func everyRecordCell() async throws {
        var limits = ServerConfiguration.Limits()
        limits.requestsPerSecond = 10_000
        limits.requestBurst = 10_000
        let server = try TestServer(limits: limits)
        let ownerToken = try await server.organizerToken()
        let otherOrganizer = try await server.organizerToken("歙县招商中心")
        let admin = try await server.admin()
        var unitIds: [String] = []
        var unitTokens: [String] = []
        for name in ["高新区管委会", "歙县投资促进中心"] {
            let r = try await admin.call("account.create", ["name": .string(name), "kind": "unit"])
            unitIds.append(try #require(r["account"]?["id"]?.stringValue))
            unitTokens.append(try #require(r["token"]?.stringValue))
        }
        admin.close()
        let rows = try Self.rows(Self.recordTable)
        #expect(rows.count >= 5, "the record table was not found: \(rows.count) rows")
        var checked = 0
        for row in rows {
            for op in row.ops {
                // A fresh record per op, so closing or escalating leaves the next op a record it can act on.
                let org = try await server.connect(token: ownerToken)
                let w = try await Self.world(server, organizerToken: ownerToken)
                _ = try await org.call("meeting.advance", ["meeting": .string(w.meeting), "to": "ended", "force": true, "reason": "test"])
                let created = try await org.call("dispatch.create", [
                    "meeting": .string(w.meeting), "handlingUnit": .string(unitIds[0]), "stage": "initial_contact",
                    "commissioner": ["name": "陈专员", "unit": "高新区", "title": "科长", "phone": "13800000000"],
                ])
                let record = try #require(created["record"]?["id"]?.stringValue)
                if op == "dispatch.answer" {
                    _ = try await org.call("dispatch.escalate", ["record": .string(record), "to": "city", "reason": "需要市级协调"])
                }
                if op == "dispatch.reopen" {
                    _ = try await org.call("dispatch.close", ["record": .string(record), "outcome": "shelved", "reason": "暂缓"])
                }
                org.close()
                let tokens = [TestServer.adminToken, ownerToken, otherOrganizer, unitTokens[0], unitTokens[1], w.other.token]
                for (i, seat) in Who.RecordSeat.allCases.enumerated() {
                    let c = try await server.connect(token: tokens[i])
                    defer { c.close() }
                    let reply = try await c.callRaw(op, Self.recordArgs(op, record))
                    let code = reply["error"]?["code"]?.stringValue
                    if row.cells[i] == "—" {
                        #expect(code == "forbidden", "\(op) by \(seat) (\(row.cells[i])): \(reply)")
                    } else {
                        #expect(code != "forbidden", "\(op) by \(seat) (\(row.cells[i])): \(reply)")
                        #expect(code != "bad_request" && code != "unknown_op", "the test's arguments for \(op) are wrong: \(reply)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked >= 6 * 11, "only \(checked) cells checked")
    }

    /// docs/protocol.md "What the company sees of a meeting": each row's label.
    static func audienceRows() throws -> [String] {
        let text = try String(contentsOfFile: ProtocolDocTests.docPath, encoding: .utf8)
        guard let start = text.range(of: "### What the company sees of a meeting\n") else { return [] }
        var rows: [String] = []
        for line in text[start.upperBound...].split(separator: "\n") {
            if line.hasPrefix("## ") || line.hasPrefix("### ") { break }
            let cols = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cols.count == 4, !cols[1].isEmpty, cols[1] != "data", !cols[1].hasPrefix("---") else { continue }
            rows.append(cols[1])
        }
        return rows
    }

    @Test("every row of the audience table: the company's snapshot lacks it, a unit's has what the government side may see")
    func audienceTable() async throws {
        let server = try TestServer()
        let orgToken = try await server.organizerToken()
        let org = try await server.connect(token: orgToken)
        let m = try await server.createMeeting(org)
        let mid = JSON.string(m)
        let unit = try await server.addParticipant(org, meeting: m, name: "王五", unit: "黄山高新区")
        let company = try await server.addParticipant(org, meeting: m, name: "李四", unit: "皖南新能源科技有限公司", role: "company")
        _ = try await org.call("roster.update", ["meeting": mid, "participant": .string(unit.id), "phone": "138 0000 0001", "email": "w@example.gov.cn"])
        _ = try await org.call("meeting.advance", ["meeting": mid, "to": "rehearsal"])
        _ = try await org.call("av.mark", ["meeting": mid, "participant": .string(company.id), "check": "mic", "result": "fail", "note": "杂音备注"])
        _ = try await org.call("meeting.advance", ["meeting": mid, "to": "live", "force": true, "reason": "强制原因备注"])
        _ = try await org.call("minutes.add", ["meeting": mid, "kind": "decision", "text": "内部纪要"])
        let shared = try #require(try await org.call("minutes.add", ["meeting": mid, "kind": "action", "text": "共享纪要", "visibility": "everyone"])["entry"]?["id"]?.stringValue)
        _ = try await org.call("meeting.advance", ["meeting": mid, "to": "ended", "force": true, "reason": "测试"])
        let c = try await server.connect(token: company.token)
        let u = try await server.connect(token: unit.token)
        _ = try await u.call("contacts.share", ["meeting": mid, "audience": "government"])
        let upload = try await MaterialsFlowTests.upload(server.httpBase, m, token: orgToken, name: "项目介绍.pdf", audience: "government", body: MaterialsFlowTests.pdf)
        #expect(upload.status == 201)
        _ = try await MaterialsFlowTests.fetch(server.httpBase, m, "F-1", token: unit.token)
        // The receipt is committed after the file is served: wait for it.
        for _ in 0..<250 {
            if try await org.call("materials.list", ["meeting": mid])["receipts"]?.arrayValue?.isEmpty == false { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let cs = try #require(try await c.call("meeting.get", ["meeting": mid])["snapshot"])
        let us = try #require(try await u.call("meeting.get", ["meeting": mid])["snapshot"])
        let os = try #require(try await org.call("meeting.get", ["meeting": mid])["snapshot"])

        let checks: [String: () -> Void] = [
            "minutes entries": {
                #expect(cs["minutes"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [shared])
                #expect(us["minutes"]?.arrayValue?.count == 2)
            },
            "phase changes (`transitions`)": {
                let live = cs["transitions"]?.arrayValue?.first { $0["to"]?.stringValue == "live" }
                #expect(live?["reason"] == nil && live?["blockers"] == nil && live?["forced"]?.boolValue == false)
                let unitLive = us["transitions"]?.arrayValue?.first { $0["to"]?.stringValue == "live" }
                #expect(unitLive?["reason"]?.stringValue == "强制原因备注")
            },
            "AV checks": {
                let mine = cs["roster"]?.arrayValue?.first { $0["id"]?.stringValue == company.id }
                #expect(mine?["av"]?["checks"]?["mic"]?["result"]?.stringValue == "fail")
                #expect(mine?["av"]?["checks"]?["mic"]?["note"] == nil)
                let seenByUnit = us["roster"]?.arrayValue?.first { $0["id"]?.stringValue == company.id }
                #expect(seenByUnit?["av"]?["checks"]?["mic"]?["note"]?.stringValue == "杂音备注")
            },
            "the follow-up": {
                #expect(cs["followup"] == nil)
                #expect(us["followup"] != nil)
            },
            "contact cards shared with the government side (`contacts.cards`)": {
                #expect(cs["contacts"]?["cards"]?.arrayValue?.isEmpty == true)
                let card = us["contacts"]?["cards"]?.arrayValue?.first { $0["participant"]?.stringValue == unit.id }
                #expect(card?["phone"]?.stringValue == "138 0000 0001" && card?["audience"]?.stringValue == "government")
            },
            "materials for the government or the organizer side (`materials.files`), and others' read receipts (`materials.receipts`)": {
                #expect(cs["materials"]?["files"]?.arrayValue?.isEmpty == true && cs["materials"]?["receipts"]?.arrayValue?.isEmpty == true)
                #expect(us["materials"]?["files"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["F-1"])
                #expect(os["materials"]?["receipts"]?.arrayValue?.count == 1)
            },
            "other people's phone and e-mail": {
                let other = cs["roster"]?.arrayValue?.first { $0["id"]?.stringValue == unit.id }
                #expect(other?["phone"] == nil && other?["email"] == nil)
                let byOrganizer = os["roster"]?.arrayValue?.first { $0["id"]?.stringValue == unit.id }
                #expect(byOrganizer?["phone"]?.stringValue == "138 0000 0001")
            },
        ]
        let rows = try Self.audienceRows()
        #expect(Set(rows) == Set(checks.keys), "the table's rows and this test's checks: \(rows)")
        for row in rows { checks[row]?() }
    }
}
