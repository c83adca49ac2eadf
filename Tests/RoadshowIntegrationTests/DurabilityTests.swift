import Foundation
import RoadshowClient
import RoadshowCore
import RoadshowStore
import Testing

@Suite("Durability")
struct DurabilityTests {
    @Test("every acknowledged change survives SIGKILL; seqs stay contiguous")
    func survivesKill() async throws {
        var (server, _, db) = try ServerProcess.fresh("roadshow-kill")
        let (token, organizer) = try await server.organizer()
        // Four writers keep adding items, each to its own meeting (so one group
        // commit spans several streams); the server is killed while they run.
        var meetings: [String] = []
        for _ in 0..<4 {
            meetings.append(try #require(try await organizer.call("meeting.create", TestServer.meetingArgs)["meeting"]?["id"]?.stringValue))
        }
        let acked = AckedTexts()
        let url = server.url
        let writers = meetings.enumerated().map { w, meeting in
            Task {
                let c = try await RoadshowConnection.connect(url: url)
                _ = try await c.call("auth", ["token": .string(token)])
                var n = 0
                while true {
                    let text = "w\(w)-\(n)"
                    let r = try await c.call("checklist.add", ["meeting": .string(meeting), "text": .string(text)])
                    acked.add(text, meeting: meeting, seq: r["seq"]?.intValue ?? -1)
                    n += 1
                }
            }
        }
        // Enough acknowledged changes (a meeting's checklist holds 200 items, so
        // the writers could stop on their own; the test must not wait forever).
        let deadline = ContinuousClock.now + .seconds(60)
        while acked.count < 200, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        server.kill9()
        for w in writers { _ = await w.result }
        let ackedNow = acked.all
        #expect(ackedNow.count >= 200)

        // The database on disk has every acknowledged item, in a contiguous log.
        server = try ServerProcess(database: db)
        defer { server.terminate() }
        let check = try await RoadshowConnection.connect(url: server.url)
        _ = try await check.call("auth", ["token": .string(token)])
        let store = try EventStore.open(path: db)
        for meeting in meetings {
            let snapshot = try await check.call("meeting.get", ["meeting": .string(meeting)])
            let texts = Set(snapshot["snapshot"]?["checklist"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? [])
            let mine = ackedNow.filter { $0.meeting == meeting }
            let lost = mine.filter { !texts.contains($0.text) }
            #expect(lost.isEmpty, "acknowledged but lost: \(lost.prefix(5))")
            let events = try store.events(stream: meeting, after: 0)
            #expect(events.map(\.seq) == Array(1...Int64(events.count)))
            #expect(snapshot["seq"]?.intValue == Int64(events.count))
            // Each acknowledged seq holds the item it acknowledged.
            let bySeq = Dictionary(uniqueKeysWithValues: events.map { ($0.seq, $0) })
            for a in mine {
                guard case .checklistItemAdded(let item)? = bySeq[a.seq]?.event else {
                    Issue.record("seq \(a.seq) is not the item \(a.text)")
                    continue
                }
                #expect(item.text == a.text)
            }
        }
    }

    @Test("acknowledged dispatches and feedback survive SIGKILL: the record and the meeting's move to dispatched together")
    func dispatchSurvivesKill() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-kill-\(UUID().uuidString)")
        let db = dir.appendingPathComponent("roadshow.sqlite").path
        var server = try ServerProcess(database: db)
        let admin = try await RoadshowConnection.connect(url: server.url)
        _ = try await admin.call("auth", ["token": .string(TestServer.adminToken)])
        let token = try #require(try await admin.call("account.create", ["name": "局", "kind": "organizer"])["token"]?.stringValue)
        let unit = try await admin.call("account.create", ["name": "高新区管委会", "kind": "unit"])
        let unitId = try #require(unit["account"]?["id"]?.stringValue)
        let unitToken = try #require(unit["token"]?.stringValue)
        let organizer = try await RoadshowConnection.connect(url: server.url)
        _ = try await organizer.call("auth", ["token": .string(token)])
        var ended: [String] = []
        for _ in 0..<12 {
            let m = try #require(try await organizer.call("meeting.create", TestServer.meetingArgs)["meeting"]?["id"]?.stringValue)
            for phase in ["rehearsal", "live", "ended"] {
                _ = try await organizer.call("meeting.advance", ["meeting": .string(m), "to": .string(phase), "force": true, "reason": "测试"])
            }
            ended.append(m)
        }
        let commissioner: JSON = ["name": "陈专员", "unit": "高新区", "title": "科长", "phone": "13800000000"]
        let record = try await Self.dispatch(ended[0], unitId, organizer)
        let meetings = ended
        let acked = AckedTexts()
        let dispatched = AckedTexts()
        let url = server.url
        let feeder = Task {
            let c = try await RoadshowConnection.connect(url: url)
            _ = try await c.call("auth", ["token": .string(unitToken)])
            var n = 0
            while true {
                let text = "第\(n)期进展：\(UUID().uuidString)与企业会商融资方案并约定回访"
                let r = try await c.call("dispatch.feedback", ["record": .string(record), "text": .string(text), "stage": "negotiating", "commissioner": commissioner])
                acked.add(text, meeting: record, seq: r["seq"]?.intValue ?? -1)
                n += 1
            }
        }
        let creator = Task {
            let c = try await RoadshowConnection.connect(url: url)
            _ = try await c.call("auth", ["token": .string(token)])
            for m in meetings.dropFirst() {
                let id = try await Self.dispatch(m, unitId, c)
                dispatched.add(id, meeting: m, seq: 0)
            }
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while (acked.count < 60 || dispatched.count < 3), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        server.kill9()
        _ = await feeder.result
        _ = await creator.result
        #expect(acked.count >= 60 && dispatched.count >= 3)

        server = try ServerProcess(database: db)
        defer { server.terminate() }
        let check = try await RoadshowConnection.connect(url: server.url)
        _ = try await check.call("auth", ["token": .string(token)])
        let texts = Set(try await check.call("dispatch.get", ["record": .string(record)])["record"]?["feedback"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? [])
        let lost = acked.all.filter { !texts.contains($0.text) }
        #expect(lost.isEmpty, "acknowledged feedback lost: \(lost.prefix(3))")
        let store = try EventStore.open(path: db)
        for d in dispatched.all {
            let meeting = try await check.call("meeting.get", ["meeting": .string(d.meeting)])["snapshot"]
            #expect(meeting?["phase"]?.stringValue == "dispatched" && meeting?["dispatch"]?.stringValue == d.text)
            #expect(try store.events(stream: d.text, after: 0).map(\.seq) == [1])
        }
        // Any meeting that moved to dispatched has its record, and no record lacks its meeting's move.
        for m in ended {
            let info = try await check.call("meeting.get", ["meeting": .string(m)])["snapshot"]
            if let id = info?["dispatch"]?.stringValue {
                #expect(try store.events(stream: id, after: 0).first.map { $0.event.type } == "dispatch.created", "\(m) is dispatched as \(id), which is missing")
            }
        }
    }

    static func dispatch(_ m: String, _ unitId: String, _ c: RoadshowConnection) async throws -> String {
        try #require(try await c.call("dispatch.create", [
            "meeting": .string(m), "handlingUnit": .string(unitId), "stage": "initial_contact",
            "commissioner": ["name": "陈专员", "unit": "高新区", "title": "科长", "phone": "13800000000"],
        ])["record"]?["id"]?.stringValue)
    }

