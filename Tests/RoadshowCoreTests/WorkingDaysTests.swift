import Foundation
import Testing

@testable import RoadshowCore

/// "2026-02-14" as a CalendarDay (the tests' dates are all valid).
private func d(_ text: String) -> CalendarDay {
    guard let day = CalendarDay(text) else { fatalError("bad test date \(text)") }
    return day
}

private let shanghai = WorkingDays.chinaTimeZone

@Suite("WorkingDays: CalendarDay")
struct CalendarDayTests {
    @Test("parses YYYY-MM-DD and nothing else")
    func parse() {
        #expect(d("2026-02-14") == CalendarDay(year: 2026, month: 2, day: 14))
        #expect(d("2024-02-29").description == "2024-02-29")
        for bad in ["2026-2-14", "2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "0000-01-01",
                    "2026/02/14", "2026-02-14T00:00", " 2026-02-14", "", "２０２６-02-14"] {
            #expect(CalendarDay(bad) == nil, "\(bad)")
        }
        #expect(CalendarDay(year: 10_000, month: 1, day: 1) == nil)
    }

    @Test("weekdays, ISO numbering")
    func weekdays() {
        #expect(d("1970-01-01").weekday == 4)
        #expect(d("2026-01-01").weekday == 4)
        #expect(d("2026-02-14").weekday == 6)
        #expect(d("2026-02-15").weekday == 7)
        #expect(d("2026-02-23").weekday == 1)
        #expect(d("2026-10-01").weekday == 4)
        #expect(d("2026-09-20").weekday == 7)
        #expect(d("1600-03-01").weekday == 3)
    }

    @Test("day numbers round-trip and count days across leap years and eras")
    func dayNumbers() {
        // Day by day through two 400-year eras, against a plain month-by-month walk.
        var (y, m, dd) = (1599, 12, 25)
        var n = d("1599-12-25").dayNumber
        var mismatches: [String] = []
        while y < 2401 {
            let walked = CalendarDay(year: y, month: m, day: dd)
            let computed = CalendarDay(dayNumber: n)
            if walked != computed || computed.dayNumber != n || computed.adding(days: 1).dayNumber != n + 1 {
                mismatches.append("\(n): \(computed) vs \(y)-\(m)-\(dd)")
            }
            dd += 1
            if dd > CalendarDay.daysIn(month: m, year: y) { dd = 1; m += 1 }
            if m > 12 { m = 1; y += 1 }
            n += 1
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(d("2026-01-01").days(to: d("2027-01-01")) == 365)
        #expect(d("2028-01-01").days(to: d("2029-01-01")) == 366)
        #expect(d("2026-03-01").adding(days: -1) == d("2026-02-28"))
    }

    @Test("from and to Date in a time zone")
    func dates() throws {
        // 16:30 UTC on the 13th is 00:30 on the 14th in Beijing.
        let late = try #require(Timestamp.parse("2026-02-13T16:30:00Z"))
        #expect(CalendarDay(late, in: shanghai) == d("2026-02-14"))
        #expect(CalendarDay(late, in: TimeZone(identifier: "UTC")!) == d("2026-02-13"))
        #expect(d("2026-02-14").start(in: shanghai) == Timestamp.parse("2026-02-13T16:00:00Z"))
        #expect(d("2026-02-14").end(in: shanghai) == Timestamp.parse("2026-02-14T16:00:00Z"))
        let justBefore = try #require(Timestamp.parse("2026-02-13T15:59:59.999Z"))
        #expect(CalendarDay(justBefore, in: shanghai) == d("2026-02-13"))
        // Before 1970, and a zone with daylight saving (a 23-hour day).
        #expect(CalendarDay(Date(timeIntervalSince1970: -1), in: TimeZone(identifier: "UTC")!) == d("1969-12-31"))
        let ny = try #require(TimeZone(identifier: "America/New_York"))
        #expect(d("2026-03-08").start(in: ny) == Timestamp.parse("2026-03-08T05:00:00Z"))
        #expect(d("2026-03-09").start(in: ny) == Timestamp.parse("2026-03-09T04:00:00Z"))
        let wd = WorkingDays()
        #expect(wd.day(of: late) == d("2026-02-14"))
        #expect(wd.isWorkingDay(at: late))  // a make-up Saturday in Beijing
        // 00:30 on Sunday 02-15 in Beijing (Spring Festival), 08:30 on the make-up Saturday in Los Angeles.
        let next = try #require(Timestamp.parse("2026-02-14T16:30:00Z"))
        #expect(!wd.isWorkingDay(at: next))
        #expect(WorkingDays(timeZone: TimeZone(identifier: "America/Los_Angeles")!).isWorkingDay(at: next))
    }

    @Test("calendar months clamp to the month's end")
    func months() {
        #expect(d("2026-01-31").adding(months: 1) == d("2026-02-28"))
        #expect(d("2028-01-31").adding(months: 1) == d("2028-02-29"))
        #expect(d("2026-01-15").adding(months: 1) == d("2026-02-15"))
        #expect(d("2026-12-15").adding(months: 1) == d("2027-01-15"))
        #expect(d("2026-03-31").adding(months: -1) == d("2026-02-28"))
        #expect(d("2026-01-10").adding(months: -13) == d("2024-12-10"))
        #expect(d("2026-05-31").adding(months: 12) == d("2027-05-31"))
        #expect(d("2026-05-31").adding(months: 0) == d("2026-05-31"))
    }
}

@Suite("WorkingDays: the 2026 calendar")
struct WorkingDays2026Tests {
    let wd = WorkingDays()

