import Foundation

// Deadlines on the Chinese working-day calendar (issue 8, item 4).
//
// Which rule counts what:
//
// | rule                                                        | source          | counted in    | here                                  |
// |-------------------------------------------------------------|-----------------|---------------|---------------------------------------|
// | client information entered within 5 working days of contact | mechanism 5 §2  | working days  | `Deadlines.clientInformation`         |
// | coordination problem answered within 15 days (15天内)        | mechanism 2 §4  | calendar days | `Deadlines.coordinationAnswer`        |
// | project information updated monthly (按月)                   | mechanism 2 §2  | calendar month| `Deadlines.monthly`                   |
//
// Counting starts the day after the event (the contact day itself is not
// counted), and a deadline day is due by its end. Working days follow the
// State Council's yearly holiday notice: public holidays are off, make-up
// workdays (调休上班, usually a Saturday or Sunday) are on, other days are on
// from Monday to Friday. A year without data is counted Monday–Friday, and
// every answer that looked at such a year says so.

/// A day on the calendar of the deployment's time zone (proleptic Gregorian),
/// without a time: "2026-02-14".
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid date with a year from 1 to 9999, or nil.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CalendarDay.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// "YYYY-MM-DD" exactly (ISO 8601 extended, four-digit year), or nil.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func num(_ range: Range<Int>) -> Int? {
            var v = 0
            for i in range {
                guard (48...57).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The day that `date` falls on in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        let offset = timeZone.secondsFromGMT(for: date)
        // Clamped far beyond any real use (±3 million years) so no Date traps the conversion.
        let seconds = min(max(date.timeIntervalSince1970.rounded(.down), -1e14), 1e14)
        let local = Int(seconds) + offset
        self.init(dayNumber: CalendarDay.floorDiv(local, 86_400))
    }

    /// The day `dayNumber` days after 1970-01-01 (Howard Hinnant's civil_from_days).
    init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = CalendarDay.floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = CalendarDay.floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO weekday: 1 Monday … 7 Sunday.
    public var weekday: Int { CalendarDay.floorMod(dayNumber + 3, 7) + 1 }
    /// Saturday or Sunday.
    public var isWeekend: Bool { weekday >= 6 }

    /// The instant the day starts in `timeZone` (its first existing moment, where
    /// a zone skips midnight).
    public func start(in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Noon local time is inside the day in every zone; from there to its start.
        let noonUTC = TimeInterval(dayNumber) * 86_400 + 43_200
        let noon = Date(timeIntervalSince1970: noonUTC - TimeInterval(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: noonUTC))))
        return calendar.startOfDay(for: noon)
    }

    /// The instant the day ends in `timeZone` (the next day's start): a deadline
    /// "by this day" is passed from then on.
    public func end(in timeZone: TimeZone) -> Date { adding(days: 1).start(in: timeZone) }

    /// The day `n` calendar days later (earlier for a negative `n`).
    public func adding(days n: Int) -> CalendarDay { CalendarDay(dayNumber: dayNumber + n) }

    /// Calendar days from this day to `other` (negative when `other` is earlier).
    public func days(to other: CalendarDay) -> Int { other.dayNumber - dayNumber }

    /// The same day `n` calendar months later (earlier for a negative `n`),
    /// clamped to the end of a shorter month: 01-31 + 1 month is 02-28 (02-29 in
    /// a leap year). Count from a fixed anchor, not from the previous result, or
    /// the 31st drifts to the 28th.
    public func adding(months n: Int) -> CalendarDay {
        let total = year * 12 + (month - 1) + n
        let y = CalendarDay.floorDiv(total, 12)
        let m = total - y * 12 + 1
        return CalendarDay(unchecked: y, m, min(day, CalendarDay.daysIn(month: m, year: y)))
    }

    public var description: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(abs(v))
            return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func floorMod(_ a: Int, _ b: Int) -> Int { a - floorDiv(a, b) * b }
}

