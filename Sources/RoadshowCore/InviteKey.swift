/// The server key invite links are derived from (issue 9: links at hand).
///
/// A participant's token is `rs_p_` + the first 160 bits of
/// HMAC-SHA256(key, "roadshow-invite-v1|<meeting>|<participant>|<nonce>") in
/// lowercase base32. The database keeps only the token's SHA-256 and the
/// nonce; the key lives in its own file outside the database. So the server
/// can show a manager a participant's current link at any time (derive it
/// again and check it against the stored hash), while a stolen database file
/// alone yields no usable token. A new link (`roster.link`) draws a new nonce.
///
/// HMAC (RFC 2104) is written here over the core's own SHA-256 rather than
/// taken from swift-crypto: the core has no dependencies, and these twenty
/// lines are checked against the RFC 4231 test vectors (InviteKeyTests).
public struct InviteKey: Sendable, Equatable {
    let bytes: [UInt8]

    /// At least 32 bytes of key material.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 32 else { return nil }
        self.bytes = bytes
    }

    /// A fresh random key, for a first start.
    public static func random(using rng: inout some RandomNumberGenerator) -> InviteKey {
        var b: [UInt8] = []
        b.reserveCapacity(32)
        for _ in 0..<4 {
            let v = rng.next()
            for i in 0..<8 { b.append(UInt8(truncatingIfNeeded: v >> (UInt64(i) * 8))) }
        }
        return InviteKey(bytes: b)!
    }

    /// The key as it is kept in its file: 64 hex digits and a newline.
    public var fileText: String { bytes.map { String(format2: $0) }.joined() + "\n" }

    /// Reads a key file's text (hex, whitespace around it ignored).
    public init?(fileText: String) {
        let hex = fileText.filter { !$0.isWhitespace }
        guard hex.count >= 64, hex.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var it = hex.makeIterator()
        while let a = it.next(), let b = it.next() {
            guard let v = UInt8(String([a, b]), radix: 16) else { return nil }
            out.append(v)
        }
        self.init(bytes: out)
    }

    /// HMAC-SHA256 (RFC 2104).
    public static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var k = key.count > 64 ? SHA256.hash(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        let inner = SHA256.hash(k.map { $0 ^ 0x36 } + message)
        return SHA256.hash(k.map { $0 ^ 0x5c } + inner)
    }

    /// The participant token for this meeting, participant and nonce.
    public func participantToken(meeting: String, participant: String, nonce: String) -> String {
        let mac = Self.hmac(key: bytes, message: Array("roadshow-invite-v1|\(meeting)|\(participant)|\(nonce)".utf8))
        // 32 base32 digits = 160 bits, as random tokens have.
        var s = "rs_p_"
        var acc: UInt32 = 0
        var bits = 0
        var i = 0
        while s.count < 5 + 32 {
            if bits < 5 {
                acc = (acc << 8) | UInt32(mac[i])
                i += 1
                bits += 8
            }
            let v = Int((acc >> UInt32(bits - 5)) & 31)
            bits -= 5
            s.append(Character(Identifiers.alphabet[v].lowercased()))
        }
        return s
    }
}

extension String {
    fileprivate init(format2 byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
