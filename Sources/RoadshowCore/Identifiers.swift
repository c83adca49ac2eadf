/// Ids and tokens. Randomness is passed in, so the core stays deterministic
/// under test.
public enum Identifiers {
    /// Crockford base32 without I, L, O, U: easy to read aloud and type.
    static let alphabet: [Character] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// `prefix-XXXXXX`: 30 random bits, enough to keep ids of one kind apart.
    public static func make(_ prefix: String, using rng: inout some RandomNumberGenerator, length: Int = 6) -> String {
        var s = prefix + "-"
        for _ in 0..<length { s.append(alphabet[Int(rng.next() % 32)]) }
        return s
    }

    /// A bearer token: 160 random bits in lowercase base32 behind a short kind tag
    /// (`rs_o_…` organizer, `rs_p_…` participant), safe in a URL fragment.
    public static func token(kind: Actor.Kind, using rng: inout some RandomNumberGenerator) -> String {
        let tag: String
        switch kind {
        case .admin: tag = "a"
        case .organizer: tag = "o"
        case .unit: tag = "u"
        case .participant: tag = "p"
        }
        var s = "rs_\(tag)_"
        for _ in 0..<32 { s.append(Character(alphabet[Int(rng.next() % 32)].lowercased())) }
        return s
    }

    /// How a token is stored: its SHA-256, hex.
    public static func tokenHash(_ token: String) -> String { SHA256.hex(token) }
}
