import Foundation
import GRDB
import Testing

@testable import RoadshowCore
@testable import RoadshowStore

/// Streams decided by the core command by command (as the server decides
/// them), so the states snapshotted are real ones: an accounts directory, two
/// meetings through their phases, a dispatch record with feedback and an
/// escalation. Whole-second clock: stored times read back equal.
struct SnapshotScript {
    var states: [String: StreamState] = [:]
    var log: [String: [RecordedEvent]] = [:]
    var clock = StoreFixture.t0
    var rng = SeededRandom(state: 7)
    static let admin = Actor(id: AccountDirectory.adminId, name: "Administrator", kind: .admin)

    struct SeededRandom: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct World: DecisionWorld {
        let directory: AccountDirectory?
        func account(_ id: String) -> Account? { directory?.account(id) }
        func latestFeedback(handledBy unit: String, except record: String) -> [(record: String, text: String)] { [] }
    }

    /// Decides `op` and keeps its events (not yet stored: `commit` does).
    @discardableResult
    mutating func run(_ op: String, _ args: JSON, as actor: Actor) throws -> Decision {
        clock += 1
        let mutation = try #require(Operations.mutations[op])
        let a = try Args(args)
        let target = try mutation.target(a)
        var id: String?
        switch target {
        case .accounts: id = AccountDirectory.stream
        case .meeting(let m), .record(let m): id = m
        case .new: id = nil
        }
        var ctx = Context(now: clock, actor: actor, rng: rng, world: World(directory: states[AccountDirectory.stream]?.accounts))
        let d = try mutation.decide(a, id.flatMap { states[$0] }, &ctx)
        rng = ctx.rng as! SeededRandom
        if let (spawned, events) = d.spawned { append(spawned, events, by: actor) }
        append(try #require(d.newStream ?? id), d.events, by: actor)
        return d
    }

    mutating func append(_ stream: String, _ events: [DomainEvent], by actor: Actor) {
        let base = Int64(log[stream]?.count ?? 0)
        log[stream, default: []] += events.enumerated().map { i, e in
            RecordedEvent(stream: stream, seq: base + Int64(i + 1), at: clock, by: actor.id, event: e)
        }
        states[stream] = StreamState.applying(events, to: states[stream])
    }

    /// The state of `stream` after its first `seq` events, as replayed from their stored form.
    func state(_ stream: String, at seq: Int64) throws -> StreamState? {
        try StreamState.applying(log[stream, default: []].prefix(Int(seq)).map { try DomainEvent(type: $0.event.type, data: JSON.parse($0.data)) }, to: nil)
    }

    /// Four streams: accounts, meetings A and B, and B's dispatch record.
    static func build() throws -> (script: SnapshotScript, meetings: [String], record: String) {
        var s = SnapshotScript()
        let bootstrap = AccountDirectory.bootstrap(token: "snapshot-test-admin-token-0123456789", now: s.clock)
        s.append(AccountDirectory.stream, bootstrap.events, by: admin)
        let organizer = try s.account("投资促进局", kind: "organizer")
        let unit = try s.account("高新区管委会", kind: "unit")
        var meetings: [String] = []
        for title in ["储能电池项目路演", "生物医药项目路演"] {
            let m = try #require(try s.run("meeting.create", [
                "title": .string(title), "company": ["name": "皖南新能源科技有限公司", "contact": "李总"],
                "project": ["name": "年产5GWh储能电池生产基地", "category": "industrial", "investment": 12.5],
                "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 90, "system": ["name": "腾讯会议"],
            ], as: organizer).newStream)
            meetings.append(m)
            let on = { (o: [String: JSON]) -> JSON in .object(o.merging(["meeting": .string(m)]) { a, _ in a }) }
            var people: [String] = []
            for (i, role) in ["host", "recorder", "company", "unit", "unit"].enumerated() {
                let d = try s.run("roster.add", on(["name": .string("参会人\(i)"), "unit": .string("单位\(i)"), "role": .string(role), "phone": "139 0000 0000"]), as: organizer)
                people.append(try #require(d.result["participant"]?["id"]?.stringValue))
            }
            try s.run("checklist.add", on(["text": "确认会场网络"]), as: organizer)
            try s.run("checklist.set", on(["item": "C-2", "done": true, "note": "已完成"]), as: organizer)
            try s.run("checklist.remove", on(["item": "C-3"]), as: organizer)
            try s.run("agenda.add", on(["title": "项目推介", "minutes": 20, "speaker": .string(people[2])]), as: organizer)
            try s.run("agenda.add", on(["title": "交流提问", "minutes": 30]), as: organizer)
            try s.run("meeting.advance", on(["to": "rehearsal"]), as: organizer)
            for p in people { try s.run("av.mark", on(["participant": .string(p), "check": "joined", "result": "pass"]), as: organizer) }
            try s.run("meeting.advance", on(["to": "live", "force": true, "reason": "按时开始"]), as: organizer)
            let host = s.participant(m, people[0])
            try s.run("agenda.next", on([:]), as: host)
            try s.run("queue.raise", on(["kind": "question", "text": "用地指标如何解决？"]), as: s.participant(m, people[3]))
            try s.run("queue.next", on([:]), as: host)
            try s.run("queue.release", on([:]), as: host)
            try s.run("minutes.add", on(["kind": "intent", "text": "拟分两期建设。"]), as: s.participant(m, people[1]))
            try s.run("agenda.finish", on([:]), as: host)
            try s.run("meeting.advance", on(["to": "ended", "force": true, "reason": "会后补记"]), as: organizer)
            try s.run("followup.assess", on(["unit": "单位3", "feasible": true, "willingToHost": true, "comment": "可以承接"]), as: organizer)
        }
        let commissioner: JSON = ["name": "陈专员", "unit": "高新区", "title": "科长", "phone": "13800000000"]
        let d = try s.run("dispatch.create", ["meeting": .string(meetings[1]), "handlingUnit": .string(unit.id), "stage": "initial_contact", "commissioner": commissioner], as: organizer)
        let record = try #require(d.spawned?.stream)
        for text in ["11月4日赴企业总部洽谈，确定一期用地80亩，拟下月签约。", "市发改委已受理能耗指标申请，正在组织专家评审，预计下旬出结果。", "企业董事会通过投资决议，双方约定12月中旬签署框架协议。"] {
            try s.run("dispatch.feedback", ["record": .string(record), "text": .string(text), "stage": "negotiating", "commissioner": commissioner], as: unit)
        }
        try s.run("dispatch.escalate", ["record": .string(record), "to": "city", "reason": "能耗指标需市级协调"], as: unit)
        try s.run("dispatch.answer", ["record": .string(record), "escalation": "E-1", "text": "市发改委统筹解决"], as: organizer)
        return (s, meetings, record)
    }

    mutating func account(_ name: String, kind: String) throws -> Actor {
        let d = try run("account.create", ["name": .string(name), "kind": .string(kind)], as: Self.admin)
        let a = try #require(try d.result["account"]?.decode(Account.self))
        return Actor(id: a.id, name: a.name, kind: a.kind)
    }

    func participant(_ meeting: String, _ id: String) -> Actor {
        let p = states[meeting]!.meeting!.participant(id)!
        return Actor(id: p.id, name: p.displayName, kind: .participant, meeting: meeting)
    }

    /// Stores every stream's events with `seq <= cut(stream)`.
    func commit(to store: EventStore, upTo cut: (String) -> Int64) throws {
        for (stream, events) in log.sorted(by: { $0.key < $1.key }) {
            let have = try store.lastSeq(stream: stream)
            let more = events.filter { $0.seq > have && $0.seq <= cut(stream) }
            if !more.isEmpty { try store.commit([Commit(events: more)]) }
        }
    }
}