    @Test("built-in data covers 2004–2026 from chinese-calendar 1.11.0")
    func coverage() {
        #expect(wd.coverage == Array(2004...2026))
        #expect(wd.source.contains("chinese-calendar 1.11.0"))
        #expect(HolidayData.packageVersion == "1.11.0")
        #expect(wd.hasData(for: 2026))
        #expect(!wd.hasData(for: 2027))
        #expect(!wd.hasData(for: 2003))
    }

    @Test("Spring Festival 2026: off 02-15 to 02-23, make-up Saturdays 02-14 and 02-28")
    func springFestival() {
        for text in ["2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
                     "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"] {
            #expect(wd.info(d(text)) == WorkingDays.DayInfo(day: d(text), kind: .holiday("Spring Festival"), isWorkingDay: false, hasData: true))
        }
        #expect(wd.info(d("2026-02-14")).kind == .makeUpWorkday)
        #expect(wd.info(d("2026-02-28")).kind == .makeUpWorkday)
        #expect(wd.isWorkingDay(d("2026-02-14")) && wd.isWorkingDay(d("2026-02-28")))
        #expect(wd.isWorkingDay(d("2026-02-13")) && wd.isWorkingDay(d("2026-02-24")))
        #expect(wd.info(d("2026-02-08")).kind == .weekend)
        #expect(wd.info(d("2026-03-01")).kind == .weekend)
        #expect(wd.chineseName(ofHoliday: "Spring Festival") == "春节")
    }

    @Test("National Day and Mid-autumn 2026: off 09-25 to 09-27 and 10-01 to 10-07, make-up 09-20 (Sun) and 10-10 (Sat)")
    func nationalDay() {
        for day in 1...7 {
            #expect(wd.info(CalendarDay(year: 2026, month: 10, day: day)!).kind == .holiday("National Day"))
        }
        for day in 25...27 {
            #expect(wd.info(CalendarDay(year: 2026, month: 9, day: day)!).kind == .holiday("Mid-autumn Festival"))
        }
        #expect(wd.info(d("2026-09-20")).kind == .makeUpWorkday)
        #expect(wd.info(d("2026-10-10")).kind == .makeUpWorkday)
        #expect(wd.info(d("2026-10-11")).kind == .weekend)
        #expect(wd.isWorkingDay(d("2026-10-08")) && wd.isWorkingDay(d("2026-09-30")))
        #expect(wd.chineseName(ofHoliday: "National Day") == "国庆节")
    }

    @Test("5 working days after a contact just before a holiday", arguments: [
        // The last working day before the Spring Festival is the make-up Saturday:
        // 02-24, 25, 26, 27 and the make-up Saturday 02-28.
        ("2026-02-14", "2026-02-28"),
        // The Friday before: the make-up Saturday counts, then 02-24 … 02-27.
        ("2026-02-13", "2026-02-27"),
        // A contact on a holiday counts from the first working day after it.
        ("2026-02-18", "2026-02-28"),
        // The day before National Day: 10-08, 10-09, make-up 10-10, 10-12, 10-13.
        ("2026-09-30", "2026-10-13"),
        // Before Mid-autumn: 09-28, 29, 30, then 10-08, 10-09.
        ("2026-09-24", "2026-10-09"),
        // The Saturday before the make-up Sunday 09-20: 09-20, 21, 22, 23, 24.
        ("2026-09-19", "2026-09-24"),
        // New Year: off 01-01 to 01-03, make-up Sunday 01-04.
        ("2025-12-31", "2026-01-08"),
        // An ordinary week.
        ("2026-03-10", "2026-03-17"),
    ])
    func clientInformation(contact: String, due: String) {
        let answer = Deadlines.clientInformation(contact: d(contact), calendar: wd)
        #expect(answer.value == d(due))
        #expect(!answer.usedFallback)
        #expect(wd.workingDays(from: d(contact), to: d(due)).value == 5)
        #expect(wd.addWorkingDays(-5, to: d(due)).value <= d(contact))
    }

