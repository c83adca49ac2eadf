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
    /// follows from the one before; the query tables equal a rebuild from
    /// the log; and every stream snapshot of this version equals a replay of
    /// its stream up to its seq (`snapshots`: how many were checked). Reads only.
    public static func verify(_ reader: any DatabaseReader) throws -> (events: Int, streams: Int, problems: [Problem], snapshots: Int) {
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
        guard problems.isEmpty || !all.isEmpty else { return (count, streams, problems, 0) }
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
        let snapshots = try verifySnapshots(reader, all, &problems)
        return (count, streams, problems, snapshots)
    }

    /// Each snapshot of this version against a replay of its stream's log up to
    /// its seq; snapshots of another version are ignored (start-up ignores
    /// them too). Returns how many were checked.
    static func verifySnapshots(
        _ reader: any DatabaseReader, _ all: [(stream: String, events: [RecordedEvent])], _ problems: inout [Problem]
    ) throws -> Int {
        let rows = try reader.read { db -> [Row] in
            guard try db.tableExists("stream_snapshots") else { return [] }
            return try Row.fetchAll(
                db, sql: """
                    SELECT p.stream AS stream, p.seq AS seq, p.version AS version, p.hash AS hash, p.data AS data,
                        e.hash AS log_hash
                    FROM stream_snapshots p LEFT JOIN events e ON e.stream = p.stream AND e.seq = p.seq
                    ORDER BY p.stream
                    """)
        }
        let logs = Dictionary(all.map { ($0.stream, $0.events) }, uniquingKeysWith: { a, _ in a })
        var checked = 0
        for row in rows {
            let stream = String.fromDatabaseValue(row["stream"]) ?? "?"
            guard Int.fromDatabaseValue(row["version"]) == StreamState.snapshotVersion else { continue }
            checked += 1
            func problem(_ what: String) { problems.append(Problem(stream: stream, seq: nil, what: "snapshot: \(what)")) }
            guard let seq = Int64.fromDatabaseValue(row["seq"]) else { problem("its seq is not a number"); continue }
            guard let events = logs[stream], !events.isEmpty else { problem("the stream has no events in the log"); continue }
            guard seq >= 1, seq <= events.last!.seq else {
                problem("taken at seq \(seq), beyond the log's last seq \(events.last!.seq)")
                continue
            }
            guard let hash = String.fromDatabaseValue(row["hash"]), hash == String.fromDatabaseValue(row["log_hash"]) else {
                problem("taken at seq \(seq) of another log: its hash is not the hash of the event at that seq")
                continue
            }
            let state: StreamState
            do {
                guard let data = Data.fromDatabaseValue(row["data"]) else { throw EventStore.Failure(description: "no data") }
                state = try StreamState(snapshotData: data)
            } catch {
                problem("cannot be read: \(error)")
                continue
            }
            let replayed = StreamState.applying(events.prefix { $0.seq <= seq }.map(\.event), to: nil)
            if state != replayed {
                problem("the snapshot at seq \(seq) differs from a replay of the log up to it (start-up would serve a wrong state: delete the row, the server rebuilds it)")
            }
        }
        return checked
    }
}