@Suite("Stream snapshots: start-up from a snapshot and the events after it")
struct SnapshotTests {
    /// Snapshot cut points: part-way through each stream.
    static func cuts(_ s: SnapshotScript) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for (stream, events) in s.log { out[stream] = max(1, Int64(events.count) * 2 / 3) }
        return out
    }

    /// What a full replay of the stored log gives, by stream.
    static func replay(_ store: EventStore) throws -> [String: (state: StreamState?, seq: Int64)] {
        var out: [String: (state: StreamState?, seq: Int64)] = [:]
        for (stream, events) in try store.allStreams() { out[stream] = (StreamState.applying(events.map(\.event), to: nil), events.last?.seq ?? 0) }
        return out
    }

    /// Snapshots taken part-way through, more events stored after them.
    static func storeWithSnapshots(_ store: EventStore) throws -> (SnapshotScript, [String: Int64]) {
        let (s, _, _) = try SnapshotScript.build()
        let cuts = Self.cuts(s)
        try s.commit(to: store) { cuts[$0]! }
        let snapshots = try cuts.map { stream, seq in try StreamSnapshot(stream: stream, seq: seq, state: #require(try s.state(stream, at: seq))) }
        #expect(try store.saveSnapshots(snapshots) == snapshots.count)
        try s.commit(to: store) { _ in .max }
        return (s, cuts)
    }

    @Test("snapshot + tail equals a full replay for every stream (accounts, meetings, a dispatch record)", arguments: StoreKind.allCases)
    func snapshotPlusTail(kind: StoreKind) throws {
        try kind.withStore { store throws in
            let (s, cuts) = try Self.storeWithSnapshots(store)
            let full = try Self.replay(store)
            let load = try store.loadStreams()
            #expect(load.streams.count == 4)
            #expect(load.fromSnapshots == 4 && load.ignored.isEmpty)
            let total = s.log.values.reduce(0) { $0 + $1.count }
            #expect(load.eventsReplayed == total - Int(cuts.values.reduce(0, +)), "only the tails are replayed")
            for l in load.streams {
                #expect(l.snapshotSeq == cuts[l.stream])
                #expect(l.seq == full[l.stream]?.seq && l.seq > l.snapshotSeq)
                #expect(l.state == full[l.stream]?.state, "\(l.stream): snapshot + tail differs from a full replay")
                // And equal to the states as decided (live, never stored).
                #expect(l.state == s.states[l.stream], "\(l.stream): differs from the decided state")
            }
            // A snapshot at the very end: nothing to replay.
            let heads = try store.allStreams().map { ($0.stream, $0.events.count) }
            try store.saveSnapshots(try heads.map { stream, n in try StreamSnapshot(stream: stream, seq: Int64(n), state: #require(full[stream]?.state)) })
            let again = try store.loadStreams()
            #expect(again.eventsReplayed == 0 && again.fromSnapshots == 4)
            #expect(again.streams.allSatisfy { $0.state == full[$0.stream]?.state && $0.snapshotSeq == $0.seq })
            #expect(try EventChain.verify(store.writer).problems.isEmpty)
        }
    }

    @Test("a snapshot of another version, corrupted, beyond the log or of another log is not used: that stream is replayed from its log")
    func fallback() throws {
        let store = try EventStore.inMemory()
        let (s, _) = try Self.storeWithSnapshots(store)
        let full = try Self.replay(store)
        let accounts = AccountDirectory.stream
        let meetings = s.log.keys.filter { $0.hasPrefix("M-") }.sorted()
        let record = try #require(s.log.keys.first { $0.hasPrefix("D-") })
        try store.writer.write { db in
            try db.execute(sql: "UPDATE stream_snapshots SET version = version + 1 WHERE stream = ?", arguments: [meetings[0]])
            try db.execute(sql: "UPDATE stream_snapshots SET data = CAST('{\"meeting\": {\"info\": 3' AS BLOB) WHERE stream = ?", arguments: [meetings[1]])
            try db.execute(sql: "UPDATE stream_snapshots SET seq = 999 WHERE stream = ?", arguments: [record])
            try db.execute(sql: "UPDATE stream_snapshots SET hash = 'not the hash' WHERE stream = ?", arguments: [accounts])
        }
        let load = try store.loadStreams()
        #expect(load.fromSnapshots == 0 && load.ignored.count == 4)
        #expect(load.eventsReplayed == s.log.values.reduce(0) { $0 + $1.count })
        for l in load.streams {
            #expect(l.snapshotSeq == 0)
            #expect(l.state == full[l.stream]?.state, "\(l.stream): the fallback differs from a full replay")
        }
        let reasons = Dictionary(load.ignored.map { ($0.stream, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(reasons[meetings[0]]?.contains("version") == true)
        #expect(reasons[meetings[1]]?.contains("unreadable") == true)
        #expect(reasons[record]?.contains("beyond the log") == true)
        #expect(reasons[accounts]?.contains("another log") == true)
        // A row whose columns are not even of their types falls back too, without a crash.
        try store.writer.write { db in
            try db.execute(sql: "UPDATE stream_snapshots SET version = 'x', data = 42 WHERE stream = ?", arguments: [meetings[1]])
            try db.execute(sql: "DELETE FROM stream_snapshots WHERE stream = ?", arguments: [meetings[0]])
        }
        let again = try store.loadStreams()
        #expect(again.streams.allSatisfy { $0.state == full[$0.stream]?.state })
        #expect(again.ignored.count == 3, "the deleted one is simply missing")
    }

    @Test("saveSnapshots stores nothing ahead of the log, keeps a newer snapshot over an older one, replaces one of another version")
    func neverAhead() throws {
        let store = try EventStore.inMemory()
        let (s, _, _) = try SnapshotScript.build()
        try s.commit(to: store) { _ in 10 }
        let m = try #require(s.log.keys.first { $0.hasPrefix("M-") })
        let at = { (seq: Int64) in try StreamSnapshot(stream: m, seq: seq, state: #require(try s.state(m, at: seq))) }
        #expect(try store.saveSnapshots([try at(11)]) == 0, "seq 11 is not committed")
        #expect(try store.saveSnapshots([StreamSnapshot(stream: "M-NONE", seq: 1, data: Array("{}".utf8))]) == 0)
        #expect(try store.snapshotHeads().isEmpty)
        #expect(try store.saveSnapshots([try at(8)]) == 1)
        #expect(try store.saveSnapshots([try at(5)]) == 0, "an older one does not replace a newer")
        #expect(try store.snapshotHeads()[m]?.seq == 8)
        let other = try at(3)
        #expect(try store.saveSnapshots([StreamSnapshot(stream: m, seq: 3, version: StreamState.snapshotVersion + 1, data: other.data)]) == 1)
        #expect(try store.snapshotHeads()[m]?.version == StreamState.snapshotVersion + 1)
        #expect(try store.saveSnapshots([try at(4)]) == 1, "this version's replaces another version's")
        #expect(try store.snapshotHeads()[m]?.seq == 4)
    }

    @Test("verify checks each snapshot against a replay up to its seq and names the stream of one that differs")
    func verifyFindsTamperedSnapshot() throws {
        let store = try EventStore.inMemory()
        let (s, cuts) = try Self.storeWithSnapshots(store)
        let clean = try EventChain.verify(store.writer)
        #expect(clean.problems.isEmpty, "\(clean.problems)")
        #expect(clean.snapshots == 4)
        // A meeting's snapshot replaced by its state one event earlier, under the same seq and hash: decodable, but wrong.
        let m = try #require(s.log.keys.sorted().first { $0.hasPrefix("M-") })
        let wrong = try #require(try s.state(m, at: cuts[m]! - 1)).snapshotData()
        try store.writer.write { db in
            try db.execute(sql: "UPDATE stream_snapshots SET data = ? WHERE stream = ?", arguments: [Data(wrong), m])
        }
        let found = try EventChain.verify(store.writer).problems
        #expect(found.count == 1)
        #expect(found.first?.stream == m && found.first?.description.contains("differs from a replay") == true, "\(found)")
        // Beyond the log, and unreadable, are named too; another version's is not checked.
        try store.writer.write { db in
            try db.execute(sql: "UPDATE stream_snapshots SET data = CAST('nope' AS BLOB) WHERE stream = ?", arguments: [m])
            try db.execute(sql: "UPDATE stream_snapshots SET seq = seq + 1000 WHERE stream LIKE 'D-%'")
            try db.execute(sql: "UPDATE stream_snapshots SET version = 0 WHERE stream = ?", arguments: [AccountDirectory.stream])
        }
        let more = try EventChain.verify(store.writer)
        #expect(more.snapshots == 3)
        #expect(more.problems.count == 2)
        #expect(more.problems.contains { $0.stream == m && $0.description.contains("cannot be read") })
        #expect(more.problems.contains { $0.stream?.hasPrefix("D-") == true && $0.description.contains("beyond the log") })
    }
}