/// The working-day calendar of mainland China: the State Council's public
/// holidays and make-up workdays per year, Monday–Friday otherwise. Pure: no
/// clock and no I/O; the data comes built in (`HolidayData`, generated by
/// tools/holidays/generate.py) or from JSON bytes in the format of
/// tools/holidays/holidays.json.
public struct WorkingDays: Sendable {
    /// An answer, and the years it had to count Monday–Friday for lack of data.
    public struct Answer<Value: Sendable & Equatable>: Sendable, Equatable {
        public let value: Value
        /// The years (as runs of consecutive years) among the days this answer
        /// looked at that have no holiday data; empty when every day had data.
        public let yearsWithoutData: [ClosedRange<Int>]
        /// True when part of the answer assumed Monday–Friday: show it as an estimate.
        public var usedFallback: Bool { !yearsWithoutData.isEmpty }
    }

    /// What one day is.
    public enum Kind: Sendable, Equatable {
        /// Monday to Friday, no holiday.
        case workday
        /// Saturday or Sunday, no make-up workday.
        case weekend
        /// A public holiday (name as the data gives it, e.g. "Spring Festival").
        case holiday(String)
        /// A make-up workday (调休上班) on a Saturday or Sunday.
        case makeUpWorkday
    }

    public struct DayInfo: Sendable, Equatable {
        public let day: CalendarDay
        public let kind: Kind
        public let isWorkingDay: Bool
        /// False when the day's year has no data and the answer is Monday–Friday.
        public let hasData: Bool
    }

