import Foundation
@testable import RoadshowCore
@testable import RoadshowServer
import RoadshowStore
import Testing

/// The engine without sockets: decide, commit to a real store, land, and fan
/// out to fake subscribers, in the spirit of Hummingbird's in-memory router
/// tests. Each test is synchronous: the engine is confined to one thread.
@Suite("Engine without sockets")
struct EngineTests {
    @Test("events reach every subscriber in seq order, before the requester's reply")
    func fanOutInOrder() throws {
        let h = try EngineHarness()
        let (organizer, meeting) = try h.organizerWithMeeting()
        let watchers = try (0..<3).map { _ in try h.connect(token: EngineHarness.adminToken) }
        for w in watchers { _ = try h.ok(w, "stream.subscribe", ["stream": .string(meeting)]) }
        var ids: [String] = []
        for i in 0..<5 {
            ids.append(h.send(organizer, "checklist.add", ["meeting": .string(meeting), "text": .string("第\(i)项")]))
        }
        try h.settle()
        let mine = try h.take(organizer)
        // Commands on one stream are decided one after another: five replies, seqs rising.
        let replySeqs = ids.map { id in mine.first { $0["re"]?.stringValue == id }?["result"]?["seq"]?.intValue }
        #expect(replySeqs == [14, 15, 16, 17, 18])
        for w in watchers {
            let frames = try h.take(w)
            #expect(frames.compactMap { $0["seq"]?.intValue } == [14, 15, 16, 17, 18])
            #expect(frames.allSatisfy { $0["event"]?.stringValue == "checklist.item_added" })
        }
    }

    @Test("a requestKey repeated while the first is with the writer gets the same reply, applied once")
    func repeatInFlight() throws {
        let h = try EngineHarness()
        let (organizer, meeting) = try h.organizerWithMeeting()
        let args: JSON = ["meeting": .string(meeting), "text": "重复的请求", "requestKey": "k-1"]
        let a = h.send(organizer, "checklist.add", args)
        let b = h.send(organizer, "checklist.add", args)
        #expect(h.engine.waitingOnKey.values.map(\.count) == [1], "the repeat waits on the key in flight")
        try h.settle()
        let frames = try h.take(organizer)
        let ra = frames.first { $0["re"]?.stringValue == a }, rb = frames.first { $0["re"]?.stringValue == b }
        #expect(ra?["result"] == rb?["result"])
        #expect(ra?["result"]?["seq"]?.intValue == 14)
        #expect(h.engine.streams[meeting]?.seq == 14, "applied once")
        // The same key for another op is refused from memory.
        let c = try h.call(organizer, "checklist.remove", ["meeting": .string(meeting), "item": "C-1", "requestKey": "k-1"])
        #expect(c["error"]?["code"]?.stringValue == "conflict")
        // A new stream has no queue to wait in: the repeat waits on the key itself.
        var create = EngineHarness.meetingArgs.objectValue!
        create["requestKey"] = "k-create"
        let x = h.send(organizer, "meeting.create", .object(create))
        let y = h.send(organizer, "meeting.create", .object(create))
        #expect(h.engine.waitingOnKey.values.map(\.count) == [1])
        try h.settle()
        let created = try h.take(organizer)
        let mx = created.first { $0["re"]?.stringValue == x }?["result"]?["meeting"]?["id"]
        #expect(mx != nil && mx == created.first { $0["re"]?.stringValue == y }?["result"]?["meeting"]?["id"])
        #expect(h.engine.streams.values.filter { $0.meeting != nil }.count == 2)
    }

