import RoadshowCore

/// Keys that make a mutating request safe to repeat: the server answers a
/// repeat with the same key (same actor, same stream) with the first reply
/// and appends nothing.
public enum RequestKey {
    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// `rk_` and 26 random base32 characters (130 bits).
    public static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        var bytes = Array("rk_".utf8)
        for _ in 0..<26 { bytes.append(alphabet[Int(rng.next() % 32)]) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True for ops that append events: those get a key, so a retry after a
    /// reconnect cannot do the same thing twice. Read-only and session ops
    /// (`meeting.get`, `auth`, `stream.subscribe`, ...) are simply repeated.
    public static func isMutating(_ op: String) -> Bool { Operations.mutations[op] != nil }
}
