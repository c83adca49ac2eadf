import Foundation
@testable import RoadshowCore
@testable import RoadshowServer
import RoadshowStore
import Testing

/// What the histograms of `/metrics` count, observed where it happens: the
/// fake subscribers decide when their frames are taken, so the fan-out's end
/// is exact.
@Suite("Metrics in the engine")
struct EngineMetricsTests {
    @Test("a fan-out is timed until the last subscriber takes its frames; a dropped subscriber settles its share")
    func fanOutEndsAtTheLastSubscriber() throws {
        let h = try EngineHarness()
        let (organizer, meeting) = try h.organizerWithMeeting()
        let a = try h.connect(token: EngineHarness.adminToken)
        let b = try h.connect(token: EngineHarness.adminToken)
        for w in [a, b] { _ = try h.ok(w, "stream.subscribe", ["stream": .string(meeting)]) }
        func fanOuts() -> Double? { h.metrics.sample("roadshow_fanout_duration_seconds_count") }
        #expect(fanOuts() == 0, "commits with no subscriber are not fan-outs")
        _ = try h.ok(organizer, "checklist.add", ["meeting": .string(meeting), "text": "一项"])
        #expect(fanOuts() == 0, "nobody has taken the frame yet")
        try h.take(a)
        #expect(fanOuts() == 0, "b has not taken its frame")
        try h.take(b)
        #expect(fanOuts() == 1)
        // Two more commits; a takes them, b never does and goes away.
        for i in 0..<2 { _ = try h.ok(organizer, "checklist.add", ["meeting": .string(meeting), "text": .string("项\(i)")]) }
        try h.take(a)
        #expect(fanOuts() == 1)
        h.engine.closed(b)
        #expect(fanOuts() == 3)
        #expect((h.metrics.sample("roadshow_fanout_duration_seconds_sum") ?? 0) > 0)
        #expect(h.metrics.sample(#"roadshow_fanout_duration_seconds_bucket{le="+Inf"}"#) == 3)
    }

    @Test("every write transaction is timed and sized; a subscribe counts once its reply is queued, a resume from the store included")
    func commitsAndSubscribes() throws {
        var limits = ServerConfiguration.Limits()
        limits.requestBurst = 10_000
        let h = try EngineHarness(limits: limits)
        let (organizer, meeting) = try h.organizerWithMeeting()
        // Meetings created together: commands on different streams may share a transaction.
        for _ in 0..<6 { h.send(organizer, "meeting.create", EngineHarness.meetingArgs) }
        for i in 0..<(StreamSlot.recentLimit + 10) {
            h.send(organizer, "checklist.set", ["meeting": .string(meeting), "item": "C-1", "done": .bool(i % 2 == 0)])
        }
        try h.settle()
        try h.take(organizer)
        let m = h.metrics
        let transactions = try #require(m.sample("roadshow_transactions_total"))
        #expect(m.sample("roadshow_commit_duration_seconds_count") == transactions)
        #expect(m.sample("roadshow_transaction_commands_count") == transactions)
        #expect(m.sample("roadshow_transaction_commands_sum") == m.sample("roadshow_commands_committed_total"))
        // account.create, meeting.create, then 6 + 522 commands.
        #expect(m.sample("roadshow_commands_committed_total") == Double(2 + 6 + StreamSlot.recentLimit + 10))
        #expect((m.sample("roadshow_commit_duration_seconds_sum") ?? 0) > 0)

        #expect(m.sample("roadshow_subscribe_duration_seconds_count") == 0)
        let late = try h.connect(token: EngineHarness.adminToken)
        let id = h.send(late, "stream.subscribe", ["stream": .string(meeting), "since": 0])
        #expect(h.engine.pendingReads.count == 1, "the resume reads from the store")
        #expect(m.sample("roadshow_subscribe_duration_seconds_count") == 0, "not answered yet")
        try h.settle()
        let frames = try h.take(late)
        #expect(frames.last?["re"]?.stringValue == id)
        #expect(m.sample("roadshow_subscribe_duration_seconds_count") == 1)
        _ = try h.ok(late, "stream.subscribe", ["stream": .string(meeting)])
        #expect(m.sample("roadshow_subscribe_duration_seconds_count") == 2)
        // A subscribe refused by its arguments is not one.
        _ = try h.call(late, "stream.subscribe", ["stream": .string(meeting), "since": 1_000_000])
        #expect(m.sample("roadshow_subscribe_duration_seconds_count") == 2)
        #expect(m.sample("roadshow_subscriptions") == 1)
    }
}
