import GRDB

/// The schema. A migration never changes once shipped: add a new one instead.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1: event log, credentials, request replies, projections") { db in
            // The append-only event log: one row per event, seq consecutive per stream.
            try db.execute(sql: """
                CREATE TABLE events (
                    stream TEXT NOT NULL,
                    seq INTEGER NOT NULL CHECK (seq >= 1),
                    type TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    at TEXT NOT NULL,
                    data TEXT NOT NULL,
                    PRIMARY KEY (stream, seq)
                ) WITHOUT ROWID;
                CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
                CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
                CREATE TRIGGER events_seq_contiguous BEFORE INSERT ON events
                WHEN NEW.seq <> COALESCE((SELECT MAX(seq) FROM events WHERE stream = NEW.stream), 0) + 1
                BEGIN SELECT RAISE(ABORT, 'event seq must follow the stream''s last seq'); END;

                -- Tokens, stored only as SHA-256 hashes.
                CREATE TABLE credentials (
                    token_hash TEXT PRIMARY KEY NOT NULL,
                    actor TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL,
                    meeting TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX credentials_by_actor ON credentials(actor);

                -- The first reply to a request carrying a requestKey (secrets left out).
                CREATE TABLE request_replies (
                    actor TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    request_key TEXT NOT NULL,
                    op TEXT NOT NULL,
                    result TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (actor, scope, request_key)
                ) WITHOUT ROWID;

                -- Projections for queries and reports.
                CREATE TABLE accounts (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE meetings (
                    id TEXT PRIMARY KEY NOT NULL,
                    owner TEXT NOT NULL,
                    title TEXT NOT NULL,
                    phase TEXT NOT NULL,
                    starts_at TEXT NOT NULL,
                    duration_minutes INTEGER NOT NULL,
                    company TEXT NOT NULL,
                    project TEXT NOT NULL,
                    category TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX meetings_by_owner ON meetings(owner);
                CREATE TABLE participants (
                    id TEXT PRIMARY KEY NOT NULL,
                    meeting TEXT NOT NULL,
                    name TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    role TEXT NOT NULL,
                    display_name TEXT NOT NULL,
                    attending INTEGER
                );
                CREATE INDEX participants_by_meeting ON participants(meeting);
                """)
        }
        migrator.registerMigration("v2: dispatch records and their feedback") { db in
            try db.execute(sql: """
                CREATE TABLE dispatch_records (
                    id TEXT PRIMARY KEY NOT NULL,
                    meeting TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    handling_unit TEXT NOT NULL,
                    category TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    status TEXT NOT NULL,
                    level TEXT NOT NULL,
                    district TEXT,
                    company TEXT NOT NULL,
                    project TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX dispatch_records_by_owner ON dispatch_records(owner);
                CREATE INDEX dispatch_records_by_unit ON dispatch_records(handling_unit);
                CREATE TABLE dispatch_feedback (
                    record TEXT NOT NULL,
                    id TEXT NOT NULL,
                    at TEXT NOT NULL,
                    by TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    text TEXT NOT NULL,
                    PRIMARY KEY (record, id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3: the nonce a derived invite link was made with") { db in
            // Useless without the server's invite key, which is kept outside the database.
            try db.execute(sql: "ALTER TABLE credentials ADD COLUMN link_nonce TEXT")
        }
        migrator.registerMigration("v4: each event's hash, chained to the one before it in its stream") { db in
            // Tamper evidence: a row changed, dropped or inserted by hand breaks
            // the chain from there on (`roadshow verify` says where). Existing
            // rows get their hashes here, the append-only trigger lifted for it.
            try db.execute(sql: "ALTER TABLE events ADD COLUMN hash TEXT")
            try db.execute(sql: "DROP TRIGGER events_append_only_update")
            let rows = try Row.fetchCursor(db, sql: "SELECT stream, seq, type, actor, at, data FROM events ORDER BY stream, seq")
            var last: (stream: String, hash: String)?
            var updates: [(String, Int64, String)] = []
            while let row = try rows.next() {
                let stream: String = row["stream"]
                let prev = last?.stream == stream ? last!.hash : ""
                let hash = EventChain.hash(
                    previous: prev, stream: stream, seq: row["seq"], type: row["type"], actor: row["actor"], at: row["at"], data: row["data"])
                updates.append((stream, row["seq"], hash))
                last = (stream, hash)
            }
            for (stream, seq, hash) in updates {
                try db.execute(sql: "UPDATE events SET hash = ? WHERE stream = ? AND seq = ?", arguments: [hash, stream, seq])
            }
            try db.execute(sql: """
                CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
                """)
        }
        migrator.registerMigration("v5: stream snapshots, a cache of each stream's state beside the log") { db in
            // Not part of the log or its hash chain: derivable from the log, and
            // rebuilt from it when missing, of another version or unreadable
            // (`EventStore.loadStreams`). `hash` is the hash of the stream's
            // event at `seq`, so a snapshot is tied to the log it was taken from.
            try db.execute(sql: """
                CREATE TABLE stream_snapshots (
                    stream TEXT PRIMARY KEY NOT NULL,
                    seq INTEGER NOT NULL CHECK (seq >= 1),
                    version INTEGER NOT NULL,
                    hash TEXT NOT NULL,
                    data BLOB NOT NULL,
                    written_at TEXT NOT NULL
                )
                """)
        }
        return migrator
    }
}
