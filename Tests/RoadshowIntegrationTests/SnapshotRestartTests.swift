import Foundation
import GRDB
import RoadshowClient
import RoadshowCore
import RoadshowStore
import Testing

/// Stream snapshots through the real server (docs/architecture.md, "Snapshots"):
/// a clean stop writes them, the next start reads them and only the events
/// after them, a kill -9 leaves a tail that the start replays, and what the
/// server serves after each restart equals what it served before, and what a
/// full replay of the log serves. `roadshow verify` checks them.
@Suite("Stream snapshots across restarts")
struct SnapshotRestartTests {
    /// What the server says about each stream, less what depends on the clock.
    static func observe(_ c: RoadshowConnection, meetings: [String], record: String) async throws -> [String: JSON] {
        func clean(_ j: JSON) -> JSON {
            guard case .object(var o) = j else { return j }
            o["serverTime"] = nil
            o["calendar"] = nil
            if case .object(var r)? = o["record"] {
                r["due"] = nil
                o["record"] = .object(r)
            }
            return .object(o)
        }
        var out: [String: JSON] = [:]
        for m in meetings { out[m] = clean(try await c.call("meeting.get", ["meeting": .string(m)])) }
        out[record] = clean(try await c.call("dispatch.get", ["record": .string(record)]))
        out["accounts"] = try await c.call("account.list", [:])
        out["meetings"] = clean(try await c.call("meeting.list", [:]))
        return out
    }

