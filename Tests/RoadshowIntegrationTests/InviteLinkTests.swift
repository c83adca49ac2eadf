import Foundation
import RoadshowClient
import RoadshowCore
import RoadshowStore
import Testing

/// Invite links at hand (issue 9): a manager copies a participant's current
/// link at any time — after a restart too — while the database holds no
/// usable token; a new link replaces the old one.
@Suite struct InviteLinkTests {
    @Test func linksCanBeShownAgainButNotReadFromTheDatabase() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-links-\(UUID().uuidString)")
        var server: TestServer? = try TestServer(directory: dir)
        let token = try await server!.organizerToken()
        var org = try await server!.connect(token: token)
        let meeting = try await server!.createMeeting(org)
        let added = try await org.call("roster.add", [
            "meeting": .string(meeting), "name": "王五", "unit": "黄山高新区", "role": "unit",
        ])
        let pid = try #require(added["participant"]?["id"]?.stringValue)
        let first = try #require(added["token"]?.stringValue)

        let again = try await org.call("roster.invitation", ["meeting": .string(meeting), "participant": .string(pid)])
        #expect(again["token"]?.stringValue == first)
        #expect(again["link"]?.stringValue == "/#/join/\(first)")
        #expect(again["url"]?.stringValue?.hasSuffix("/#/join/\(first)") == true)
        #expect(again["invitation"]?["zh"]?.stringValue?.contains(first) == true, "the invitation carries the personal link")
        #expect(again["invitation"]?["en"]?.stringValue?.contains(first) == true)
        #expect(again["linkUnavailable"] == nil)

        // The participant itself may ask too; another participant may not ask for it.
        let me = try await server!.connect(token: first)
        let mine = try await me.call("roster.invitation", ["meeting": .string(meeting)])
        #expect(mine["token"]?.stringValue == first)
        let other = try await server!.addParticipant(org, meeting: meeting, name: "孙七", unit: "皖南新能源科技有限公司", role: "company")
        let company = try await server!.connect(token: other.token)
        await #expect(throws: RoadshowError.self) {
            _ = try await company.call("roster.invitation", ["meeting": .string(meeting), "participant": .string(pid)])
        }

        // Nothing in the database files (database and its WAL) is a usable token.
        for suffix in ["", "-wal"] {
            let bytes = FileManager.default.contents(atPath: server!.databasePath + suffix) ?? Data()
            #expect(bytes.range(of: Data(first.utf8)) == nil, "the token is in roadshow.sqlite\(suffix)")
        }
        let keyFile = dir.appendingPathComponent("roadshow.invite-key").path
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // After a restart the same link is shown, and still signs in.
        org.close()
        me.close()
        company.close()
        server!.stop()
        server = nil
        server = try TestServer(directory: dir)
        org = try await server!.connect(token: token)
        let later = try await org.call("roster.invitation", ["meeting": .string(meeting), "participant": .string(pid)])
        #expect(later["token"]?.stringValue == first)
        let signedIn = try await server!.connect()
        let auth = try await signedIn.call("auth", ["token": .string(first)])
        #expect(auth["actor"]?["id"]?.stringValue == pid)

        // A new link: the old one stops working, and the new one is what is shown from now on.
        let replaced = try await org.call("roster.link", ["meeting": .string(meeting), "participant": .string(pid)])
        let second = try #require(replaced["token"]?.stringValue)
        #expect(second != first)
        let shown = try await org.call("roster.invitation", ["meeting": .string(meeting), "participant": .string(pid)])
        #expect(shown["token"]?.stringValue == second)
        let stale = try await server!.connect()
        await #expect(throws: RoadshowError.self) { _ = try await stale.call("auth", ["token": .string(first)]) }

        // Without the key file no link can be shown again; the link made before still works.
        org.close()
        server!.stop()
        server = nil
        try FileManager.default.removeItem(atPath: keyFile)
        server = try TestServer(directory: dir)
        org = try await server!.connect(token: token)
        let lost = try await org.call("roster.invitation", ["meeting": .string(meeting), "participant": .string(pid)])
        #expect(lost["token"] == nil && lost["link"] == nil)
        #expect(lost["linkUnavailable"]?.boolValue == true)
        let stillWorks = try await server!.connect()
        _ = try await stillWorks.call("auth", ["token": .string(second)])
        server!.stop()
    }

    @Test func rescheduleRaisesTheCalendarSequence() async throws {
        let server = try TestServer()
        let org = try await server.connect(token: try await server.organizerToken())
        let meeting = try await server.createMeeting(org)
        let before = try await org.call("export.ics", ["meeting": .string(meeting)])
        #expect(before["text"]?.stringValue?.contains("SEQUENCE:0\r\n") == true)
        #expect(before["filename"]?.stringValue == "新能源储能项目线上路演-2026-12-01.ics")
        let moved = try await org.call("meeting.update", ["meeting": .string(meeting), "startsAt": "2026-12-02T15:00:00+08:00"])
        #expect(moved["meeting"]?["sequence"]?.intValue == 1)
        let after = try await org.call("export.ics", ["meeting": .string(meeting)])
        let text = try #require(after["text"]?.stringValue)
        #expect(text.contains("SEQUENCE:1\r\n") && text.contains("DTSTART:20261202T070000Z"))
        #expect(text.contains("UID:\(meeting)@roadshow"), "the same event, replaced")
        // Nothing changed: no new sequence.
        let same = try await org.call("meeting.update", ["meeting": .string(meeting), "startsAt": "2026-12-02T15:00:00+08:00"])
        #expect(same["meeting"]?["sequence"]?.intValue == 1)
        // A time in the past is allowed, with a warning.
        let past = try await org.call("meeting.update", ["meeting": .string(meeting), "startsAt": "2020-01-02T15:00:00+08:00"])
        #expect(past["warnings"]?.arrayValue?.first?["reason"]?.stringValue == "starts_in_past")
    }
}
