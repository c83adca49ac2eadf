import Foundation
import GRDB
import Testing

@testable import RoadshowCore
@testable import RoadshowStore

@Suite("EventStore: schema, durability settings, append-only log")
struct EventStoreSchemaTests {
    @Test("migrations on an empty file create every table and trigger")
    func schema() throws {
        let dir = try StoreFixture.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("nested/deeper/roadshow.sqlite").path
        let store = try EventStore.open(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        let (tables, triggers, migrations) = try store.writer.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        }
        #expect(tables == ["accounts", "credentials", "dispatch_feedback", "dispatch_records", "events", "meetings", "participants", "request_replies", "stream_snapshots"])
        #expect(triggers == ["events_append_only_delete", "events_append_only_update", "events_seq_contiguous"])
        #expect(migrations.count == 5)
        for table in tables { #expect(try StoreFixture.count(store, table) == 0) }
        let eventColumns = try store.writer.read { db in try db.columns(in: "events").map(\.name) }
        #expect(eventColumns == ["stream", "seq", "type", "actor", "at", "data", "hash"])
    }

    @Test("a file store runs in WAL mode with synchronous = FULL")
    func durabilitySettings() throws {
        let dir = try StoreFixture.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("roadshow.sqlite").path
        let store = try EventStore.open(path: path)
        #expect(try store.synchronousLevel() == 2)
        #expect(try store.journalMode() == "wal")
        // Still so after a write, and on the writer connection itself.
        try store.commit([Commit(events: StoreFixture.recorded("M-7Q2K", [.meetingCreated(StoreFixture.info())]))])
        #expect(try store.synchronousLevel() == 2)
        let onWriter = try store.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(onWriter == 2)
    }

    @Test("reopening a file store keeps the events, runs no migration twice, and is FULL again")
    func reopen() throws {
        let dir = try StoreFixture.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("roadshow.sqlite").path
        let events = StoreFixture.recorded("M-7Q2K", [.meetingCreated(StoreFixture.info()), .checklistItemAdded(StoreFixture.item(1))])
        do {
            let store = try EventStore.open(path: path)
            try store.commit([Commit(events: events, credentials: [.issue(StoreFixture.credential("rs_p_x", actor: "P-1"))])])
        }
        let again = try EventStore.open(path: path)
        #expect(try again.synchronousLevel() == 2)
        #expect(try again.journalMode() == "wal")
        #expect(try again.events(stream: "M-7Q2K", after: 0) == events)
        #expect(try again.credentials().map(\.actor) == ["P-1"])
        #expect(try again.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") } == 5)
        // And it keeps appending where it left off.
        try again.commit([Commit(events: StoreFixture.recorded("M-7Q2K", from: 3, [.checklistItemAdded(StoreFixture.item(2))]))])
        #expect(try again.lastSeq(stream: "M-7Q2K") == 3)
    }

    @Test("the in-memory store is migrated too", arguments: StoreKind.allCases)
    func migrated(kind: StoreKind) throws {
        try kind.withStore { store throws in
            #expect(try StoreFixture.count(store, "events") == 0)
            #expect(try store.allStreams().isEmpty)
            #expect(try store.lastSeq(stream: "M-NONE") == 0)
            #expect(try store.credentials().isEmpty)
        }
    }

    @Test("UPDATE and DELETE on the event log are refused by the triggers", arguments: StoreKind.allCases)
    func appendOnly(kind: StoreKind) throws {
        try kind.withStore { store throws in
            let events = StoreFixture.recorded("M-7Q2K", [.meetingCreated(StoreFixture.info()), .checklistItemAdded(StoreFixture.item(1))])
            try store.commit([Commit(events: events)])
            for sql in [
                "UPDATE events SET type = 'meeting.deleted' WHERE seq = 1",
                "UPDATE events SET seq = 5 WHERE seq = 2",
                "DELETE FROM events WHERE seq = 2",
                "DELETE FROM events",
            ] {
                do {
                    try store.writer.write { db in try db.execute(sql: sql) }
                    Issue.record("\(sql) was allowed")
                } catch let e as DatabaseError {
                    #expect(e.message?.contains("append-only") == true, "\(sql): \(e)")
                }
            }
            #expect(try store.events(stream: "M-7Q2K", after: 0) == events)
        }
    }

    @Test("a direct insert that skips a seq or repeats one is refused", arguments: StoreKind.allCases)
    func contiguousTrigger(kind: StoreKind) throws {
        try kind.withStore { store throws in
            let insert = "INSERT INTO events (stream, seq, type, actor, at, data) VALUES (?, ?, 'x', 'A-1', '2026-11-22T08:00:00.000Z', '{}')"
            #expect(throws: DatabaseError.self) { try store.writer.write { db in try db.execute(sql: insert, arguments: ["S", 2]) } }
            #expect(throws: DatabaseError.self) { try store.writer.write { db in try db.execute(sql: insert, arguments: ["S", 0]) } }
            try store.writer.write { db in try db.execute(sql: insert, arguments: ["S", 1]) }
            #expect(throws: DatabaseError.self) { try store.writer.write { db in try db.execute(sql: insert, arguments: ["S", 1]) } }
            #expect(throws: DatabaseError.self) { try store.writer.write { db in try db.execute(sql: insert, arguments: ["S", 3]) } }
            // Another stream starts at 1 on its own.
            try store.writer.write { db in try db.execute(sql: insert, arguments: ["T", 1]) }
            try store.writer.write { db in try db.execute(sql: insert, arguments: ["S", 2]) }
            #expect(try store.lastSeq(stream: "S") == 2)
            #expect(try store.lastSeq(stream: "T") == 1)
        }
    }
}

@Suite("EventStore: commits")
struct EventStoreCommitTests {
    @Test("events are stored and read back decoded, in order, with at and by", arguments: StoreKind.allCases)
    func roundTrip(kind: StoreKind) throws {
        try kind.withStore { store throws in
            let info = StoreFixture.info()
            let p = StoreFixture.participant("P-AAAA0001", "张三", "市商务局")
            let events = StoreFixture.recorded("M-7Q2K", [
                .meetingCreated(info), .checklistItemAdded(StoreFixture.item(1, "提前与企业沟通，确认来投资合作意向")),
                .rosterAdded(p), .checklistItemRemoved(id: "C-1"),
            ])
            try store.commit([Commit(events: Array(events.prefix(2))), Commit(events: Array(events.suffix(2)))])
            #expect(try store.events(stream: "M-7Q2K", after: 0) == events)
            #expect(try store.events(stream: "M-7Q2K", after: 2) == Array(events.suffix(2)))
            #expect(try store.events(stream: "M-7Q2K", after: 1, upTo: 3) == Array(events[1...2]))
            #expect(try store.events(stream: "M-7Q2K", after: 4).isEmpty)
            #expect(try store.events(stream: "M-NONE", after: 0).isEmpty)
            #expect(try store.lastSeq(stream: "M-7Q2K") == 4)
            // The row holds the wire form: type, UTC time with milliseconds, the data's sorted JSON.
            let row = try #require(try store.writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM events WHERE seq = 3") })
            #expect(row["type"] as String == "roster.added")
            #expect(row["actor"] as String == "A-ORG001")
            #expect(row["at"] as String == "2026-11-22T08:00:03.000Z")
            #expect(row["data"] as String == DomainEvent.rosterAdded(p).data.encodedString)
        }
    }

