import Foundation
import Testing

/// `roadshow bench` at a tiny size, to prove it works: only correctness is
/// asserted (every event delivered to every subscriber, every change
/// acknowledged), never a time — the figures come from `make bench`.
@Suite("The benchmark runs")
struct BenchSmokeTests {
    // Not under ThreadSanitizer (make tsan-test): the bench measures, and there it only runs ten times slower.
    @Test("roadshow bench at a tiny size: all delivered, all acknowledged",
          .enabled(if: ProcessInfo.processInfo.environment["TSAN_OPTIONS"] == nil))
    func tiny() async throws {
        let r = try await CLIRunner.run(
            ["bench", "--subscribers", "20", "--events", "10", "--writers", "2", "--per-writer", "5",
             "--one-meeting-writers", "3", "--one-meeting-per-writer", "10"],
            timeout: .seconds(120))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("delivered          200 events (all)"), "\(r.stdout)")
        #expect(r.stdout.contains("acknowledged       30 of 30"), "\(r.stdout)")
        #expect(r.stdout.contains("per connection"), "\(r.stdout)")
        #expect(r.stdout.contains("group commit: 2 writers × 5 changes"), "\(r.stdout)")
        #expect(r.stdout.contains("acknowledged       10 of 10"), "\(r.stdout)")
    }

    @Test("roadshow bench --scenario at a tiny size: participants with their own tokens over meetings, all delivered, all acknowledged, beside the bare server",
          .enabled(if: ProcessInfo.processInfo.environment["TSAN_OPTIONS"] == nil))
    func tinyScenario() async throws {
        let bare = FileManager.default.temporaryDirectory.appendingPathComponent("bare-broadcast-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: bare) }
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/bin/sh")
        cc.arguments = ["-c", "cc -O2 -o \(bare) Tests/bench/bare_broadcast.c $(pkg-config --cflags --libs libwebsockets) -lev"]
        try cc.run()
        cc.waitUntilExit()
        try #require(cc.terminationStatus == 0, "the bare server does not build")
        let r = try await CLIRunner.run(
            ["bench", "--scenario", "1k-20", "--participants", "30", "--meetings", "3", "--rate", "5", "--seconds", "1",
             "--baseline", bare, "--json"],
            timeout: .seconds(120))
        #expect(r.status == 0, "\(r.stderr)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]], "\(r.stdout)")
        #expect(results.count == 1)
        for server in ["roadshow", "bare"] {
            let f = try #require(results.first?[server] as? [String: Any], "\(r.stdout)")
            #expect(f["connections"] as? Int == 30)
            #expect(f["meetings"] as? Int == 3)
            #expect(f["acked"] as? Int == 15, "\(server): every change acknowledged")
            #expect(f["expected"] as? Int == 150, "\(server): 5 changes × 10 members in each of 3 meetings")
            #expect(f["delivered"] as? Int == 150, "\(server): every change to every member")
        }
    }
}
