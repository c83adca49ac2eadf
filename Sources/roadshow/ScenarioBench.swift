import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// The load scenarios of `roadshow bench --scenario` (issue 11, docs/performance.md):
/// N participants over M meetings, each joining with its own token (a
/// roster holds at most 500, so past 500 per meeting the tokens are shared by
/// several connections: a person on a phone and a laptop), subscribing, and
/// each meeting's host making changes at a set rate. The same fan-out then
/// runs on the bare libwebsockets server (`Tests/bench/bare_broadcast.c`,
/// with one group per meeting) for the ratios.
///
/// The load generator is this process: one lws client context and one
/// service thread for every connection (`ClientLoop`). Pin it and the server
/// to a core each (`make bench` runs it under `taskset -c 1`, and `--pin`
/// starts the servers under `taskset -c 0`).
enum ScenarioBench {
    struct Scenario: Sendable {
        var name: String
        var participants: Int
        var meetings: Int
        /// Changes per second made by each meeting's host.
        var rate: Double
        var seconds: Double

        /// The issue's scenarios: (a) 1k in 1 and in 20, (b) 10k in 1 and in 200,
        /// (c) write-heavy, (e) growth; (d) is the pipelined phase of the plain bench,
        /// (f) `--startup`.
        static func named(_ name: String) -> [Scenario]? {
            switch name {
            case "1k-1": [Scenario(name: name, participants: 1_000, meetings: 1, rate: 5, seconds: 10)]
            case "1k-20": [Scenario(name: name, participants: 1_000, meetings: 20, rate: 5, seconds: 10)]
            case "10k-1": [Scenario(name: name, participants: 10_000, meetings: 1, rate: 5, seconds: 10)]
            case "10k-200": [Scenario(name: name, participants: 10_000, meetings: 200, rate: 5, seconds: 10)]
            case "write-heavy": [Scenario(name: name, participants: 1_000, meetings: 100, rate: 50, seconds: 10)]
            case "growth": [1_000, 2_000, 5_000, 10_000].map {
                Scenario(name: "growth-\($0 / 1000)k", participants: $0, meetings: 1, rate: 5, seconds: 10)
            }
            case "all": ["growth", "1k-20", "10k-200", "write-heavy"].flatMap { named($0)! }
            default: nil
            }
        }
        static let names = ["1k-1", "1k-20", "10k-1", "10k-200", "write-heavy", "growth", "all"]
    }

    /// What one scenario measured on one server.
    struct Figures: Codable, Sendable {
        var server = ""
        var connections = 0
        var meetings = 0
        var connectSeconds = 0.0
        /// Server CPU (ms) per connection accepted, signed in and subscribed.
        var connectCPUms = 0.0
        /// Server RSS growth per idle subscribed connection.
        var rssKiBPerConnection = 0.0
        var mutationsSent = 0
        var acked = 0
        var acksPerSecond = 0.0
        var ackP50ms = 0.0
        var ackP99ms = 0.0
        var delivered = 0
        var expected = 0
        var deliveriesPerSecond = 0.0
        var fanOutP50ms = 0.0
        var fanOutP99ms = 0.0
        var cpuPerDeliveredMicros = 0.0
        var cpuPerMutationMicros = 0.0
        var loadSeconds = 0.0
        var frameBytes = 0
    }

