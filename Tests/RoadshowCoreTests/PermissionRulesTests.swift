import Foundation
import Testing

@testable import RoadshowCore

@Suite("Permissions and accounts")
struct PermissionRulesTests {
    /// Ops that change a meeting's details, checklist or roster, with valid arguments.
    static func managingOps(_ h: Harness, participant: String) -> [(String, JSON)] {
        [
            ("meeting.update", h.on(["title": "别人的会"])),
            ("checklist.add", h.on(["text": "偷偷加一项"])),
            ("checklist.set", h.on(["item": "C-1", "done": true])),
            ("checklist.remove", h.on(["item": "C-1"])),
            ("roster.add", h.on(["name": "王五", "unit": "外市", "role": "unit"])),
            ("roster.update", h.on(["participant": .string(participant), "title": "x"])),
            ("roster.link", h.on(["participant": .string(participant)])),
            ("roster.remove", h.on(["participant": .string(participant)])),
            ("meeting.advance", h.on(["to": "rehearsal"])),
        ]
    }

    @Test("an organizer cannot touch another organizer's meeting")
    func otherOrganizer() throws {
        var h = try Harness.withMeeting()
        let p = try h.add("张三", "市商务局")
        let before = h.meeting
        for (op, args) in Self.managingOps(h, participant: p) {
            let e = h.failure(op, args, as: Fixture.otherOrganizer)
            #expect(e?.code == .forbidden, "\(op): \(e?.description ?? "no error")")
            #expect(e?.message.contains("another organizer") == true, "\(op)")
        }
        #expect(h.meeting == before)
        #expect(!Permissions.canView(Fixture.otherOrganizer, h.meeting))
        #expect(!Permissions.canManage(Fixture.otherOrganizer, h.meeting))
        #expect(Permissions.canManage(Fixture.organizer, h.meeting))
        #expect(Permissions.canManage(Fixture.admin, h.meeting))
    }

    @Test("a participant with role host manages the meeting: details, checklist, roster")
    func hostManages() throws {
        var h = try Harness.withMeeting()
        let hostId = try h.add("周主持", "市投资促进局", role: "host")
        let host = h.actor(hostId)
        try h.run("meeting.update", h.on(["title": "主持人改的标题"]), as: host)
        #expect(h.meeting.info.title == "主持人改的标题")
        try h.run("checklist.add", h.on(["text": "主持人加的"]), as: host)
        try h.run("checklist.set", h.on(["item": "C-1", "done": true]), as: host)
        let added = try h.add("王五", "歙县", as: host)
        try h.run("roster.link", h.on(["participant": .string(added)]), as: host)
        try h.run("roster.remove", h.on(["participant": .string(added)]), as: host)
        #expect(h.meeting.checklist.count == 13)
        #expect(h.meeting.checklist[0].doneBy == host.id)
        #expect(Permissions.canManage(host, h.meeting))
    }

    @Test("participants without the host role cannot manage", arguments: ["unit", "company", "observer", "recorder"])
    func othersCannot(role: String) throws {
        var h = try Harness.withMeeting()
        let myId = try h.add("张三", "市商务局", role: role)
        let me = h.actor(myId)
        let other = try h.add("李四", "歙县")
        let before = h.meeting
        for (op, args) in Self.managingOps(h, participant: other) {
            let e = h.failure(op, args, as: me)
            #expect(e?.code == .forbidden, "\(role) \(op): \(e?.description ?? "no error")")
        }
        #expect(h.meeting == before)
        #expect(Permissions.canView(me, h.meeting))
        #expect(!Permissions.canManage(me, h.meeting))
    }

    @Test("a host of another meeting has no rights here")
    func hostOfAnotherMeeting() throws {
        var h = try Harness.withMeeting()
        let host = try h.add("周主持", "市投资促进局", role: "host")
        let foreign = Actor(id: host, name: "周主持-市投资促进局", kind: .participant, meeting: "M-ELSE")
        let e = h.failure("checklist.add", h.on(["text": "x"]), as: foreign)
        #expect(e?.code == .forbidden)
        #expect(e?.message.contains("M-ELSE") == true)
    }

    @Test("a unit account cannot see or manage meetings")
    func unitAccount() throws {
        var h = try Harness.withMeeting()
        let p = try h.add("张三", "市商务局")
        for (op, args) in Self.managingOps(h, participant: p) {
            let e = h.failure(op, args, as: Fixture.unitAccount)
            #expect(e?.code == .forbidden, "\(op)")
        }
        #expect(!Permissions.canView(Fixture.unitAccount, h.meeting))
        #expect(!Permissions.canView(Fixture.unitAccount, h.meeting.info))
    }

    // MARK: accounts

    @Test("account.create is admin-only", arguments: [
        Fixture.organizer, Fixture.unitAccount, Actor(id: "P-ABCDEFGH", name: "x", kind: .participant, meeting: "M-AAAA"),
    ])
    func accountCreateForbidden(actor: Actor) {
        var h = Harness()
        let e = h.failure("account.create", ["name": "合肥市投资促进局", "kind": "organizer"], as: actor)
        #expect(e?.code == .forbidden)
        #expect(h.state == nil)
    }

