import Foundation
import GRDB
import RoadshowCore

/// The database: the event log, credentials, request replies and projections.
/// One struct owning the GRDB writer; one transaction per write method.
public struct EventStore: EventStorage {
    public let writer: any DatabaseWriter

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Opens (and creates, with its directory) the database file in WAL mode,
    /// with `synchronous = FULL` so a commit survives power loss, not just a crash.
    public static func open(path: String) throws -> EventStore {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var config = Configuration()
        config.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: config)
        return try EventStore(pool)
    }

    /// An in-memory store, for tests.
    public static func inMemory() throws -> EventStore {
        try EventStore(try DatabaseQueue())
    }

    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        // GRDB sets synchronous = NORMAL when it enables WAL; turn durability back up
        // on the one writer connection, after the pool is open.
        try writer.barrierWriteWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        try Migrations.migrator.migrate(writer)
    }

    /// The writer connection's `PRAGMA synchronous` (2 = FULL).
    public func synchronousLevel() throws -> Int {
        try writer.barrierWriteWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    public func journalMode() throws -> String {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    // MARK: - Writing

    /// Commits several commands' changes in one transaction: all or none.
    public func commit(_ commits: [Commit]) throws {
        try writer.write { db in
            // Each stream's last hash in this transaction (the chain, `EventChain`).
            var lastHash: [String: String] = [:]
            for commit in commits {
                for e in commit.events {
                    let at = Timestamp.format(e.at)
                    let data = String(decoding: e.data, as: UTF8.self)
                    let previous: String
                    if let known = lastHash[e.stream] {
                        previous = known
                    } else if e.seq > 1 {
                        previous = try String.fetchOne(
                            db.cachedStatement(sql: "SELECT hash FROM events WHERE stream = ? AND seq = ?"), arguments: [e.stream, e.seq - 1]) ?? ""
                    } else {
                        previous = ""
                    }
                    let hash = EventChain.hash(previous: previous, stream: e.stream, seq: e.seq, type: e.event.type, actor: e.by, at: at, data: data)
                    lastHash[e.stream] = hash
                    // Prepared once per connection (GRDB's statement cache), as every statement of a commit.
                    try db.cachedStatement(sql: "INSERT INTO events (stream, seq, type, actor, at, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .execute(arguments: [e.stream, e.seq, e.event.type, e.by, at, data, hash])
                    try Projections.apply(e, db)
                }
                let at = commit.events.first.map { Timestamp.format($0.at) } ?? Timestamp.format(Date())
                for change in commit.credentials {
                    switch change {
                    case .issue(let c):
                        try db.execute(
                            sql: "INSERT INTO credentials (token_hash, actor, kind, name, meeting, created_at, link_nonce) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            arguments: [c.tokenHash, c.actor, c.kind.rawValue, c.name, c.meeting, at, c.linkNonce])
                    case .revokeActor(let actor):
                        try db.execute(sql: "DELETE FROM credentials WHERE actor = ?", arguments: [actor])
                    }
                }
                if let r = commit.reply {
                    try db.cachedStatement(sql: "INSERT INTO request_replies (actor, scope, request_key, op, result, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                        .execute(arguments: [r.actor, r.scope, r.key, r.op, r.result.encodedString, at])
                }
            }
        }
    }

    // MARK: - Reading

    /// Every stream's events, in order: what the server replays at start.
    public func allStreams() throws -> [(stream: String, events: [RecordedEvent])] {
        try writer.read { db in
            var out: [(stream: String, events: [RecordedEvent])] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT stream, seq, type, actor, at, data FROM events ORDER BY stream, seq")
            while let row = try rows.next() {
                let e = try Self.event(row)
                if out.last?.stream == e.stream { out[out.count - 1].events.append(e) } else { out.append((e.stream, [e])) }
            }
            return out
        }
    }

    /// Events of one stream with `after < seq <= upTo`.
    public func events(stream: String, after: Int64, upTo: Int64 = .max) throws -> [RecordedEvent] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT stream, seq, type, actor, at, data FROM events WHERE stream = ? AND seq > ? AND seq <= ? ORDER BY seq",
                arguments: [stream, after, upTo]
            ).map(Self.event)
        }
    }

    public func lastSeq(stream: String) throws -> Int64 {
        try writer.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events WHERE stream = ?", arguments: [stream]) ?? 0 }
    }

    public func credentials() throws -> [Credential] {
        try writer.read { db in
            var out: [Credential] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT token_hash, actor, kind, name, meeting, link_nonce FROM credentials")
            while let row = try rows.next() {
                // By position (the SELECT's order): a name lookup per column per row adds up at start-up.
                guard let kind = Actor.Kind(rawValue: row[2]) else {
                    throw Failure(description: "credential with unknown kind \(String(describing: row[2]))")
                }
                out.append(Credential(tokenHash: row[0], actor: row[1], kind: kind, name: row[3], meeting: row[4], linkNonce: row[5]))
            }
            return out
        }
    }

    /// Every stored reply's (actor, scope, key), so the server knows them all
    /// without reading a reply until one is asked for again.
    public func storedReplyKeys() throws -> [(actor: String, scope: String, key: String)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT actor, scope, request_key FROM request_replies").map { row in
                (row[0], row[1], row[2])
            }
        }
    }

    public func storedReply(actor: String, scope: String, key: String) throws -> StoredReply? {
        try writer.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT op, result FROM request_replies WHERE actor = ? AND scope = ? AND request_key = ?",
                arguments: [actor, scope, key])
            else { return nil }
            return StoredReply(actor: actor, scope: scope, key: key, op: row["op"], result: try JSON.parse(Array((row["result"] as String).utf8)))
        }
    }

    /// An event from a row that starts `stream, seq, type, actor, at, data` (by
    /// position: a name lookup per column costs more than the rest of the read).
    static func event(_ row: Row) throws -> RecordedEvent {
        let type: String = row[2]
        let dataText: String = row[5]
        let atText: String = row[4]
        guard let at = Timestamp.parse(atText) else { throw Failure(description: "bad time \(atText) in the event log") }
        let bytes = Array(dataText.utf8)
        let event = try DomainEvent(type: type, data: try JSON.parse(bytes))
        return RecordedEvent(stream: row[0], seq: row[1], at: at, by: row[3], event: event, data: bytes)
    }
}