    struct Result: Encodable, Sendable {
        var scenario: String
        var participants: Int
        var meetings: Int
        var ratePerMeeting: Double
        var seconds: Double
        var roadshow: Figures
        var bare: Figures?
        var cpuPerDeliveredRatio: Double? {
            guard let bare, bare.cpuPerDeliveredMicros > 0 else { return nil }
            return roadshow.cpuPerDeliveredMicros / bare.cpuPerDeliveredMicros
        }
        var fanOutP99Ratio: Double? {
            guard let bare, bare.fanOutP99ms > 0 else { return nil }
            return roadshow.fanOutP99ms / bare.fanOutP99ms
        }
        var connectCPURatio: Double? {
            guard let bare, bare.connectCPUms > 0 else { return nil }
            return roadshow.connectCPUms / bare.connectCPUms
        }
        enum CodingKeys: String, CodingKey {
            case scenario, participants, meetings, ratePerMeeting, seconds, roadshow, bare
            case cpuPerDeliveredRatio, fanOutP99Ratio, connectCPURatio
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(scenario, forKey: .scenario)
            try c.encode(participants, forKey: .participants)
            try c.encode(meetings, forKey: .meetings)
            try c.encode(ratePerMeeting, forKey: .ratePerMeeting)
            try c.encode(seconds, forKey: .seconds)
            try c.encode(roadshow, forKey: .roadshow)
            try c.encodeIfPresent(bare, forKey: .bare)
            try c.encodeIfPresent(cpuPerDeliveredRatio, forKey: .cpuPerDeliveredRatio)
            try c.encodeIfPresent(fanOutP99Ratio, forKey: .fanOutP99Ratio)
            try c.encodeIfPresent(connectCPURatio, forKey: .connectCPURatio)
        }
    }

    struct Options: Sendable {
        var roadshow: String
        var baseline: String?
        var eventLoop: String
        var pin: Bool
        var quiet: Bool
    }

    /// Where the one who reads the figures is told what is going on (stderr with --json).
    static func say(_ text: String, _ options: Options) {
        if options.quiet {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } else {
            print(text)
        }
    }

    static func run(_ scenarios: [Scenario], options: Options) async throws -> [Result] {
        say("load generator on CPUs \(cpusAllowed()) (this process); servers \(options.pin ? "pinned to CPU 0" : "not pinned")", options)
        var results: [Result] = []
        for s in scenarios {
            say("scenario \(s.name): \(s.participants) participants in \(s.meetings) meeting(s), each host \(s.rate) changes/s for \(s.seconds) s", options)
            let roadshow = try await runRoadshow(s, options)
            var result = Result(
                scenario: s.name, participants: s.participants, meetings: s.meetings, ratePerMeeting: s.rate, seconds: s.seconds,
                roadshow: roadshow)
            if let baseline = options.baseline {
                result.bare = try await runBare(s, executable: baseline, frameBytes: roadshow.frameBytes, options)
            }
            results.append(result)
        }
        return results
    }

    // MARK: the two servers

    static func runRoadshow(_ s: Scenario, _ options: Options) async throws -> Figures {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-scenario-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let adminToken = "bench-admin-token-\(UUID().uuidString.prefix(8))"
        let server = try BenchProcess(
            roadshow: options.roadshow, database: dir.appendingPathComponent("bench.sqlite").path, adminToken: adminToken,
            eventLoop: options.eventLoop, pinned: options.pin)
        defer { server.stop() }
        let url = "ws://127.0.0.1:\(server.port)/ws"

        // Setup: the meetings, a host each, and the participants with their own tokens.
        let setupStart = DispatchTime.now().uptimeNanoseconds
        let admin = AdminPool(url: url, token: adminToken)
        defer { admin.close() }
        let meetingArgs: JSON = [
            "title": "bench", "company": ["name": "bench"], "project": ["name": "bench", "category": "industrial"],
            "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 60, "system": ["name": "腾讯会议"],
        ]
        let meetings = try await admin.map(0..<s.meetings) { c, _ in
            try await c.call("meeting.create", meetingArgs)["meeting"]?["id"]?.stringValue ?? ""
        }
        let perMeeting = (s.participants + s.meetings - 1) / s.meetings
        let rosterSize = min(perMeeting, 499)  // and the host: 500, a roster's limit
        let hosts = try await admin.map(meetings) { c, m in
            try await c.call("roster.add", ["meeting": .string(m), "name": "主持人", "unit": "投资促进局", "role": "host"])["token"]?
                .stringValue ?? ""
        }
        let jobs = meetings.enumerated().flatMap { mi, m in (0..<rosterSize).map { (mi, m, $0) } }
        let tokenList = try await admin.map(jobs) { c, job in
            let (_, m, j) = job
            let token = try await c.call("roster.add", [
                "meeting": .string(m), "name": .string("参会人\(j)"), "unit": .string("单位\(j % 40)"), "role": "unit",
            ])["token"]?.stringValue ?? ""
            return (job.0, token)
        }
        var tokens = Array(repeating: [String](), count: s.meetings)
        for (mi, t) in tokenList { tokens[mi].append(t) }
        say("  roadshow: set up \(s.meetings) meetings and \(jobs.count + s.meetings) roster entries in \(String(format: "%.1f", seconds(since: setupStart))) s", options)

        let subscribers = (0..<s.participants).map { i in
            (stream: meetings[i % s.meetings], token: tokens[i % s.meetings][(i / s.meetings) % rosterSize])
        }
        return try await measure(
            s, server: server, url: url, label: "roadshow", subscribers: subscribers,
            writers: zip(meetings, hosts).map { (stream: $0, token: $1) }, options)
    }

