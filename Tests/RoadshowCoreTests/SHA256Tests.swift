import Foundation
import Testing

@testable import RoadshowCore

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-4 / NIST vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        // 56 bytes: the padding needs a second block.
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        // 112 bytes: more than one 64-byte block of message.
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        // UTF-8 text is hashed as its bytes.
        ("路演", "bf180c46d77dbd571f7532780d43458c41a14a4cac2f1355f8c4f1be1d623c85"),
    ])
    func vectors(message: String, digest: String) {
        #expect(SHA256.hex(message) == digest)
        #expect(SHA256.hash(Array(message.utf8)).count == 32)
    }

    @Test("block boundaries: 55, 56, 63, 64, 65 and 1000 bytes", arguments: [
        (55, "x", "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"),
        (56, "x", "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"),
        (63, "x", "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"),
        (64, "x", "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"),
        (65, "x", "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"),
        (1000, "a", "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func boundaries(count: Int, char: String, digest: String) {
        #expect(SHA256.hex(String(repeating: char, count: count)) == digest)
    }

    @Test("hex is lowercase with leading zeros kept, and the token hash is the SHA-256 hex")
    func hexAndTokenHash() {
        let h = SHA256.hex("rs_p_abc")
        #expect(h == "bb4430d50b20f69f481f0a9b45a187bb1eaa3c087df3117a55a2a172fac4ab7a")
        #expect(h.count == 64)
        #expect(h.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(Identifiers.tokenHash("rs_p_abc") == h)
        #expect(Identifiers.tokenHash("rs_p_abd") != h)
    }
}