    @Test("account.create by the admin: an account, a token of its kind stored only hashed")
    func accountCreate() throws {
        var h = Harness()
        h.state = StreamState.applying(AccountDirectory.bootstrap(token: "rs_a_secret", now: Fixture.now).events, to: nil)
        let d = try h.run("account.create", ["name": "合肥市投资促进局", "kind": "organizer"], as: Fixture.admin)
        #expect(d.events.map(\.type) == ["account.created"])
        guard case .accountCreated(let account) = d.events[0] else { return }
        #expect(account.id.hasPrefix("A-") && account.id.count == 8)
        #expect(account.kind == .organizer)
        #expect(account.name == "合肥市投资促进局")
        #expect(account.createdAt == h.clock)
        let token = try #require(d.result["token"]?.stringValue)
        #expect(token.hasPrefix("rs_o_"))
        #expect(d.credentials == [.issue(Credential(
            tokenHash: SHA256.hex(token), actor: account.id, kind: .organizer, name: "合肥市投资促进局", meeting: nil))])
        #expect(d.storableResult(seq: 2)["token"] == nil)
        #expect(d.storableResult(seq: 2)["redacted"] == ["token"])
        #expect(h.state?.accounts?.accounts.map(\.id) == [AccountDirectory.adminId, account.id])

        let unit = try h.run("account.create", ["name": "黄山高新区", "kind": "unit"], as: Fixture.admin)
        #expect(unit.result["token"]?.stringValue?.hasPrefix("rs_u_") == true)

        // The same name and kind twice is a conflict; the same name as a unit is another account.
        let dup = h.failure("account.create", ["name": "合肥市投资促进局", "kind": "organizer"], as: Fixture.admin)
        #expect(dup?.code == .conflict)
        #expect(dup?.field == "args.name")
        try h.run("account.create", ["name": "合肥市投资促进局", "kind": "unit"], as: Fixture.admin)
    }

    @Test("account.create: kind must be organizer or unit; unknown arguments are refused")
    func accountCreateInvalid() throws {
        var h = Harness()
        let admin = h.failure("account.create", ["name": "x", "kind": "admin"], as: Fixture.admin)
        #expect(admin?.field == "args.kind")
        #expect(admin?.message.contains("organizer, unit") == true)
        #expect(h.failure("account.create", ["name": "x", "kind": "participant"], as: Fixture.admin)?.field == "args.kind")
        #expect(h.failure("account.create", ["kind": "unit"], as: Fixture.admin)?.field == "args.name")
        #expect(h.failure("account.create", ["name": "x", "kind": "unit", "token": "mine"], as: Fixture.admin)?.field == "args.token")
    }

    @Test("account.reissue: admin-only; the old tokens are revoked before the new one is issued")
    func accountReissue() throws {
        var h = Harness()
        h.state = StreamState.applying(AccountDirectory.bootstrap(token: "rs_a_secret", now: Fixture.now).events, to: nil)
        let created = try h.run("account.create", ["name": "黄山市投资促进局", "kind": "organizer"], as: Fixture.admin)
        let id = try #require(created.result["account"]?["id"]?.stringValue)
        let d = try h.run("account.reissue", ["account": .string(id)], as: Fixture.admin)
        #expect(d.events == [.accountTokenReissued(id: id)])
        let token = try #require(d.result["token"]?.stringValue)
        #expect(token.hasPrefix("rs_o_"))
        #expect(token != created.result["token"]?.stringValue)
        #expect(d.credentials == [
            .revokeActor(id),
            .issue(Credential(tokenHash: SHA256.hex(token), actor: id, kind: .organizer, name: "黄山市投资促进局", meeting: nil)),
        ])
        #expect(d.storableResult(seq: 3)["token"] == nil)
        #expect(h.failure("account.reissue", ["account": .string(id)], as: Fixture.organizer)?.code == .forbidden)
        let admin = h.failure("account.reissue", ["account": "A-ADMIN"], as: Fixture.admin)
        #expect(admin?.code == .conflict)
        let missing = h.failure("account.reissue", ["account": "A-NOBODY"], as: Fixture.admin)
        #expect(missing?.code == .notFound)
        #expect(missing?.field == "args.account")
    }

    @Test("bootstrap: the admin account and the hash of the given token")
    func bootstrap() {
        let d = AccountDirectory.bootstrap(token: "rs_a_0123", now: Fixture.now)
        #expect(d.newStream == "accounts")
        #expect(d.events == [.accountCreated(Account(id: "A-ADMIN", name: "Administrator", kind: .admin, createdAt: Fixture.now))])
        #expect(d.credentials == [.issue(Credential(
            tokenHash: SHA256.hex("rs_a_0123"), actor: "A-ADMIN", kind: .admin, name: "Administrator", meeting: nil))])
    }
}
