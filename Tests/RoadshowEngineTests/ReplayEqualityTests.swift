import Foundation
@testable import RoadshowCore
@testable import RoadshowServer
import RoadshowStore
import Testing

/// What the engine serves after a write equals what a restart replays from
/// the log — the invariant the in-process fuzzer checks after every input
/// (Sources/RoadshowFuzz). The log keeps times to the millisecond.
@Suite("Served state = replayed log")
struct ReplayEqualityTests {
    @Test("a time sent with more than milliseconds is kept as the log keeps it; sending back what was shown changes nothing")
    func subMillisecondArgument() throws {
        let h = try EngineHarness(clock: { Date(timeIntervalSince1970: 1_795_000_000) })
        let (organizer, meeting) = try h.organizerWithMeeting()
        let first = try h.ok(organizer, "meeting.update", ["meeting": .string(meeting), "startsAt": "2026-12-01T14:00:00.1239+08:00"])
        #expect(first["meeting"]?["startsAt"] == "2026-12-01T06:00:00.123Z")
        #expect(!(try h.streamsDifferingFromReplay().contains(meeting)))
        // The time as every reply and event shows it: no change, no event, no new calendar sequence.
        let seq = h.engine.streams[meeting]!.seq
        let again = try h.ok(organizer, "meeting.update", ["meeting": .string(meeting), "startsAt": "2026-12-01T06:00:00.123Z"])
        #expect(again["seq"]?.intValue == seq)
        #expect(again["meeting"]?["sequence"] == first["meeting"]?["sequence"])
    }

    @Test("the clock's fraction of a millisecond is not kept in memory either: accounts, a meeting, its changes equal their replay")
    func subMillisecondClock() throws {
        let h = try EngineHarness(clock: { Date(timeIntervalSince1970: 1_795_000_000.000_456_7) })
        let (organizer, meeting) = try h.organizerWithMeeting()
        _ = try h.ok(organizer, "checklist.set", ["meeting": .string(meeting), "item": "C-1", "done": true])
        _ = try h.ok(organizer, "meeting.advance", ["meeting": .string(meeting), "to": "rehearsal"])
        #expect(try h.streamsDifferingFromReplay() == [])
    }
}
