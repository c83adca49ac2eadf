import Foundation

/// Times as people in the meeting read and type them, in one time zone
/// (Asia/Shanghai unless told otherwise), independent of the machine's own:
/// the one local-time formatter of the core, used by the minutes export, the
/// invitations, the calendar file's description and the CLI. Typed times are
/// RFC 3339 with an offset or plain local time "2026-12-01 14:00".
/// UTC on the wire is `Timestamp`'s.
public struct LocalTime: Sendable {
    public static let defaultZone = "Asia/Shanghai"

    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The zone named `identifier` (an IANA name such as "Europe/Berlin", or "UTC").
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.init(timeZone: zone)
    }

    /// A moment as the clock and calendar on the wall show it in this zone.
    public struct Fields: Sendable, Equatable {
        public let year: Int, month: Int, day: Int
        public let hour: Int, minute: Int, second: Int
        /// 1 for Sunday … 7 for Saturday.
        public let weekday: Int

        /// Days since 1970-01-01 of the local date: the difference of two is how
        /// many days apart they are on the calendar.
        public var dayNumber: Int { Timestamp.days(year: year, month: month, day: day) }
    }

    public func fields(_ date: Date) -> Fields {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        return Fields(
            year: c.year ?? 0, month: c.month ?? 0, day: c.day ?? 0, hour: c.hour ?? 0, minute: c.minute ?? 0,
            second: c.second ?? 0, weekday: c.weekday ?? 1)
    }

    // MARK: showing

    /// "2026-12-01 14:00", or with seconds "2026-12-01 14:00:05".
    public func format(_ date: Date, seconds: Bool = false) -> String {
        let p = fields(date)
        let base = "\(p.year)-\(Self.two(p.month))-\(Self.two(p.day)) \(Self.two(p.hour)):\(Self.two(p.minute))"
        return seconds ? base + ":" + Self.two(p.second) : base
    }

    /// "2026-12-01": the local calendar date.
    public func day(_ date: Date) -> String {
        let p = fields(date)
        return "\(p.year)-\(Self.two(p.month))-\(Self.two(p.day))"
    }

    /// "14:00"
    public func time(_ date: Date) -> String {
        let p = fields(date)
        return "\(Self.two(p.hour)):\(Self.two(p.minute))"
    }

    /// A protocol timestamp shown in this zone; text that is not one is shown as is.
    public func format(wire text: String?, seconds: Bool = false) -> String {
        guard let text else { return "" }
        guard let date = Timestamp.parse(text) else { return text }
        return format(date, seconds: seconds)
    }

    /// RFC 3339 with this zone's offset: "2026-12-01T14:00:00+08:00".
    public func rfc3339(_ date: Date) -> String {
        let p = fields(date)
        let offset = timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset) / 60
        return "\(p.year)-\(Self.two(p.month))-\(Self.two(p.day))T\(Self.two(p.hour)):\(Self.two(p.minute)):"
            + "\(Self.two(p.second))\(sign)\(Self.two(magnitude / 60)):\(Self.two(magnitude % 60))"
    }

    // MARK: reading

    /// Reads a time typed by a person: RFC 3339 with an offset
    /// ("2026-12-01T14:00:00+08:00", "2026-12-01T06:00:00Z"), or a local time
    /// in this zone ("2026-12-01 14:00", "2026-12-01T14:00", with or without
    /// seconds). Nil for anything else, and for local times that do not exist
    /// (Feb 30, a daylight-saving gap).
    public func parse(_ input: String) -> Date? {
        let text = input.trimmingCharacters(in: .whitespaces)
        if let date = Timestamp.parse(text) { return date }
        let b = Array(text.utf8)
        guard b.count == 16 || b.count == 19, b[10] != UInt8(ascii: "t"),
            let (year, month, day, hour, minute, second) = Timestamp.dateAndTime(b, secondsOptional: true), second < 60
        else { return nil }
        let wanted = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: wanted) else { return nil }
        // Foundation rolls impossible dates over (Feb 30 → Mar 2) and times in a
        // daylight-saving gap forward; refuse them instead.
        let back = fields(date)
        guard back.year == year, back.month == month, back.day == day, back.hour == hour, back.minute == minute,
            back.second == second
        else { return nil }
        return date
    }

    static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
}
