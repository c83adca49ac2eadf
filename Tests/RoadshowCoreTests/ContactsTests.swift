import Foundation
import Testing

@testable import RoadshowCore

/// Contact exchange with consent (issue 12 point 3): who sees which card, the
/// company's card, withdrawal, the vCard and CSV writers.
@Suite("Contacts: cards shared with consent, the contact sheet, vCard and CSV")
struct ContactsTests {
    struct World {
        var h: Harness
        let unit: String, company: String, host: String
    }

    static func world() throws -> World {
        var h = try Harness.withMeeting()
        let host = try h.add("周主持", "黄山市投资促进局", role: "host")
        let unit = try h.add("王五", "黄山高新区")
        let company = try h.add("李总", "皖南新能源科技有限公司", role: "company")
        try h.run("roster.update", h.on(["participant": .string(unit), "phone": "138 0000 0001", "title": "科长"]))
        return World(h: h, unit: unit, company: company, host: host)
    }

    @Test("a card shared with the government side reaches the units, never the company; one with everyone reaches the company")
    func audiences() throws {
        var w = try Self.world()
        let d = try w.h.run("contacts.share", w.h.on(["audience": "government"]), as: w.h.actor(w.unit))
        #expect(d.events.map(\.type) == ["contacts.shared"])
        guard case .contactShared(let share, let was) = d.events[0] else { Issue.record("\(d.events)"); return }
        #expect(share.card == ContactCard(name: "王五", unit: "黄山高新区", title: "科长", phone: "138 0000 0001", email: nil) && was == nil)
        #expect(d.events[0].forOutsider == .withheld)
        let m = w.h.meeting
        let company = w.h.actor(w.company)
        #expect(m.contactSheet(outsider: true, viewer: company.id).isEmpty)
        #expect(m.snapshot(for: company)["contacts"]?["cards"] == .array([]))
        #expect(m.snapshot(for: w.h.actor(w.host))["contacts"]?["cards"]?.arrayValue?.first?["phone"] == "138 0000 0001")
        // To everyone: the company sees it; back to the government side: it is taken away from the company.
        let all = try w.h.run("contacts.share", w.h.on(["audience": "everyone"]), as: w.h.actor(w.unit))
        #expect(all.events[0].forOutsider == .replaced(type: "contacts.shared", data: ["share": JSON(encoding: w.h.meeting.contacts[0])]))
        #expect(w.h.meeting.contactSheet(outsider: true, viewer: company.id).map(\.participant) == [w.unit])
        let back = try w.h.run("contacts.share", w.h.on(["audience": "government"]), as: w.h.actor(w.unit))
        guard case .replaced(let type, _) = back.events[0].forOutsider else { Issue.record("\(back.events[0].forOutsider)"); return }
        #expect(type == "contacts.withdrawn")
    }

    @Test("withdrawing removes the card; the same choice again appends nothing; the company sees its own government-only card")
    func withdrawAndOwn() throws {
        var w = try Self.world()
        try w.h.run("contacts.share", w.h.on(["audience": "government", "phone": "139 0000 0009"]), as: w.h.actor(w.company))
        let own = w.h.meeting.contactSheet(outsider: true, viewer: w.company)
        #expect(own.map(\.participant) == [w.company] && own.first?.card.phone == "139 0000 0009")
        #expect(w.h.meeting.contactSheet(outsider: false, viewer: nil).count == 1)
        let same = try w.h.run("contacts.share", w.h.on(["audience": "government"]), as: w.h.actor(w.company))
        #expect(same.events.isEmpty)
        let gone = try w.h.run("contacts.share", w.h.on(["audience": "none"]), as: w.h.actor(w.company))
        #expect(gone.events.map(\.type) == ["contacts.withdrawn"] && gone.events[0].forOutsider == .withheld)
        #expect(w.h.meeting.contacts.isEmpty)
        #expect(try w.h.run("contacts.share", w.h.on(["audience": "none"]), as: w.h.actor(w.company)).events.isEmpty)
    }

    @Test("bad input: audience, phone, a card without phone or e-mail, not a participant; nothing decided")
    func badInput() throws {
        var w = try Self.world()
        let before = w.h.meeting
        let host = try w.h.add("无电话", "市商务局")
        #expect(w.h.failure("contacts.share", w.h.on(["audience": "all"]), as: w.h.actor(w.unit))?.field == "args.audience")
        #expect(w.h.failure("contacts.share", w.h.on(["audience": "everyone", "phone": "call me"]), as: w.h.actor(w.unit))?.field == "args.phone")
        let empty = w.h.failure("contacts.share", w.h.on(["audience": "everyone"]), as: w.h.actor(host))
        #expect(empty?.code == .badRequest && empty?.field == "args.phone" && empty?.zh?.contains("电话") == true)
        #expect(w.h.failure("contacts.share", w.h.on(["audience": "everyone"]))?.code == .forbidden)
        #expect(w.h.failure("contacts.prompt", w.h.on(), as: w.h.actor(w.unit))?.code == .forbidden)
        #expect(w.h.meeting.contacts == before.contacts)
    }

