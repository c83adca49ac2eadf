import Foundation
import Testing

@testable import RoadshowCore

/// The snapshot from kept parts (`MeetingSnapshotEncoder`) is byte for byte
/// the snapshot the rules give (`Meeting.snapshot(for:)`), for every kind of
/// viewer, and stays so as the meeting changes under one encoder.
@Suite("Snapshot bytes kept ready")
struct SnapshotEncoderTests {
    typealias World = RehearsalRulesTests.World

    static func args(_ w: World, _ extra: [String: JSON] = [:]) -> JSON {
        var o = extra
        o["meeting"] = .string(w.meeting.id)
        return .object(o)
    }

    /// Every viewer of the meeting: its organizer, the admin, a unit account,
    /// each participant (host, recorder, units, the company).
    static func viewers(_ w: World) -> [Actor] {
        [RehearsalRulesTests.organizer, Actor(id: AccountDirectory.adminId, name: "管理员", kind: .admin)]
            + w.meeting.roster.map { w.participant($0.id) }
    }

    /// Each viewer's snapshot from `encoder` (with no version) and from
    /// `versioned` (the state's version: one per op so far, so all
    /// but the first viewer of a step take the path that compares nothing).
    static func expectSame(_ w: World, _ encoder: MeetingSnapshotEncoder, _ versioned: MeetingSnapshotEncoder, _ step: String) {
        for actor in viewers(w) + viewers(w).reversed() {
            let expected = w.meeting.snapshot(for: actor).encodedBytes
            #expect(encoder.bytes(w.meeting, for: actor) == expected, "\(step): the snapshot for \(actor.id) differs")
            var out: [UInt8] = []
            versioned.write(w.meeting, version: Int64(w.clock.timeIntervalSince1970), for: actor, to: &out)
            #expect(out == expected, "\(step): the snapshot for \(actor.id) differs (versioned)")
        }
    }

    @Test("equal to the rules' snapshot for every viewer, through a whole meeting")
    func sameBytes() throws {
        var w = try RehearsalRulesTests.world()
        let encoder = MeetingSnapshotEncoder(), versioned = MeetingSnapshotEncoder()
        Self.expectSame(w, encoder, versioned, "empty")
        let host = try w.add("主持人甲", "市投资促进局", role: "host")
        let recorder = try w.add("记录员乙", "市投资促进局", role: "recorder")
        let a = try w.add("张三", "市商务局")
        _ = try w.run("roster.add", Self.args(w, [
            "name": "李四", "unit": "某某新能源有限公司", "role": "company", "phone": "13800000000", "email": "li@example.com",
        ]))
        _ = try w.run("roster.update", Self.args(w, ["participant": .string(a), "phone": "13900000000", "email": "zhang@example.com"]))
        Self.expectSame(w, encoder, versioned, "roster")
        _ = try w.run("roster.update", Self.args(w, ["participant": .string(a), "title": "副局长"]))
        Self.expectSame(w, encoder, versioned, "an entry changed")
        _ = try w.run("meeting.advance", Self.args(w, ["to": "rehearsal"]))
        _ = try w.run("meeting.advance", Self.args(w, ["to": "live", "force": true, "reason": "测试"]))
        _ = try w.run("agenda.add", Self.args(w, ["title": "企业介绍", "minutes": 10]), as: w.participant(host))
        _ = try w.run("agenda.next", Self.args(w), as: w.participant(host))
        _ = try w.run("queue.raise", Self.args(w, ["kind": "question", "text": "用地指标？"]), as: w.participant(a))
        _ = try w.run("queue.next", Self.args(w), as: w.participant(host))
        Self.expectSame(w, encoder, versioned, "the floor taken")
        _ = try w.run("queue.release", Self.args(w), as: w.participant(host))
        _ = try w.run("minutes.add", Self.args(w, ["kind": "note", "text": "内部意见"]), as: w.participant(recorder))
        _ = try w.run("minutes.add", Self.args(w, ["kind": "intent", "text": "拟投资", "visibility": "everyone"]), as: w.participant(recorder))
        Self.expectSame(w, encoder, versioned, "minutes and a speech")
        _ = try w.run("roster.remove", Self.args(w, ["participant": .string(a)]))
        Self.expectSame(w, encoder, versioned, "an entry removed")
        _ = try w.run("meeting.update", Self.args(w, ["title": "新能源储能项目路演"]))
        _ = try w.run("meeting.advance", Self.args(w, ["to": "ended", "force": true, "reason": "测试"]))
        Self.expectSame(w, encoder, versioned, "ended, with the follow-up")
    }
}