    @Test("after a restart a stored requestKey is answered by the reader, never decided twice, and nothing reads the disk inline")
    func storedKeyAfterRestart() throws {
        let h = try EngineHarness()
        let (organizer, meeting) = try h.organizerWithMeeting()
        let args: JSON = ["meeting": .string(meeting), "text": "断线前的请求", "requestKey": "k-restart"]
        let first = try h.ok(organizer, "checklist.add", args)
        let organizerToken = try #require(h.engine.credentials.values.first { $0.kind == .organizer })
        h.stop()

        let again = try EngineHarness(directory: h.directory)
        #expect(again.engine.replies[ReplyCache.key(actor: organizerToken.actor, scope: meeting, key: "k-restart")] == nil,
            "only the fingerprint is loaded")
        // The same organizer again (a key is scoped to its actor).
        let session = again.engine.opened(peer: "test")
        again.engine.sessions[session]?.actor = Actor(id: organizerToken.actor, name: organizerToken.name, kind: .organizer)
        let id = again.send(session, "checklist.add", args)
        #expect(again.engine.pendingReads.count == 1, "the stored reply is read off the service thread")
        try again.settle()
        let reply = try again.take(session).first { $0["re"]?.stringValue == id }
        #expect(reply?["result"]?["seq"] == first["seq"])
        #expect(again.engine.streams[meeting]?.seq == 14, "not decided again")
        // A new key is decided at once: no read.
        again.send(session, "checklist.add", ["meeting": .string(meeting), "text": "新的请求", "requestKey": "k-new"])
        #expect(again.engine.pendingReads.isEmpty)
        try again.settle()
        #expect(again.engine.streams[meeting]?.seq == 15)
    }

    /// The same draws for every seed: two contexts with one seed make the same ids.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
    }

    @Test("two new meetings in flight that draw the same random id: the second draws again, both are created")
    func newStreamIdCollision() throws {
        let h = try EngineHarness()
        let (organizer, _) = try h.organizerWithMeeting()
        // The first two decisions draw alike; every later one differently.
        var seeds: [UInt64] = [7, 7]
        var next: UInt64 = 100
        h.engine.makeRandomness = {
            if !seeds.isEmpty { return Seeded(state: seeds.removeFirst()) }
            next += 1
            return Seeded(state: next)
        }
        let a = h.send(organizer, "meeting.create", EngineHarness.meetingArgs)
        let b = h.send(organizer, "meeting.create", EngineHarness.meetingArgs)
        try h.settle()
        let frames = try h.take(organizer)
        let ida = frames.first { $0["re"]?.stringValue == a }?["result"]?["meeting"]?["id"]?.stringValue
        let idb = frames.first { $0["re"]?.stringValue == b }?["result"]?["meeting"]?["id"]?.stringValue
        #expect(ida != nil && idb != nil, "\(frames)")
        #expect(ida != idb)
        #expect(h.engine.newStreamsInFlight.isEmpty)
        #expect(h.engine.streams.values.filter { $0.meeting != nil }.count == 3)
    }

    @Test("a grouped transaction that fails is retried one by one: only the bad command fails")
    func failedGroupRetried() throws {
        let h = try EngineHarness()
        let (organizer, good) = try h.organizerWithMeeting()
        let bad = try h.ok(organizer, "meeting.create", EngineHarness.meetingArgs)["meeting"]!["id"]!.stringValue!
        // Someone writes the bad meeting's next seq behind the engine's back.
        let seq = h.engine.streams[bad]!.seq + 1
        try h.store.commit([Commit(events: [RecordedEvent(
            stream: bad, seq: seq, at: Date(), by: "X", event: .checklistItemRemoved(id: "C-1"))])])
        // Sent back to back, they usually share one transaction; either way only the bad one may fail.
        let a = h.send(organizer, "checklist.add", ["meeting": .string(good), "text": "能存下"])
        let b = h.send(organizer, "checklist.add", ["meeting": .string(bad), "text": "存不下"])
        try h.settle()
        let frames = try h.take(organizer)
        #expect(frames.first { $0["re"]?.stringValue == a }?["ok"] == .bool(true))
        #expect(frames.first { $0["re"]?.stringValue == b }?["error"]?["code"]?.stringValue == "internal")
        #expect(try h.store.lastSeq(stream: good) == 14)
    }

    @Test("a subscriber that takes nothing is dropped with 1008 once its queue is full; the others go on")
    func slowSubscriberDropped() throws {
        var limits = ServerConfiguration.Limits()
        limits.maxQueuedMessages = 8
        let h = try EngineHarness(limits: limits)
        let (organizer, meeting) = try h.organizerWithMeeting()
        let slow = try h.connect(token: EngineHarness.adminToken)
        let steady = try h.connect(token: EngineHarness.adminToken)
        _ = try h.ok(slow, "stream.subscribe", ["stream": .string(meeting)])
        _ = try h.ok(steady, "stream.subscribe", ["stream": .string(meeting)])
        for i in 0..<12 {
            _ = try h.ok(organizer, "checklist.add", ["meeting": .string(meeting), "text": .string("项\(i)")])
            try h.take(steady)
        }
        let frames = try h.take(slow)
        #expect(frames.count == 1)
        #expect(frames.last?["closed"]?.intValue == 1008)
        #expect(h.received[steady]?.filter { $0["event"] != nil }.count == 12)
    }

    @Test("a resume from beyond the frames kept in memory is read off the thread; live events wait behind it")
    func catchUpFromStore() throws {
        var limits = ServerConfiguration.Limits()
        limits.requestBurst = 10_000
        let h = try EngineHarness(limits: limits)
        let (organizer, meeting) = try h.organizerWithMeeting()
        for i in 0..<(StreamSlot.recentLimit + 20) {
            h.send(organizer, "checklist.set", ["meeting": .string(meeting), "item": "C-1", "done": .bool(i % 2 == 0), "note": .string("第\(i)次")])
        }
        try h.settle()
        try h.take(organizer)
        let total = h.engine.streams[meeting]!.seq
        let late = try h.connect(token: EngineHarness.adminToken)
        let id = h.send(late, "stream.subscribe", ["stream": .string(meeting), "since": 0])
        #expect(h.engine.pendingReads.count == 1)
        // A change lands while the read is on its way.
        h.send(organizer, "checklist.set", ["meeting": .string(meeting), "item": "C-2", "done": true])
        try h.settle()
        let frames = try h.take(late)
        let seqs = frames.compactMap { $0["seq"]?.intValue }
        #expect(seqs == Array(1...(total + 1)))
        // The late change either lands before the read (the read carries it and the
        // reply comes last) or after it (the reply says `total`, the event follows live).
        // Either way no event is lost, none is repeated, and the reply's seq splits them.
        let reply = try #require(frames.firstIndex { $0["re"]?.stringValue == id })
        let replySeq = try #require(frames[reply]["result"]?["seq"]?.intValue)
        #expect(replySeq == total || replySeq == total + 1)
        #expect(frames[..<reply].compactMap { $0["seq"]?.intValue } == Array(1...replySeq))
        #expect(frames[(reply + 1)...].compactMap { $0["seq"]?.intValue } == Array((replySeq + 1)..<(total + 2)))
    }

    @Test("the op table dispatches every op: reads answer from state, writes commit, unknown ops are refused")
    func opTableDispatch() throws {
        let h = try EngineHarness()
        let (organizer, meeting) = try h.organizerWithMeeting()
        let get = try h.ok(organizer, "meeting.get", ["meeting": .string(meeting)])
        let ops = get["snapshot"]?["viewer"]?["ops"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(ops.contains("queue.grant") && ops.contains("minutes.add") && !ops.contains("queue.raise"))
        #expect(try h.call(organizer, "dispatch.list")["result"]?["records"]?.arrayValue?.isEmpty == true)
        #expect(try h.call(organizer, "dispatch.fly")["error"]?["code"]?.stringValue == "unknown_op")
        let answer = h.engine.http(path: "/api/ops")
        let catalogue = try JSON.parse(answer.body)
        let listed = Set(catalogue["ops"]?.arrayValue?.compactMap { $0["op"]?.stringValue } ?? [])
        #expect(listed == Set(OpTable.all.map(\.name)))
    }
}
