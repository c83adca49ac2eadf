import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RoadshowClient
import RoadshowCore
import RoadshowServer

/// `roadshow bench`: starts a server of its own on a free port with a fresh
/// database, loads it with subscribers and writers over real WebSockets, and
/// prints the figures. Nothing is asserted: it measures.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the server: commit rate, fan-out latency and server CPU per delivered event.",
        discussion: """
            Starts `roadshow serve` on a free port with a temporary database, opens \
            --subscribers connections subscribed to one meeting, and sends --events \
            changes to it, one at a time, each acknowledged only after its commit. Then \
            --one-meeting-writers connections write to ONE meeting at once, each sending \
            --one-meeting-per-writer changes without waiting (the stream's pipeline), and \
            --writers connections write to meetings of their own at once (group commit). \
            Prints acknowledged changes per second, the time from a change's send to its \
            arrival at the last subscriber (p50/p99), and the server's CPU time per \
            delivered event (from /proc). With --baseline, the same fan-out runs against \
            a bare libwebsockets broadcast server with frames of the same size, and the \
            ratio of CPU per delivered event is printed.

            First, without a server, it prints the cost of encoding one event frame \
            (a ~1.5 KB queue.raised) with the core's own encoder, beside the Foundation \
            JSONEncoder round trip it replaced; --encode-only stops there.

            Examples:
              roadshow bench --encode-only
              roadshow bench
              roadshow bench --subscribers 2000 --events 300 --writers 8
              roadshow bench --baseline .build/bare-broadcast
              roadshow bench --one-meeting-writers 20 --one-meeting-per-writer 150
            """)

    @Option(help: "Connections subscribed to the meeting that receives the changes.")
    var subscribers = 500

    @Option(help: "Changes sent one after another to the watched meeting.")
    var events = 200

    /// The n-th change of the benchmark: a new note on the first checklist item
    /// (one event each, and a meeting never fills up however long the run).
    static func change(_ meeting: String, _ n: Int) -> JSON {
        ["meeting": .string(meeting), "item": "C-1", "done": .bool(n % 2 == 0), "note": .string("bench \(n)")]
    }

    @Option(help: "A bare libwebsockets broadcast server (Tests/bench/bare_broadcast.c, built by `make bench`) to run the same fan-out against, for the CPU ratio.")
    var baseline: String?

    @Option(name: .customLong("event-loop"), help: ArgumentHelp(
        "The event loop of both servers, roadshow serve's and the bare one (default: serve's default, libev where its plugin is installed).",
        valueName: "libev|poll"))
    var eventLoop: String?

    @Option(help: "Concurrent writers for the group-commit phase, each on its own meeting.")
    var writers = 8

    @Option(help: "Changes per writer in the group-commit phase, sent without waiting (at most 200: the per-connection burst).")
    var perWriter = 100

    @Option(help: "Connections writing to ONE meeting at once in the pipelined phase (0 skips it).")
    var oneMeetingWriters = 20

    @Option(help: "Changes each of them sends without waiting for the replies (at most 200: the per-connection burst).")
    var oneMeetingPerWriter = 100

    @Flag(help: "Only measure encoding an event frame (no server).")
    var encodeOnly = false

    @Option(help: ArgumentHelp(
        "Run a load scenario instead (repeatable): \(ScenarioBench.Scenario.names.joined(separator: ", ")). Participants join with their own tokens and subscribe; each meeting's host makes changes at a set rate; with --baseline the bare server runs the same fan-out.",
        valueName: "name"))
    var scenario: [String] = []

    @Option(help: ArgumentHelp("With --scenario: participants (overrides the scenario's).", valueName: "n"))
    var participants: Int?
    @Option(help: ArgumentHelp("With --scenario: meetings (overrides the scenario's).", valueName: "n"))
    var meetings: Int?
    @Option(help: ArgumentHelp("With --scenario: changes per second by each meeting's host (overrides the scenario's).", valueName: "n"))
    var rate: Double?
    @Option(help: ArgumentHelp("With --scenario: seconds of changes (overrides the scenario's).", valueName: "s"))
    var seconds: Double?

    @Flag(help: "Start the servers on CPU 0 only (taskset); run this under `taskset -c 1` for the load generator.")
    var pin = false

    @Flag(help: "With --scenario: print the figures as JSON (progress goes to stderr).")
    var json = false

    func validate() throws {
        for name in scenario where ScenarioBench.Scenario.named(name) == nil {
            throw ValidationError("--scenario \(name): not a scenario; choose from \(ScenarioBench.Scenario.names.joined(separator: ", "))")
        }
        if let participants, participants < 1 { throw ValidationError("--participants must be at least 1") }
        if let meetings, meetings < 1 { throw ValidationError("--meetings must be at least 1") }
        if let rate, !(rate > 0 && rate <= 50) { throw ValidationError("--rate must be above 0 and at most 50 (a connection's request rate)") }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be above 0") }
        guard (1...200).contains(perWriter) else {
            throw ValidationError("--per-writer must be between 1 and 200 (a connection's burst of requests)")
        }
        guard (1...200).contains(oneMeetingPerWriter) else {
            throw ValidationError("--one-meeting-per-writer must be between 1 and 200 (a connection's burst of requests)")
        }
    }

    // Start-up (StartupBench.swift): hidden, as it seeds a large database first.
    @Option(help: ArgumentHelp("Time `serve` on a database of this many stored events, without and with snapshots (and nothing else).", visibility: .hidden))
    var startup: Int?
    @Option(name: .customLong("startup-db"), help: ArgumentHelp("The database to seed (to this many events) and keep, for --startup.", valueName: "file", visibility: .hidden))
    var startupDatabase: String?
    @Option(name: .customLong("startup-server"), help: ArgumentHelp("Another roadshow executable to time (e.g. an older build), for --startup.", valueName: "file", visibility: .hidden))
    var startupServer: String?
    @Option(name: .customLong("startup-profile"), help: ArgumentHelp("Where a start on this database spends its time (in this process).", valueName: "file", visibility: .hidden))
    var startupProfile: String?
    @Option(name: .customLong("startup-runs"), help: ArgumentHelp("Starts of each kind, for --startup.", visibility: .hidden))
    var startupRuns = 3

    func run() async throws {
        if let startupProfile {
            try StartupBench.profile(startupProfile)
            return
        }
        if let startup {
            try await StartupBench.run(.init(events: startup, database: startupDatabase, server: startupServer, runs: max(1, startupRuns)))
            return
        }
        if !scenario.isEmpty {
            try await runScenarios()
            return
        }
        EncodeBench.run()
        if encodeOnly { return }
        LibwebsocketsLog.setLevel(Int32(ProcessInfo.processInfo.environment["ROADSHOW_LWS_LOG"] ?? "") ?? 0)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let adminToken = "bench-admin-token-\(UUID().uuidString.prefix(8))"
        let loop = eventLoop ?? ServerConfiguration.EventLoop.preferred.rawValue
        guard ServerConfiguration.EventLoop(rawValue: loop) != nil else { throw ValidationError("--event-loop must be libev or poll") }
        print("event loop: \(loop) (both servers)")
        let server = try BenchProcess(
            roadshow: CommandLine.arguments[0], database: dir.appendingPathComponent("bench.sqlite").path, adminToken: adminToken, eventLoop: loop,
            pinned: pin)
        defer { server.stop() }
        let url = "ws://127.0.0.1:\(server.port)/ws"

        let admin = try await RoadshowConnection.connect(url: url)
        _ = try await admin.call("auth", ["token": .string(adminToken)])
        let meetingArgs: JSON = [
            "title": "bench", "company": ["name": "bench"], "project": ["name": "bench", "category": "industrial"],
            "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 60, "system": ["name": "腾讯会议"],
        ]
        let meeting = try await admin.call("meeting.create", meetingArgs)["meeting"]?["id"]?.stringValue ?? ""

        let roadshow = try await Self.fanOut(
            url: url, token: adminToken, stream: meeting, subscribers: subscribers, events: events, cpu: server.cpuSeconds,
            rss: server.rssKiB)
        roadshow.print(title: "fan-out (roadshow serve)", events: events, subscribers: subscribers)
        if subscribers > 0 {
            print("  per connection     \(String(format: "%.3f", roadshow.connectCPU * 1000 / Double(subscribers))) ms server CPU to accept, sign in and subscribe; \(String(format: "%.1f", Double(roadshow.connectRSS) / Double(subscribers))) KiB RSS idle")
        }
        let afterFanOut = try await server.metrics()
        if let line = Self.histogram("roadshow_fanout_duration_seconds", afterFanOut) {
            print("  server fan-out     \(line) (landing → last subscriber's frame written)")
        }

        // The same load on a bare libwebsockets broadcast server: the floor.
        if let baseline {
            let bare = try BenchProcess(executable: baseline, arguments: ["0", String(roadshow.frameBytes), loop], pinned: pin)
            defer { bare.stop() }
            let result = try await Self.fanOut(
                url: "ws://127.0.0.1:\(bare.port)/ws", token: "-", stream: "M-BARE", subscribers: subscribers, events: events,
                cpu: bare.cpuSeconds, rss: bare.rssKiB)
            result.print(title: "fan-out (bare libwebsockets broadcast, \(roadshow.frameBytes)-byte frames)", events: events, subscribers: subscribers)
            if result.cpuPerEvent > 0 {
                print("  roadshow / bare    \(String(format: "%.2f", roadshow.cpuPerEvent / result.cpuPerEvent))× server CPU per delivered event (target ≤ 1.15×)")
            }
        }

        // Pipelined: many connections write to ONE meeting at once, none
        // waiting for its replies; every change is acknowledged after its commit.
        if oneMeetingWriters > 0 {
            let target = try await admin.call("meeting.create", meetingArgs)["meeting"]?["id"]?.stringValue ?? ""
            var writers: [RoadshowConnection] = []
            for _ in 0..<oneMeetingWriters {
                let c = try await RoadshowConnection.connect(url: url)
                _ = try await c.call("auth", ["token": .string(adminToken)])
                writers.append(c)
            }
            defer { for c in writers { c.close() } }
            let per = oneMeetingPerWriter
            let wakeups0 = try await server.metrics()["roadshow_service_wakeups_total"] ?? 0
            let cpu0 = server.cpuSeconds()
            let t0 = DispatchTime.now().uptimeNanoseconds
            let acked = try await withThrowingTaskGroup(of: Bool.self) { group in
                for (w, c) in writers.enumerated() {
                    for n in 0..<per {
                        group.addTask {
                            var args = Self.change(target, w * per + n).objectValue ?? [:]
                            args["requestKey"] = .string("bench-\(w)-\(n)")
                            return (try? await c.call("checklist.set", .object(args))) != nil
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            let cpu = server.cpuSeconds() - cpu0
            print("one meeting, pipelined: \(oneMeetingWriters) connections × \(per) changes (with a requestKey) in \(String(format: "%.2f", seconds)) s")
            print("  acknowledged       \(acked) of \(oneMeetingWriters * per), \(Int(Double(acked) / seconds)) changes/s on one meeting (each durably committed before its ack)")
            print("  server CPU         \(String(format: "%.0f", cpu * 1e6 / Double(max(acked, 1)))) µs per durable change")
            if let w = try await server.metrics()["roadshow_service_wakeups_total"] {
                print("  service wake-ups   \(String(format: "%.2f", (w - wakeups0) / Double(max(acked, 1)))) per change (the loop's turns, reading the requests included)")
            }
        }

        // Group commit: writers on their own meetings at once.
        let before = try await server.metrics()
        var meetings: [String] = []
        for _ in 0..<writers { meetings.append(try await admin.call("meeting.create", meetingArgs)["meeting"]?["id"]?.stringValue ?? "") }
        let token = adminToken
        let perWriter = self.perWriter
        // Each writer sends all its changes without waiting (its meeting's pipeline), so
        // the writer thread, not the round trips, sets the pace.
        var groupWriters: [RoadshowConnection] = []
        for _ in meetings {
            let c = try await RoadshowConnection.connect(url: url)
            _ = try await c.call("auth", ["token": .string(token)])
            groupWriters.append(c)
        }
        defer { for c in groupWriters { c.close() } }
        let groupCPU0 = server.cpuSeconds()
        let t0 = DispatchTime.now().uptimeNanoseconds
        let groupAcked = try await withThrowingTaskGroup(of: Bool.self) { group in
            for (m, c) in zip(meetings, groupWriters) {
                for n in 0..<perWriter {
                    group.addTask { (try? await c.call("checklist.set", Self.change(m, n), timeout: .seconds(120))) != nil }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let groupCPU = server.cpuSeconds() - groupCPU0
        let metrics = try await server.metrics()
        print("group commit: \(writers) writers × \(perWriter) changes, each on its own meeting, in \(String(format: "%.2f", seconds)) s")
        print("  acknowledged       \(groupAcked) of \(writers * perWriter), \(Int(Double(groupAcked) / seconds)) changes/s (each durably committed before its ack)")
        print("  server CPU         \(String(format: "%.0f", groupCPU * 1e6 / Double(max(groupAcked, 1)))) µs per durable change")
        if let tx = metrics["roadshow_transactions_total"], let cmds = metrics["roadshow_commands_committed_total"] {
            let dtx = tx - (before["roadshow_transactions_total"] ?? 0), dcmds = cmds - (before["roadshow_commands_committed_total"] ?? 0)
            print("  transactions       \(Int(dtx)) for \(Int(dcmds)) commands (\(String(format: "%.1f", dcmds / max(dtx, 1))) per transaction)")
        }
        if let line = Self.histogram("roadshow_commit_duration_seconds", metrics, since: before) {
            print("  commit latency     \(line) per transaction")
        }
        if let w = metrics["roadshow_service_wakeups_total"], let tx = metrics["roadshow_transactions_total"] {
            let dw = w - (before["roadshow_service_wakeups_total"] ?? 0), dtx = tx - (before["roadshow_transactions_total"] ?? 0)
            print("  service wake-ups   \(String(format: "%.2f", dw / max(dtx, 1))) per transaction, \(String(format: "%.2f", dw / Double(max(groupAcked, 1)))) per change")
        }
    }

    func runScenarios() async throws {
        LibwebsocketsLog.setLevel(Int32(ProcessInfo.processInfo.environment["ROADSHOW_LWS_LOG"] ?? "") ?? 0)
        let loop = eventLoop ?? ServerConfiguration.EventLoop.preferred.rawValue
        guard ServerConfiguration.EventLoop(rawValue: loop) != nil else { throw ValidationError("--event-loop must be libev or poll") }
        let scenarios = scenario.flatMap { ScenarioBench.Scenario.named($0)! }.map { s -> ScenarioBench.Scenario in
            var s = s
            if let participants { s.participants = participants }
            if let meetings { s.meetings = meetings }
            if let rate { s.rate = rate }
            if let seconds { s.seconds = seconds }
            s.meetings = min(s.meetings, s.participants)
            return s
        }
        let options = ScenarioBench.Options(roadshow: CommandLine.arguments[0], baseline: baseline, eventLoop: loop, pin: pin, quiet: json)
        let results = try await ScenarioBench.run(scenarios, options: options)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
        } else {
            print("")
            print(ScenarioBench.markdown(results))
        }
    }

    /// A histogram of /metrics between two scrapes: its count, mean, and the
    /// upper bounds of the buckets that hold p50 and p99 (as `histogram_quantile`
    /// without its interpolation), in milliseconds.
    static func histogram(_ name: String, _ after: [String: Double], since before: [String: Double] = [:]) -> String? {
        func delta(_ key: String) -> Double { (after[key] ?? 0) - (before[key] ?? 0) }
        let count = delta(name + "_count")
        guard count > 0 else { return nil }
        let prefix = name + "_bucket{le=\""
        let buckets = after.keys.filter { $0.hasPrefix(prefix) }.compactMap { key -> (Double, Double)? in
            let le = key.dropFirst(prefix.count).prefix { $0 != "\"" }
            guard let bound = le == "+Inf" ? Double.infinity : Double(le) else { return nil }
            return (bound, delta(key))
        }.sorted { $0.0 < $1.0 }
        func quantile(_ q: Double) -> String {
            guard let b = buckets.first(where: { $0.1 >= q * count }) else { return "-" }
            return b.0.isInfinite ? "> \(String(format: "%g", (buckets.dropLast().last?.0 ?? 0) * 1000)) ms" : "≤ \(String(format: "%g", b.0 * 1000)) ms"
        }
        let mean = delta(name + "_sum") / count * 1000
        return "\(Int(count)) observed, mean \(String(format: "%.2f", mean)) ms, p50 \(quantile(0.5)), p99 \(quantile(0.99))"
    }

    struct FanOut {
        var delivered = 0
        var complete = false
        var seconds = 0.0
        var cpu = 0.0
        var latencies: [Double] = []
        var frameBytes = 0
        /// Server CPU seconds and RSS growth (KiB) while the subscribers connected.
        var connectCPU = 0.0
        var connectRSS = 0
        var cpuPerEvent: Double { cpu * 1e6 / Double(max(delivered, 1)) }

        func percentile(_ p: Double) -> String {
            latencies.isEmpty ? "-" : String(format: "%.2f ms", latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))])
        }

        func print(title: String, events: Int, subscribers: Int) {
            Swift.print("\(title): \(events) changes × \(subscribers) subscribers in \(String(format: "%.2f", seconds)) s")
            Swift.print("  delivered          \(delivered) events (\(complete ? "all" : "INCOMPLETE")), \(Int(Double(delivered) / seconds)) events/s")
            Swift.print("  send→last arrival  p50 \(percentile(0.5)), p99 \(percentile(0.99))")
            Swift.print("  server CPU         \(String(format: "%.3f", cpu)) s, \(String(format: "%.2f", cpuPerEvent)) µs per delivered event")
        }
    }

    /// Opens `subscribers` connections subscribed to `stream`, sends `events`
    /// changes one after another (each waits for its reply), and measures.
    static func fanOut(
        url: String, token: String, stream: String, subscribers: Int, events: Int, cpu: () -> Double, rss: () -> Int
    ) async throws -> FanOut {
        let publisher = try await RoadshowConnection.connect(url: url)
        defer { publisher.close() }
        _ = try await publisher.call("auth", ["token": .string(token)])
        Swift.print("opening \(subscribers) subscriber connections…")
        let arrivals = ArrivalLog(expected: events)
        var connections: [RoadshowConnection] = []
        defer { for c in connections { c.close() } }
        let connectCPU0 = cpu(), rss0 = rss()
        for _ in 0..<subscribers {
            let c = try await RoadshowConnection.connect(url: url)
            _ = try await c.call("auth", ["token": .string(token)])
            _ = try await c.call("stream.subscribe", ["stream": .string(stream)])
            let events = c.events
            Task { for await e in events { if let seq = e["seq"]?.intValue { arrivals.arrived(seq, bytes: e.encodedString.utf8.count) } } }
            connections.append(c)
        }
        var out = FanOut()
        out.connectCPU = cpu() - connectCPU0
        try? await Task.sleep(for: .milliseconds(300))
        out.connectRSS = rss() - rss0
        let cpu0 = cpu()
        var sent: [Int64: UInt64] = [:]
        let started = DispatchTime.now().uptimeNanoseconds
        for n in 0..<events {
            let t = DispatchTime.now().uptimeNanoseconds
            let r = try await publisher.call("checklist.set", change(stream, n))
            if let seq = r["seq"]?.intValue { sent[seq] = t }
        }
        out.complete = await arrivals.waitAll(count: subscribers, timeout: 60)
        out.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        out.cpu = cpu() - cpu0
        out.latencies = sent.compactMap { seq, t in arrivals.last(seq).map { Double($0 - t) / 1e6 } }.sorted()
        out.delivered = arrivals.total
        out.frameBytes = arrivals.frameBytes
        return out
    }
}

/// When each seq reached how many subscribers, and when the last one got it.
final class ArrivalLog: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int64: Int] = [:]
    private var lastAt: [Int64: UInt64] = [:]
    private(set) var total = 0
    let expected: Int

    init(expected: Int) { self.expected = expected }

    /// The size of one event frame as it arrived (the first one's).
    private(set) var frameBytes = 0

    func arrived(_ seq: Int64, bytes: Int) {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        if frameBytes == 0 { frameBytes = bytes }
        counts[seq, default: 0] += 1
        lastAt[seq] = now
        total += 1
        lock.unlock()
    }

    func last(_ seq: Int64) -> UInt64? { lock.lock(); defer { lock.unlock() }; return lastAt[seq] }

    func waitAll(count: Int, timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if lock.withLock({ total >= expected * count }) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }
}

