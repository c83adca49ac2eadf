import Foundation
import Testing

@testable import RoadshowCore

/// The one UTC formatter (Timestamp) and the one local-time formatter
/// (LocalTime) against the implementations they replaced: the C library's
/// gmtime_r, Foundation's Calendar in UTC, and DateFormatter with the
/// invitation's patterns. Same text for moments across two centuries, in
/// zones with half hours, quarter hours and daylight saving.
@Suite("Timestamp and LocalTime agree with the formatters they replaced")
struct TimeFormattingTests {
    static let zones = [
        "Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu",
        "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "Pacific/Kiritimati",
    ].map { TimeZone(identifier: $0)! }

    /// Moments from 1901 to 2100, some on whole seconds, some with fractions,
    /// and the days around the daylight-saving changes of 2026.
    static func moments() -> [Date] {
        var rng = SeededGenerator(seed: 7)
        var out: [Date] = []
        for _ in 0..<3000 {
            let seconds = Double(Int64.random(in: -2_177_452_800...4_133_980_799, using: &rng))
            let fraction = [0, 0.5, 0.001, 0.999, 0.9999999, Double.random(in: 0..<1, using: &rng)].randomElement(using: &rng)!
            out.append(Date(timeIntervalSince1970: seconds + fraction))
        }
        for day in [1_774_656_000.0, 1_792_800_000, 1_772_928_000, 1_793_404_800] {  // late March, late October, March, November 2026
            for quarter in 0..<(4 * 24 * 3) { out.append(Date(timeIntervalSince1970: day - 86400 + Double(quarter) * 900)) }
        }
        out += [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.5), Date(timeIntervalSince1970: 951_782_400)]
        return out
    }

    static func gmtimeFormat(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.toNearestOrEven))
        let ms = micros >= 0 ? micros / 1000 : (micros - 999) / 1000
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - seconds * 1000
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }

    static func calendarBasic(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let seconds = (date.timeIntervalSince1970).rounded(.down)
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: seconds))
        func pad(_ v: Int?, _ width: Int) -> String {
            let s = String(v ?? 0)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z"
    }

    static func formatter(_ format: String, _ language: Invitation.Language, _ zone: TimeZone) -> DateFormatter {
        let locale = Locale(identifier: language == .zh ? "zh_CN" : "en_US_POSIX")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.locale = locale
        let f = DateFormatter()
        f.locale = locale
        f.calendar = calendar
        f.timeZone = zone
        f.dateFormat = format
        return f
    }

    @Test("Timestamp.format is gmtime_r's fields; Timestamp.basic is Calendar's in UTC")
    func utc() {
        var wrong: [String] = []
        for d in Self.moments() {
            if Timestamp.format(d) != Self.gmtimeFormat(d) { wrong.append("\(d.timeIntervalSince1970): \(Timestamp.format(d)) vs \(Self.gmtimeFormat(d))") }
            if Timestamp.basic(d) != Self.calendarBasic(d) { wrong.append("\(d.timeIntervalSince1970): \(Timestamp.basic(d)) vs \(Self.calendarBasic(d))") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) differ: \(wrong.prefix(5))")
    }

    /// The client's LocalTime.format and the minutes' LocalClock before: Calendar's fields.
    static func calendarFormat(_ date: Date, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(p.year!)-\(two(p.month!))-\(two(p.day!)) \(two(p.hour!)):\(two(p.minute!)):\(two(p.second!))"
    }

    /// Invitation.when before: DateFormatter for the text, Calendar for the days apart.
    static func formatterWhen(start: Date, minutes: Int, timeZone: TimeZone, language: Invitation.Language) -> String {
        let end = start.addingTimeInterval(TimeInterval(max(0, minutes)) * 60)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let date = formatter(language == .zh ? "y年M月d日（EEEE）" : "EEEE d MMMM y", language, timeZone)
        let clock = formatter("HH:mm", language, timeZone)
        let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: start), to: calendar.startOfDay(for: end)).day ?? 0
        let zone = timeZone.identifier
        switch language {
        case .zh:
            let endText = days == 0 ? clock.string(from: end) : days == 1 ? "次日\(clock.string(from: end))" : date.string(from: end) + clock.string(from: end)
            let zoneText = Invitation.beijingZones.contains(zone) ? "北京时间 \(zone)" : "\(zone) 时间"
            return "\(date.string(from: start))\(clock.string(from: start))–\(endText)（\(zoneText)）"
        case .en:
            let endText = days == 0 ? clock.string(from: end) : days == 1 ? "\(clock.string(from: end)) next day" : "\(date.string(from: end)), \(clock.string(from: end))"
            return "\(date.string(from: start)), \(clock.string(from: start))–\(endText) (\(zone))"
        }
    }

    @Test("LocalTime shows Calendar's fields; Invitation.when what DateFormatter showed, in every zone")
    func local() {
        var wrong: [String] = []
        var rng = SeededGenerator(seed: 11)
        let moments = Self.moments()
        let sample = stride(from: 0, to: moments.count, by: 13).map { moments[$0] } + moments.suffix(3)
        for zone in Self.zones {
            let local = LocalTime(timeZone: zone)
            for d in sample {
                if local.format(d, seconds: true) != Self.calendarFormat(d, zone) {
                    wrong.append("\(zone.identifier) \(d): \(local.format(d, seconds: true)) vs \(Self.calendarFormat(d, zone))")
                }
                let minutes = [0, 30, 90, 600, 1439, 1441, 3000].randomElement(using: &rng)!
                for language in Invitation.Language.allCases {
                    let new = Invitation.when(start: d, minutes: minutes, timeZone: zone, language: language)
                    let old = Self.formatterWhen(start: d, minutes: minutes, timeZone: zone, language: language)
                    if new != old { wrong.append("\(zone.identifier) \(d) +\(minutes): \(new) vs \(old)") }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) differ: \(wrong.prefix(5))")
    }

    @Test("reading a local time back gives the moment it shows, or nil in a daylight-saving gap")
    func localRoundTrip() {
        for zone in Self.zones {
            let local = LocalTime(timeZone: zone)
            for d in Self.moments().suffix(900) {
                let whole = Date(timeIntervalSince1970: d.timeIntervalSince1970.rounded(.down))
                let text = local.format(whole, seconds: true)
                guard let back = local.parse(text) else {
                    Issue.record("\(zone.identifier): \(text) does not read back")
                    continue
                }
                #expect(local.format(back, seconds: true) == text)
            }
        }
    }
}
