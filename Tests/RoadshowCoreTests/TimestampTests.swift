import Foundation
import Testing

@testable import RoadshowCore

@Suite("Timestamp (RFC 3339)")
struct TimestampTests {
    /// 2026-11-22T08:00:00Z
    static let base: TimeInterval = 1_795_334_400

    @Test("offsets are converted to UTC", arguments: [
        ("2026-11-22T16:00:00+08:00", base),
        ("2026-11-22T08:00:00Z", base),
        ("2026-11-22T08:00:00z", base),
        ("2026-11-22t08:00:00Z", base),
        ("2026-11-22 08:00:00Z", base),
        ("2026-11-22T03:00:00-05:00", base),
        ("2026-11-22T13:45:00+05:45", base),
        ("2026-11-22T08:00:00+00:00", base),
        ("2026-11-22T08:00:00-00:00", base),
        // Across a day and a year boundary.
        ("2026-11-23T00:30:00+08:00", base + 8.5 * 3600),
        ("2027-01-01T07:59:59+08:00", 1_798_761_599),
        ("1970-01-01T00:00:00Z", 0),
        ("2000-02-29T00:00:00Z", 951_782_400),
    ])
    func offsets(text: String, expected: TimeInterval) throws {
        let d = try #require(Timestamp.parse(text))
        #expect(d.timeIntervalSince1970 == expected)
    }

    @Test("fractions of a second of any length")
    func fractions() throws {
        let half = try #require(Timestamp.parse("2026-11-22T08:00:00.5Z"))
        #expect(abs(half.timeIntervalSince1970 - (Self.base + 0.5)) < 1e-6)
        let ms = try #require(Timestamp.parse("2026-11-22T16:00:00.123+08:00"))
        #expect(abs(ms.timeIntervalSince1970 - (Self.base + 0.123)) < 1e-6)
        let micro = try #require(Timestamp.parse("2026-11-22T08:00:00.123456Z"))
        #expect(abs(micro.timeIntervalSince1970 - (Self.base + 0.123456)) < 1e-6)
        #expect(Timestamp.format(micro) == "2026-11-22T08:00:00.123Z")
    }

    @Test("rejected: no offset, impossible dates and times, garbage", arguments: [
        "2026-11-22T08:00:00",  // no offset
        "2026-11-22T08:00:00.123",  // fraction but no offset
        "2026-11-22",  // date only
        "2026-02-30T00:00:00Z",  // 30 February
        "2026-02-29T00:00:00Z",  // 2026 is no leap year
        "2100-02-29T00:00:00Z",  // nor is 2100
        "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-00-10T00:00:00Z",
        "2026-11-00T00:00:00Z",
        "2026-11-32T00:00:00Z",
        "2026-11-22T24:00:00Z",
        "2026-11-22T08:60:00Z",
        "2026-11-22T08:00:61Z",
        "2026-11-22T08:00:00+0800",  // offset without colon
        "2026-11-22T08:00:00+8:00",
        "2026-11-22T08:00:00+24:00",
        "2026-11-22T08:00:00+08:60",
        "2026-11-22T08:00:00.Z",  // empty fraction
        "2026-11-22T08:00:00ZZ",  // trailing data
        "2026-11-22T08:00:00Z ",
        "2026-11-22X08:00:00Z",
        "2026/11/22T08:00:00Z",
        "26-11-22T08:00:00Z",
        "２０２６-11-22T08:00:00Z",  // full-width digits
        "tomorrow at noon",
        "",
    ])
    func rejects(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("format: UTC, always three fraction digits, Z")
    func format() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: Self.base)) == "2026-11-22T08:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: Self.base + 0.25)) == "2026-11-22T08:00:00.250Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        // Sub-millisecond parts are cut, not rounded up into the next second.
        #expect(Timestamp.format(Date(timeIntervalSince1970: Self.base + 0.9999)) == "2026-11-22T08:00:00.999Z")
        // Before 1970 the milliseconds still count forward within the second.
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }

    @Test("round trip: format(parse(t)) == t for whole seconds across the years")
    func roundTripSeconds() throws {
        for text in ["2026-11-22T08:00:00.000Z", "2000-01-01T00:00:00.000Z", "2028-02-29T23:59:59.000Z", "2099-12-31T12:34:56.000Z"] {
            let d = try #require(Timestamp.parse(text))
            #expect(Timestamp.format(d) == text)
        }
        // An offset time formats as the same instant in UTC.
        #expect(Timestamp.format(try #require(Timestamp.parse("2026-12-01T14:00:00+08:00"))) == "2026-12-01T06:00:00.000Z")
    }

    /// The store writes `Timestamp.format(at)` and reads it back with `parse`; a
    /// stored time must read back as the same text. Checks every millisecond value.
    @Test("round trip: format(parse(t)) == t for every millisecond of a second")
    func roundTripMilliseconds() throws {
        var wrong: [String] = []
        for ms in 0..<1000 {
            let digits = String(ms + 1000).dropFirst()
            let text = "2026-11-22T08:00:00.\(digits)Z"
            let d = try #require(Timestamp.parse(text))
            if Timestamp.format(d) != text { wrong.append("\(text) → \(Timestamp.format(d))") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) of 1000 times changed: \(wrong.prefix(5).joined(separator: ", "))")
    }

    @Test("round trip: parse(format(d)) keeps the millisecond for dates made from milliseconds")
    func roundTripDates() throws {
        var wrong: [String] = []
        for ms in stride(from: Int64(0), to: 1000, by: 1) {
            let d = Date(timeIntervalSince1970: Double(1_795_334_400_000 + ms) / 1000)
            let text = Timestamp.format(d)
            let back = try #require(Timestamp.parse(text))
            if Timestamp.format(back) != text { wrong.append(text) }
            if !text.hasSuffix(".\(String(ms + 1000).dropFirst())Z") { wrong.append("\(ms) ms formatted as \(text)") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) changed: \(wrong.prefix(5).joined(separator: ", "))")
    }

    /// Meetings may start up to the year 2100, and the store keeps `at` and every date
    /// of the event data as text. Reading a stored time back must give the same text.
    /// A Double of seconds can sit just below the decimal value it was parsed from
    /// (from 2^30 s, 2004-01-10, and 2^31 s, 2038-01-19, on), so format takes the
    /// nearest microsecond before it truncates to milliseconds.
    @Test("round trip: format(parse(t)) == t also in 2004 and 2038")
    func roundTripAcrossPowersOfTwo() throws {
        #expect(Timestamp.format(try #require(Timestamp.parse("2026-12-01T06:00:00.002Z"))) == "2026-12-01T06:00:00.002Z")
        for text in ["2038-01-19T03:14:08.002Z", "2038-09-20T00:57:21.015Z", "2004-01-10T16:08:24.001Z", "2099-12-31T23:59:59.999Z"] {
            let d = try #require(Timestamp.parse(text))
            #expect(Timestamp.format(d) == text)
        }
        // Every millisecond of a second in 2038 survives the round trip.
        for ms in 0..<1000 {
            let text = "2038-06-01T12:00:00.\(String(repeating: "0", count: ms < 10 ? 2 : ms < 100 ? 1 : 0))\(ms)Z"
            #expect(Timestamp.format(try #require(Timestamp.parse(text))) == text)
        }
    }
}
