import OrderedCollections
import RoadshowCore

/// What the engine knows of `requestKey`s without reading the database: the
/// full replies (secrets included) of the most recent keyed requests, so a
/// retry right after a reconnect still gets its invite link; and a compact
/// fingerprint of every key the store holds, so deciding a new key never
/// reads SQLite on the service thread. Only a fingerprint hit that is not in
/// `recent` is looked up, off the service thread (`Engine+Commands`).
///
/// The fingerprints are read in the background after start-up (a large store
/// holds about one reply per command); until they are in (`complete`), every
/// key may be stored, so each is looked up — slower for a moment, never wrong.
struct ReplyCache {
    let limit: Int
    private var recent: OrderedDictionary<String, (op: String, result: JSON)> = [:]
    private var stored: Set<UInt64> = []
    /// False from `awaitStored` until `noteStored(all:)`.
    private(set) var complete = true

    init(limit: Int) { self.limit = limit }

    static func key(actor: String, scope: String, key: String) -> String { "\(actor)\u{1F}\(scope)\u{1F}\(key)" }

    /// FNV-1a, 64 bits: a collision only costs one needless read.
    static func fingerprint(_ key: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    subscript(key: String) -> (op: String, result: JSON)? { recent[key] }

    /// May the store hold a reply for this key?
    func mayBeStored(_ key: String) -> Bool { !complete || stored.contains(Self.fingerprint(key)) }

    mutating func noteStored(_ key: String) { stored.insert(Self.fingerprint(key)) }

    /// The store's fingerprints are on their way: until they are in, every key may be stored.
    mutating func awaitStored() { complete = false }

    /// The store's fingerprints, read after `awaitStored` (those noted since are kept).
    mutating func noteStored(all fingerprints: Set<UInt64>) {
        stored.formUnion(fingerprints)
        complete = true
    }

    mutating func insert(op: String, result: JSON, for key: String) {
        recent[key] = (op, result)
        noteStored(key)
        if recent.count > limit { recent.removeFirst(recent.count - limit) }
    }
}
