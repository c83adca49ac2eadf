import Foundation

/// RFC 3339 times in UTC with milliseconds, the one time format of the protocol
/// and the store; and the one UTC calendar of the core (proleptic Gregorian,
/// by arithmetic, no C library or Foundation calendar): `format`, `parse`, and
/// the iCalendar form `basic`. Local times are `LocalTime`'s.
public enum Timestamp {
    /// "2026-11-22T08:00:00.123Z"
    public static func format(_ date: Date) -> String {
        // Truncated to milliseconds from the nearest microsecond: a Double of seconds
        // can sit just below the decimal value it was parsed from (2^30 s and beyond),
        // and flooring it directly would lose a millisecond.
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.toNearestOrEven))
        let ms = floorDiv(micros, 1000)
        let seconds = floorDiv(ms, 1000)
        let millis = Int(ms - seconds * 1000)
        let t = UTCTime(seconds: seconds)
        return text(capacity: 24) { out in
            pad(t.year, 4, &out)
            out.append(UInt8(ascii: "-"))
            pad(t.month, 2, &out)
            out.append(UInt8(ascii: "-"))
            pad(t.day, 2, &out)
            out.append(UInt8(ascii: "T"))
            pad(t.hour, 2, &out)
            out.append(UInt8(ascii: ":"))
            pad(t.minute, 2, &out)
            out.append(UInt8(ascii: ":"))
            pad(t.second, 2, &out)
            out.append(UInt8(ascii: "."))
            pad(millis, 3, &out)
            out.append(UInt8(ascii: "Z"))
        }
    }

    /// The time as the log keeps it: cut to whole milliseconds as `format`
    /// cuts it, so that `parse(format(t))` is exactly `milliseconds(t)`. A time
    /// kept in memory must be this, or the state served before a restart
    /// differs from the one replayed after it.
    public static func milliseconds(_ date: Date) -> Date {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.toNearestOrEven))
        return Date(timeIntervalSince1970: Double(floorDiv(micros, 1000) * 1000) / 1_000_000)
    }

    /// The basic form in whole seconds, "20261122T080000Z" (iCalendar's UTC
    /// DATE-TIME); the fraction of a second is cut.
    public static func basic(_ date: Date) -> String {
        let t = UTCTime(seconds: Int64(date.timeIntervalSince1970.rounded(.down)))
        return text(capacity: 16) { out in
            pad(t.year, 4, &out)
            pad(t.month, 2, &out)
            pad(t.day, 2, &out)
            out.append(UInt8(ascii: "T"))
            pad(t.hour, 2, &out)
            pad(t.minute, 2, &out)
            pad(t.second, 2, &out)
            out.append(UInt8(ascii: "Z"))
        }
    }

    /// Parses RFC 3339 ("2026-11-22T16:00:00+08:00", "2026-11-22T08:00:00.5Z").
    /// A time without an offset is rejected: the protocol stores UTC and needs to know.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, let (year, month, day, hour, minute, second) = dateAndTime(b) else { return nil }
        // No leap seconds (":60"): the clocks here never show one, and folding it
        // into :59 would change what was typed. No years before 1900.
        guard second < 60, year >= 1900 else { return nil }
        var i = 19
        // The fraction, kept to microseconds as an integer (the protocol speaks ms).
        var micros = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var count = 0
            let start = i
            while i < b.count, isDigit(b[i]) {
                if count < 6 { micros = micros * 10 + Int(b[i] - 48); count += 1 }
                i += 1
            }
            if i == start { return nil }
            while count < 6 { micros *= 10; count += 1 }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard let oh = digits(b, i + 1, 2), b.count > i + 3, b[i + 3] == UInt8(ascii: ":"), let om = digits(b, i + 4, 2),
                oh < 24, om < 60
            else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count, isValidDate(year: year, month: month, day: day) else { return nil }
        let seconds = days(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds * 1_000_000 + micros) / 1_000_000)
    }

    // MARK: - Shared by the core's readers and writers of times

    /// "YYYY-MM-DD" then "T", "t" or a space, then "HH:MM:SS" (seconds not
    /// range-checked): the fields, or nil. The month, day, hour and minute are
    /// in range; whether the day exists in that month is `isValidDate`'s.
    static func dateAndTime(_ b: [UInt8], secondsOptional: Bool = false)
        -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)?
    {
        guard let year = digits(b, 0, 4), b.count > 7, b[4] == UInt8(ascii: "-"), let month = digits(b, 5, 2),
            b[7] == UInt8(ascii: "-"), let day = digits(b, 8, 2), b.count > 13,
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
            let hour = digits(b, 11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(b, 14, 2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60 else { return nil }
        if secondsOptional, b.count == 16 { return (year, month, day, hour, minute, 0) }
        guard b.count > 16, b[16] == UInt8(ascii: ":"), let second = digits(b, 17, 2) else { return nil }
        return (year, month, day, hour, minute, second)
    }

    /// The number written by `count` ASCII digits at `from`, or nil.
    static func digits(_ b: [UInt8], _ from: Int, _ count: Int) -> Int? {
        guard from >= 0, from + count <= b.count else { return nil }
        var v = 0
        for i in from..<(from + count) {
            guard isDigit(b[i]) else { return nil }
            v = v * 10 + Int(b[i] - 48)
        }
        return v
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// Whether the day exists: no 30 February, no 29 February outside leap years.
    static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= daysInMonth[month - 1]
    }

    /// Days since 1970-01-01 of a date (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date of a day since 1970-01-01 (Howard Hinnant's civil_from_days).
    static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400) + (month <= 2 ? 1 : 0), Int(month), Int(day))
    }

    /// The fields of a whole second since the epoch, in UTC.
    struct UTCTime {
        let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

        init(seconds: Int64) {
            let days = Timestamp.floorDiv(seconds, 86400)
            let inDay = Int(seconds - days * 86400)
            (year, month, day) = Timestamp.civil(days: days)
            hour = inDay / 3600
            minute = inDay % 3600 / 60
            second = inDay % 60
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - (b - 1)) / b }

    /// `value` in decimal, zeros before it up to `width` characters (as
    /// `String(value)` padded on the left: a negative year reads "00-1").
    static func pad(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        if value >= 0, value < 10_000 {
            // The common case, without a String.
            let count = value >= 1000 ? 4 : value >= 100 ? 3 : value >= 10 ? 2 : 1
            for _ in count..<max(width, count) { out.append(UInt8(ascii: "0")) }
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
            return
        }
        let s = String(value).utf8
        for _ in s.count..<max(width, s.count) { out.append(UInt8(ascii: "0")) }
        out.append(contentsOf: s)
    }

    static func text(capacity: Int, _ write: (inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(capacity)
        write(&out)
        return String(decoding: out, as: UTF8.self)
    }
}
