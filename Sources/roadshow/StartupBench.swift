import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import RoadshowClient
import RoadshowCore
import RoadshowStore

/// `roadshow bench --startup N`: how long `roadshow serve` takes to serve on a
/// database of N stored events. It seeds the database through the store (the
/// core decides every command, as the server would: meetings with rosters, AV
/// checks, queues, minutes, follow-up, dispatch records with feedback; the
/// credentials and stored requestKey replies those commands make; a few long
/// meetings of thousands of events), then times `serve` from its launch to the
/// first `200` from `/healthz`: once with no snapshots (every stream replayed
/// from its log, as before snapshots), and once with the snapshots the clean
/// stop before wrote. docs/performance.md, "Start-up", has the figures.
enum StartupBench {
    struct Options {
        var events: Int
        var database: String?
        var server: String?
        var runs: Int
    }

    static func run(_ o: Options) async throws {
        #if DEBUG
        print("(debug build: measure with `swift build -c release --product roadshow`)")
        #endif
        let fm = FileManager.default
        let temporary = o.database == nil
        let dir = fm.temporaryDirectory.appendingPathComponent("roadshow-startup-\(UUID().uuidString)")
        let db = o.database ?? dir.appendingPathComponent("startup.sqlite").path
        defer { if temporary { try? fm.removeItem(at: dir) } }

        let store = try prepare(db, events: o.events)
        let binary = o.server ?? CommandLine.arguments[0]
        print("timing \(binary) serve, launch → first 200 from /healthz, \(o.runs) run(s) each:")
        var cold: [Timing] = []
        var warm: [Timing] = []
        for _ in 0..<o.runs {
            try clearSnapshots(store)
            cold.append(try await time(binary: binary, database: db))
            warm.append(try await time(binary: binary, database: db))
        }
        report("no snapshots (whole log replayed)", cold)
        report("from snapshots (\(try snapshotCount(store)) stored)", warm)
    }

