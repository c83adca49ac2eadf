import Foundation
import GRDB
import RoadshowCore
import Synchronization

/// A stream's state to keep as its snapshot: the state after its events up to
/// `seq`, which must be committed (`saveSnapshots` stores nothing otherwise).
public struct StreamSnapshot: Sendable {
    public let stream: String
    public let seq: Int64
    public let version: Int
    /// `StreamState.snapshotData()`.
    public let data: [UInt8]

    public init(stream: String, seq: Int64, version: Int = StreamState.snapshotVersion, data: [UInt8]) {
        self.stream = stream
        self.seq = seq
        self.version = version
        self.data = data
    }

    /// Encodes `state` (the cost is here, not in the transaction that stores it).
    public init(stream: String, seq: Int64, state: StreamState) throws {
        self.init(stream: stream, seq: seq, data: try state.snapshotData())
    }
}

/// One stream as start-up loads it: its state at its last seq.
public struct LoadedStream: Sendable {
    public let stream: String
    /// The state; nil for a stream with no events that make one, or when
    /// `snapshot` holds it still encoded.
    public let state: StreamState?
    public let seq: Int64
    /// The seq of the snapshot it was loaded from; 0 when it was replayed from
    /// its first event (no snapshot, or one that could not be used).
    public let snapshotSeq: Int64
    /// With `loadStreams(deferring: true)`: the snapshot at `seq` (nothing
    /// after it), not decoded yet — `StreamState(snapshotData:)` does it.
    public var snapshot: Data? = nil

    public init(stream: String, state: StreamState?, seq: Int64, snapshotSeq: Int64, snapshot: Data? = nil) {
        self.stream = stream
        self.state = state
        self.seq = seq
        self.snapshotSeq = snapshotSeq
        self.snapshot = snapshot
    }
}

/// What `loadStreams` read.
public struct StreamLoad: Sendable {
    public var streams: [LoadedStream] = []
    /// Streams that started from a snapshot.
    public var fromSnapshots = 0
    /// Events applied: the tails after snapshots, and whole streams replayed.
    public var eventsReplayed = 0
    /// Snapshots that were there but not used, and why; those streams were replayed from the log.
    public var ignored: [(stream: String, reason: String)] = []

    public init() {}
}

extension EventStore {
    /// Every stream with its log's last seq, its snapshot if any, and the hash
    /// of the event the snapshot says it was taken at. The streams come from a
    /// skip-scan of the events' primary key (one seek per stream, not a scan
    /// of every event). No ORDER BY: sorting would copy every snapshot through
    /// a temporary file, and the order does not matter.
    static let headsSQL = """
        WITH RECURSIVE s(stream) AS (
            SELECT MIN(stream) FROM events
            UNION ALL
            SELECT (SELECT MIN(stream) FROM events WHERE stream > s.stream) FROM s WHERE s.stream IS NOT NULL
        )
        SELECT s.stream AS stream,
            (SELECT MAX(seq) FROM events WHERE stream = s.stream) AS last_seq,
            p.seq AS snapshot_seq, p.version AS version, p.hash AS snapshot_hash, p.data AS data,
            (SELECT hash FROM events WHERE stream = p.stream AND seq = p.seq) AS log_hash
        FROM s LEFT JOIN stream_snapshots p ON p.stream = s.stream
        WHERE s.stream IS NOT NULL
        """

