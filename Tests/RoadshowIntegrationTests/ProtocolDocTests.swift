import Foundation
import RoadshowClient
@testable import RoadshowCore
import Testing

/// Keeps docs/protocol.md true to the code: every op the server answers has its
/// section (and every op section names an op a real server answers), every event
/// type has its section, every error code is described, and the tables that
/// mirror code (default checklist, /healthz, /metrics) match it.
@Suite("docs/protocol.md matches the code")
struct ProtocolDocTests {

    // MARK: - The document

    static let docPath = TestServer.repositoryRoot.appendingPathComponent("docs/protocol.md").path

    static func document() throws -> String {
        guard let data = FileManager.default.contents(atPath: docPath), let text = String(data: data, encoding: .utf8) else {
            Issue.record("cannot read \(docPath)")
            throw CocoaError(.fileReadNoSuchFile)
        }
        return text
    }

    /// The lines of the `## title` section, up to the next `## ` heading.
    static func section(_ title: String, in doc: String) -> [Substring] {
        var out: [Substring] = []
        var inside = false
        for line in doc.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                inside = line == "## \(title)"
                continue
            }
            if inside { out.append(line) }
        }
        return out
    }

    /// The names of the "### `name`" headings among `lines`.
    static func codeHeadings(_ lines: [Substring]) -> [String] {
        lines.compactMap { line in
            guard line.hasPrefix("### `"), line.hasSuffix("`"), line.count > 6 else { return nil }
            let name = line.dropFirst(5).dropLast()
            return name.contains("`") ? nil : String(name)
        }
    }

    /// The `op.names` in the bullet list of the "Not yet implemented" section.
    static func notYetImplemented(_ doc: String) -> [String] {
        var out: [String] = []
        for line in section("Not yet implemented", in: doc) where line.hasPrefix("- ") {
            let parts = line.split(separator: "`", omittingEmptySubsequences: false)
            for (i, part) in parts.enumerated() where i % 2 == 1 && part.contains(".") { out.append(String(part)) }
        }
        return out
    }

    // MARK: - (a) ops

    @Test("every op the server answers has a ### `op` section under Ops")
    func everyOpIsDocumented() throws {
        let doc = try Self.document()
        let documented = Self.codeHeadings(Self.section("Ops", in: doc))
        #expect(!documented.isEmpty, "no ### `op` headings found under ## Ops")
        let expected = Set(OpTable.all.map(\.name))
        let missing = expected.subtracting(documented).sorted()
        #expect(missing.isEmpty, "ops without a ### `op` section in docs/protocol.md: \(missing)")
        let duplicated = Dictionary(grouping: documented, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(duplicated.isEmpty, "ops documented twice: \(duplicated)")
        let alsoPending = Set(documented).intersection(Self.notYetImplemented(doc)).sorted()
        #expect(alsoPending.isEmpty, "ops both documented and listed as not yet implemented: \(alsoPending)")
    }

    @Test("every documented op is answered by a real server; every op listed as not yet implemented answers unknown_op")
    func documentedOpsAreReal() async throws {
        let doc = try Self.document()
        let documented = Self.codeHeadings(Self.section("Ops", in: doc))
        let pending = Self.notYetImplemented(doc)
        // The list may be empty (every op of the contract is built); what it names must answer unknown_op.
        #expect(doc.contains("## Not yet implemented"), "the Not yet implemented section is gone")
        let server = try TestServer()
        let admin = try await server.admin()
        defer { admin.close() }
        for op in documented {
            // Empty args: every op answers (ok or bad_request...) without changing anything.
            let reply = try await admin.callRaw(op, [:])
            let code = reply["error"]?["code"]?.stringValue
            #expect(code != RoadshowError.Code.unknownOp.rawValue, "docs/protocol.md documents \(op), but the server answers unknown_op")
        }
        for op in pending {
            let reply = try await admin.callRaw(op, [:])
            let code = reply["error"]?["code"]?.stringValue
            #expect(
                code == RoadshowError.Code.unknownOp.rawValue,
                "docs/protocol.md lists \(op) as not yet implemented, but the server answers it (\(code ?? "ok")): move it to ## Ops")
        }
    }

    // MARK: - (b) events

    /// The compiler makes this switch name every event. A new `DomainEvent` case
    /// stops the build here: give it the next number, add a sample to `eventSamples`,
    /// raise `eventCaseCount`, and document it under ## Events.
    static func ordinal(_ e: DomainEvent) -> Int {
        switch e {
        case .accountCreated: 0
        case .accountTokenReissued: 1
        case .meetingCreated: 2
        case .meetingUpdated: 3
        case .checklistItemAdded: 4
        case .checklistItemSet: 5
        case .checklistItemRemoved: 6
        case .rosterAdded: 7
        case .rosterUpdated: 8
        case .rosterRemoved: 9
        case .rosterConfirmed: 10
        case .rosterLinkReissued: 11
        case .meetingAdvanced: 12
        case .avSelfTested: 13
        case .avMarked: 14
        case .agendaAdded: 15
        case .agendaUpdated: 16
        case .agendaMoved: 17
        case .agendaRemoved: 18
        case .agendaStarted: 19
        case .agendaFinished: 20
        case .queueRaised: 21
        case .queueLowered: 22
        case .queueUpvoted: 23
        case .queueGranted: 24
        case .queueReleased: 25
        case .queueRemoved: 26
        case .presenceChanged: 27
        case .minutesAdded: 28
        case .minutesEdited: 29
        case .minutesRemoved: 30
        case .followupAssessed: 31
        case .followupIntentRecorded: 32
        case .dispatchCreated: 33
        case .dispatchFeedbackPosted: 34
        case .dispatchEscalated: 35
        case .dispatchAnswered: 36
        case .dispatchClosed: 37
        case .dispatchReopened: 38
        case .contactShared: 39
        case .contactWithdrawn: 40
        case .contactsPrompted: 41
        case .materialAdded: 42
        case .materialRemoved: 43
        case .materialOpened: 44
        }
    }

    static let eventCaseCount = 45

    /// One event of each kind.
    static var eventSamples: [DomainEvent] {
        let t = Date(timeIntervalSince1970: 1_795_000_000)
        let account = Account(id: "A-DOCS01", name: "黄山市投资促进局", kind: .organizer, createdAt: t)
        let info = MeetingInfo(
            id: "M-DOCS", title: "线上路演", owner: account.id, ownerName: account.name, phase: .preparing,
            company: Company(name: "企业"), project: Project(name: "项目", category: .industrial), startsAt: t,
            durationMinutes: 90, system: MeetingSystem(name: "腾讯会议"), createdAt: t, updatedAt: t)
        let item = ChecklistItem(id: "C-1", text: "事项", phase: .preparing, done: false)
        let participant = Participant(
            id: "P-DOCS0001", name: "王五", unit: "黄山高新区", role: .unit, displayName: "王五-黄山高新区", addedAt: t)
        let agendaItem = AgendaItem(id: "G-1", title: "企业推介", minutes: 20, status: .planned)
        let change = QueueChange(queue: [])
        let entry = MinutesEntry(id: "N-1", kind: .intent, text: "意向", by: account.id, at: t)
        let assessment = UnitAssessment(unit: "黄山高新区", feasible: true, willingToHost: true, comment: "愿意承接", by: participant.id, byName: participant.displayName, at: t)
        let intent = CompanyIntent(furtherTalks: true, district: "黄山区", by: account.id, at: t)
        let commissioner = Commissioner(name: "陈专员", unit: "高新区", title: "科长", phone: "0559-2345678")
        let record = DispatchRecord(
            id: "D-DOCS01", meeting: info.id, meetingTitle: info.title, meetingAt: t, owner: account.id, ownerName: account.name,
            company: info.company, project: info.project, category: .industrial, stage: .negotiating, status: .open, level: .county,
            handlingUnit: .init(id: "A-UNIT01", name: "高新区管委会"), commissioner: commissioner, district: "黄山区", summary: "意向",
            minutes: .init(intent: ["意向"], needs: [], prospects: [], decisions: []), actions: [], assessments: [assessment], intent: intent,
            feedback: [], escalations: [], stages: [.init(stage: .negotiating, at: t)], closure: nil, closures: nil, reopenings: nil,
            createdAt: t, createdBy: account.id, updatedAt: t)
        let due = record.due(now: t, policy: DispatchPolicy())
        let dchange = DispatchChange(record, due: due)
        let feedback = Feedback(id: "F-1", text: "进展", stage: .signed, commissioner: commissioner, by: "A-UNIT01", byName: "高新区管委会", at: t, corrects: nil, similarTo: nil)
        let escalation = Escalation(id: "E-1", from: .county, to: .city, reason: "原因", problem: "问题", at: t, by: "A-UNIT01", byName: "高新区管委会", due: "2026-12-17", answer: nil)
        return [
            .accountCreated(account), .accountTokenReissued(id: account.id),
            .meetingCreated(info), .meetingUpdated(info),
            .checklistItemAdded(item), .checklistItemSet(item), .checklistItemRemoved(id: item.id),
            .rosterAdded(participant), .rosterUpdated(participant), .rosterRemoved(id: participant.id),
            .rosterConfirmed(participant), .rosterLinkReissued(id: participant.id),
            .meetingAdvanced(info), .avSelfTested(participant), .avMarked(participant),
            .agendaAdded(agendaItem), .agendaUpdated(agendaItem), .agendaMoved([agendaItem.id]),
            .agendaRemoved(id: agendaItem.id), .agendaStarted(agendaItem), .agendaFinished(agendaItem),
            .queueRaised(change), .queueLowered(change), .queueUpvoted(change), .queueGranted(change),
            .queueReleased(change), .queueRemoved(change),
            .presenceChanged(participant),
            .minutesAdded(entry), .minutesEdited(entry), .minutesRemoved(id: entry.id),
            .followupAssessed(assessment), .followupIntentRecorded(intent),
            .dispatchCreated(record, due), .dispatchFeedbackPosted(feedback, dchange), .dispatchEscalated(escalation, dchange),
            .dispatchAnswered(escalation, dchange), .dispatchClosed(dchange), .dispatchReopened(dchange),
            .contactShared(ContactShare(participant: participant.id, role: .unit, audience: .government,
                                        card: ContactCard(name: "王五", unit: "黄山高新区", phone: "138 0000 0001"), sharedAt: t), was: nil),
            .contactWithdrawn(participant: participant.id, was: .government),
            .contactsPrompted(ContactExchange(promptedAt: t, promptedBy: account.id, companyCard: true)),
            .materialAdded(Material(
                id: "F-1", name: "项目介绍.pdf", contentType: "application/pdf", bytes: 482_113,
                sha256: "9f2c4e1b7a0d35c8e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7", audience: .government, preview: "pdf",
                uploadedBy: MaterialUploader(id: account.id, name: account.name), uploadedAt: t)),
            .materialRemoved(id: "F-1", audience: .government),
            .materialOpened(MaterialReceipt(material: "F-1", participant: participant.id, name: "王五", unit: "黄山高新区", role: .unit, at: t)),
        ]
    }

    @Test("the event samples cover every DomainEvent case")
    func samplesCoverEveryEvent() {
        let ordinals = Self.eventSamples.map(Self.ordinal)
        #expect(Set(ordinals) == Set(0..<Self.eventCaseCount), "eventSamples misses an event: ordinals \(ordinals.sorted())")
        #expect(ordinals.count == Set(ordinals).count, "eventSamples has an event twice")
    }

    @Test("every event type has a ### `event` section under Events, and every such section is a real event")
    func everyEventIsDocumented() throws {
        let doc = try Self.document()
        let documented = Self.codeHeadings(Self.section("Events", in: doc))
        let types = Set(Self.eventSamples.map(\.type))
        let missing = types.subtracting(documented).sorted()
        #expect(missing.isEmpty, "event types without a ### `event` section in docs/protocol.md: \(missing)")
        // `event.withheld` is a frame, not a stored event: what the company gets in an internal event's place.
        for name in documented where name != "event.withheld" {
            // A known type fails on the empty data; an unknown one says so.
            do {
                _ = try DomainEvent(type: name, data: .object([:]))
                Issue.record("\(name) decoded from empty data")
            } catch let error as DomainEvent.DecodeError {
                #expect(!error.description.hasPrefix("unknown event type"), "docs/protocol.md documents \(name), which is no event type")
            } catch {
                // A decoding error of a known type's payload.
            }
        }
        let duplicated = Dictionary(grouping: documented, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(duplicated.isEmpty, "events documented twice: \(duplicated)")
    }

    // MARK: - (c) error codes

    @Test("every error code has a row in the Errors table")
    func everyErrorCodeIsDescribed() throws {
        let doc = try Self.document()
        let errors = Self.section("Errors", in: doc).joined(separator: "\n")
        for code in RoadshowError.Code.allCases {
            let described = errors.contains("| `\(code.rawValue)` |")
            #expect(described, "the error code \(code.rawValue) has no row in ## Errors of docs/protocol.md")
        }
    }

    // MARK: - Tables that mirror code

    @Test("the default checklist table lists the twelve items as the code seeds them")
    func defaultChecklistTable() throws {
        let doc = try Self.document()
        for (i, seed) in DefaultChecklist.items.enumerated() {
            let row = "| `C-\(i + 1)` | `\(seed.key)` | `\(seed.phase.rawValue)` | \(seed.zh) | \(seed.en) |"
            let listed = doc.contains(row)
            #expect(listed, "docs/protocol.md lacks the default checklist row \(row)")
        }
    }

    @Test("/healthz fields and /metrics names are documented")
    func httpEndpoints() async throws {
        let doc = try Self.document()
        let server = try TestServer()
        let (health, healthResponse) = try await HTTP.get(server.httpBase + "/healthz")
        #expect(healthResponse.status == 200)
        let fields = try JSON.parse(health).objectValue ?? [:]
        #expect(!fields.isEmpty)
        for key in fields.keys.sorted() {
            let listed = doc.contains("| `\(key)` |")
            #expect(listed, "the /healthz field \(key) is not in docs/protocol.md")
        }
        let (metrics, _) = try await HTTP.get(server.httpBase + "/metrics")
        let names = String(decoding: metrics, as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix("# TYPE ") }
            .compactMap { $0.split(separator: " ").dropFirst(2).first.map(String.init) }
        #expect(!names.isEmpty)
        for name in names {
            let listed = doc.contains("| `\(name)` |")
            #expect(listed, "the metric \(name) is not in docs/protocol.md")
        }
    }

    @Test("GET /api/ops serves the op table, every code list with labels, and the page's rules; each `who` is documented")
    func apiOps() async throws {
        let doc = try Self.document()
        let server = try TestServer()
        let (body, response) = try await HTTP.get(server.httpBase + "/api/ops")
        #expect(response.status == 200)
        #expect(response.contentType?.hasPrefix("application/json") == true)
        let catalogue = try JSON.parse(body)
        let ops = catalogue["ops"]?.arrayValue ?? []
        #expect(ops.compactMap { $0["op"]?.stringValue } == OpTable.all.map(\.name))
        for op in ops {
            let name = op["op"]?.stringValue ?? "?"
            #expect(op["kind"]?.stringValue == (Operations.mutations[name] != nil ? "write" : "read"), "\(name)")
            let who = op["who"]?.stringValue ?? "?"
            #expect(doc.contains("`\(who)`"), "the who \(who) of \(name) is not in docs/protocol.md")
        }
        #expect(catalogue["rules"]?["selfTestPassAboveDb"]?.doubleValue == MicrophoneLevel.passAboveDb)
        let phases = catalogue["vocabulary"]?["phases"]?.arrayValue?.compactMap { $0["code"]?.stringValue }
        #expect(phases == Phase.allCases.map(\.rawValue))
        func labelled(_ list: JSON) -> Bool {
            list.arrayValue?.allSatisfy { $0["zh"]?.stringValue?.isEmpty == false && $0["en"]?.stringValue?.isEmpty == false } == true
        }
        for (name, list) in catalogue["vocabulary"]?.objectValue ?? [:] {
            // A list, or lists by category (`stagesByCategory`).
            if let byKey = list.objectValue {
                #expect(Set(byKey.keys) == Set(ProjectCategory.allCases.map(\.rawValue)) && byKey.values.allSatisfy(labelled), "\(name)")
            } else {
                #expect(labelled(list), "\(name)")
            }
        }
        #expect(catalogue["vocabulary"]?["stagesByCategory"]?["non_industrial"]?.arrayValue?.compactMap { $0["code"]?.stringValue } == ["matter_connected"])
    }
}
