import Foundation
import GRDB
import RoadshowClient
import RoadshowCore
import RoadshowStore
import Testing

/// Crash safety under load (issue 10, point 6): several SIGKILLs at random
/// moments while several clients write mixed changes to several meetings.
/// After each restart every acknowledged change is there exactly once, the
/// seqs are contiguous, and at the end the query tables equal a rebuild from
/// the log.
@Suite("Crash under load")
struct CrashUnderLoadTests {
    @Test("3 SIGKILLs under mixed writes: nothing acknowledged lost or doubled; projections == rebuild")
    func killsUnderLoad() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-crash-\(UUID().uuidString)")
        let db = dir.appendingPathComponent("roadshow.sqlite").path
        var server = try ServerProcess(database: db)
        let admin = try await RoadshowConnection.connect(url: server.url)
        _ = try await admin.call("auth", ["token": .string(TestServer.adminToken)])
        let token = try #require(try await admin.call("account.create", ["name": "局", "kind": "organizer"])["token"]?.stringValue)
        let setup = try await RoadshowConnection.connect(url: server.url)
        _ = try await setup.call("auth", ["token": .string(token)])
        var meetings: [String] = []
        for _ in 0..<3 {
            meetings.append(try #require(try await setup.call("meeting.create", TestServer.meetingArgs)["meeting"]?["id"]?.stringValue))
        }
        let acked = AckedTexts()
        let streams = meetings
        var rng = SystemRandomNumberGenerator()
        for round in 0..<3 {
            let url = server.url
            // Four writers on three meetings, each change with a requestKey.
            let writers = (0..<4).map { w in
                Task {
                    let c = try await RoadshowConnection.connect(url: url)
                    _ = try await c.call("auth", ["token": .string(token)])
                    let meeting = streams[w % streams.count]
                    var n = 0
                    while !Task.isCancelled {
                        let text = "r\(round)-w\(w)-\(n)"
                        let (op, args): (String, JSON) = switch n % 3 {
                        case 0: ("checklist.add", ["meeting": .string(meeting), "text": .string(text), "requestKey": .string(text)])
                        case 1: ("agenda.add", ["meeting": .string(meeting), "title": .string(text), "minutes": 5, "requestKey": .string(text)])
                        default: ("roster.add", ["meeting": .string(meeting), "name": .string(text), "unit": "测试单位", "role": "observer",
                                                 "requestKey": .string(text)])
                        }
                        let r = try await c.call(op, args)
                        acked.add(text, meeting: meeting, seq: r["seq"]?.intValue ?? -1)
                        n += 1
                    }
                }
            }
            // A random moment: 150–900 ms into the round, once some changes are acknowledged.
            let start = acked.count
            try await Task.sleep(for: .milliseconds(Int.random(in: 150...900, using: &rng)))
            let deadline = ContinuousClock.now + .seconds(30)
            while acked.count < start + 10, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            server.kill9()
            for w in writers { _ = await w.result }
            server = try ServerProcess(database: db)
        }
        defer { server.terminate() }

        // Every acknowledged change is stored exactly once, where its seq says.
        let check = try await RoadshowConnection.connect(url: server.url)
        _ = try await check.call("auth", ["token": .string(token)])
        let store = try EventStore.open(path: db)
        for meeting in meetings {
            let events = try store.events(stream: meeting, after: 0)
            #expect(events.map(\.seq) == Array(1...Int64(events.count)), "contiguous seqs in \(meeting)")
            let snapshot = try #require(try await check.call("meeting.get", ["meeting": .string(meeting)])["snapshot"])
            var texts: [String] = []
            texts += snapshot["checklist"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? []
            texts += snapshot["agenda"]?.arrayValue?.compactMap { $0["title"]?.stringValue } ?? []
            texts += snapshot["roster"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            let mine = acked.all.filter { $0.meeting == meeting }
            for a in mine {
                #expect(texts.filter { $0 == a.text }.count == 1, "\(a.text): \(texts.filter { $0 == a.text }.count) times")
            }
        }
        #expect(acked.count >= 30, "only \(acked.count) acknowledged")

        // The query tables equal a rebuild from the log.
        let rebuiltPath = dir.appendingPathComponent("rebuilt.sqlite").path
        let rebuilt = try EventStore.open(path: rebuiltPath)
        for (_, events) in try store.allStreams() { try rebuilt.commit([Commit(events: events)]) }
        for table in ["meetings", "participants", "accounts", "dispatch_records", "dispatch_feedback"] {
            let a = try await store.writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map(\.description) }
            let b = try await rebuilt.writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map(\.description) }
            #expect(a == b, "\(table) differs from a rebuild from the log")
        }
    }
}