    /// Start-up: every stream's state from its latest snapshot and the events
    /// after it. A stream whose snapshot is missing, of another version,
    /// unreadable, beyond its log, or taken from another log (its event hash
    /// differs) is replayed from its first event instead, and said so in
    /// `ignored`. Reads only; one read transaction, so what it sees is one
    /// consistent database. The snapshots are decoded on every core at once
    /// (`decodeAll`); the tails are read and applied in order after.
    ///
    /// `deferring`: a snapshot with no events after it is handed back
    /// undecoded (`LoadedStream.snapshot`), for the caller to decode later;
    /// one that then does not decode is the caller's to replay from the log.
    public func loadStreams(version: Int = StreamState.snapshotVersion, deferring: Bool = false) throws -> StreamLoad {
        try writer.read { db in
            var load = StreamLoad()
            guard try db.tableExists("stream_snapshots") else { return try Self.replayAll(db) }
            // 1. Every stream's head, and the snapshots that fit it.
            struct Head {
                let stream: String
                let last: Int64
                var snapshotSeq: Int64 = 0
                var data: Data?
            }
            var heads: [Head] = []
            let rows = try Row.fetchCursor(db, sql: Self.headsSQL)
            while let row = try rows.next() {
                // By position (headsSQL's order), and without trusting the types: a
                // row changed by hand falls back, never crashes.
                var head = Head(stream: row[0], last: row[1])
                if let snapshotSeq = Int64.fromDatabaseValue(row[2]) {
                    let snapshotVersion = Int.fromDatabaseValue(row[3])
                    if snapshotVersion != version {
                        load.ignored.append((head.stream, "version \(snapshotVersion.map(String.init) ?? "?"), this server reads version \(version)"))
                    } else if snapshotSeq > head.last || snapshotSeq < 1 {
                        load.ignored.append((head.stream, "taken at seq \(snapshotSeq), beyond the log's last seq \(head.last)"))
                    } else if String.fromDatabaseValue(row[6]) != String.fromDatabaseValue(row[4]) {
                        load.ignored.append((head.stream, "taken at seq \(snapshotSeq) of another log (the event's hash differs)"))
                    } else if let data = (try? row.withUnsafeData(atIndex: 5, { $0.map { Data($0) } })) ?? nil {  // one copy
                        head.snapshotSeq = snapshotSeq
                        head.data = data
                    } else {
                        load.ignored.append((head.stream, "unreadable: no data"))
                    }
                }
                heads.append(head)
            }
            // 2. The snapshots decoded, in parallel (those with a tail only, when deferring).
            let decoded = Self.decodeAll(heads.map { deferring && $0.snapshotSeq == $0.last ? nil : $0.data })
            // 3. Each stream's tail after its snapshot (or its whole log), applied in order.
            let tail = try db.cachedStatement(
                sql: "SELECT stream, seq, type, actor, at, data FROM events WHERE stream = ? AND seq > ? ORDER BY seq")
            load.streams.reserveCapacity(heads.count)
            for (head, result) in zip(heads, decoded) {
                if deferring, head.snapshotSeq == head.last, let data = head.data {
                    load.fromSnapshots += 1
                    load.streams.append(LoadedStream(stream: head.stream, state: nil, seq: head.last, snapshotSeq: head.last, snapshot: data))
                    continue
                }
                var state: StreamState?
                var base: Int64 = 0
                switch result {
                case .success(let s)?:
                    state = s
                    base = head.snapshotSeq
                    load.fromSnapshots += 1
                case .failure(let error)?:
                    load.ignored.append((head.stream, "unreadable: \(error)"))
                case nil:
                    break
                }
                if base < head.last {
                    let events = try Row.fetchCursor(tail, arguments: [head.stream, base])
                    while let e = try events.next() {
                        state = StreamState.apply(try Self.event(e).event, to: state)
                        load.eventsReplayed += 1
                    }
                }
                load.streams.append(LoadedStream(stream: head.stream, state: state, seq: head.last, snapshotSeq: base))
            }
            return load
        }
    }

    /// Decodes snapshots on every core: the slow part of a start from
    /// snapshots is parsing and decoding them, not reading them.
    static func decodeAll(_ blobs: [Data?]) -> [Result<StreamState, any Error>?] {
        let count = blobs.count
        nonisolated(unsafe) let out = UnsafeMutableBufferPointer<Result<StreamState, any Error>?>.allocate(capacity: count)
        out.initialize(repeating: nil)
        defer { out.deallocate() }
        let next = Atomic<Int>(0)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / 16))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < count else { return }
                // Each index is written by one worker only.
                if let data = blobs[i] { out[i] = Result { try StreamState(snapshotData: data) } }
            }
        }
        return Array(out)
    }

    /// Before the snapshots table (a database opened to read only, not migrated): every stream from its first event.
    static func replayAll(_ db: Database) throws -> StreamLoad {
        var load = StreamLoad()
        let rows = try Row.fetchCursor(db, sql: "SELECT stream, seq, type, actor, at, data FROM events ORDER BY stream, seq")
        var current: (stream: String, state: StreamState?, seq: Int64)?
        while let row = try rows.next() {
            let e = try event(row)
            if current?.stream != e.stream {
                if let c = current { load.streams.append(LoadedStream(stream: c.stream, state: c.state, seq: c.seq, snapshotSeq: 0)) }
                current = (e.stream, nil, 0)
            }
            current!.state = StreamState.apply(e.event, to: current!.state)
            current!.seq = e.seq
            load.eventsReplayed += 1
        }
        if let c = current { load.streams.append(LoadedStream(stream: c.stream, state: c.state, seq: c.seq, snapshotSeq: 0)) }
        return load
    }

    /// Stores snapshots in one transaction, each replacing the stream's older
    /// one (or one of another version). A snapshot is stored only when the
    /// log holds its seq, with that event's hash: never ahead of the log.
    /// Returns how many were stored.
    @discardableResult
    public func saveSnapshots(_ snapshots: [StreamSnapshot]) throws -> Int {
        guard !snapshots.isEmpty else { return 0 }
        let now = Timestamp.format(Date())
        return try writer.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO stream_snapshots (stream, seq, version, hash, data, written_at)
                SELECT stream, seq, ?, hash, ?, ? FROM events WHERE stream = ? AND seq = ? AND hash IS NOT NULL
                ON CONFLICT(stream) DO UPDATE SET
                    seq = excluded.seq, version = excluded.version, hash = excluded.hash, data = excluded.data,
                    written_at = excluded.written_at
                WHERE excluded.seq >= stream_snapshots.seq OR excluded.version <> stream_snapshots.version
                """)
            var stored = 0
            for s in snapshots {
                try statement.execute(arguments: [s.version, Data(s.data), now, s.stream, s.seq])
                stored += db.changesCount
            }
            return stored
        }
    }

    /// The stored snapshots' streams, seqs and versions (for tests and tools).
    public func snapshotHeads() throws -> [String: (seq: Int64, version: Int)] {
        try writer.read { db in
            var out: [String: (seq: Int64, version: Int)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT stream, seq, version FROM stream_snapshots") {
                out[row["stream"]] = (row["seq"], row["version"])
            }
            return out
        }
    }
}
