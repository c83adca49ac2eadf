import Foundation
import Testing

@testable import RoadshowCore

@Suite("Invite key")
struct InviteKeyTests {
    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

    @Test("HMAC-SHA256 matches RFC 4231 test cases 1, 2 and 6")
    func rfc4231() {
        #expect(Self.hex(InviteKey.hmac(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(Self.hex(InviteKey.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // A key longer than the block size is hashed first.
        #expect(Self.hex(InviteKey.hmac(
            key: [UInt8](repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("a link is fixed by key, meeting, participant and nonce; a new nonce or another key gives another")
    func derivation() throws {
        let key = try #require(InviteKey(bytes: Array(0..<32)))
        let other = try #require(InviteKey(bytes: Array(1...32)))
        let a = key.participantToken(meeting: "M-1", participant: "P-1", nonce: "N1")
        #expect(a.hasPrefix("rs_p_") && a.count == 5 + 32)
        #expect(a.dropFirst(5).allSatisfy { "0123456789abcdefghjkmnpqrstvwxyz".contains($0) })
        #expect(a == key.participantToken(meeting: "M-1", participant: "P-1", nonce: "N1"))
        #expect(a != key.participantToken(meeting: "M-1", participant: "P-1", nonce: "N2"))
        #expect(a != key.participantToken(meeting: "M-1", participant: "P-2", nonce: "N1"))
        #expect(a != key.participantToken(meeting: "M-2", participant: "P-1", nonce: "N1"))
        #expect(a != other.participantToken(meeting: "M-1", participant: "P-1", nonce: "N1"))
    }

    @Test("the key file round-trips; short or non-hex text is refused")
    func keyFile() throws {
        var rng = SystemRandomNumberGenerator()
        let key = InviteKey.random(using: &rng)
        #expect(key.fileText.count == 65)
        #expect(InviteKey(fileText: "  " + key.fileText + "\n") == key)
        #expect(InviteKey(fileText: String(key.fileText.prefix(40))) == nil)
        #expect(InviteKey(fileText: String(repeating: "zz", count: 32)) == nil)
        #expect(InviteKey(bytes: [1, 2, 3]) == nil)
    }

    @Test("file names: reserved characters, controls and bidi marks go; words stay")
    func fileNames() {
        #expect(FileName.safe("新能源储能项目线上路演-2026-12-01") == "新能源储能项目线上路演-2026-12-01")
        #expect(FileName.safe("a/b\\c:d*e?\"f<g>h|i") == "a-b-c-d-e-f-g-h-i")
        #expect(FileName.safe("\"; rm -rf /.pdf") == "rm -rf .pdf")
        #expect(FileName.safe("x\u{202E}fdp.exe") == "x-fdp.exe")
        #expect(FileName.safe("...") == "roadshow")
        #expect(FileName.safe(String(repeating: "长", count: 200)).count == 80)
    }
}