    /// Holiday data that could not be read: `field` is the JSON path of what is
    /// wrong (e.g. "years.2026.workdays[2]"), `message` what is wrong with it.
    public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
        public let field: String
        public let message: String
        public var description: String { "holiday data: \(field): \(message)" }
    }

    /// Where the data came from (the "source" of the JSON, or the built-in table's).
    public var source: String { table.source }
    /// The years with data, ascending.
    public var coverage: [Int] { table.years }
    /// The zone whose calendar days the `Date` functions use.
    public let timeZone: TimeZone

    private let table: Table

    /// Asia/Shanghai (UTC+8 without daylight saving since 1991).
    public static let chinaTimeZone: TimeZone =
        TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current

    /// The built-in data (`HolidayData`: PyPI chinese-calendar, see its header).
    public init(timeZone: TimeZone = WorkingDays.chinaTimeZone) {
        self.table = Table.builtIn
        self.timeZone = timeZone
    }

    /// Data in the format of tools/holidays/holidays.json:
    /// `{"source": "...", "years": {"2026": {"holidays": {"2026-01-01": "New Year's Day", ...},
    /// "workdays": ["2026-01-04", ...]}}}`, with an optional `"names"` object of
    /// Chinese labels (`{"Spring Festival": "春节"}`).
    public init(json bytes: some Collection<UInt8>, timeZone: TimeZone = WorkingDays.chinaTimeZone) throws(DataError) {
        self.table = try Table(json: bytes)
        self.timeZone = timeZone
    }

    private init(table: Table, timeZone: TimeZone) {
        self.table = table
        self.timeZone = timeZone
    }

    /// The same data, counting days in another zone (the server's).
    public func counting(in zone: TimeZone) -> WorkingDays { WorkingDays(table: table, timeZone: zone) }

    // MARK: Days

    /// The calendar day of `date` in this calendar's time zone.
    public func day(of date: Date) -> CalendarDay { CalendarDay(date, in: timeZone) }

    public func hasData(for year: Int) -> Bool { table.covered.contains(year) }

    public func info(_ day: CalendarDay) -> DayInfo {
        let n = day.dayNumber
        guard hasData(for: day.year) else {
            return DayInfo(day: day, kind: day.isWeekend ? .weekend : .workday, isWorkingDay: !day.isWeekend, hasData: false)
        }
        let kind: Kind
        if table.workdays.contains(n) {
            kind = day.isWeekend ? .makeUpWorkday : .workday
        } else if let name = table.holidays[n] {
            kind = .holiday(name)
        } else {
            kind = day.isWeekend ? .weekend : .workday
        }
        let working = kind == .workday || kind == .makeUpWorkday
        return DayInfo(day: day, kind: kind, isWorkingDay: working, hasData: true)
    }

    public func isWorkingDay(_ day: CalendarDay) -> Bool { info(day).isWorkingDay }

    /// Whether the day `date` falls on in this calendar's zone is a working day.
    public func isWorkingDay(at date: Date) -> Bool { isWorkingDay(day(of: date)) }

    /// The Chinese label of a holiday name ("Spring Festival" → "春节"), if the data has one.
    public func chineseName(ofHoliday name: String) -> String? { table.names[name] }

    // MARK: Counting

    /// The `n`th working day after `day` (`day` itself is not counted, whatever
    /// it is): a contact on 2026-02-13 plus 5 working days is 2026-02-27. A
    /// negative `n` counts back to the `|n|`th working day before `day`; 0 gives
    /// `day`. `workingDays(from: day, to: result)` is `n` again.
    public func addWorkingDays(_ n: Int, to day: CalendarDay) -> Answer<CalendarDay> {
        // Far beyond any deadline, and it keeps the search free of overflow.
        let n = min(max(n, -Self.maxSpan), Self.maxSpan)
        let a = day.dayNumber
        guard n != 0 else { return Answer(value: day, yearsWithoutData: []) }
        let target = abs(n)
        func reached(_ offset: Int) -> Bool {
            // Forward: working days in (a, a + offset]; back: in [a - offset, a).
            n > 0 ? count(a, a + offset) >= target : count(a - offset - 1, a - 1) >= target
        }
        // Exponential then binary search on the calendar-day offset: the count is
        // monotonic in it, and the smallest offset that reaches n lands on a working day.
        var hi = target + target / 2 + 14
        while !reached(hi) { hi *= 2 }
        var lo = 0
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if reached(mid) { hi = mid } else { lo = mid + 1 }
        }
        let result = CalendarDay(dayNumber: n > 0 ? a + lo : a - lo)
        let looked = n > 0 ? (day.adding(days: 1), result) : (result, day.adding(days: -1))
        return Answer(value: result, yearsWithoutData: yearsWithoutData(from: looked.0, to: looked.1))
    }

    /// Working days after `from` up to and including `to`: 0 for the same day,
    /// 1 from a Friday to the next Monday, negative when `to` is earlier. As
    /// "working days overdue": `workingDays(from: due, to: today)` is 1 on the
    /// first working day after the due day.
    public func workingDays(from: CalendarDay, to: CalendarDay) -> Answer<Int> {
        let (a, b) = (from.dayNumber, to.dayNumber)
        if a == b { return Answer(value: 0, yearsWithoutData: []) }
        let value = a < b ? count(a, b) : -count(b, a)
        let (first, last) = a < b ? (from.adding(days: 1), to) : (to.adding(days: 1), from)
        return Answer(value: value, yearsWithoutData: yearsWithoutData(from: first, to: last))
    }

    /// The first working day on or after `day` (for a product that moves a
    /// calendar-day deadline off a holiday; the mechanisms do not say to).
    public func firstWorkingDay(onOrAfter day: CalendarDay) -> Answer<CalendarDay> {
        if isWorkingDay(day) {
            return Answer(value: day, yearsWithoutData: hasData(for: day.year) ? [] : [day.year...day.year])
        }
        let next = addWorkingDays(1, to: day)
        let years = yearsWithoutData(from: day, to: next.value)
        return Answer(value: next.value, yearsWithoutData: years)
    }

    /// The years from `from`'s to `to`'s (inclusive, either order) that have no
    /// data, as runs of consecutive years.
    public func yearsWithoutData(from: CalendarDay, to: CalendarDay) -> [ClosedRange<Int>] {
        let (lo, hi) = (min(from.year, to.year), max(from.year, to.year))
        var runs: [ClosedRange<Int>] = []
        var start = lo
        for year in table.years where year >= lo && year <= hi {
            if year > start { runs.append(start...(year - 1)) }
            start = year + 1
        }
        if start <= hi { runs.append(start...hi) }
        return runs
    }

    /// The largest |n| `addWorkingDays` takes (about 3,800 years); larger ones are clamped.
    public static let maxSpan = 1_000_000

    // MARK: Internals

    /// Working days in (a, b] for a ≤ b: Monday–Friday by formula, corrected by
    /// the data's holidays on weekdays (−1) and make-up workdays on weekends (+1).
    private func count(_ a: Int, _ b: Int) -> Int {
        (Self.weekdaysThrough(b) - Self.weekdaysThrough(a)) + (table.correctionThrough(b) - table.correctionThrough(a))
    }

    /// Monday–Friday days from Monday 1969-12-29 through day `n` (negative before it).
    private static func weekdaysThrough(_ n: Int) -> Int {
        let m = n + 3
        let weeks = CalendarDay.floorDiv(m, 7)
        let r = m - weeks * 7
        return weeks * 5 + min(r + 1, 5)
    }

    /// The parsed data, shared between copies.
    private final class Table: Sendable {
        let source: String
        let years: [Int]
        let covered: Set<Int>
        let names: [String: String]
        let holidays: [Int: String]
        let workdays: Set<Int>
        /// Days (ascending) where the data changes the Monday–Friday answer, and
        /// the running sum of those changes through each of them.
        let correctionDays: [Int]
        let correctionSums: [Int]

        init(source: String, years: [Int], names: [String: String], holidays: [Int: String], workdays: Set<Int>) {
            self.source = source
            self.years = years.sorted()
            self.covered = Set(years)
            self.names = names
            self.holidays = holidays
            self.workdays = workdays
            var changes: [(Int, Int)] = []
            for n in holidays.keys where !workdays.contains(n) && !CalendarDay(dayNumber: n).isWeekend { changes.append((n, -1)) }
            for n in workdays where CalendarDay(dayNumber: n).isWeekend { changes.append((n, 1)) }
            changes.sort { $0.0 < $1.0 }
            correctionDays = changes.map(\.0)
            var sum = 0
            correctionSums = changes.map { sum += $0.1; return sum }
        }

        /// The sum of corrections on days ≤ n.
        func correctionThrough(_ n: Int) -> Int {
            var lo = 0, hi = correctionDays.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if correctionDays[mid] <= n { lo = mid + 1 } else { hi = mid }
            }
            return lo == 0 ? 0 : correctionSums[lo - 1]
        }

        static let builtIn: Table = {
            var holidays: [Int: String] = [:]
            for (y, m, first, last, name) in HolidayData.holidays {
                for d in first...last { holidays[CalendarDay(unchecked: y, m, d).dayNumber] = name }
            }
            let workdays = Set(HolidayData.workdays.map { CalendarDay(unchecked: $0.0, $0.1, $0.2).dayNumber })
            return Table(source: HolidayData.source, years: HolidayData.years, names: HolidayData.names,
                         holidays: holidays, workdays: workdays)
        }()

        convenience init(json bytes: some Collection<UInt8>) throws(DataError) {
            func fail(_ field: String, _ message: String) -> DataError { DataError(field: field, message: message) }
            let doc: JSON
            do { doc = try JSON.parse(bytes) } catch {
                throw fail("(document)", "not JSON: \(error)")
            }
            guard let top = doc.objectValue else { throw fail("(document)", "must be an object, not \(doc.typeDescription)") }
            guard let sourceValue = top["source"] else { throw fail("source", "missing (say where the data comes from)") }
            guard let source = sourceValue.stringValue, !source.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail("source", "must be a non-empty string")
            }
            var names: [String: String] = [:]
            if let namesValue = top["names"], !namesValue.isNull {
                guard let o = namesValue.objectValue else { throw fail("names", "must be an object of Chinese labels") }
                for (en, zh) in o {
                    guard let label = zh.stringValue, !label.isEmpty else { throw fail("names.\(en)", "must be a non-empty string") }
                    names[en] = label
                }
            }
            guard let yearsValue = top["years"] else { throw fail("years", "missing") }
            guard let yearsObject = yearsValue.objectValue else {
                throw fail("years", "must be an object keyed by year, not \(yearsValue.typeDescription)")
            }
            var years: [Int] = []
            var holidays: [Int: String] = [:]
            var workdays: Set<Int> = []
            for key in yearsObject.keys.sorted() {
                let path = "years.\(key)"
                guard key.utf8.count == 4, key.utf8.allSatisfy({ (48...57).contains($0) }), let year = Int(key), year >= 1 else {
                    throw fail(path, "a year must be four digits, e.g. \"2026\"")
                }
                guard let entry = yearsObject[key]?.objectValue else { throw fail(path, "must be an object with holidays and workdays") }
                for k in entry.keys.sorted() where k != "holidays" && k != "workdays" {
                    throw fail("\(path).\(k)", "unknown field (a year has holidays and workdays)")
                }
                func date(_ text: String?, _ field: String) throws(DataError) -> CalendarDay {
                    guard let text, let day = CalendarDay(text) else { throw fail(field, "must be a date YYYY-MM-DD") }
                    guard day.year == year else { throw fail(field, "is not in \(year)") }
                    return day
                }
                guard let h = entry["holidays"] else { throw fail("\(path).holidays", "missing (use {} for none)") }
                guard let hs = h.objectValue else { throw fail("\(path).holidays", "must be an object of date: name") }
                for k in hs.keys.sorted() {
                    let field = "\(path).holidays.\(k)"
                    let day = try date(k, field)
                    guard let name = hs[k]?.stringValue, !name.isEmpty else { throw fail(field, "the holiday's name must be a non-empty string") }
                    holidays[day.dayNumber] = name
                }
                guard let w = entry["workdays"] else { throw fail("\(path).workdays", "missing (use [] for none)") }
                guard let ws = w.arrayValue else { throw fail("\(path).workdays", "must be an array of dates") }
                for (i, v) in ws.enumerated() {
                    let field = "\(path).workdays[\(i)]"
                    let day = try date(v.stringValue, field)
                    if holidays[day.dayNumber] != nil { throw fail(field, "\(day) is also listed as a holiday") }
                    if !workdays.insert(day.dayNumber).inserted { throw fail(field, "\(day) is listed twice") }
                }
                years.append(year)
            }
            self.init(source: source, years: years, names: names, holidays: holidays, workdays: workdays)
        }
    }
}

