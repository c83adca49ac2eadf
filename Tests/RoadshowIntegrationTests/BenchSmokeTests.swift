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
    }
}