    /// Seeds the database up to `events` (if it has fewer) and says what it holds.
    static func prepare(_ db: String, events target: Int) throws -> EventStore {
        let fm = FileManager.default
        let store = try EventStore.open(path: db)
        let have = try store.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM events") ?? 0 }
        if have < target {
            var seeder = try StartupSeeder(store: store)
            let t0 = DispatchTime.now().uptimeNanoseconds
            try seeder.seed(upTo: target)
            let s = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            print("seeded \(seeder.events) events (\(seeder.commands) commands, \(seeder.failures) refused) in \(String(format: "%.1f", s)) s")
        }
        let (events, streams, replies, credentials) = try store.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM meetings") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM request_replies") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credentials") ?? 0)
        }
        let records = try store.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM dispatch_records") ?? 0 }
        try store.writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let size = (try? fm.attributesOfItem(atPath: db)[.size] as? Int) ?? 0
        print("database \(db): \(events) events, \(streams) meetings, \(records) dispatch records, \(credentials) credentials, \(replies) stored replies, \(size / 1_000_000) MB")
        return store
    }

    static func clearSnapshots(_ store: EventStore) throws {
        try store.writer.write { db in
            if try db.tableExists("stream_snapshots") { try db.execute(sql: "DELETE FROM stream_snapshots") }
        }
        try store.writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    static func snapshotCount(_ store: EventStore) throws -> Int {
        try store.writer.read { db in
            try db.tableExists("stream_snapshots") ? try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stream_snapshots") ?? 0 : 0
        }
    }

    /// Where the start-up time goes, in this process: the reads and, for the
    /// snapshots, parsing their JSON and decoding the states from it.
    static func profile(_ db: String) throws {
        let store = try EventStore.open(path: db)
        func ms(_ body: () throws -> Void) rethrows -> String {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            return String(format: "%.0f ms", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        var blobs: [Data] = []
        let read = try ms { blobs = try store.writer.read { try Data.fetchAll($0, sql: "SELECT data FROM stream_snapshots") } }
        var trees: [JSON] = []
        let parse = try ms { trees = try blobs.map { try JSON.parse($0) } }
        let decode = try ms { for t in trees { _ = try t.decode(StreamState.self) } }
        var load: StreamLoad?
        let all = try ms { load = try store.loadStreams() }
        let credentials = try ms { _ = try store.credentials() }
        let keys = try ms { _ = try store.storedReplyKeys() }
        let bytes = blobs.reduce(0) { $0 + $1.count }
        print("profile: \(blobs.count) snapshots, \(bytes / 1_000_000) MB: read \(read), parse \(parse), decode \(decode)")
        print("  loadStreams \(all) (\(load?.fromSnapshots ?? 0) from snapshots, \(load?.eventsReplayed ?? 0) events replayed); credentials \(credentials); stored reply keys \(keys)")
    }

    /// utime + stime of a process so far, in seconds (all its threads).
    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let u = Double(fields[11]), let s = Double(fields[12]) else { return 0 }
        return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    struct Timing {
        var ready: Double
        /// The server's CPU time (all threads) when it first answered: less
        /// sensitive than the wall time to what else the machine runs.
        var cpu: Double
        /// When the first `meeting.list` (every meeting's state) was answered.
        var listed: Double
        var stop: Double
        var peakMB: Int
        var loadLine: String
    }

    static func report(_ title: String, _ runs: [Timing]) {
        let best = runs.min { $0.ready < $1.ready }!
        let all = runs.map { String(format: "%.2f", $0.ready) }.joined(separator: ", ")
        print("  \(title): serving in \(String(format: "%.2f", best.ready)) s (runs: \(all) s; \(String(format: "%.2f", best.cpu)) s of CPU); first meeting.list answered at \(String(format: "%.2f", best.listed)) s; peak RSS \(best.peakMB) MB; clean stop \(String(format: "%.2f", best.stop)) s")
        if !best.loadLine.isEmpty { print("    server: \(best.loadLine)") }
    }

    /// Launches `serve`, waits for `/healthz` to answer 200, stops it with SIGTERM.
    static func time(binary: String, database: String) async throws -> Timing {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-startup-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let web = FileManager.default.fileExists(atPath: "web") ? "web" : FileManager.default.temporaryDirectory.path
        let process = Process()
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--port", "0", "--db", database, "--web", web, "--log-level", "info"]
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: log)
        let t0 = DispatchTime.now().uptimeNanoseconds
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let r = text.range(of: #"127\.0\.0\.1:\d+"#, options: .regularExpression), let port = Int(text[r].split(separator: ":")[1]) else {
            process.terminate()
            throw ValidationError("\(binary) did not start: \(text)")
        }
        let url = URL(string: "http://127.0.0.1:\(port)/healthz")!
        var ready = 0.0
        var cpu = 0.0
        for _ in 0..<10_000 {
            if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 {
                ready = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                cpu = cpuSeconds(process.processIdentifier)
                break
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        // Then a list of every meeting: the first request that needs every state.
        var listed = 0.0
        if let c = try? await RoadshowConnection.connect(url: "ws://127.0.0.1:\(port)/ws") {
            if (try? await c.call("auth", ["token": .string(StartupSeeder.adminToken)])) != nil,
                (try? await c.call("meeting.list", [:])) != nil {
                listed = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            }
            c.close()
        }
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        let s0 = DispatchTime.now().uptimeNanoseconds
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let stop = Double(DispatchTime.now().uptimeNanoseconds - s0) / 1e9
        let lines = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let loadLine = lines.split(separator: "\n").first { $0.contains("loaded") && $0.contains("streams") }
            .map { line in line.range(of: "loaded").map { String(line[$0.lowerBound...]) } ?? String(line) } ?? ""
        return Timing(ready: ready, cpu: cpu, listed: listed, stop: stop, peakMB: peak / 1024, loadLine: loadLine)
    }
}

/// A deterministic random source shared by reference, so the `Context` a
/// command is decided with advances the seeder's own sequence.
final class SeedRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Writes a realistic log through the store: every command decided by the core
/// against the state so far, committed with its credentials and its stored
/// reply, as the engine would, in transactions of a few thousand events.
struct StartupSeeder {
    let store: EventStore
    var states: [String: (state: StreamState?, seq: Int64)] = [:]
    let rng = SeedRandom(seed: 20_261_201)
    var clock = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    var pending: [Commit] = []
    var pendingEvents = 0
    var events = 0
    var commands = 0
    var failures = 0
    var organizers: [Actor] = []
    var units: [Actor] = []

    struct World: DecisionWorld {
        let directory: AccountDirectory
        func account(_ id: String) -> Account? { directory.account(id) }
        func latestFeedback(handledBy unit: String, except record: String) -> [(record: String, text: String)] { [] }
    }

    init(store: EventStore) throws {
        self.store = store
        // Continue an existing database: its streams' states and seqs.
        for s in try store.loadStreams().streams { states[s.stream] = (s.state, s.seq) }
        events = try store.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM events") ?? 0 }
        rng.state &+= UInt64(events) &* 0xD1B5_4A32_D192_ED03  // new ids and tokens when continuing
        clock += Double(events) * 10
        if states[AccountDirectory.stream] == nil {
            let d = AccountDirectory.bootstrap(token: Self.adminToken, now: clock)
            append(Commit(events: d.events.enumerated().map { i, e in
                RecordedEvent(stream: AccountDirectory.stream, seq: Int64(i + 1), at: clock, by: AccountDirectory.adminId, event: e)
            }, credentials: d.credentials), stream: AccountDirectory.stream, state: StreamState.applying(d.events, to: nil), seq: Int64(d.events.count))
        }
        let admin = Actor(id: AccountDirectory.adminId, name: "Administrator", kind: .admin)
        for a in directory.accounts where a.kind != .admin {
            if a.kind == .organizer { organizers.append(Actor(id: a.id, name: a.name, kind: a.kind)) } else { units.append(Actor(id: a.id, name: a.name, kind: a.kind)) }
        }
        while organizers.count < 8 {
            guard let d = run("account.create", ["name": .string("投资促进局\(organizers.count + 1)"), "kind": "organizer"], as: admin),
                let a = d.result["account"]?.decodeIfPossible(Account.self) else { break }
            organizers.append(Actor(id: a.id, name: a.name, kind: .organizer))
        }
        while units.count < 20 {
            guard let d = run("account.create", ["name": .string("承办单位\(units.count + 1)"), "kind": "unit"], as: admin),
                let a = d.result["account"]?.decodeIfPossible(Account.self) else { break }
            units.append(Actor(id: a.id, name: a.name, kind: .unit))
        }
    }

    static let adminToken = "startup-bench-admin-token-0123456789"

    var directory: AccountDirectory { states[AccountDirectory.stream]?.state?.accounts ?? AccountDirectory() }

    mutating func seed(upTo target: Int) throws {
        var n = 0
        while events + pendingEvents < target {
            meeting(n, long: n % 250 == 249)
            n += 1
            if n % 500 == 0 { print("  … \(events + pendingEvents) events") }
        }
        try flush()
    }

    private mutating func append(_ commit: Commit, stream: String, state: StreamState?, seq: Int64) {
        states[stream] = (state, seq)
        pending.append(commit)
        pendingEvents += commit.events.count
        if pendingEvents >= 5_000 { try! flush() }
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        try store.commit(pending)
        events += pendingEvents
        pending.removeAll(keepingCapacity: true)
        pendingEvents = 0
    }

    /// Decides `op` as `actor` on the state so far and queues its commit; nil when the core refuses it.
    @discardableResult
    mutating func run(_ op: String, _ args: JSON, as actor: Actor) -> Decision? {
        guard let mutation = Operations.mutations[op], case .object(var fields) = args else { fatalError("no op \(op)") }
        clock += Double(1 + rng.below(30))
        let key = "k" + String(rng.next(), radix: 36)
        fields["requestKey"] = .string(key)
        do {
            let a = try Args(.object(fields))
            let target = try mutation.target(a)
            let sid: String?
            switch target {
            case .accounts: sid = AccountDirectory.stream
            case .meeting(let id), .record(let id): sid = id
            case .new: sid = nil
            }
            let current = sid.flatMap { states[$0] }
            var ctx = Context(now: clock, actor: actor, rng: rng, world: World(directory: directory))
            let d = try mutation.decide(a, current?.state, &ctx)
            commands += 1
            guard let streamId = d.newStream ?? sid, !d.events.isEmpty else { return d }
            // A new stream's id is random: one already taken is decided again, as the server asks a client to retry.
            if d.newStream != nil, states[streamId] != nil { return run(op, args, as: actor) }
            if let (spawned, _) = d.spawned, states[spawned] != nil { return run(op, args, as: actor) }
            let base = current?.seq ?? 0
            var recorded: [RecordedEvent] = []
            var spawnedSeq: Int64?
            if let (spawned, evs) = d.spawned {
                recorded = evs.enumerated().map { i, e in RecordedEvent(stream: spawned, seq: Int64(i + 1), at: clock, by: actor.id, event: e) }
                states[spawned] = (StreamState.applying(evs, to: nil), Int64(evs.count))
                spawnedSeq = Int64(evs.count)
            }
            let mine = d.events.enumerated().map { i, e in RecordedEvent(stream: streamId, seq: base + Int64(i + 1), at: clock, by: actor.id, event: e) }
            let lastSeq = mine.last!.seq
            var storable = d
            if spawnedSeq != nil { storable.result["meetingSeq"] = .int(lastSeq) }
            let reply = StoredReply(
                actor: actor.id, scope: target.keyScope, key: key, op: op, result: storable.storableResult(seq: spawnedSeq ?? lastSeq))
            append(
                Commit(events: recorded + mine, credentials: d.credentials, reply: reply), stream: streamId,
                state: StreamState.applying(d.events, to: current?.state), seq: lastSeq)
            return d
        } catch {
            failures += 1
            if failures <= 5 { print("  refused: \(op) \(args.encodedString.prefix(120)): \(error)") }
            return nil
        }
    }

    func participant(_ meeting: String, _ id: String) -> Actor {
        let p = states[meeting]?.state?.meeting?.participant(id)
        return Actor(id: id, name: p?.displayName ?? id, kind: .participant, meeting: meeting)
    }

    /// One meeting from creation to its dispatch record's feedback: about 250
    /// events; `long` ones also have thousands of checklist changes.
    mutating func meeting(_ n: Int, long: Bool) {
        let org = organizers[n % organizers.count]
        guard let created = run("meeting.create", [
            "title": .string("第\(n)场项目线上路演"), "company": ["name": .string("企业\(n)有限公司"), "contact": "李总", "phone": "138 0000 0000"],
            "project": ["name": .string("项目\(n)"), "category": n % 5 == 0 ? "non_industrial" : "industrial", "industry": "新能源", "investment": .double(Double(1 + rng.below(500)) / 10)],
            "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 90,
            "system": ["name": "腾讯会议", "room": "123-456-789", "link": "https://meeting.tencent.com/dm/demo"],
        ], as: org), let m = created.newStream else { return }
        let on = { (extra: [String: JSON]) -> JSON in
            var o = extra
            o["meeting"] = .string(m)
            return .object(o)
        }
        var people: [String] = []
        var unitNames: [String] = []
        let size = 6 + rng.below(20)
        for i in 0..<size {
            let role = i == 0 ? "host" : i == 1 ? "recorder" : i == 2 ? "company" : "unit"
            let unit = i == 2 ? "企业\(n)有限公司" : "单位\(i)"
            if role == "unit" { unitNames.append(unit) }
            if let d = run("roster.add", on(["name": .string("参会人\(i)"), "unit": .string(unit), "role": .string(role), "phone": .string("139 0000 \(String(format: "%04d", i))")]), as: org),
                let id = d.result["participant"]?["id"]?.stringValue {
                people.append(id)
            }
        }
        guard people.count >= 4 else { return }
        let host = people[0], recorder = people[1]
        for p in people where rng.below(10) > 0 { run("roster.confirm", on(["attending": true]), as: participant(m, p)) }
        for k in 1...(3 + rng.below(10)) { run("checklist.set", on(["item": .string("C-\(k)"), "done": true, "note": "已落实"]), as: org) }
        let agenda = 3 + rng.below(4)
        for k in 0..<agenda { run("agenda.add", on(["title": .string("议程\(k + 1)"), "minutes": 10, "speaker": .string(people[k % people.count])]), as: org) }
        run("meeting.advance", on(["to": "rehearsal", "force": true, "reason": "按计划联调"]), as: org)
        for p in people {
            for check in ["joined", "renamed", "mic", "speaker"] { run("av.mark", on(["participant": .string(p), "check": .string(check), "result": "pass"]), as: org) }
        }
        run("meeting.advance", on(["to": "live", "force": true, "reason": "按时开始"]), as: org)
        for p in people { run("presence.set", on(["status": "present"]), as: participant(m, p)) }
        let hostActor = participant(m, host)
        for round in 0..<(3 + rng.below(12)) {
            if round % 3 == 0, round / 3 < agenda { run("agenda.next", on([:]), as: hostActor) }
            let asker = participant(m, people[3 + rng.below(people.count - 3)])
            run("queue.raise", on(["kind": "question", "text": .string("关于用地和能耗指标的问题\(round)")]), as: asker)
            run("queue.next", on([:]), as: hostActor)
            run("queue.release", on([:]), as: hostActor)
        }
        let kinds = ["intent", "needs", "prospects", "decision", "contact"]
        for k in 0..<(5 + rng.below(15)) {
            run("minutes.add", on(["kind": .string(kinds[k % kinds.count]), "text": .string("纪要第\(k + 1)条：企业拟分期投资建设，需协调用地、供电和人才公寓。")]), as: participant(m, recorder))
        }
        if long {
            for k in 0..<3_000 { run("checklist.set", on(["item": "C-1", "done": .bool(k % 2 == 0), "note": .string("第\(k)次核对")]), as: org) }
        }
        run("agenda.finish", on([:]), as: hostActor)
        run("meeting.advance", on(["to": "ended", "force": true, "reason": "会后补记"]), as: org)
        for unit in unitNames.prefix(1 + rng.below(3)) {
            run("followup.assess", on(["unit": .string(unit), "feasible": true, "willingToHost": true, "comment": "具备承接条件"]), as: org)
        }
        run("followup.intent", on(["furtherTalks": true, "district": "黄山高新区"]), as: org)
        let commissioner: JSON = ["name": "陈专员", "unit": "高新区", "title": "科长", "phone": "13800000000"]
        let unit = units[n % units.count]
        let stage = n % 5 == 0 ? "matter_connected" : "initial_contact"  // the non-industrial ones start there
        guard let dispatched = run("dispatch.create", on(["handlingUnit": .string(unit.id), "stage": .string(stage), "commissioner": commissioner]), as: org),
            let record = dispatched.spawned?.stream else { return }
        for k in 0..<(1 + rng.below(15)) {
            run("dispatch.feedback", [
                "record": .string(record), "stage": .string(n % 5 == 0 ? "matter_connected" : "negotiating"), "commissioner": commissioner,
                "text": .string(feedbackText(k)),
            ], as: unit)
        }
    }
}

extension StartupSeeder {
    static let fragments = [
        "赴企业总部洽谈一期用地", "市发改委受理能耗指标申请", "企业董事会通过投资决议", "双方约定签署框架协议",
        "自然资源局完成选址踏勘", "供电公司确认双回路方案", "人才公寓配套纳入园区计划", "产业基金完成尽职调查",
        "环评报告进入专家评审", "企业提交项目建议书", "区政府召开专题协调会", "银行授信额度初步确定",
        "厂房代建方案报区领导审定", "设备采购清单已经确定", "企业高管来园区二次考察", "招商合同条款法务审核",
    ]

    /// A feedback text unlike the one before it (the core refuses a near copy).
    func feedbackText(_ k: Int) -> String {
        var parts: [String] = []
        for _ in 0..<3 { parts.append(Self.fragments[rng.below(Self.fragments.count)]) }
        return "第\(k + 1)期：\(1 + rng.below(12))月\(1 + rng.below(28))日\(parts.joined(separator: "，"))，编号\(String(rng.next(), radix: 36))。"
    }
}

extension JSON {
    func decodeIfPossible<T: Decodable>(_ type: T.Type) -> T? { try? decode(type) }
}