    static func runBare(_ s: Scenario, executable: String, frameBytes: Int, _ options: Options) async throws -> Figures {
        let server = try BenchProcess(
            executable: executable, arguments: ["0", String(frameBytes), options.eventLoop], pinned: options.pin)
        defer { server.stop() }
        let url = "ws://127.0.0.1:\(server.port)/ws"
        let meetings = (0..<s.meetings).map { "M-BARE\($0)" }
        let subscribers = (0..<s.participants).map { (stream: meetings[$0 % s.meetings], token: "-") }
        return try await measure(
            s, server: server, url: url, label: "bare lws", subscribers: subscribers,
            writers: meetings.map { (stream: $0, token: "-") }, options)
    }

    // MARK: measuring

    /// Connects and subscribes `subscribers`, then has each writer change its
    /// stream at the scenario's rate, and measures both phases.
    static func measure(
        _ s: Scenario, server: BenchProcess, url: String, label: String,
        subscribers: [(stream: String, token: String)], writers: [(stream: String, token: String)], _ options: Options
    ) async throws -> Figures {
        var f = Figures()
        f.server = label
        f.connections = subscribers.count
        f.meetings = writers.count
        let arrivals = Arrivals()
        var members: [String: Int] = [:]
        for sub in subscribers { members[sub.stream, default: 0] += 1 }

        // 1. Connect, sign in, subscribe: 64 at a time.
        let cpu0 = server.cpuSeconds(), rss0 = server.rssKiB()
        let t0 = DispatchTime.now().uptimeNanoseconds
        var connections: [RoadshowConnection] = []
        connections.reserveCapacity(subscribers.count)
        defer { for c in connections { c.close() } }
        var next = 0
        while next < subscribers.count {
            let batch = subscribers[next..<min(next + 64, subscribers.count)]
            next += batch.count
            let opened = try await withThrowingTaskGroup(of: RoadshowConnection.self) { group in
                for sub in batch {
                    group.addTask {
                        // Frames counted as bytes: the load generator's one core must not go to
                        // parsing every event and every snapshot (FrameTap).
                        let tap = FrameTap(arrivals: arrivals)
                        let c = try await RoadshowConnection.connect(url: url, timeout: .seconds(30), tap: tap.see)
                        _ = try await c.call("auth", ["token": .string(sub.token)], timeout: .seconds(60))
                        let request: JSON = ["id": .string(FrameTap.subscribeId), "op": "stream.subscribe", "args": ["stream": .string(sub.stream)]]
                        try await c.send(raw: request.encodedString)
                        guard await tap.subscribed(within: 60) else {
                            throw ValidationError("a subscriber's stream.subscribe to \(sub.stream) was refused or not answered")
                        }
                        return c
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            connections.append(contentsOf: opened)
        }
        f.connectSeconds = seconds(since: t0)
        f.connectCPUms = (server.cpuSeconds() - cpu0) * 1000 / Double(max(subscribers.count, 1))
        try? await Task.sleep(for: .milliseconds(500))
        f.rssKiBPerConnection = Double(server.rssKiB() - rss0) / Double(max(subscribers.count, 1))
        say("  \(label): \(subscribers.count) subscribed in \(String(format: "%.1f", f.connectSeconds)) s, \(String(format: "%.3f", f.connectCPUms)) ms server CPU each", options)

        // 2. The hosts make their changes at the rate, without waiting for each reply.
        var hosts: [RoadshowConnection] = []
        for w in writers {
            let c = try await RoadshowConnection.connect(url: url, timeout: .seconds(30))
            _ = try await c.call("auth", ["token": .string(w.token)])
            hosts.append(c)
        }
        defer { for c in hosts { c.close() } }
        let perWriter = max(1, Int(s.rate * s.seconds))
        let interval = 1.0 / s.rate
        let acks = AckLog()
        let cpuLoad0 = server.cpuSeconds()
        let loadStart = DispatchTime.now().uptimeNanoseconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (wi, w) in writers.enumerated() {
                let c = hosts[wi]
                // Writers start spread over one interval, not all at once.
                let offset = interval * Double(wi) / Double(writers.count)
                group.addTask {
                    try await withThrowingTaskGroup(of: Void.self) { sends in
                        for n in 0..<perWriter {
                            let due = loadStart + UInt64((offset + Double(n) * interval) * 1e9)
                            let now = DispatchTime.now().uptimeNanoseconds
                            if due > now { try await Task.sleep(nanoseconds: due - now) }
                            sends.addTask {
                                let sent = DispatchTime.now().uptimeNanoseconds
                                let r = try? await c.call("checklist.set", BenchCommand.change(w.stream, n), timeout: .seconds(60))
                                acks.acked(stream: w.stream, seq: r?["seq"]?.intValue.map(Int.init), sent: sent)
                            }
                        }
                        try await sends.waitForAll()
                    }
                }
            }
            try await group.waitForAll()
        }
        f.mutationsSent = perWriter * writers.count
        let expected = acks.expectedDeliveries(members: members)
        _ = await arrivals.wait(for: expected, timeout: 60)
        f.loadSeconds = seconds(since: loadStart)
        let cpu = server.cpuSeconds() - cpuLoad0
        f.acked = acks.count
        f.acksPerSecond = Double(f.acked) / f.loadSeconds
        (f.ackP50ms, f.ackP99ms) = percentiles(acks.latencies())
        f.delivered = arrivals.total
        f.expected = expected
        f.deliveriesPerSecond = Double(f.delivered) / f.loadSeconds
        (f.fanOutP50ms, f.fanOutP99ms) = percentiles(acks.sends.compactMap { key, sent in arrivals.last(key).map { Double($0 &- sent) / 1e6 } })
        f.cpuPerDeliveredMicros = cpu * 1e6 / Double(max(f.delivered, 1))
        f.cpuPerMutationMicros = cpu * 1e6 / Double(max(f.acked, 1))
        f.frameBytes = arrivals.frameBytes
        say("  \(label): \(f.acked) of \(f.mutationsSent) acknowledged, \(f.delivered) of \(f.expected) delivered, fan-out p99 \(String(format: "%.1f", f.fanOutP99ms)) ms, \(String(format: "%.2f", f.cpuPerDeliveredMicros)) µs server CPU per delivered event", options)
        return f
    }

    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    static func percentiles(_ values: [Double]) -> (Double, Double) {
        let v = values.sorted()
        guard !v.isEmpty else { return (0, 0) }
        return (v[min(v.count - 1, v.count / 2)], v[min(v.count - 1, Int(Double(v.count) * 0.99))])
    }

    /// The CPUs this process may run on (`Cpus_allowed_list`).
    static func cpusAllowed() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") })
        else { return "?" }
        return line.split(separator: "\t").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?"
    }

    // MARK: output

    static func markdown(_ results: [Result]) -> String {
        func f(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }
        func ratio(_ v: Double?) -> String { v.map { f($0) + "×" } ?? "–" }
        var out = """
            | scenario | connections / meetings | server | connect s | CPU ms / connection | RSS KiB / connection | acks/s | ack p50 / p99 ms | delivered / expected | deliveries/s | fan-out p50 / p99 ms | CPU µs / delivered event | CPU µs / mutation |
            |---|---|---|---|---|---|---|---|---|---|---|---|---|

            """
        for r in results {
            for fig in [r.roadshow] + (r.bare.map { [$0] } ?? []) {
                out += "| \(r.scenario) | \(fig.connections) / \(fig.meetings) | \(fig.server) | \(f(fig.connectSeconds, 1)) | \(f(fig.connectCPUms, 3)) | \(f(fig.rssKiBPerConnection, 1)) | \(Int(fig.acksPerSecond)) | \(f(fig.ackP50ms, 1)) / \(f(fig.ackP99ms, 1)) | \(fig.delivered) / \(fig.expected) | \(Int(fig.deliveriesPerSecond)) | \(f(fig.fanOutP50ms, 1)) / \(f(fig.fanOutP99ms, 1)) | \(f(fig.cpuPerDeliveredMicros)) | \(f(fig.cpuPerMutationMicros, 0)) |\n"
            }
            if r.bare != nil {
                out += "| \(r.scenario) | | **roadshow ÷ bare** | | \(ratio(r.connectCPURatio)) | | | | | | p99 \(ratio(r.fanOutP99Ratio)) | **\(ratio(r.cpuPerDeliveredRatio))** | |\n"
            }
        }
        return out
    }
}

/// Admin connections for the setup, each used for at most 150 requests: a
/// connection's burst is 200 (then 50/s), and the setup should not wait on it.
final class AdminPool: @unchecked Sendable {
    let url: String
    let token: String
    private var open: [RoadshowConnection] = []