    @Test("working days overdue")
    func overdue() {
        // Due on the Friday before the Spring Festival; the make-up Saturday and 02-24 count.
        #expect(Deadlines.workingDaysOverdue(due: d("2026-02-13"), today: d("2026-02-24"), calendar: wd).value == 2)
        #expect(Deadlines.calendarDaysOverdue(due: d("2026-02-13"), today: d("2026-02-24")) == 11)
        // Through the whole break nothing more is overdue.
        #expect(Deadlines.workingDaysOverdue(due: d("2026-02-14"), today: d("2026-02-23"), calendar: wd).value == 0)
        #expect(Deadlines.workingDaysOverdue(due: d("2026-02-14"), today: d("2026-02-24"), calendar: wd).value == 1)
        // National Day: 10-08, 10-09, 10-10 (make-up), 10-12.
        #expect(Deadlines.workingDaysOverdue(due: d("2026-09-30"), today: d("2026-10-12"), calendar: wd).value == 4)
        // Not overdue on or before the due day.
        #expect(Deadlines.workingDaysOverdue(due: d("2026-09-30"), today: d("2026-09-30"), calendar: wd).value == 0)
        #expect(Deadlines.workingDaysOverdue(due: d("2026-09-30"), today: d("2026-09-01"), calendar: wd).value == 0)
        #expect(Deadlines.calendarDaysOverdue(due: d("2026-09-30"), today: d("2026-09-01")) == 0)
        // workingDays is signed.
        #expect(wd.workingDays(from: d("2026-10-12"), to: d("2026-09-30")).value == -4)
        #expect(wd.workingDays(from: d("2026-10-12"), to: d("2026-10-12")).value == 0)
        // A whole year: 2026 has 248 working days (365 − 104 weekend days − 19 weekday holidays + 6 make-up days).
        #expect(wd.workingDays(from: d("2025-12-31"), to: d("2026-12-31")).value == 248)
    }

    @Test("calendar-day and calendar-month rules of mechanism 2")
    func mechanism2() {
        // 15 calendar days, holidays included; moving off a holiday is a separate, explicit step.
        #expect(Deadlines.coordinationAnswer(raised: d("2026-09-16")) == d("2026-10-01"))
        #expect(wd.firstWorkingDay(onOrAfter: d("2026-10-01")).value == d("2026-10-08"))
        #expect(wd.firstWorkingDay(onOrAfter: d("2026-10-10")).value == d("2026-10-10"))
        #expect(Deadlines.coordinationAnswer(raised: d("2026-02-10")) == d("2026-02-25"))
        // Monthly from a fixed anchor: no drift from the 31st.
        let anchor = d("2026-01-31")
        #expect(Deadlines.monthly(anchor: anchor, after: anchor) == d("2026-02-28"))
        #expect(Deadlines.monthly(anchor: anchor, after: d("2026-02-28")) == d("2026-03-31"))
        #expect(Deadlines.monthly(anchor: anchor, after: d("2026-03-31")) == d("2026-04-30"))
        #expect(Deadlines.monthly(anchor: anchor, after: d("2026-04-05")) == d("2026-04-30"))
        #expect(Deadlines.monthly(anchor: anchor, after: d("2026-12-31")) == d("2027-01-31"))
        #expect(Deadlines.monthly(anchor: anchor, after: d("2025-06-01")) == d("2026-02-28"))
        #expect(Deadlines.monthly(anchor: d("2026-11-15"), after: d("2026-12-14")) == d("2026-12-15"))
        #expect(Deadlines.monthly(anchor: d("2026-11-15"), after: d("2026-12-15")) == d("2027-01-15"))
    }
}

@Suite("WorkingDays: years without data")
struct WorkingDaysFallbackTests {
    let wd = WorkingDays()