/// A server as a child process (`roadshow serve`, or the bare broadcast
/// baseline), for measuring its CPU time. It prints its port on its first line.
final class BenchProcess: @unchecked Sendable {
    let process = Process()
    let port: Int

    /// `roadshow serve` on a free port with the given database.
    convenience init(roadshow executable: String, database: String, adminToken: String, eventLoop: String, pinned: Bool = false) throws {
        let web = FileManager.default.fileExists(atPath: "web") ? "web" : FileManager.default.temporaryDirectory.path
        try self.init(
            executable: executable, arguments: ["serve", "--port", "0", "--db", database, "--web", web, "--log-level", "error",
                                               "--max-connections-per-token", "0", "--max-connections", "0", "--event-loop", eventLoop],
            environment: ["ROADSHOW_ADMIN_TOKEN": adminToken], pinned: pinned)
    }

    /// `pinned`: on CPU 0 only, through `taskset` (which execs the server: the pid is the server's).
    init(executable: String, arguments: [String], environment: [String: String] = [:], pinned: Bool = false) throws {
        let pipe = Pipe()
        if pinned {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
            process.arguments = ["-c", "0", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = pipe
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        // "Roadshow is serving http://127.0.0.1:PORT/" or "listening on PORT".
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        guard let r = line.range(of: #"(:|on )\d+"#, options: .regularExpression),
            let p = Int(line[r].drop { !$0.isNumber })
        else {
            process.terminate()
            throw ValidationError("\(executable) did not start: \(text)")
        }
        port = p
    }

    /// utime + stime of the server process, in seconds.
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let u = Double(fields[11]), let s = Double(fields[12]) else { return 0 }
        return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The process's resident set, in KiB (`VmRSS`).
    func rssKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    func metrics() async throws -> [String: Double] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        var out: [String: Double] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let v = Double(parts[1]) { out[String(parts[0])] = v }
        }
        return out
    }

    /// SIGTERM, and SIGKILL if it has not stopped within 5 s.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// The cost of encoding one event frame: a queue.raised with a waiting queue
/// and the floor, about 1.5 KB, as the server encodes it once per change.
/// "before" is the Foundation round trip `JSON(encoding:)` used to be
/// (JSONEncoder with sorted keys, then JSON.parse, then writing the frame);
/// it is kept here only as the reference.
enum EncodeBench {
    static func sampleEvent() -> RecordedEvent {
        let t0 = 1_796_104_800.0  // 2026-12-01T06:00:00Z
        func at(_ seconds: Double) -> JSON { .string(Timestamp.format(Date(timeIntervalSince1970: t0 + seconds))) }
        let people: [(String, String, String)] = [
            ("P-3K7W2M9Q", "张三-市商务局", "市商务局"),
            ("P-8D4F6H2J", "李四-黄山高新区管委会", "黄山高新区管委会"),
            ("P-5N1R7T3V", "王五-皖南新能源科技有限公司", "皖南新能源科技有限公司"),
        ]
        let queue: [JSON] = people.enumerated().map { i, p in
            var entry: [String: JSON] = [
                "id": .string("Q-\(i + 2)"), "participant": .string(p.0), "displayName": .string(p.1), "unit": .string(p.2),
                "kind": i == 0 ? "point_of_order" : "question", "raisedAt": at(Double(60 * i) + 0.125),
                "votes": .array(people.prefix(i).map { .string($0.0) }),
            ]
            if i > 0 { entry["text"] = .string("项目用地指标和能耗指标如何解决？预计何时开工建设？（第\(i)个问题）") }
            return .object(entry)
        }
        let data: JSON = [
            "entry": queue.last!, "queue": .array(queue),
            "floor": [
                "entry": "Q-1", "participant": "P-7G5K3L1Z", "displayName": "周主持-黄山市投资促进局", "unit": "黄山市投资促进局",
                "kind": "speak", "text": "介绍项目总体情况", "grantedAt": at(30), "limitSeconds": 180, "agendaItem": "G-2",
            ],
        ]
        guard let event = try? DomainEvent(type: "queue.raised", data: data) else { fatalError("the sample event does not decode") }
        return RecordedEvent(
            stream: "M-ZJW4", seq: 1234, at: Date(timeIntervalSince1970: t0 + 300.5), by: people[2].0, event: event)
    }

    /// The Foundation encoder JSON(encoding:) used before the core had its own.
    static func foundationEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }

    /// The frame as before: data through JSONEncoder and JSON.parse, then the
    /// same envelope `RecordedEvent.frame()` writes.
    static func frameBefore(_ e: RecordedEvent) -> [UInt8] {
        guard case .queueRaised(let change) = e.event,
            let data = try? JSON.parse(Array(try foundationEncoder().encode(change)))
        else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(contentsOf: #"{"at":""#.utf8)
        out.append(contentsOf: Timestamp.format(e.at).utf8)
        out.append(contentsOf: #"","by":"#.utf8)
        JSON.writeString(e.by, to: &out)
        out.append(contentsOf: #","data":"#.utf8)
        data.write(to: &out)
        out.append(contentsOf: #","event":"#.utf8)
        JSON.writeString(e.event.type, to: &out)
        out.append(contentsOf: #","seq":"#.utf8)
        out.append(contentsOf: String(e.seq).utf8)
        out.append(contentsOf: #","stream":"#.utf8)
        JSON.writeString(e.stream, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The frame now: the event made (and, on branches that encode its data
    /// when it is made, encoded) and its frame written.
    static func frameAfter(_ e: RecordedEvent) -> [UInt8] {
        RecordedEvent(stream: e.stream, seq: e.seq, at: e.at, by: e.by, event: e.event).frame()
    }

    /// Microseconds per call: the best of 7 rounds of `iterations` calls.
    static func measure(iterations: Int, _ body: () -> [UInt8]) -> Double {
        var best = Double.infinity
        var sink = 0
        for _ in 0..<7 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<iterations { sink &+= body().count }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(iterations)
            best = min(best, elapsed)
        }
        if sink == 42 { print("") }  // keeps the work from being optimized away
        return best
    }

    static func run() {
        let e = sampleEvent()
        let before = frameBefore(e)
        let after = frameAfter(e)
        #if DEBUG
        let note = " (debug build: measure with `swift build -c release`)"
        #else
        let note = ""
        #endif
        print("encode: one queue.raised event frame, \(after.count) bytes\(note)")
        print("  output             \(before == after ? "identical bytes before and after" : "DIFFERENT bytes before and after")")
        let tBefore = measure(iterations: 2_000) { frameBefore(e) }
        let tAfter = measure(iterations: 2_000) { frameAfter(e) }
        print("  before             \(String(format: "%.1f", tBefore)) µs per frame (Foundation JSONEncoder, JSON.parse, write)")
        print("  after              \(String(format: "%.1f", tAfter)) µs per frame (JSONValueEncoder, write)")
        print("  speed-up           \(String(format: "%.1f", tBefore / max(tAfter, 0.001)))×")
        // The part that changed: the data as a JSON value, before it is written.
        if case .queueRaised(let change) = e.event {
            let jBefore = measure(iterations: 2_000) {
                _ = try? JSON.parse(Array(try foundationEncoder().encode(change)))
                return []
            }
            let jAfter = measure(iterations: 2_000) {
                _ = JSON(encoding: change)
                return []
            }
            print("  of which the data as JSON: \(String(format: "%.1f", jBefore)) µs before, \(String(format: "%.1f", jAfter)) µs after")
        }
    }
}