    init(url: String, token: String) {
        self.url = url
        self.token = token
    }

    /// `body` over every item, 150 at a time on fresh connections, in order.
    func map<T: Sendable, R: Sendable>(_ items: some Sequence<T>, _ body: @escaping @Sendable (RoadshowConnection, T) async throws -> R)
        async throws -> [R]
    {
        let all = Array(items)
        var out: [R] = []
        out.reserveCapacity(all.count)
        var start = 0
        while start < all.count {
            // A few connections' worth at once.
            var chunks: [(RoadshowConnection, ArraySlice<T>)] = []
            for _ in 0..<4 where start < all.count {
                let c = try await RoadshowConnection.connect(url: url, timeout: .seconds(30))
                _ = try await c.call("auth", ["token": .string(token)])
                open.append(c)
                chunks.append((c, all[start..<min(start + 150, all.count)]))
                start += 150
            }
            let results = try await withThrowingTaskGroup(of: (Int, R).self) { group in
                var base = out.count
                for (c, chunk) in chunks {
                    for (i, item) in chunk.enumerated() {
                        let index = base + i
                        group.addTask { (index, try await body(c, item)) }
                    }
                    base += chunk.count
                }
                return try await group.reduce(into: [(Int, R)]()) { $0.append($1) }
            }
            out.append(contentsOf: results.sorted { $0.0 < $1.0 }.map(\.1))
            for c in open { c.close() }
            open.removeAll()
        }
        return out
    }

