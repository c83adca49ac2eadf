import Foundation
import Testing

@testable import RoadshowCore

@Suite("checklist.add / set / remove")
struct ChecklistRulesTests {
    @Test("add: numbered after the defaults, phase defaults to the meeting's, owner and due kept")
    func add() throws {
        var h = try Harness.withMeeting()
        let d = try h.run("checklist.add", h.on(["text": "  准备企业宣传片  ", "owner": "招商二科", "due": "2026-11-28"]))
        #expect(d.events.map(\.type) == ["checklist.item_added"])
        guard case .checklistItemAdded(let item) = d.events[0] else { return }
        #expect(item.id == "C-13")
        #expect(item.text == "准备企业宣传片")
        #expect(item.textEn == nil)
        #expect(item.key == nil)
        #expect(item.phase == .preparing)
        #expect(item.owner == "招商二科")
        #expect(item.due == "2026-11-28")
        #expect(!item.done)
        #expect(d.result["item"] == JSON(encoding: item))
        #expect(h.meeting.checklist.last == item)

        let r = try h.run("checklist.add", h.on(["text": "检查投屏", "phase": "rehearsal"]))
        #expect(r.result["item"]?["id"] == "C-14")
        #expect(r.result["item"]?["phase"] == "rehearsal")
    }

    @Test("add: ids are never reused after a removal")
    func idsNotReused() throws {
        var h = try Harness.withMeeting()
        try h.run("checklist.add", h.on(["text": "甲"]))
        try h.run("checklist.remove", h.on(["item": "C-13"]))
        let d = try h.run("checklist.add", h.on(["text": "乙"]))
        #expect(d.result["item"]?["id"] == "C-14")
        // Also after removing a default item.
        try h.run("checklist.remove", h.on(["item": "C-12"]))
        #expect(try h.run("checklist.add", h.on(["text": "丙"])).result["item"]?["id"] == "C-15")
    }

    static let invalidAdds: [([String: JSON], String)] = [
        ([:], "args.text"),
        (["text": ""], "args.text"),
        (["text": .string(String(repeating: "字", count: 301))], "args.text"),
        (["text": "x", "phase": "live"], "args.phase"),
        (["text": "x", "phase": "someday"], "args.phase"),
        (["text": "x", "due": "2026-02-30"], "args.due"),
        (["text": "x", "due": "28/11/2026"], "args.due"),
        (["text": "x", "done": true], "args.done"),
    ]

    @Test("add: invalid arguments name the field", arguments: invalidAdds)
    func addInvalid(args: [String: JSON], field: String) throws {
        var h = try Harness.withMeeting()
        let e = h.failure("checklist.add", h.on(args))
        #expect(e?.code == .badRequest)
        #expect(e?.field == field)
        #expect(h.meeting.checklist.count == 12)
    }

    @Test("set: done records who and when; undone clears both; a note is kept and clearable")
    func set() throws {
        var h = try Harness.withMeeting()
        let d = try h.run("checklist.set", h.on(["item": "C-1", "done": true, "note": "李总已确认"]))
        #expect(d.events.map(\.type) == ["checklist.item_set"])
        var item = try #require(h.meeting.checklist.first { $0.id == "C-1" })
        #expect(item.done)
        #expect(item.doneBy == Fixture.organizer.id)
        #expect(item.doneAt == h.clock)
        #expect(item.note == "李总已确认")
        #expect(item.text == "提前与企业沟通，确认来投资合作意向")
        #expect(item.textEn == "Confirm the company's investment intent in advance")
        #expect(item.key == "confirm_intent")
        let doneAt = h.clock

        // Ticking it again changes nothing: no event, and the first tick's time stays.
        let again = try h.run("checklist.set", h.on(["item": "C-1", "done": true]))
        #expect(again.events.isEmpty)
        #expect(h.meeting.checklist[0].doneAt == doneAt)

        // A note alone is an event; the tick is kept.
        try h.run("checklist.set", h.on(["item": "C-1", "done": true, "note": "已回函"]))
        #expect(h.meeting.checklist[0].note == "已回函")
        #expect(h.meeting.checklist[0].doneAt == doneAt)

        try h.run("checklist.set", h.on(["item": "C-1", "done": false, "note": ""]))
        item = h.meeting.checklist[0]
        #expect(!item.done)
        #expect(item.doneBy == nil)
        #expect(item.doneAt == nil)
        #expect(item.note == nil)
        // The other items are untouched.
        #expect(h.meeting.checklist.dropFirst().allSatisfy { !$0.done })
    }

    @Test("set: the host ticking an item is recorded as the host participant")
    func setByHost() throws {
        var h = try Harness.withMeeting()
        let host = try h.add("周主持", "市投资促进局", role: "host")
        try h.run("checklist.set", h.on(["item": "C-2", "done": true]), as: h.actor(host))
        #expect(h.meeting.checklist[1].doneBy == host)
    }

    @Test("set and remove: unknown items are not_found, malformed ids and missing done are bad_request")
    func setErrors() throws {
        var h = try Harness.withMeeting()
        var e = h.failure("checklist.set", h.on(["item": "C-99", "done": true]))
        #expect(e?.code == .notFound)
        #expect(e?.field == "args.item")
        e = h.failure("checklist.remove", h.on(["item": "C-99"]))
        #expect(e?.code == .notFound)
        #expect(e?.field == "args.item")
        e = h.failure("checklist.set", h.on(["item": "G-1", "done": true]))
        #expect(e?.code == .badRequest)
        #expect(e?.field == "args.item")
        e = h.failure("checklist.set", h.on(["item": "C-1"]))
        #expect(e?.field == "args.done")
        e = h.failure("checklist.set", h.on(["item": "C-1", "done": "yes"]))
        #expect(e?.field == "args.done")
        e = h.failure("checklist.set", h.on(["item": "C-1", "done": true, "note": .string(String(repeating: "n", count: 501))]))
        #expect(e?.field == "args.note")
    }

    @Test("remove: the item is gone, the others keep their order")
    func remove() throws {
        var h = try Harness.withMeeting()
        let d = try h.run("checklist.remove", h.on(["item": "C-5"]))
        #expect(d.events == [.checklistItemRemoved(id: "C-5")])
        #expect(h.meeting.checklist.map(\.id) == ["C-1", "C-2", "C-3", "C-4", "C-6", "C-7", "C-8", "C-9", "C-10", "C-11", "C-12"])
        // A second removal of the same item is not_found.
        #expect(h.failure("checklist.remove", h.on(["item": "C-5"]))?.code == .notFound)
    }
}