    @Test("2027 falls back to Monday–Friday and says so")
    func fallback2027() {
        // 2027-01-01 is a Friday; the real calendar will make it New Year's Day.
        let info = wd.info(d("2027-01-01"))
        #expect(info == WorkingDays.DayInfo(day: d("2027-01-01"), kind: .workday, isWorkingDay: true, hasData: false))
        #expect(wd.info(d("2027-01-02")).isWorkingDay == false)
        let due = wd.addWorkingDays(5, to: d("2026-12-31"))
        #expect(due.value == d("2027-01-07"))
        #expect(due.yearsWithoutData == [2027...2027])
        #expect(due.usedFallback)
        // Wholly inside 2026: no fallback, even in late December.
        let inside = wd.addWorkingDays(3, to: d("2026-12-25"))
        #expect(inside.value == d("2026-12-30") && !inside.usedFallback)
        let count = wd.workingDays(from: d("2026-12-30"), to: d("2027-01-05"))
        #expect(count.value == 4)
        #expect(count.yearsWithoutData == [2027...2027])
        #expect(wd.workingDays(from: d("2027-01-05"), to: d("2026-12-30")).yearsWithoutData == [2027...2027])
        #expect(Deadlines.workingDaysOverdue(due: d("2026-12-31"), today: d("2027-01-04"), calendar: wd).usedFallback)
        #expect(wd.firstWorkingDay(onOrAfter: d("2027-01-02")) == WorkingDays.Answer(value: d("2027-01-04"), yearsWithoutData: [2027...2027]))
    }

    @Test("before the data, and runs of missing years")
    func ranges() {
        #expect(wd.addWorkingDays(-1, to: d("2004-01-02")) == WorkingDays.Answer(value: d("2003-12-31"), yearsWithoutData: [2003...2003]))
        #expect(wd.yearsWithoutData(from: d("2001-05-01"), to: d("2029-01-01")) == [2001...2003, 2027...2029])
        #expect(wd.yearsWithoutData(from: d("2010-05-01"), to: d("2012-01-01")) == [])
        #expect(wd.yearsWithoutData(from: d("2030-05-01"), to: d("2020-01-01")) == [2027...2030])
        // A long count is exact and fast: Monday–Friday from 2100 to 2200.
        let long = wd.workingDays(from: d("2099-12-31"), to: d("2199-12-31"))
        #expect(long.value == 26_088)
        #expect(long.yearsWithoutData == [2100...2199])
        #expect(wd.addWorkingDays(26_088, to: d("2099-12-31")).value == d("2199-12-31"))
        // Absurd inputs do not trap.
        _ = wd.addWorkingDays(Int.max, to: d("2026-01-01"))
        _ = wd.addWorkingDays(Int.min, to: d("2026-01-01"))
    }

    @Test("addWorkingDays and workingDays agree with counting day by day", arguments: [1, 2, 3])
    func bruteForce(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let start = d("2002-06-01").dayNumber
        let end = d("2028-06-01").dayNumber
        for _ in 0..<300 {
            let a = Int.random(in: start...end, using: &rng)
            let n = Int.random(in: -40...40, using: &rng)
            // Day by day.
            var day = a
            var left = abs(n)
            while left > 0 {
                day += n > 0 ? 1 : -1
                if wd.isWorkingDay(CalendarDay(dayNumber: day)) { left -= 1 }
            }
            let answer = wd.addWorkingDays(n, to: CalendarDay(dayNumber: a))
            #expect(answer.value == CalendarDay(dayNumber: day), "\(CalendarDay(dayNumber: a)) + \(n)")
            let b = Int.random(in: start...end, using: &rng)
            let (lo, hi) = (min(a, b), max(a, b))
            var expected = 0
            if lo < hi {
                for x in (lo + 1)...hi where wd.isWorkingDay(CalendarDay(dayNumber: x)) { expected += 1 }
            }
            let counted = wd.workingDays(from: CalendarDay(dayNumber: a), to: CalendarDay(dayNumber: b))
            #expect(counted.value == (a <= b ? expected : -expected))
        }
    }
}

@Suite("WorkingDays: holiday data as JSON")
struct WorkingDaysJSONTests {
    static let generatedJSON = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tools/holidays/holidays.json")

    @Test("the built-in table agrees with tools/holidays/holidays.json, day by day")
    func builtInMatchesGenerated() throws {
        let bytes = try Data(contentsOf: Self.generatedJSON)
        let fromJSON = try WorkingDays(json: bytes)
        let builtIn = WorkingDays()
        #expect(fromJSON.coverage == builtIn.coverage)
        #expect(fromJSON.source == builtIn.source)
        var day = d("2004-01-01")
        while day.year <= 2026 {
            #expect(fromJSON.info(day) == builtIn.info(day), "\(day)")
            day = day.adding(days: 1)
        }
        for name in ["New Year's Day", "Spring Festival", "Tomb-sweeping Day", "Labour Day",
                     "Dragon Boat Festival", "Mid-autumn Festival", "National Day", "Anti-Fascist 70th Day"] {
            #expect(fromJSON.chineseName(ofHoliday: name) != nil)
            #expect(fromJSON.chineseName(ofHoliday: name) == builtIn.chineseName(ofHoliday: name))
        }
        // And the JSON lists exactly the built-in entries (no extra or missing dates).
        let doc = try JSON.parse(bytes)
        var holidays = 0, workdays = 0
        for (_, year) in doc["years"]?.objectValue ?? [:] {
            holidays += year["holidays"]?.objectValue?.count ?? 0
            workdays += year["workdays"]?.arrayValue?.count ?? 0
        }
        #expect(holidays == HolidayData.holidays.reduce(0) { $0 + $1.3 - $1.2 + 1 })
        #expect(workdays == HolidayData.workdays.count)
    }