    func close() { for c in open { c.close() } }
}

/// A subscriber's frames, seen as bytes on the client's service thread: an
/// event frame (`{"at":…,"seq":N,"stream":"M-…"}`, keys sorted, so its seq and
/// stream come last) is counted without parsing; the reply to its
/// `stream.subscribe` (a whole meeting snapshot) only ends the wait for it.
/// Anything else goes on to the connection as usual.
final class FrameTap: @unchecked Sendable {
    static let subscribeId = "bench-sub"
    private static let eventPrefix = Array(#"{"at":"#.utf8)
    private static let okPrefix = Array(#"{"ok":true,"re":"bench-sub""#.utf8)
    private static let refusedPrefix = Array(#"{"error":"#.utf8)
    private static let refusedId = Array(#""re":"bench-sub""#.utf8)
    let arrivals: Arrivals
    private let answer = Locked<(ok: Bool?, waiter: CheckedContinuation<Bool, Never>?)>((nil, nil))

    init(arrivals: Arrivals) { self.arrivals = arrivals }

    var see: @Sendable ([UInt8]) -> Bool { { [self] in self.frame($0) } }

    private func frame(_ b: [UInt8]) -> Bool {
        if b.starts(with: Self.eventPrefix) {
            arrivals.arrived(b)
            return true
        }
        if b.starts(with: Self.okPrefix) {
            answered(true)
            return true
        }
        if b.starts(with: Self.refusedPrefix), b.firstRange(of: Self.refusedId) != nil {
            FileHandle.standardError.write(Data(b.prefix(300)) + Data("\n".utf8))
            answered(false)
            return true
        }
        return false
    }

    private func answered(_ ok: Bool) {
        let waiter = answer.withLock { a -> CheckedContinuation<Bool, Never>? in
            a.ok = ok
            defer { a.waiter = nil }
            return a.waiter
        }
        waiter?.resume(returning: ok)
    }

    /// Whether the subscribe was answered ok, waiting at most `seconds`.
    func subscribed(within seconds: Double) async -> Bool {
        let timer = Task {
            try await Task.sleep(for: .seconds(seconds))
            answered(false)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let ready = answer.withLock { a -> Bool? in
                if let ok = a.ok { return ok }
                a.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Each event's arrivals: how many, and when the last came.
final class Arrivals: @unchecked Sendable {
    private let lock = NSLock()
    private var lastAt: [String: UInt64] = [:]
    private(set) var total = 0
    private(set) var frameBytes = 0
    private static let seqKey = Array(#","seq":"#.utf8)
    private static let streamKey = Array(#","stream":""#.utf8)

    /// An event frame's bytes: its seq and stream read from its end.
    func arrived(_ b: [UInt8]) {
        let now = DispatchTime.now().uptimeNanoseconds
        guard let s = Self.lastRange(of: Self.seqKey, in: b), let t = Self.lastRange(of: Self.streamKey, in: b), s < t else { return }
        let digits = b[(s + Self.seqKey.count)..<t]
        let name = b[(t + Self.streamKey.count)...].prefix { $0 != UInt8(ascii: "\"") }
        let key = String(decoding: name, as: UTF8.self) + "#" + String(decoding: digits, as: UTF8.self)
        lock.lock()
        if frameBytes == 0 { frameBytes = b.count }
        lastAt[key] = now
        total += 1
        lock.unlock()
    }

    private static func lastRange(of needle: [UInt8], in b: [UInt8]) -> Int? {
        var i = b.count - needle.count
        while i >= 0 {
            if b[i] == needle[0], b[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }

    func last(_ key: String) -> UInt64? { lock.withLock { lastAt[key] } }

    func wait(for count: Int, timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if lock.withLock({ total >= count }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

/// Each acknowledged change: its stream and seq, when it was sent and when its ack came.
final class AckLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var sends: [String: UInt64] = [:]
    private var latency: [Double] = []
    private var perStream: [String: Int] = [:]

    func acked(stream: String, seq: Int?, sent: UInt64) {
        guard let seq else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        lock.withLock {
            sends["\(stream)#\(seq)"] = sent
            latency.append(Double(now &- sent) / 1e6)
            perStream[stream, default: 0] += 1
        }
    }

    var count: Int { lock.withLock { latency.count } }
    func latencies() -> [Double] { lock.withLock { latency } }
    func expectedDeliveries(members: [String: Int]) -> Int {
        lock.withLock { perStream.reduce(0) { $0 + $1.value * (members[$1.key] ?? 0) } }
    }
}
