import RoadshowCore

/// The narrow interface the server's engine uses, so that another store (for
/// example PostgreSQL, when a deployment outgrows one machine) could stand in.
/// `commit` runs on the writer thread; the reads on the writer or a reader
/// thread, never on the service thread once serving.
public protocol EventStorage: Sendable {
    /// Several commands' changes in one transaction: all or none.
    func commit(_ commits: [Commit]) throws
    /// Every stream's events, in order.
    func allStreams() throws -> [(stream: String, events: [RecordedEvent])]
    /// Every stream's state from its latest usable snapshot and the events
    /// after it (start-up); a stream without one is replayed from its log.
    /// `deferring`: snapshots with nothing after them come back undecoded.
    func loadStreams(version: Int, deferring: Bool) throws -> StreamLoad
    /// Stores snapshots of committed states (a cache beside the log), each
    /// only if the log holds its seq; returns how many were stored.
    @discardableResult
    func saveSnapshots(_ snapshots: [StreamSnapshot]) throws -> Int
    /// Events of one stream with `after < seq <= upTo` (a resume from far behind).
    func events(stream: String, after: Int64, upTo: Int64) throws -> [RecordedEvent]
    func credentials() throws -> [Credential]
    func storedReplyKeys() throws -> [(actor: String, scope: String, key: String)]
    func storedReply(actor: String, scope: String, key: String) throws -> StoredReply?
}