    @Test("a deployment's own data: a year it adds is covered, others fall back")
    func customData() throws {
        let json = #"""
            {"source": "国务院办公厅关于2027年部分节假日安排的通知 (test)",
             "years": {"2027": {"holidays": {"2027-01-01": "New Year's Day"}, "workdays": ["2027-01-02"]}}}
            """#
        let wd = try WorkingDays(json: Array(json.utf8))
        #expect(wd.coverage == [2027])
        #expect(wd.info(d("2027-01-01")).kind == .holiday("New Year's Day"))
        #expect(wd.info(d("2027-01-02")).kind == .makeUpWorkday)
        #expect(wd.chineseName(ofHoliday: "New Year's Day") == nil)
        #expect(wd.addWorkingDays(1, to: d("2026-12-31")) == WorkingDays.Answer(value: d("2027-01-02"), yearsWithoutData: []))
        #expect(wd.addWorkingDays(1, to: d("2026-12-30")).yearsWithoutData == [2026...2026])
        // An empty year is covered too: no holidays at all that year.
        let empty = try WorkingDays(json: Array(#"{"source": "x", "years": {"2030": {"holidays": {}, "workdays": []}}}"#.utf8))
        #expect(empty.coverage == [2030] && empty.hasData(for: 2030))
    }

    @Test("bad data is refused with the field that is wrong", arguments: [
        ("not json", "(document)"),
        ("[]", "(document)"),
        (#"{"years": {}}"#, "source"),
        (#"{"source": "", "years": {}}"#, "source"),
        (#"{"source": "x"}"#, "years"),
        (#"{"source": "x", "years": []}"#, "years"),
        (#"{"source": "x", "years": {"26": {"holidays": {}, "workdays": []}}}"#, "years.26"),
        (#"{"source": "x", "years": {"2026": []}}"#, "years.2026"),
        (#"{"source": "x", "years": {"2026": {"workdays": []}}}"#, "years.2026.holidays"),
        (#"{"source": "x", "years": {"2026": {"holidays": {}}}}"#, "years.2026.workdays"),
        (#"{"source": "x", "years": {"2026": {"holidays": {}, "workday": [], "workdays": []}}}"#, "years.2026.workday"),
        (#"{"source": "x", "years": {"2026": {"holidays": {"2026-02-30": "x"}, "workdays": []}}}"#, "years.2026.holidays.2026-02-30"),
        (#"{"source": "x", "years": {"2026": {"holidays": {"2027-01-01": "x"}, "workdays": []}}}"#, "years.2026.holidays.2027-01-01"),
        (#"{"source": "x", "years": {"2026": {"holidays": {"2026-01-01": 1}, "workdays": []}}}"#, "years.2026.holidays.2026-01-01"),
        (#"{"source": "x", "years": {"2026": {"holidays": {}, "workdays": ["2026-01-04", "2026/02/14"]}}}"#, "years.2026.workdays[1]"),
        (#"{"source": "x", "years": {"2026": {"holidays": {}, "workdays": [20260104]}}}"#, "years.2026.workdays[0]"),
        (#"{"source": "x", "years": {"2026": {"holidays": {"2026-01-04": "x"}, "workdays": ["2026-01-04"]}}}"#, "years.2026.workdays[0]"),
        (#"{"source": "x", "years": {"2026": {"holidays": {}, "workdays": ["2026-01-04", "2026-01-04"]}}}"#, "years.2026.workdays[1]"),
        (#"{"source": "x", "names": ["春节"], "years": {}}"#, "names"),
    ])
    func refused(json: String, field: String) {
        #expect {
            _ = try WorkingDays(json: Array(json.utf8))
        } throws: { error in
            guard let e = error as? WorkingDays.DataError else { return false }
            return e.field == field && e.description.contains(field) && !e.message.isEmpty
        }
    }
}