/// The follow-up deadlines of the mechanisms, each in the unit its text uses.
public enum Deadlines {
    /// Mechanism 5 §2: client information is entered "原则上在实际对接客商后5个工作日内",
    /// within 5 **working** days of the contact.
    public static let clientInformationWorkingDays = 5
    /// Mechanism 2 §4: coordination is reported back "原则上15天内", within 15
    /// **calendar** days (the text says 天, not 工作日).
    public static let coordinationAnswerDays = 15

    /// The last day to enter client information after a contact on `contact`:
    /// the 5th working day after it.
    public static func clientInformation(contact: CalendarDay, calendar: WorkingDays) -> WorkingDays.Answer<CalendarDay> {
        calendar.addWorkingDays(clientInformationWorkingDays, to: contact)
    }

    /// The last day to answer a coordination problem raised on `raised`: 15
    /// calendar days later, whatever day of the week or holiday that is.
    public static func coordinationAnswer(raised: CalendarDay) -> CalendarDay {
        raised.adding(days: coordinationAnswerDays)
    }

    /// Mechanism 2 §2 "按月线上更新项目信息": the next monthly due day after
    /// `after`, counted in calendar months from `anchor` (e.g. the dispatch day):
    /// the first of anchor + 1, + 2, … months (clamped to the month's end) that
    /// is later than `after`. From anchor 01-31: 02-28, 03-31, 04-30, …
    public static func monthly(anchor: CalendarDay, after: CalendarDay) -> CalendarDay {
        var k = max(1, (after.year - anchor.year) * 12 + (after.month - anchor.month))
        // Start at most one month early, then step: the month offset alone is off by one at most.
        k = max(1, k - 1)
        while anchor.adding(months: k) <= after { k += 1 }
        return anchor.adding(months: k)
    }

    /// Working days overdue on `today` for a deadline day `due`: 0 until the
    /// due day has ended, then 1 on the first working day after it, and so on.
    public static func workingDaysOverdue(due: CalendarDay, today: CalendarDay, calendar: WorkingDays) -> WorkingDays.Answer<Int> {
        guard today > due else { return WorkingDays.Answer(value: 0, yearsWithoutData: []) }
        return calendar.workingDays(from: due, to: today)
    }

    /// Calendar days overdue on `today` for a deadline day `due` (0 until it has ended).
    public static func calendarDaysOverdue(due: CalendarDay, today: CalendarDay) -> Int {
        max(0, due.days(to: today))
    }
}