    @Test("a gap in seq (3 after 1) fails the whole call: nothing of any commit in it is stored", arguments: StoreKind.allCases)
    func gapIsAllOrNothing(kind: StoreKind) throws {
        try kind.withStore { store throws in
            let first = StoreFixture.recorded("M-7Q2K", [.meetingCreated(StoreFixture.info())])
            try store.commit([Commit(events: first)])

            let good = Commit(
                events: StoreFixture.recorded("M-7Q2K", from: 2, [.checklistItemAdded(StoreFixture.item(1))]),
                credentials: [.issue(StoreFixture.credential("rs_p_good", actor: "P-GOOD"))],
                reply: StoredReply(actor: "A-ORG001", scope: "M-7Q2K", key: "k-good", op: "checklist.add", result: ["seq": 2]))
            let other = Commit(
                events: StoreFixture.recorded("M-OTHR", [.meetingCreated(StoreFixture.info("M-OTHR"))]))
            // Seq 4 after 2: a gap.
            let gap = Commit(
                events: StoreFixture.recorded("M-7Q2K", from: 4, [.checklistItemAdded(StoreFixture.item(2))]),
                credentials: [.revokeActor("P-GOOD")])
            #expect(throws: (any Error).self) { try store.commit([good, other, gap]) }

            #expect(try store.lastSeq(stream: "M-7Q2K") == 1)
            #expect(try store.lastSeq(stream: "M-OTHR") == 0)
            #expect(try store.events(stream: "M-7Q2K", after: 0) == first)
            #expect(try store.credentials().isEmpty)
            #expect(try store.storedReply(actor: "A-ORG001", scope: "M-7Q2K", key: "k-good") == nil)
            #expect(try StoreFixture.count(store, "meetings") == 1)

            // A gap right after the stored seq, too (3 after 1).
            let skip = Commit(events: StoreFixture.recorded("M-7Q2K", from: 3, [.checklistItemAdded(StoreFixture.item(1))]))
            #expect(throws: (any Error).self) { try store.commit([skip]) }
            #expect(try store.lastSeq(stream: "M-7Q2K") == 1)

            // The same commits without the bad one go through.
            try store.commit([good, other])
            #expect(try store.lastSeq(stream: "M-7Q2K") == 2)
            #expect(try store.lastSeq(stream: "M-OTHR") == 1)
            #expect(try store.credentials().map(\.actor) == ["P-GOOD"])
        }
    }

