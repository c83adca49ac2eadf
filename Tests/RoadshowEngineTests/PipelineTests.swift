import Foundation
import GRDB
@testable import RoadshowCore
@testable import RoadshowServer
import RoadshowStore
import Testing

/// Pipelined commands on one stream (the performance issue, point 2): the
/// next command is decided on the state the ones in flight will leave, they
/// share the writer's transactions, and still nothing is shown or
/// acknowledged before its commit; a failed commit takes down every command
/// decided on top of it, and none is acknowledged on a state not stored.
@Suite("Pipelined commands on one stream")
struct PipelineTests {
    static func texts(_ h: EngineHarness, _ meeting: String) throws -> [String] {
        try h.store.events(stream: meeting, after: 0).compactMap { e in
            if case .checklistItemAdded(let item) = e.event { return item.text } else { return nil }
        }
    }

    @Test("five commands in flight at once: decided on the head, shown and acknowledged only after their commit, in order")
    func inFlightTogether() throws {
        let h = try EngineHarness()
        let (organizer, meeting) = try h.organizerWithMeeting()
        let watcher = try h.connect(token: EngineHarness.adminToken)
        _ = try h.ok(watcher, "stream.subscribe", ["stream": .string(meeting)])
        let ids = (0..<5).map { i in h.send(organizer, "checklist.add", ["meeting": .string(meeting), "text": .string("第\(i)项")]) }
        let slot = try #require(h.engine.streams[meeting])
        #expect(slot.pipeline.count == 5, "all five decided without waiting for a commit")
        #expect(slot.seq == 13 && slot.headSeq == 18, "committed 13; the head is at 18")
        #expect(try h.take(organizer).isEmpty && (try h.take(watcher)).isEmpty, "nothing shown or acknowledged before the commit")
        // A read answers at once, from committed state only.
        let get = h.send(watcher, "meeting.get", ["meeting": .string(meeting)])
        let snapshot = try h.take(watcher).first { $0["re"]?.stringValue == get }
        #expect(snapshot?["result"]?["seq"]?.intValue == 13)
        try h.settle()
        let replies = try h.take(organizer)
        #expect(ids.map { id in replies.first { $0["re"]?.stringValue == id }?["result"]?["seq"]?.intValue } == [14, 15, 16, 17, 18])
        #expect(replies.compactMap { $0["re"]?.stringValue } == ids, "acknowledged in order")
        #expect(try h.take(watcher).compactMap { $0["seq"]?.intValue } == [14, 15, 16, 17, 18])
        #expect(slot.pipeline.isEmpty && slot.head == nil && slot.seq == 18)
        #expect(try Self.texts(h, meeting).suffix(5) == (0..<5).map { "第\($0)项" })
    }

    @Test("a failed commit fails every command decided on top of it; nothing of them is stored or shown; the stream goes on")
    func failureTakesDependents() throws {
        let h = try EngineHarness()
        let (organizer, meeting) = try h.organizerWithMeeting()
        let watcher = try h.connect(token: EngineHarness.adminToken)
        _ = try h.ok(watcher, "stream.subscribe", ["stream": .string(meeting)])
        // The database refuses one of them, as a full disk would.
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        let db = try DatabaseQueue(path: h.directory.appendingPathComponent("roadshow.sqlite").path, configuration: configuration)
        try db.write { try $0.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.data LIKE '%无法保存%' BEGIN SELECT RAISE(ABORT, 'refused'); END") }
        let add = { (text: String) in h.send(organizer, "checklist.add", ["meeting": .string(meeting), "text": .string(text)]) }
        let a = add("第一项"), b = add("无法保存的一项"), c = add("第三项"), d = add("第四项")
        #expect(h.engine.streams[meeting]?.pipeline.count == 4)
        try h.settle()
        let replies = try h.take(organizer)
        func reply(_ id: String) -> JSON? { replies.first { $0["re"]?.stringValue == id } }
        #expect(reply(a)?["result"]?["seq"]?.intValue == 14)
        for id in [b, c, d] { #expect(reply(id)?["error"]?["code"]?.stringValue == "internal", "\(id)") }
        #expect(try h.take(watcher).compactMap { $0["seq"]?.intValue } == [14], "only what was stored is shown")
        #expect(try Self.texts(h, meeting).last == "第一项")
        try db.write { try $0.execute(sql: "DROP TRIGGER refuse") }
        let e = try h.ok(organizer, "checklist.add", ["meeting": .string(meeting), "text": "之后的一项"])
        #expect(e["seq"]?.intValue == 15, "the stream goes on from its committed state")
        #expect(try Self.texts(h, meeting).suffix(2) == ["第一项", "之后的一项"])
        #expect(h.engine.streams[meeting]?.seq == 15)
    }

    @Test("an error decided on a state not yet stored is decided again after the commit, and answered after it")
    func errorsWaitForTheirState() throws {
        let h = try EngineHarness()
        let (organizer, meeting) = try h.organizerWithMeeting()
        let added = try h.ok(organizer, "roster.add", ["meeting": .string(meeting), "name": "王五", "unit": "黄山高新区", "role": "unit"])
        let person = try #require(added["participant"]?["id"]?.stringValue)
        let remove = h.send(organizer, "roster.remove", ["meeting": .string(meeting), "participant": .string(person)])
        let update = h.send(organizer, "roster.update", ["meeting": .string(meeting), "participant": .string(person), "title": "主任"])
        let after = h.send(organizer, "checklist.add", ["meeting": .string(meeting), "text": "移除之后"])
        let slot = try #require(h.engine.streams[meeting])
        #expect(slot.barrier && slot.waiting.count == 2, "the update waits for the removal's commit, the next command behind it")
        try h.settle()
        let replies = try h.take(organizer)
        #expect(replies.compactMap { $0["re"]?.stringValue } == [remove, update, after], "answered in order")
        #expect(replies[1]["error"]?["code"]?.stringValue == "not_found")
        #expect(replies[2]["ok"]?.boolValue == true)
        #expect(!slot.barrier && slot.waiting.isEmpty && slot.pipeline.isEmpty)
    }
}