    static func differences(_ a: [String: JSON], _ b: [String: JSON]) -> [String] {
        Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }
    }

    static func snapshotHeads(_ db: String) throws -> [String: (seq: Int64, version: Int)] {
        let q = try DatabaseQueue(path: db)
        defer { try? q.close() }
        return try q.read { db in
            var out: [String: (seq: Int64, version: Int)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT stream, seq, version FROM stream_snapshots") { out[row["stream"]] = (row["seq"], row["version"]) }
            return out
        }
    }

    static func lastSeqs(_ db: String) throws -> [String: Int64] {
        let q = try DatabaseQueue(path: db)
        defer { try? q.close() }
        return try q.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT stream, MAX(seq) AS last FROM events GROUP BY stream").map { ($0["stream"], $0["last"]) })
        }
    }

    @Test("state after a clean restart, after kill -9 mid-write and after a full replay is the same; verify checks the snapshots and finds a tampered one")
    func restarts() async throws {
        // Snapshots every 40 events (and at the stop), so one is written while serving too.
        let every = ["--snapshot-every", "40"]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-snapshots-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("roadshow.sqlite").path
        var server = try ServerProcess(database: db, arguments: every)
        let admin = try await server.connect()
        let unit = try await admin.call("account.create", ["name": "高新区管委会", "kind": "unit"])
        let unitId = try #require(unit["account"]?["id"]?.stringValue)
        let unitToken = try #require(unit["token"]?.stringValue)
        var made: [String] = []
        for i in 0..<3 {
            let m = try #require(try await admin.call("meeting.create", TestServer.meetingArgs)["meeting"]?["id"]?.stringValue)
            made.append(m)
            let on = { (o: [String: JSON]) -> JSON in .object(o.merging(["meeting": .string(m)]) { a, _ in a }) }
            var people: [String] = []
            for (n, role) in ["host", "recorder", "unit", "unit"].enumerated() {
                let r = try await admin.call("roster.add", on(["name": .string("参会人\(n)"), "unit": .string("单位\(n)"), "role": .string(role), "phone": "139 0000 0000"]))
                people.append(try #require(r["participant"]?["id"]?.stringValue))
            }
            _ = try await admin.call("roster.update", on(["participant": .string(people[3]), "title": "科长"]))
            _ = try await admin.call("checklist.add", on(["text": .string("确认会场网络 \(i)")]))
            _ = try await admin.call("checklist.remove", on(["item": "C-3"]))
            _ = try await admin.call("agenda.add", on(["title": "项目推介", "minutes": 20]))
            _ = try await admin.call("agenda.add", on(["title": "交流", "minutes": 10, "position": 1]))
            _ = try await admin.call("meeting.update", on(["title": .string("路演 \(i)")]))
        }
        let meetings = made
        // One meeting on to its end and a dispatch record with feedback.
        for phase in ["rehearsal", "live", "ended"] {
            _ = try await admin.call("meeting.advance", ["meeting": .string(meetings[2]), "to": .string(phase), "force": true, "reason": "测试"])
        }
        let commissioner: JSON = ["name": "陈专员", "unit": "高新区", "title": "科长", "phone": "13800000000"]
        let record = try #require(try await admin.call("dispatch.create", [
            "meeting": .string(meetings[2]), "handlingUnit": .string(unitId), "stage": "initial_contact", "commissioner": commissioner,
        ])["record"]?["id"]?.stringValue)
        let unitConnection = try await server.connect(token: unitToken)
        _ = try await unitConnection.call("dispatch.feedback", ["record": .string(record), "text": "与企业会商用地方案，约定下月回访。", "stage": "negotiating", "commissioner": commissioner])
        // A hot meeting: past the snapshot threshold while serving.
        for n in 0..<90 {
            _ = try await admin.call("checklist.set", ["meeting": .string(meetings[0]), "item": "C-1", "done": .bool(n % 2 == 0), "note": .string("第\(n)次")])
        }
        let before = try await Self.observe(admin, meetings: meetings, record: record)

        // 1. A clean stop: every stream's snapshot at its last seq.
        #expect(server.terminate())
        let heads = try Self.snapshotHeads(db)
        let seqs = try Self.lastSeqs(db)
        #expect(Set(heads.keys) == Set(seqs.keys), "a snapshot of every stream")
        for (stream, seq) in seqs { #expect(heads[stream]?.seq == seq && heads[stream]?.version == StreamState.snapshotVersion, "\(stream)") }
        server = try ServerProcess(database: db, arguments: every)
        var c = try await server.connect()
        #expect(Self.differences(before, try await Self.observe(c, meetings: meetings, record: record)).isEmpty, "after a clean restart")

        // 2. More writes, killed mid-way: the snapshots are behind the log; the start replays the tail.
        let url = server.url
        let acked = AckedTexts()
        let targets = Array(meetings.prefix(2))
        let writer = Task {
            let w = try await RoadshowConnection.connect(url: url)
            _ = try await w.call("auth", ["token": .string(TestServer.adminToken)])
            var n = 0
            while true {
                let m = targets[n % 2]
                let r = try await w.call("checklist.set", ["meeting": .string(m), "item": "C-2", "done": .bool(n % 2 == 0), "note": .string("kill \(n)")])
                acked.add("kill \(n)", meeting: m, seq: r["seq"]?.intValue ?? -1)
                n += 1
            }
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while acked.count < 120, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        server.kill9()
        _ = await writer.result
        let afterKill = try Self.snapshotHeads(db)
        let seqsAfterKill = try Self.lastSeqs(db)
        #expect(meetings.prefix(2).contains { (afterKill[$0]?.seq ?? 0) < (seqsAfterKill[$0] ?? 0) }, "a tail after a snapshot to replay")
        #expect(meetings.prefix(2).contains { (afterKill[$0]?.seq ?? 0) > (heads[$0]?.seq ?? 0) }, "a snapshot written while serving (every 40 events)")
        for (stream, head) in afterKill { #expect(head.seq <= seqsAfterKill[stream] ?? 0, "\(stream): a snapshot ahead of the log") }

        server = try ServerProcess(database: db, arguments: every)
        c = try await server.connect()
        let fromSnapshots = try await Self.observe(c, meetings: meetings, record: record)
        for a in acked.all {
            #expect(fromSnapshots[a.meeting]?["seq"]?.intValue ?? 0 >= a.seq, "\(a.text) acknowledged at seq \(a.seq), not served after the restart")
        }
        #expect(fromSnapshots[meetings[2]] == before[meetings[2]] && fromSnapshots[record] == before[record], "streams not written since")
        c.close()
        #expect(server.terminate())

        // 3. The same database with no snapshots at all: a full replay serves the same.
        let q = try DatabaseQueue(path: db)
        try await q.write { try $0.execute(sql: "DELETE FROM stream_snapshots") }
        try q.close()
        server = try ServerProcess(database: db, arguments: every)
        c = try await server.connect()
        let replayed = try await Self.observe(c, meetings: meetings, record: record)
        #expect(Self.differences(fromSnapshots, replayed).isEmpty, "snapshot + tail differs from a full replay")
        c.close()
        #expect(server.terminate())

        // 3b. A snapshot that does not decode (its row otherwise fine): that stream comes from its log.
        let broken = try DatabaseQueue(path: db)
        try await broken.write { db in
            try db.execute(sql: "UPDATE stream_snapshots SET data = CAST('{\"meeting\": 1}' AS BLOB) WHERE stream = ?", arguments: [meetings[1]])
            #expect(db.changesCount == 1)
        }
        try broken.close()
        server = try ServerProcess(database: db, arguments: every)
        c = try await server.connect()
        #expect(Self.differences(replayed, try await Self.observe(c, meetings: meetings, record: record)).isEmpty, "with an undecodable snapshot")
        c.close()
        #expect(server.terminate())

        // 4. verify checks every snapshot; one changed by hand is found, by stream.
        let ok = try await CLIRunner.run(["verify", "--db", db, "--json"])
        #expect(ok.status == 0, "\(ok.stdout) \(ok.stderr)")
        #expect(ok.json?["snapshots"]?.intValue == Int64(seqs.count))
        let tampered = dir.appendingPathComponent("tampered.sqlite").path
        let t = try DatabaseQueue(path: tampered)
        try DatabaseQueue(path: db).backup(to: t)  // with what is still in the WAL
        try await t.write { db in
            let data = try #require(try Data.fetchOne(db, sql: "SELECT data FROM stream_snapshots WHERE stream = ?", arguments: [meetings[1]]))
            guard case .meeting(var m) = try StreamState(snapshotData: data) else { Issue.record("not a meeting"); return }
            m.info.title = "改过的标题"
            try db.execute(sql: "UPDATE stream_snapshots SET data = ? WHERE stream = ?", arguments: [Data(try StreamState.meeting(m).snapshotData()), meetings[1]])
        }
        try t.close()
        let found = try await CLIRunner.run(["verify", "--db", tampered])
        #expect(found.status != 0)
        #expect(found.stdout.contains("\(meetings[1]): snapshot: the snapshot at seq") && found.stdout.contains("differs from a replay"), "\(found.stdout)")
    }
}