    @Test("a repeated seq (two writers deciding on the same state) is refused", arguments: StoreKind.allCases)
    func duplicateSeq(kind: StoreKind) throws {
        try kind.withStore { store throws in
            try store.commit([Commit(events: StoreFixture.recorded("M-7Q2K", [.meetingCreated(StoreFixture.info())]))])
            let a = Commit(events: StoreFixture.recorded("M-7Q2K", from: 2, [.checklistItemAdded(StoreFixture.item(1, "甲"))]))
            let b = Commit(events: StoreFixture.recorded("M-7Q2K", from: 2, [.checklistItemAdded(StoreFixture.item(1, "乙"))]))
            try store.commit([a])
            #expect(throws: (any Error).self) { try store.commit([b]) }
            #expect(try store.events(stream: "M-7Q2K", after: 1) == a.events)
        }
    }

    @Test("request replies are stored and read back; a second one with the same (actor, scope, key) fails", arguments: StoreKind.allCases)
    func replies(kind: StoreKind) throws {
        try kind.withStore { store throws in
            let result: JSON = ["participant": ["id": "P-AAAA0001", "displayName": "张三-市商务局"], "redacted": ["link", "token"], "seq": 2]
            let reply = StoredReply(actor: "A-ORG001", scope: "M-7Q2K", key: "retry-1", op: "roster.add", result: result)
            try store.commit([Commit(
                events: StoreFixture.recorded("M-7Q2K", [.meetingCreated(StoreFixture.info()), .rosterAdded(StoreFixture.participant("P-AAAA0001", "张三", "市商务局"))]),
                reply: reply)])
            #expect(try store.storedReply(actor: "A-ORG001", scope: "M-7Q2K", key: "retry-1") == reply)
            // Scoped by actor, stream and key.
            #expect(try store.storedReply(actor: "A-ORG002", scope: "M-7Q2K", key: "retry-1") == nil)
            #expect(try store.storedReply(actor: "A-ORG001", scope: "M-OTHR", key: "retry-1") == nil)
            #expect(try store.storedReply(actor: "A-ORG001", scope: "M-7Q2K", key: "retry-2") == nil)

            let again = Commit(
                events: StoreFixture.recorded("M-7Q2K", from: 3, [.checklistItemAdded(StoreFixture.item(1))]),
                reply: StoredReply(actor: "A-ORG001", scope: "M-7Q2K", key: "retry-1", op: "checklist.add", result: ["seq": 3]))
            #expect(throws: (any Error).self) { try store.commit([again]) }
            // The failed commit stored no event, and the first reply is unchanged.
            #expect(try store.lastSeq(stream: "M-7Q2K") == 2)
            #expect(try store.storedReply(actor: "A-ORG001", scope: "M-7Q2K", key: "retry-1") == reply)

            // The same key by another actor, or on another stream, is another reply.
            try store.commit([Commit(events: [], reply: StoredReply(actor: "P-AAAA0001", scope: "M-7Q2K", key: "retry-1", op: "roster.confirm", result: ["seq": 2]))])
            try store.commit([Commit(events: [], reply: StoredReply(actor: "A-ORG001", scope: "meeting.create", key: "retry-1", op: "meeting.create", result: ["seq": 1]))])
            #expect(try StoreFixture.count(store, "request_replies") == 3)
        }
    }

