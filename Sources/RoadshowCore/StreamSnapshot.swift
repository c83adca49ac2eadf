/// A stream's whole state as bytes, for the store's snapshots: start-up reads
/// a stream's latest snapshot and applies only the events after it, instead of
/// replaying the stream from its first event.
///
/// The encoding is the state in full — every field and counter
/// (`nextChecklistNumber`…), contacts included — not the audience-filtered
/// `Meeting.snapshot` clients get. It is the core's own JSON (`JSON(encoding:)`,
/// sorted keys, times as RFC 3339 with milliseconds, as events store them), so
/// a state built from stored events decodes back equal.
extension StreamState {
    /// The snapshot format and the reducer it was made with. Bump it whenever
    /// the state's shape (a field added, removed or renamed in `Meeting`,
    /// `DispatchRecord`, `AccountDirectory` or what they hold) or how events
    /// apply (`apply`, `Meeting.apply`, `DispatchRecord.apply`, or how an
    /// event decodes) changes: snapshots of another version are ignored and
    /// the stream is replayed from its log. The golden test
    /// (`StreamSnapshotTests`) fails when the encoding of a scripted replay
    /// changes without a bump.
    public static let snapshotVersion = 3

    /// The state encoded for a snapshot. Throws only for a value JSON cannot
    /// hold (a non-finite number), which validation keeps out of states.
    public func snapshotData() throws -> [UInt8] {
        try JSONValueEncoder.encode(self).encodedBytes
    }

    /// A state back from `snapshotData()` bytes.
    public init(snapshotData bytes: some Collection<UInt8>) throws {
        self = try JSON.parse(bytes).decode(StreamState.self)
    }
}

extension StreamState: Codable {
    /// One key, the stream's kind: `{"meeting": {...}}`.
    enum CodingKeys: String, CodingKey { case accounts, meeting, dispatch }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: c.codingPath, debugDescription: "a stream state has exactly one of accounts, meeting, dispatch"))
        }
        switch key {
        case .accounts: self = .accounts(try c.decode(AccountDirectory.self, forKey: .accounts))
        case .meeting: self = .meeting(try c.decode(Meeting.self, forKey: .meeting))
        case .dispatch: self = .dispatch(try c.decode(DispatchRecord.self, forKey: .dispatch))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .accounts(let a): try c.encode(a, forKey: .accounts)
        case .meeting(let m): try c.encode(m, forKey: .meeting)
        case .dispatch(let r): try c.encode(r, forKey: .dispatch)
        }
    }
}