    @Test("SIGTERM finishes what was received: every request sent before it is answered and stored")
    func gracefulStop() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-term-\(UUID().uuidString)")
        let db = dir.appendingPathComponent("roadshow.sqlite").path
        var server = try ServerProcess(database: db)
        let c = try await RoadshowConnection.connect(url: server.url)
        _ = try await c.call("auth", ["token": .string(TestServer.adminToken)])
        let meeting = try #require(try await c.call("meeting.create", TestServer.meetingArgs)["meeting"]?["id"]?.stringValue)
        // Fire 50 requests without waiting, then stop the server.
        let calls = (0..<50).map { n in
            Task { try await c.call("checklist.add", ["meeting": .string(meeting), "text": .string("t\(n)")]) }
        }
        try await Task.sleep(for: .milliseconds(30))
        #expect(server.terminate(), "the server did not stop within 15 s of SIGTERM")
        var answered = 0
        for call in calls { if case .success = await call.result { answered += 1 } }
        server = try ServerProcess(database: db)
        defer { server.terminate() }
        let events = try EventStore.open(path: db).events(stream: meeting, after: 0)
        // Every answered request is stored; none stored twice.
        #expect(events.count == 13 + answered)
        #expect(answered > 0)
    }
}

final class AckedTexts: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(text: String, meeting: String, seq: Int64)] = []
    func add(_ text: String, meeting: String, seq: Int64) { lock.lock(); items.append((text, meeting, seq)); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return items.count }
    var all: [(text: String, meeting: String, seq: Int64)] { lock.lock(); defer { lock.unlock() }; return items }
}