    @Test("credentials: issue, read back, revoke every token of an actor", arguments: StoreKind.allCases)
    func credentials(kind: StoreKind) throws {
        try kind.withStore { store throws in
            let a1 = StoreFixture.credential("rs_p_a1", actor: "P-A")
            let b1 = StoreFixture.credential("rs_p_b1", actor: "P-B")
            let org = StoreFixture.credential("rs_o_org", actor: "A-ORG001", kind: .organizer, meeting: nil)
            try store.commit([Commit(events: [], credentials: [.issue(a1), .issue(b1), .issue(org)])])
            #expect(Set(try store.credentials().map(\.tokenHash)) == [a1.tokenHash, b1.tokenHash, org.tokenHash])
            #expect(try store.credentials().first { $0.actor == "A-ORG001" } == org)
            // Nothing but the hash is stored.
            let text = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT token_hash || actor || name FROM credentials") }.joined()
            #expect(!text.contains("rs_p_a1") && !text.contains("rs_o_org"))

            // Reissue: revoke then issue, in one commit, as roster.link decides it.
            let a2 = StoreFixture.credential("rs_p_a2", actor: "P-A")
            try store.commit([Commit(events: [], credentials: [.revokeActor("P-A"), .issue(a2)])])
            #expect(Set(try store.credentials().map(\.tokenHash)) == [a2.tokenHash, b1.tokenHash, org.tokenHash])

            try store.commit([Commit(events: [], credentials: [.revokeActor("P-B"), .revokeActor("P-NOBODY")])])
            #expect(Set(try store.credentials().map(\.actor)) == ["P-A", "A-ORG001"])

            // The same token issued twice is refused.
            #expect(throws: (any Error).self) { try store.commit([Commit(events: [], credentials: [.issue(org)])]) }
        }
    }

    @Test("allStreams: every stream with its events in seq order, decoded", arguments: StoreKind.allCases)
    func allStreams(kind: StoreKind) throws {
        try kind.withStore { store throws in
            let m1 = StoreFixture.recorded("M-BBBB", [.meetingCreated(StoreFixture.info("M-BBBB")), .checklistItemAdded(StoreFixture.item(1))])
            let m2 = StoreFixture.recorded("M-AAAA", [.meetingCreated(StoreFixture.info("M-AAAA"))])
            let accounts = StoreFixture.recorded("accounts", by: "A-ADMIN", [
                .accountCreated(Account(id: "A-ADMIN", name: "Administrator", kind: .admin, createdAt: StoreFixture.t0)),
                .accountCreated(Account(id: "A-ORG001", name: "黄山市投资促进局", kind: .organizer, createdAt: StoreFixture.t0)),
            ])
            // Interleaved commits across streams.
            try store.commit([Commit(events: [m1[0]]), Commit(events: accounts)])
            try store.commit([Commit(events: m2), Commit(events: [m1[1]])])
            try store.commit([Commit(events: StoreFixture.recorded("M-BBBB", from: 3, [.checklistItemSet(StoreFixture.item(1))]))])

            let streams = try store.allStreams()
            #expect(streams.map(\.stream) == ["M-AAAA", "M-BBBB", "accounts"])
            #expect(streams[0].events == m2)
            #expect(streams[1].events.map(\.seq) == [1, 2, 3])
            #expect(Array(streams[1].events.prefix(2)) == m1)
            #expect(streams[2].events == accounts)
            // Replaying a stream from the store gives the state.
            let state = StreamState.applying(streams[1].events.map(\.event), to: nil)
            #expect(state?.meeting?.info == StoreFixture.info("M-BBBB"))
            #expect(state?.meeting?.checklist.map(\.id) == ["C-1"])
            #expect(StreamState.applying(streams[2].events.map(\.event), to: nil)?.accounts?.accounts.count == 2)
        }
    }

    @Test("allStreams reports an unreadable event instead of skipping it")
    func corruptRow() throws {
        let store = try EventStore.inMemory()
        try store.writer.write { db in
            try db.execute(sql: "INSERT INTO events (stream, seq, type, actor, at, data) VALUES ('M-X', 1, 'meeting.exploded', 'A', '2026-11-22T08:00:00.000Z', '{}')")
        }
        #expect(throws: (any Error).self) { try store.allStreams() }
    }
}