    @Test("the company's card reaches the government side once the organizer allows it; roster removal takes a card away")
    func companyCardAndRemoval() throws {
        var w = try Self.world()
        #expect(w.h.meeting.contactSheet(outsider: false, viewer: nil).isEmpty)
        let d = try w.h.run("contacts.prompt", w.h.on(["companyCard": true]), as: w.h.actor(w.host))
        #expect(d.events.map(\.type) == ["contacts.prompted"] && d.events[0].forOutsider == .same)
        let sheet = w.h.meeting.contactSheet(outsider: false, viewer: nil)
        #expect(sheet.first?.source == "company" && sheet.first?.card == ContactCard(name: "李总", unit: "皖南新能源科技有限公司", phone: "138 0000 0000"))
        #expect(w.h.meeting.contactSheet(outsider: true, viewer: w.company).isEmpty)
        try w.h.run("contacts.share", w.h.on(["audience": "everyone"]), as: w.h.actor(w.unit))
        try w.h.run("roster.remove", w.h.on(["participant": .string(w.unit)]))
        #expect(w.h.meeting.contacts.isEmpty)
    }

    @Test("MeetingSnapshotEncoder gives exactly Meeting.snapshot(for:) with cards, for the company, a unit and the host, as cards change")
    func encoderMatches() throws {
        var w = try Self.world()
        let encoder = MeetingSnapshotEncoder()
        func check(_ note: String) {
            for id in [w.company, w.unit, w.host] {
                let actor = w.h.actor(id)
                #expect(encoder.bytes(w.h.meeting, for: actor) == w.h.meeting.snapshot(for: actor).encodedBytes, "\(note): \(id)")
            }
            #expect(encoder.bytes(w.h.meeting, for: Fixture.organizer) == w.h.meeting.snapshot(for: Fixture.organizer).encodedBytes, "\(note)")
        }
        check("no cards")
        try w.h.run("contacts.share", w.h.on(["audience": "government"]), as: w.h.actor(w.unit))
        check("a government card")
        try w.h.run("contacts.share", w.h.on(["audience": "government", "phone": "139 0000 0009"]), as: w.h.actor(w.company))
        check("the company's own government card")
        try w.h.run("contacts.prompt", w.h.on(["companyCard": true]))
        check("the company card")
        try w.h.run("contacts.share", w.h.on(["audience": "everyone"]), as: w.h.actor(w.unit))
        check("to everyone")
        try w.h.run("contacts.share", w.h.on(["audience": "none"]), as: w.h.actor(w.company))
        check("withdrawn")
    }

    @Test("vCard: CRLF, folded at 75 octets between UTF-8 characters, escaped, Chinese intact")
    func vcard() throws {
        let long = String(repeating: "皖南新能源科技", count: 6) + "有限公司"
        let e = ContactEntry(source: "participant", participant: "P-1", role: .unit, audience: .government,
                             card: ContactCard(name: "欧阳; 娜娜", unit: long, title: "科长,主任", phone: "138 0000 0001", email: "a@b.cn"), sharedAt: nil)
        let text = VCard.text([e])
        #expect(text.hasPrefix("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:欧阳\\; 娜娜\r\n"))
        #expect(text.hasSuffix("END:VCARD\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75, "\(line)") }
        #expect(text.contains("\r\n "), "the long ORG is folded")
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("ORG:" + long + "\r\n") && unfolded.contains("TITLE:科长\\,主任\r\n"))
        #expect(unfolded.contains("TEL;VALUE=text;TYPE=voice:138 0000 0001\r\nEMAIL:a@b.cn\r\n"))
    }

    @Test("CSV: BOM, CRLF, quoting, the formula escape")
    func csv() throws {
        let e = ContactEntry(source: "participant", participant: "P-1", role: .unit, audience: .everyone,
                             card: ContactCard(name: "王\"五\"", unit: "高新区,管委会", title: "=1+1", phone: "+86 551 1234567", email: nil), sharedAt: nil)
        let text = ContactCSV.text([e])
        #expect(text.hasPrefix("\u{FEFF}姓名,单位,职务,电话,电子邮箱,共享范围\r\n"))
        #expect(text.contains("\"王\"\"五\"\"\",\"高新区,管委会\",'=1+1,'+86 551 1234567,,全体参会人员（含企业）\r\n"))
    }
}
