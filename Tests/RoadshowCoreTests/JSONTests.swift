import Foundation
import Testing

@testable import RoadshowCore

@Suite("JSON parser and writer")
struct JSONTests {
    // MARK: parsing values

    @Test("lone values are whole documents", arguments: [
        ("42", JSON.int(42)),
        ("-7", .int(-7)),
        ("0", .int(0)),
        ("\"路演\"", .string("路演")),
        ("null", .null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        (" \t\r\n 1 \n", .int(1)),
        ("[]", .array([])),
        ("{}", .object([:])),
    ])
    func loneValues(text: String, expected: JSON) throws {
        #expect(try JSON.parse(text) == expected)
    }

    @Test("integers stay integers; a fraction or an exponent makes a double")
    func numbers() throws {
        #expect(try JSON.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSON.parse("-9223372036854775808") == .int(Int64.min))
        // One past Int64: kept as a double rather than failing or wrapping.
        #expect(try JSON.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSON.parse("1.5") == .double(1.5))
        #expect(try JSON.parse("1.0") == .double(1.0))
        #expect(try JSON.parse("1e3") == .double(1000))
        #expect(try JSON.parse("2E+2") == .double(200))
        #expect(try JSON.parse("-2.5e-3") == .double(-0.0025))
        #expect(try JSON.parse("0.1") == .double(0.1))
        // intValue accepts whole doubles and refuses fractions; doubleValue widens ints.
        #expect(try JSON.parse("1e3").intValue == 1000)
        #expect(try JSON.parse("1.5").intValue == nil)
        #expect(try JSON.parse("3").doubleValue == 3.0)
        #expect(JSON.string("3").intValue == nil)
    }

    @Test("strings: Chinese text, every escape, \\u escapes and surrogate pairs")
    func strings() throws {
        #expect(try JSON.parse(#""皖南新能源 储能电池""#) == .string("皖南新能源 储能电池"))
        #expect(try JSON.parse(#""a\"b\\c\/d\be\ff\ng\rh\ti""#) == .string("a\"b\\c/d\u{08}e\u{0C}f\ng\rh\ti"))
        #expect(try JSON.parse(#""\u8def\u6F14""#) == .string("路演"))
        #expect(try JSON.parse(#""\u0000x""#) == .string("\u{0}x"))
        // U+1F600 as a surrogate pair, and a CJK Extension B character (U+20BB7 𠮷).
        #expect(try JSON.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSON.parse(#""\uD842\uDFB7野家""#) == .string("𠮷野家"))
        // Raw 4-byte UTF-8 needs no escaping.
        #expect(try JSON.parse("\"😀\"") == .string("😀"))
    }

    @Test("objects: nested values; a duplicate key is an error")
    func objects() throws {
        let v = try JSON.parse(#"{"a": [1, 2.5, "三", null, {"b": false}], "c": {}, "a2": -0}"#)
        #expect(v == .object([
            "a": .array([.int(1), .double(2.5), .string("三"), .null, .object(["b": .bool(false)])]),
            "c": .object([:]), "a2": .int(0),
        ]))
        #expect(throws: JSON.ParseError.self) { try JSON.parse(#"{"k": 1, "k": 2}"#) }
        #expect(throws: JSON.ParseError.self) { try JSON.parse(#"{"id": "c1", "op": "ping", "op": "auth"}"#) }
        #expect(try JSON.parse(#"{"a": {"k": 1}, "b": {"k": 2}}"#)["b"]?["k"] == .int(2), "the same key in two objects is fine")
        #expect(v["a"]?.arrayValue?.count == 5)
        #expect(v["missing"] == nil)
        #expect(JSON.int(1)["a"] == nil)
    }

    // MARK: rejections

    @Test("malformed documents are rejected", arguments: [
        "",
        "   ",
        "{} x",  // trailing data
        "1 2",
        "[1,]",
        "[1 2]",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "{a:1}",
        "{'a':1}",
        "[",
        "{\"a\":",
        "\"abc",  // unterminated
        "tru",
        "nul",
        "True",
        "01",  // leading zero
        "-",
        "1.",
        ".5",
        "+1",
        "1e",
        "1e+",
        "0x10",
        "NaN",
        "Infinity",
        "1e400",  // out of double range
        "\"\\x\"",  // bad escape
        "\"\\u12\"",  // short \u escape
        "\"\\u12G4\"",
        "\"\\ud83d\"",  // lone high surrogate
        "\"\\ud83dx\"",
        "\"\\ud83d\\u0041\"",  // high surrogate + non-surrogate
        "\"\\ud83d\\ud83d\"",  // two highs
        "\"\\ude00\"",  // lone low surrogate
        "\"a\u{01}b\"",  // raw control character
        "\"a\nb\"",  // raw newline in a string
        "\"a\tb\"",
    ])
    func rejects(text: String) {
        #expect(throws: JSON.ParseError.self) { try JSON.parse(text) }
    }

    @Test("invalid UTF-8 inside a string is rejected, with the byte offset")
    func invalidUTF8() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        #expect(throws: JSON.ParseError.self) { try JSON.parse(bytes) }
        // A truncated 3-byte sequence (the first two bytes of 路).
        #expect(throws: JSON.ParseError.self) { try JSON.parse([0x22, 0xE8, 0xB7, 0x22]) }
        // An overlong encoding of "/" and a UTF-8-encoded surrogate (CESU-8) are not UTF-8.
        #expect(throws: JSON.ParseError.self) { try JSON.parse([0x22, 0xC0, 0xAF, 0x22]) }
        #expect(throws: JSON.ParseError.self) { try JSON.parse([0x22, 0xED, 0xA0, 0xBD, 0x22]) }
        // Invalid UTF-8 in a key too.
        #expect(throws: JSON.ParseError.self) { try JSON.parse([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) }
        do {
            _ = try JSON.parse("[1, x]")
            Issue.record("accepted [1, x]")
        } catch {
            #expect(error.offset == 4)
            #expect(error.description.contains("at byte 4"))
        }
    }

    @Test("a string without escapes (the fast path) takes exactly the bytes String(validating:) takes")
    func fastPathUTF8() throws {
        // Random byte strings, heavy in lead and continuation bytes, between quotes.
        var rng = SeededGenerator(seed: 11)
        let interesting: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE8, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<20_000 {
            let body = (0..<Int(rng.next() % 7)).map { _ in interesting[Int(rng.next() % UInt64(interesting.count))] }
            let reference = String(validating: body, as: UTF8.self)
            let parsed = try? JSON.parse([0x22] + body + [0x22])
            #expect(parsed?.stringValue == reference, "\(body.map { String($0, radix: 16) })")
        }
        // With an escape the general path runs; the same strings either way.
        #expect(try JSON.parse(#""路演 \n 报告""#).stringValue == "路演 \n 报告")
        #expect(try JSON.parse(#""路演 \u8def""#).stringValue == "路演 路")
    }

    @Test("depth: 64 nested containers are fine, 65 are refused")
    func depth() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        var v = try JSON.parse(ok)
        var levels = 1
        while case .array(let items) = v, let first = items.first { v = first; levels += 1 }
        #expect(levels == 64)
        #expect(v == .array([]))
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSON.ParseError.self) { try JSON.parse(tooDeep) }
        // Objects count too, mixed with arrays.
        let mixed = String(repeating: #"{"a":["#, count: 33) + String(repeating: "]}", count: 33)
        #expect(throws: JSON.ParseError.self) { try JSON.parse(mixed) }
        let mixedOK = String(repeating: #"{"a":["#, count: 32) + String(repeating: "]}", count: 32)
        #expect(throws: Never.self) { try JSON.parse(mixedOK) }
        // Depth is nesting, not the number of containers: many siblings are fine.
        let wide = "[" + Array(repeating: "[[]]", count: 500).joined(separator: ",") + "]"
        #expect(try JSON.parse(wide).arrayValue?.count == 500)
    }

    // MARK: writing

    @Test("keys are written sorted, so equal values give equal bytes")
    func sortedKeys() throws {
        let a = try JSON.parse(#"{"zeta": 1, "alpha": {"y": true, "b": null}, "中": "文", "Beta": [3, 2]}"#)
        let b = try JSON.parse(#"{"Beta": [3, 2], "中": "文", "alpha": {"b": null, "y": true}, "zeta": 1}"#)
        let expected = #"{"Beta":[3,2],"alpha":{"b":null,"y":true},"zeta":1,"中":"文"}"#
        #expect(a.encodedString == expected)
        #expect(a.encodedBytes == b.encodedBytes)
        // Array order is kept.
        #expect(JSON.array([3, 1, 2]).encodedString == "[3,1,2]")
    }

    @Test("strings are escaped so the output parses back to the same text")
    func escapesOnWrite() throws {
        let s = "引号\" 反斜杠\\ 换行\n 回车\r 制表\t 退格\u{08} 换页\u{0C} nul\u{0} unit\u{1F} 斜杠/ 😀"
        let written = JSON.string(s).encodedString
        #expect(written == #""引号\" 反斜杠\\ 换行\n 回车\r 制表\t 退格\u0008 换页\u000c nul\u0000 unit\u001f 斜杠/ 😀""#)
        #expect(try JSON.parse(written) == .string(s))
    }

    @Test("numbers are written as JSON numbers that parse back to the same value")
    func writeNumbers() throws {
        #expect(JSON.int(-42).encodedString == "-42")
        #expect(JSON.int(Int64.min).encodedString == "-9223372036854775808")
        #expect(JSON.double(12.5).encodedString == "12.5")
        #expect(JSON.double(0.1).encodedString == "0.1")
        // A whole double is written without a fraction.
        #expect(JSON.double(3).encodedString == "3")
        for d in [12.5, 0.1, -0.0025, 1e20, 1.5e-7, 123_456.789, 1e300, -3.0] {
            let back = try JSON.parse(JSON.double(d).encodedString)
            #expect(back.doubleValue == d, "\(d) was written as \(JSON.double(d).encodedString)")
        }
    }

    @Test("round trip: parse(write(v)) == v for a value with every kind of member")
    func roundTrip() throws {
        let v: JSON = [
            "title": "皖南新能源储能电池项目线上路演 \"第1场\"",
            "n": 7, "neg": -1, "big": .int(Int64.max), "x": 2.25, "tiny": 1.5e-9,
            "ok": true, "no": false, "nothing": nil,
            "list": [1, "二", [3], ["四": 4]],
            "emoji": "会议😀\u{1F}\\/",
            "empty": [:], "none": [],
        ]
        let bytes = v.encodedBytes
        let back = try JSON.parse(bytes)
        #expect(back == v)
        #expect(back.encodedBytes == bytes)
    }

    @Test("Codable bridge: JSON(encoding:) and decode agree, dates as RFC 3339 with milliseconds")
    func codableBridge() throws {
        struct Sample: Codable, Equatable {
            let name: String
            let when: Date
            let amount: Double?
        }
        let s = Sample(name: "路演", when: Date(timeIntervalSince1970: 1_795_334_400.5), amount: 12.5)
        let j = JSON(encoding: s)
        #expect(j["when"] == .string("2026-11-22T08:00:00.500Z"))
        #expect(j["amount"] == .double(12.5))
        #expect(try j.decode(Sample.self) == s)
    }
}
