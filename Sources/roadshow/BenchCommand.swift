import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RoadshowClient
import RoadshowCore

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
            --writers connections write to meetings of their own at once (group commit). \
            Prints acknowledged changes per second, the time from a change's send to its \
            arrival at the last subscriber (p50/p99), and the server's CPU time per \
            delivered event (from /proc).

            Examples:
              roadshow bench
              roadshow bench --subscribers 2000 --events 300 --writers 8
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

    @Option(help: "Concurrent writers for the group-commit phase, each on its own meeting.")
    var writers = 8

    @Option(help: "Changes per writer in the group-commit phase.")
    var perWriter = 100

    func run() async throws {
        LibwebsocketsLog.setLevel(Int32(ProcessInfo.processInfo.environment["ROADSHOW_LWS_LOG"] ?? "") ?? 0)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let adminToken = "bench-admin-token-\(UUID().uuidString.prefix(8))"
        let server = try BenchServer(executable: CommandLine.arguments[0], database: dir.appendingPathComponent("bench.sqlite").path, adminToken: adminToken)
        defer { server.stop() }
        let url = "ws://127.0.0.1:\(server.port)/ws"

        let admin = try await RoadshowConnection.connect(url: url)
        _ = try await admin.call("auth", ["token": .string(adminToken)])
        let meetingArgs: JSON = [
            "title": "bench", "company": ["name": "bench"], "project": ["name": "bench", "category": "industrial"],
            "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 60, "system": ["name": "腾讯会议"],
        ]
        let meeting = try await admin.call("meeting.create", meetingArgs)["meeting"]?["id"]?.stringValue ?? ""

        // Subscribers.
        print("opening \(subscribers) subscriber connections…")
        let arrivals = ArrivalLog(expected: events)
        var connections: [RoadshowConnection] = []
        for _ in 0..<subscribers {
            let c = try await RoadshowConnection.connect(url: url)
            _ = try await c.call("auth", ["token": .string(adminToken)])
            _ = try await c.call("stream.subscribe", ["stream": .string(meeting)])
            let events = c.events
            Task { for await e in events { if let seq = e["seq"]?.intValue { arrivals.arrived(seq) } } }
            connections.append(c)
        }

        // Fan-out: one change at a time, each acknowledged after its commit.
        let cpu0 = server.cpuSeconds()
        var sent: [Int64: UInt64] = [:]
        let started = DispatchTime.now().uptimeNanoseconds
        for n in 0..<events {
            let t = DispatchTime.now().uptimeNanoseconds
            let r = try await admin.call("checklist.set", Self.change(meeting, n))
            if let seq = r["seq"]?.intValue { sent[seq] = t }
        }
        let deliveredAll = await arrivals.waitAll(count: subscribers, timeout: 60)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let cpu = server.cpuSeconds() - cpu0
        let latencies = sent.compactMap { seq, t in arrivals.last(seq).map { Double($0 - t) / 1e6 } }.sorted()
        let delivered = arrivals.total
        func pct(_ p: Double) -> String {
            latencies.isEmpty ? "-" : String(format: "%.2f ms", latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))])
        }
        print("fan-out: \(events) changes × \(subscribers) subscribers in \(String(format: "%.2f", elapsed)) s")
        print("  delivered          \(delivered) events (\(deliveredAll ? "all" : "INCOMPLETE")), \(Int(Double(delivered) / elapsed)) events/s")
        print("  send→last arrival  p50 \(pct(0.5)), p99 \(pct(0.99))")
        print("  server CPU         \(String(format: "%.3f", cpu)) s, \(String(format: "%.2f", cpu * 1e6 / Double(max(delivered, 1)))) µs per delivered event")

        // Group commit: writers on their own meetings at once.
        var meetings: [String] = []
        for _ in 0..<writers { meetings.append(try await admin.call("meeting.create", meetingArgs)["meeting"]?["id"]?.stringValue ?? "") }
        let token = adminToken
        let perWriter = self.perWriter
        let t0 = DispatchTime.now().uptimeNanoseconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for m in meetings {
                group.addTask {
                    let c = try await RoadshowConnection.connect(url: url)
                    _ = try await c.call("auth", ["token": .string(token)])
                    for n in 0..<perWriter { _ = try await c.call("checklist.set", Self.change(m, n)) }
                    c.close()
                }
            }
            try await group.waitForAll()
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let metrics = try await server.metrics()
        print("group commit: \(writers) writers × \(perWriter) changes in \(String(format: "%.2f", seconds)) s")
        print("  acknowledged       \(Int(Double(writers * perWriter) / seconds)) changes/s (each durably committed before its ack)")
        if let tx = metrics["roadshow_transactions_total"], let cmds = metrics["roadshow_commands_committed_total"] {
            print("  transactions       \(Int(tx)) for \(Int(cmds)) commands (\(String(format: "%.1f", cmds / max(tx, 1))) per transaction)")
        }
        for c in connections { c.close() }
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

    func arrived(_ seq: Int64) {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
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

/// `roadshow serve` as a child process, for measuring its CPU time.
final class BenchServer: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(executable: String, database: String, adminToken: String) throws {
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        let web = FileManager.default.fileExists(atPath: "web") ? "web" : FileManager.default.temporaryDirectory.path
        process.arguments = ["serve", "--port", "0", "--db", database, "--web", web, "--log-level", "error"]
        var env = ProcessInfo.processInfo.environment
        env["ROADSHOW_ADMIN_TOKEN"] = adminToken
        process.environment = env
        process.standardOutput = pipe
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let r = text.range(of: #":(\d+)/"#, options: .regularExpression), let p = Int(text[r].dropFirst().dropLast()) else {
            process.terminate()
            throw ValidationError("the benchmark's server did not start: \(text)")
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

    func metrics() async throws -> [String: Double] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        var out: [String: Double] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let v = Double(parts[1]) { out[String(parts[0])] = v }
        }
        return out
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
