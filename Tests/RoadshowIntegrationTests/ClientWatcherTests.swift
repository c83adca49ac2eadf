import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// StreamWatcher and RoadshowSession across a server restart: every event
/// exactly once and in order; a retried mutation applied once.
@Suite(.serialized)
struct ClientWatcherTests {
    /// Collects a watcher's updates in the background.
    final class Collector: @unchecked Sendable {
        private let lock = NSLock()
        private var _events: [JSON] = []
        private var _reconnects = 0
        private var _snapshotSeq: Int64?
        private var task: Task<Void, Never>?

        var events: [JSON] { lock.withLock { _events } }
        var reconnects: Int { lock.withLock { _reconnects } }
        var snapshotSeq: Int64? { lock.withLock { _snapshotSeq } }

        init(_ watcher: StreamWatcher) {
            task = Task { [self] in
                do {
                    for try await update in watcher.updates() {
                        lock.withLock {
                            switch update {
                            case .event(let e): _events.append(e)
                            case .reconnecting: _reconnects += 1
                            case .snapshot(_, let seq): _snapshotSeq = seq
                            case .subscribed: break
                            }
                        }
                    }
                } catch {
                    Issue.record("watcher ended with \(error)")
                }
            }
        }

        func stop() { task?.cancel() }

        // Deadlines, not measurements: they return as soon as the condition holds.
        // Generous, because under ThreadSanitizer with every suite running at
        // once on two cores a first snapshot once took more than 20 s.

        /// Waits until `count` events arrived (or `timeout` passed).
        func wait(forEvents count: Int, timeout: Duration = .seconds(90)) async throws {
            let deadline = ContinuousClock.now + timeout
            while events.count < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        }

        func wait(until condition: () -> Bool, timeout: Duration = .seconds(90)) async throws {
            let deadline = ContinuousClock.now + timeout
            while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        }
    }

    static let quickBackoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(400), jitter: 0.1)

    @Test func resumesAfterRestartMissingNothingRepeatingNothing() async throws {
        let server = try ClientTestServer()
        let token = try await server.organizerToken()
        let organizer = try await server.connect(token: token)
        let meeting = try await server.createMeeting(on: organizer)

        let watcher = StreamWatcher(url: server.url, token: token, stream: meeting, backoff: Self.quickBackoff)
        let collector = Collector(watcher)
        defer { collector.stop() }
        try await collector.wait(until: { collector.snapshotSeq != nil })
        let start = try #require(collector.snapshotSeq)

        for i in 1...10 {
            _ = try await organizer.call("checklist.add", ["meeting": .string(meeting), "text": .string("重启前 \(i)")])
        }
        try await collector.wait(forEvents: 10)

        // The server goes away; events are appended while the watcher is cut off.
        try await server.restart()
        let again = try await server.connect(token: token)
        defer { again.close() }
        for i in 1...10 {
            _ = try await again.call("checklist.add", ["meeting": .string(meeting), "text": .string("重启后 \(i)")])
        }
        try await collector.wait(forEvents: 20)
        // Give a duplicate, if any, the chance to show up.
        try await Task.sleep(for: .milliseconds(300))

        let seqs = collector.events.compactMap { $0["seq"]?.intValue }
        #expect(seqs == Array((start + 1)...(start + 20)))
        #expect(collector.reconnects >= 1)
        let texts = collector.events.compactMap { $0["data"]?["item"]?["text"]?.stringValue }
        #expect(texts.first == "重启前 1")
        #expect(texts.last == "重启后 10")
    }

    @Test func sinceReplaysTheStreamFromTheStart() async throws {
        let server = try ClientTestServer()
        let token = try await server.organizerToken()
        let organizer = try await server.connect(token: token)
        defer { organizer.close() }
        let meeting = try await server.createMeeting(on: organizer)
        let snapshot = try await organizer.call("meeting.get", ["meeting": .string(meeting)])
        let seq = try #require(snapshot["seq"]?.intValue)

        let collector = Collector(StreamWatcher(url: server.url, token: token, stream: meeting, since: 0))
        defer { collector.stop() }
        try await collector.wait(forEvents: Int(seq))
        #expect(collector.events.compactMap { $0["seq"]?.intValue } == Array(1...seq))
        #expect(collector.events.first?["event"] == "meeting.created")
    }

    @Test func badTokenEndsTheWatchWithTheServersError() async throws {
        let server = try ClientTestServer()
        let watcher = StreamWatcher(url: server.url, token: "rs_o_not_a_real_token_00000000000", stream: "M-0000")
        do {
            for try await _ in watcher.updates() {}
            Issue.record("watching with a bad token did not fail")
        } catch let error as RoadshowError {
            #expect(error.code == .unauthenticated)
        }
    }

    @Test func sessionRetriesAMutationOnceAcrossARestart() async throws {
        let server = try ClientTestServer()
        let token = try await server.organizerToken()
        let session = RoadshowSession(url: server.url, token: token, backoff: Self.quickBackoff)
        let meeting = try await session.call("meeting.create", ClientTestServer.meetingArgs(title: "会话测试"))
        let id = try #require(meeting["meeting"]?["id"]?.stringValue)
        #expect(try await session.actor()["kind"] == "organizer")

        try await server.restart()
        // The session notices the dropped connection, reconnects and authenticates again.
        let added = try await session.call("checklist.add", ["meeting": .string(id), "text": "重连后添加"])
        #expect(added["item"]?["text"] == "重连后添加")
        await session.close()
    }

    @Test func repeatedRequestKeyIsAppliedOnce() async throws {
        let server = try ClientTestServer()
        let token = try await server.organizerToken()
        let c = try await server.connect(token: token)
        defer { c.close() }
        let meeting = try await server.createMeeting(on: c)
        let key = RequestKey.make()
        let args: JSON = ["meeting": .string(meeting), "text": "只加一次", "requestKey": .string(key)]
        let first = try await c.call("checklist.add", args)
        // As after a reconnect: the same request again, on a new connection.
        let c2 = try await server.connect(token: token)
        defer { c2.close() }
        let second = try await c2.call("checklist.add", args)
        #expect(first == second)
        let snapshot = try await c2.call("meeting.get", ["meeting": .string(meeting)])
        let matching = snapshot["snapshot"]?["checklist"]?.arrayValue?.filter { $0["text"] == "只加一次" }
        #expect(matching?.count == 1)
    }
}
