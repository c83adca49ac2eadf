import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// Showing and reading times in Asia/Shanghai (or ROADSHOW_TZ).
struct ClientLocalTimeTests {
    let shanghai = LocalTime(identifier: "Asia/Shanghai")!

    @Test func readsLocalTimeAsShanghai() throws {
        let date = try #require(shanghai.parse("2026-12-01 14:00"))
        #expect(Timestamp.format(date) == "2026-12-01T06:00:00.000Z")
        #expect(shanghai.parse("2026-12-01T14:00") == date)
        #expect(shanghai.parse("2026-12-01 14:00:00") == date)
        #expect(shanghai.parse("  2026-12-01 14:00 ") == date)
    }

    @Test func readsRFC3339WithItsOwnOffset() {
        #expect(shanghai.parse("2026-12-01T14:00:00+08:00") == shanghai.parse("2026-12-01 14:00"))
        #expect(shanghai.parse("2026-12-01T06:00:00Z") == shanghai.parse("2026-12-01 14:00"))
    }

    @Test func refusesWhatIsNotATime() {
        #expect(shanghai.parse("2026-02-30 10:00") == nil)
        #expect(shanghai.parse("2026-12-01") == nil)
        #expect(shanghai.parse("tomorrow 14:00") == nil)
        #expect(shanghai.parse("2026-12-01 25:00") == nil)
        #expect(shanghai.parse("2026-13-01 10:00") == nil)
    }

    @Test func showsTimesInTheZone() throws {
        let date = try #require(Timestamp.parse("2026-11-22T08:00:05.123Z"))
        #expect(shanghai.format(date) == "2026-11-22 16:00")
        #expect(shanghai.format(date, seconds: true) == "2026-11-22 16:00:05")
        #expect(shanghai.format(wire: "2026-11-22T08:00:05.123Z", seconds: true) == "2026-11-22 16:00:05")
        #expect(shanghai.format(wire: "not a time") == "not a time")
        #expect(shanghai.rfc3339(date) == "2026-11-22T16:00:05+08:00")
    }

    @Test func environmentChoosesTheZone() throws {
        #expect(try LocalTime.fromEnvironment([:]).timeZone.identifier == "Asia/Shanghai")
        let utc = try LocalTime.fromEnvironment(["ROADSHOW_TZ": "UTC"])
        #expect(utc.format(Timestamp.parse("2026-11-22T08:00:00Z")!) == "2026-11-22 08:00")
        #expect(throws: LocalTime.ZoneError.self) { try LocalTime.fromEnvironment(["ROADSHOW_TZ": "Mars/Olympus"]) }
    }

    @Test func daylightSavingZonesUseTheirOffsetOfTheDay() throws {
        let berlin = try #require(LocalTime(identifier: "Europe/Berlin"))
        let summer = try #require(berlin.parse("2026-07-01 12:00"))
        let winter = try #require(berlin.parse("2026-12-01 12:00"))
        #expect(berlin.rfc3339(summer) == "2026-07-01T12:00:00+02:00")
        #expect(berlin.rfc3339(winter) == "2026-12-01T12:00:00+01:00")
        // 02:30 on the spring-forward day does not exist there.
        #expect(berlin.parse("2026-03-29 02:30") == nil)
    }
}
