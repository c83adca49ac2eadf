import Foundation
import RoadshowClient
import RoadshowCore
import RoadshowStore
import Testing

/// Catch-up that always converges (issue 10, point 2): a client far behind
/// resumes with `since` and gets every event, in order, then live ones — the
/// backlog is read a page at a time as the client takes it, never queued
/// whole, so the connection is not closed as too slow.
@Suite("Resume from far behind")
struct CatchUpTests {
    /// A meeting whose stream holds `count` more events (checklist C-1 ticked
    /// and unticked), appended to the store directly while no server runs.
    static func seeded(_ count: Int) async throws -> (dir: URL, meeting: String, token: String, last: Int64) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-catchup-\(UUID().uuidString)")
        var server: TestServer? = try TestServer(directory: dir)
        let token = try await server!.organizerToken()
        let org = try await server!.connect(token: token)
        let meeting = try await server!.createMeeting(org)
        org.close()
        server!.stop()
        let db = server!.databasePath
        server = nil
        let store = try EventStore.open(path: db)
        let existing = try store.events(stream: meeting, after: 0)
        guard case .checklistItemAdded(var item)? = existing.first(where: { if case .checklistItemAdded = $0.event { return true }; return false })?.event
        else { throw Failure(description: "no checklist item") }
        var seq = existing.last!.seq
        let at = Date()
        var batch: [RecordedEvent] = []
        for i in 0..<count {
            item.done = i % 2 == 0
            seq += 1
            batch.append(RecordedEvent(stream: meeting, seq: seq, at: at, by: "A-SEED", event: .checklistItemSet(item)))
            if batch.count == 5000 {
                try store.commit([Commit(events: batch)])
                batch.removeAll()
            }
        }
        if !batch.isEmpty { try store.commit([Commit(events: batch)]) }
        return (dir, meeting, token, seq)
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func resume(behind count: Int) async throws {
        let seed = try await Self.seeded(count)
        let server = try TestServer(directory: seed.dir)
        defer { server.stop() }
        let org = try await server.connect(token: seed.token)
        let reader = try await server.connect(token: seed.token)
        let seen = EventCollector(reader)
        let since = seed.last - Int64(count)
        // A writer keeps changing the meeting while the reader catches up.
        let writer = Task {
            for i in 0..<20 {
                _ = try await org.call("checklist.add", ["meeting": .string(seed.meeting), "text": .string("会中新增事项 \(i)")])
            }
        }
        let reply = try await reader.callRaw("stream.subscribe", ["stream": .string(seed.meeting), "since": .int(since)], timeout: .seconds(300))
        #expect(reply["ok"]?.boolValue == true, "\(reply)")
        try await writer.value
        let target = try #require(try await org.call("meeting.get", ["meeting": .string(seed.meeting)])["seq"]?.intValue)
        let events = await seen.wait(for: Int(target - since), timeout: .seconds(120))
        let seqs = events.compactMap { $0["seq"]?.intValue }
        #expect(seqs.count == Int(target - since), "every event once")
        #expect(seqs == Array((since + 1)...target), "in order, no gap, no duplicate")
        #expect(reader.isOpen, "not closed as too slow")
    }

    @Test("10,000 events behind, with live writes meanwhile") func tenThousand() async throws {
        try await Self.resume(behind: 10_000)
    }

    // Not under ThreadSanitizer (make tsan-test): ten times slower there, and 10,000 covers the path.
    @Test("100,000 events behind", .enabled(if: ProcessInfo.processInfo.environment["TSAN_OPTIONS"] == nil))
    func hundredThousand() async throws {
        try await Self.resume(behind: 100_000)
    }
}
