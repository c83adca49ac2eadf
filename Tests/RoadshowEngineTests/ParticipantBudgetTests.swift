import Foundation
import RoadshowCore
import Testing

@testable import RoadshowServer

/// A participant's budget across all its connections (issue 10, point 1):
/// opening more connections does not buy more requests or reply bytes.
@Suite("Participant budget")
struct ParticipantBudgetTests {
    static func rateLimited(_ frames: [JSON]) -> [JSON] {
        frames.filter { $0["error"]?["code"]?.stringValue == "rate_limited" }
    }

    @Test("requests: four connections of one participant share one budget; the organizer is not held back")
    func requests() throws {
        var limits = ServerConfiguration.Limits()
        limits.participantRequestsPerSecond = 1
        limits.participantRequestBurst = 20
        let h = try EngineHarness(limits: limits)
        let (org, meeting) = try h.organizerWithMeeting()
        let added = try h.ok(org, "roster.add", ["meeting": .string(meeting), "name": "王五", "unit": "黄山高新区", "role": "unit"])
        let token = try #require(added["token"]?.stringValue)
        let connections = try (0..<4).map { _ in try h.connect(token: token) }  // four sign-ins: 4 of the 20
        for c in connections { for _ in 0..<10 { h.send(c, "ping") } }
        try h.settle()
        let limited = try connections.flatMap { try Self.rateLimited(h.take($0)) }
        // 40 pings against 16 left: about 24 refused (a little refills while they run).
        #expect(limited.count >= 20 && limited.count <= 24, "\(limited.count) refused")
        #expect(limited.first?["error"]?["reason"]?.stringValue == "participant_budget")
        for _ in 0..<30 { h.send(org, "ping") }
        try h.settle()
        #expect(Self.rateLimited(try h.take(org)).isEmpty, "the organizer's account has its own per-connection limit only")
    }

    @Test("reply bytes: big replies use up the budget; the participant waits, others do not")
    func replyBytes() throws {
        var limits = ServerConfiguration.Limits()
        limits.participantReplyBytesPerSecond = 1
        limits.participantReplyBurst = 20_000
        let h = try EngineHarness(limits: limits)
        let (org, meeting) = try h.organizerWithMeeting()
        var tokens: [String] = []
        for i in 0..<2 {
            let r = try h.ok(org, "roster.add", ["meeting": .string(meeting), "name": .string("参会人\(i)"), "unit": "黄山高新区", "role": "unit"])
            tokens.append(try #require(r["token"]?.stringValue))
        }
        let flooder = try h.connect(token: tokens[0])
        let other = try h.connect(token: tokens[1])
        for _ in 0..<20 { h.send(flooder, "meeting.get", ["meeting": .string(meeting)]) }
        try h.settle()
        let frames = try h.take(flooder)
        let answered = frames.filter { $0["ok"]?.boolValue == true }.count
        #expect(answered >= 1 && answered < 20, "\(answered) snapshots before the budget ran out")
        #expect(!Self.rateLimited(frames).isEmpty)
        let got = try h.call(other, "meeting.get", ["meeting": .string(meeting)])
        #expect(got["ok"]?.boolValue == true, "another participant is not held back")
    }
}
