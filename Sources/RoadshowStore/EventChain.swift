import Foundation
import GRDB
import RoadshowCore

/// Tamper evidence for the record (台账): each stored event's hash covers the
/// hash of the event before it in its stream and every column of its own row,
/// so a row changed, removed or slipped in by hand breaks the chain from
/// there on. It is evidence, not protection: whoever can rewrite the whole
/// file can rewrite the chain too; a copy of the last hashes kept elsewhere
/// (a backup) shows that.
public enum EventChain {
    public static func hash(previous: String, stream: String, seq: Int64, type: String, actor: String, at: String, data: String) -> String {
        SHA256.hex("\(previous)\n\(stream)\n\(seq)\n\(type)\n\(actor)\n\(at)\n\(data)")
    }

    /// What `verify` found wrong, where.
    public struct Problem: Sendable, CustomStringConvertible {
        public let stream: String?
        public let seq: Int64?
        public let what: String
        public var description: String {
            switch (stream, seq) {
            case let (s?, q?): "\(s) seq \(q): \(what)"
            case let (s?, nil): "\(s): \(what)"
            default: what
            }
        }
    }

    /// Checks a database: every stream's seqs run 1, 2, 3…; every hash
    /// follows from the one before; and the query tables equal a rebuild from
    /// the log. Reads only.
    public static func verify(_ reader: any DatabaseReader) throws -> (events: Int, streams: Int, problems: [Problem]) {
        var problems: [Problem] = []
        var count = 0
        var streams = 0
        var all: [(stream: String, events: [RecordedEvent])] = []
        try reader.read { db in
            let columns = try db.columns(in: "events").map(\.name)
            guard columns.contains("hash") else {
                problems.append(Problem(stream: nil, seq: nil, what: "the database predates the hash chain: start the server on it once to add it"))
                return
            }
            let rows = try Row.fetchCursor(db, sql: "SELECT stream, seq, type, actor, at, data, hash FROM events ORDER BY stream, seq")
            var current: String?
            var expectedSeq: Int64 = 1
            var previous = ""
            while let row = try rows.next() {
                count += 1
                let stream: String = row["stream"]
                let seq: Int64 = row["seq"]
                if stream != current {
                    current = stream
                    streams += 1
                    expectedSeq = 1
                    previous = ""
                    all.append((stream, []))
                }
                if seq != expectedSeq {
                    problems.append(Problem(stream: stream, seq: seq, what: "expected seq \(expectedSeq): events are missing or out of order"))
                }
                let want = hash(previous: previous, stream: stream, seq: seq, type: row["type"], actor: row["actor"], at: row["at"], data: row["data"])
                let stored: String? = row["hash"]
                if stored != want {
                    problems.append(Problem(stream: stream, seq: seq, what: stored == nil ? "no hash" : "the hash does not follow from the event and the one before it: this row or an earlier one was changed"))
                }
                previous = stored ?? want
                expectedSeq = seq + 1
                do {
                    all[all.count - 1].events.append(try EventStore.event(row))
                } catch {
                    problems.append(Problem(stream: stream, seq: seq, what: "cannot be read: \(error)"))
                }
            }
        }
        guard problems.isEmpty || !all.isEmpty else { return (count, streams, problems) }
        // The query tables, against a rebuild from the log in memory.
        let rebuilt = try EventStore.inMemory()
        for (stream, events) in all {
            do { try rebuilt.commit([Commit(events: events)]) } catch {
                problems.append(Problem(stream: stream, seq: nil, what: "the log cannot be replayed: \(error)"))
            }
        }
        for table in ["meetings", "participants", "accounts", "dispatch_records", "dispatch_feedback"] {
            let sql = "SELECT * FROM \(table) ORDER BY 1, 2"
            let stored = try reader.read { db in try Row.fetchAll(db, sql: sql).map(\.description) }
            let fresh = try rebuilt.writer.read { db in try Row.fetchAll(db, sql: sql).map(\.description) }
            if stored != fresh {
                let extra = Set(stored).subtracting(fresh).count, missing = Set(fresh).subtracting(stored).count
                problems.append(Problem(stream: nil, seq: nil, what: "the \(table) table differs from a rebuild from the log (\(extra) rows not in the rebuild, \(missing) missing)"))
            }
        }
        return (count, streams, problems)
    }
}
