import Foundation
import RoadshowCore

/// Times as people in the meeting read and type them: shown in one time zone
/// (Asia/Shanghai unless `ROADSHOW_TZ` names another), and typed either as
/// RFC 3339 with an offset or as plain local time "2026-12-01 14:00".
public struct LocalTime: Sendable {
    public static let defaultZone = "Asia/Shanghai"

    public let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// The zone named `identifier` (an IANA name such as "Europe/Berlin", or "UTC").
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.timeZone = zone
    }

    public enum ZoneError: Error, CustomStringConvertible {
        case unknown(String)
        public var description: String {
            switch self {
            case .unknown(let name):
                return "ROADSHOW_TZ=\(name) is not a time zone; use an IANA name such as Asia/Shanghai or UTC"
            }
        }
    }

    /// The zone from `ROADSHOW_TZ`, or Asia/Shanghai.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> LocalTime
    {
        let name = environment["ROADSHOW_TZ"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultZone
        guard let local = LocalTime(identifier: name) else { throw ZoneError.unknown(name) }
        return local
    }

    private var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }

    // MARK: showing

    /// "2026-12-01 14:00", or with seconds "2026-12-01 14:00:05".
    public func format(_ date: Date, seconds: Bool = false) -> String {
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let base = "\(p.year!)-\(Self.two(p.month!))-\(Self.two(p.day!)) \(Self.two(p.hour!)):\(Self.two(p.minute!))"
        return seconds ? base + ":" + Self.two(p.second!) : base
    }

    /// A protocol timestamp shown in this zone; text that is not one is shown as is.
    public func format(wire text: String?, seconds: Bool = false) -> String {
        guard let text else { return "" }
        guard let date = Timestamp.parse(text) else { return text }
        return format(date, seconds: seconds)
    }

    /// RFC 3339 with this zone's offset: "2026-12-01T14:00:00+08:00".
    public func rfc3339(_ date: Date) -> String {
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset) / 60
        return "\(p.year!)-\(Self.two(p.month!))-\(Self.two(p.day!))T\(Self.two(p.hour!)):\(Self.two(p.minute!)):"
            + "\(Self.two(p.second!))\(sign)\(Self.two(magnitude / 60)):\(Self.two(magnitude % 60))"
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
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                guard (48...57).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard b.count == 16 || b.count == 19,
            let year = num(0, 4), b[4] == 45, let month = num(5, 2), b[7] == 45, let day = num(8, 2),
            b[10] == 32 || b[10] == UInt8(ascii: "T"), let hour = num(11, 2), b[13] == 58, let minute = num(14, 2)
        else { return nil }
        var second = 0
        if b.count == 19 {
            guard b[16] == 58, let s = num(17, 2) else { return nil }
            second = s
        }
        let wanted = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60,
            let date = calendar.date(from: wanted)
        else { return nil }
        // Foundation rolls impossible dates over (Feb 30 → Mar 2); refuse them instead.
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard back.year == year, back.month == month, back.day == day, back.hour == hour, back.minute == minute,
            back.second == second
        else { return nil }
        return date
    }

    static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
}
