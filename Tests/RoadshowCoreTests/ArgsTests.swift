import Foundation
import Testing

@testable import RoadshowCore

@Suite("Args validation")
struct ArgsTests {
    enum Color: String, CaseIterable { case red, green, blue }

    /// The error `body` throws; records an issue when it does not throw.
    static func error<T>(
        sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T
    ) -> RoadshowError? {
        do {
            let v = try body()
            Issue.record("expected an error, got \(v)", sourceLocation: sourceLocation)
            return nil
        } catch let e as RoadshowError {
            return e
        } catch {
            Issue.record("expected a RoadshowError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test("args must be an object; absent or null means no arguments")
    func topLevel() throws {
        #expect(try Args(nil).fields.isEmpty)
        #expect(try Args(.null).fields.isEmpty)
        let e = Self.error { try Args(.array([])) }
        #expect(e?.code == .badRequest)
        #expect(e?.field == "args")
        #expect(e?.message.contains("an array") == true)
    }

    @Test("strings: DEL, C1 controls, bidi overrides and zero-width characters are refused; bytes are limited too")
    func hiddenCharacters() throws {
        let a = try Args([
            "del": "a\u{7F}b", "nel": "a\u{85}b", "rlo": "李\u{202E}四", "zw": "王\u{200B}五", "bom": "\u{FEFF}名",
            "emoji": "👨\u{200D}👩\u{200D}👧 好", "marks": .string("a" + String(repeating: "\u{301}", count: 300)),
        ])
        #expect(Self.error { try a.string("del") }?.reason == "control_characters")
        #expect(Self.error { try a.string("nel") }?.reason == "control_characters")
        #expect(Self.error { try a.string("rlo") }?.reason == "invisible_characters")
        #expect(Self.error { try a.string("rlo") }?.params["character"] == "U+202E")
        #expect(Self.error { try a.string("zw") }?.reason == "invisible_characters")
        #expect(Self.error { try a.string("bom") }?.reason == "invisible_characters")
        #expect(Self.error { try a.string("rlo", maxLength: 1000) }?.reason == "invisible_characters", "no bidi override in free text either")
        // A zero-width joiner in an emoji sequence is fine in free text, not in a name.
        #expect(try a.string("emoji", maxLength: 1000) == "👨\u{200D}👩\u{200D}👧 好")
        #expect(Self.error { try a.string("emoji", maxLength: 60) }?.reason == "invisible_characters")
        // One character with 300 combining marks: one grapheme, 601 bytes.
        #expect(Self.error { try a.string("marks", maxLength: 100) }?.reason == "too_long")
    }

    @Test("times: no leap second, no year before 1900, each said")
    func times() throws {
        let a = try Args(["leap": "2026-12-31T23:59:60Z", "old": "0000-01-01T00:00:00Z", "ok": "1900-01-01T00:00:00Z"])
        #expect(Self.error { try a.time("leap") }?.message.contains("leap second") == true)
        #expect(Self.error { try a.time("old") }?.message.contains("1900") == true)
        #expect(try a.time("ok").timeIntervalSince1970 == -2_208_988_800)
    }

    @Test("strings: required, trimmed, not empty, not too long, no control characters")
    func strings() throws {
        let a = try Args(["name": "  张三 \n", "blank": "   ", "n": 5, "long": .string(String(repeating: "路", count: 201)),
                          "ok200": .string(String(repeating: "路", count: 200)), "ctl": "a\u{07}b", "nl": "a\nb\tc"])
        #expect(try a.string("name") == "张三")
        // Length counts characters, not bytes: 200 Chinese characters fit a 200 limit.
        #expect(try a.string("ok200").count == 200)
        // Newlines and tabs only in multi-line text (longer than 200).
        #expect(try a.string("nl", maxLength: 1000) == "a\nb\tc")
        #expect(Self.error { try a.string("nl") }?.reason == "control_characters")

        let missing = Self.error { try a.string("title", what: "the meeting's title") }
        #expect(missing?.field == "args.title")
        #expect(missing?.message.contains("required") == true)
        #expect(missing?.message.contains("the meeting's title") == true)

        let empty = Self.error { try a.string("blank") }
        #expect(empty?.field == "args.blank")
        #expect(empty?.message.contains("empty") == true)

        let typed = Self.error { try a.string("n") }
        #expect(typed?.field == "args.n")
        #expect(typed?.message.contains("a number") == true)

        let long = Self.error { try a.string("long") }
        #expect(long?.field == "args.long")
        #expect(long?.message.contains("at most 200") == true)

        let ctl = Self.error { try a.string("ctl") }
        #expect(ctl?.field == "args.ctl")
        #expect(ctl?.message.contains("control") == true)

        #expect(try a.optionalString("absent") == nil)
    }

    @Test("nested objects name the whole path in errors")
    func nestedPaths() throws {
        let a = try Args(["company": ["name": 7, "inner": ["deep": ""]], "list": "x"])
        let company = try a.object("company")
        #expect(company.path == "args.company")
        #expect(Self.error { try company.string("name") }?.field == "args.company.name")
        #expect(Self.error { try company.string("contact") }?.field == "args.company.contact")
        let inner = try company.object("inner")
        #expect(Self.error { try inner.string("deep") }?.field == "args.company.inner.deep")
        #expect(Self.error { try a.object("list") }?.field == "args.list")
        #expect(Self.error { try a.object("project") }?.field == "args.project")
    }

    @Test("unknown arguments are rejected by name, listing what is expected; requestKey only at the top")
    func unknown() throws {
        let a = try Args(["title": "x", "titel": "y", "requestKey": "k1"])
        let e = Self.error { try a.rejectUnknown(["title"]) }
        #expect(e?.field == "args.titel")
        #expect(e?.message.contains("expected: title") == true)
        // requestKey is accepted anywhere at the top level...
        try Args(["title": "x", "requestKey": "k1"]).rejectUnknown(["title"])
        // ...but not inside a nested object.
        let nested = try Args(["company": ["name": "x", "requestKey": "k"]]).object("company")
        #expect(Self.error { try nested.rejectUnknown(["name"]) }?.field == "args.company.requestKey")
    }

    @Test("enums: missing or wrong values list every choice")
    func enums() throws {
        let a = try Args(["c": "purple", "n": 1, "ok": "green"])
        #expect(try a.enumValue("ok", Color.self) == .green)
        let bad = Self.error { try a.enumValue("c", Color.self) }
        #expect(bad?.field == "args.c")
        #expect(bad?.message.contains("red, green, blue") == true)
        #expect(bad?.message.contains("purple") == true)
        let missing = Self.error { try a.enumValue("absent", Color.self) }
        #expect(missing?.field == "args.absent")
        #expect(missing?.message.contains("one of red, green, blue") == true)
        let typed = Self.error { try a.enumValue("n", Color.self) }
        #expect(typed?.message.contains("red, green, blue") == true)
        #expect(try a.optionalEnum("absent", Color.self) == nil)
    }

    @Test("clearable strings: empty or blank means clear, absent means keep")
    func clearable() throws {
        let a = try Args(["contact": "", "blank": "  ", "set": " 李总 ", "nul": nil])
        #expect(try a.clearableString("contact") == "")
        #expect(try a.clearableString("blank") == "")
        #expect(try a.clearableString("set") == "李总")
        #expect(try a.clearableString("absent") == nil)
        #expect(try a.clearableString("nul") == nil)
        let long = try Args(["x": .string(String(repeating: "a", count: 31))])
        #expect(Self.error { try long.clearableString("x", maxLength: 30) }?.field == "args.x")
    }

    @Test("requestKey: an optional string of at most 64 characters")
    func requestKey() throws {
        #expect(try Operations.requestKey(try Args(["requestKey": "k-1"])) == "k-1")
        #expect(try Operations.requestKey(try Args([:])) == nil)
        #expect(try Operations.requestKey(try Args(["requestKey": .string(String(repeating: "k", count: 64))]))?.count == 64)
        let long = Self.error { try Operations.requestKey(try Args(["requestKey": .string(String(repeating: "k", count: 65))])) }
        #expect(long?.field == "args.requestKey")
        #expect(Self.error { try Operations.requestKey(try Args(["requestKey": 7])) }?.field == "args.requestKey")
    }

    @Test("whole numbers: ranges, whole doubles accepted, fractions and strings refused")
    func ints() throws {
        let a = try Args(["m": 60, "d": 60.0, "f": 60.5, "s": "60", "lo": 9, "hi": 1441, "b": true])
        #expect(try a.int("m", in: 10...1440, what: "minutes") == 60)
        #expect(try a.int("d", in: 10...1440, what: "minutes") == 60)
        for key in ["f", "s", "b"] {
            let e = Self.error { try a.int(key, in: 10...1440, what: "minutes") }
            #expect(e?.field == "args.\(key)")
            #expect(e?.message.contains("whole number") == true)
        }
        for key in ["lo", "hi"] {
            let e = Self.error { try a.int(key, in: 10...1440, what: "minutes") }
            #expect(e?.message.contains("between 10 and 1440") == true)
        }
        #expect(Self.error { try a.int("absent", in: 1...2, what: "x") }?.field == "args.absent")
    }

    @Test("booleans, numbers, ids, times and dates")
    func others() throws {
        let a = try Args([
            "yes": true, "str": "true", "x": 12.5, "neg": -1, "m": "M-7Q2K", "bareM": "M-", "p": "P-1",
            "t": "2026-12-01T14:00:00+08:00", "tNoZone": "2026-12-01T14:00:00", "d": "2026-12-01", "dBad": "2026-02-30",
            "dShort": "2026-2-3", "list": ["a", " b "], "badList": ["a", 1],
        ])
        #expect(try a.bool("yes"))
        #expect(Self.error { try a.bool("str") }?.field == "args.str")
        #expect(try a.optionalNumber("x", in: 0...100, what: "n") == 12.5)
        #expect(Self.error { try a.optionalNumber("neg", in: 0...100, what: "n") }?.field == "args.neg")
        #expect(try a.id("m", prefix: "M-", what: "a meeting id") == "M-7Q2K")
        let wrongPrefix = Self.error { try a.id("p", prefix: "M-", what: "a meeting id") }
        #expect(wrongPrefix?.field == "args.p")
        #expect(wrongPrefix?.message.contains("M-") == true)
        #expect(Self.error { try a.id("bareM", prefix: "M-", what: "a meeting id") }?.field == "args.bareM")
        #expect(try a.time("t").timeIntervalSince1970 == 1_796_104_800)
        let noZone = Self.error { try a.time("tNoZone") }
        #expect(noZone?.field == "args.tNoZone")
        #expect(noZone?.message.contains("offset") == true)
        #expect(try a.optionalDate("d") == "2026-12-01")
        #expect(Self.error { try a.optionalDate("dBad") }?.field == "args.dBad")
        #expect(Self.error { try a.optionalDate("dShort") }?.field == "args.dShort")
        #expect(try a.stringList("list") == ["a", "b"])
        #expect(Self.error { try a.stringList("badList") }?.field == "args.badList[1]")
    }
}

@Suite("Request.decode")
struct RequestDecodeTests {
    static func failure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Request.Failure? {
        switch Request.decode(Array(text.utf8)) {
        case .success(let r):
            Issue.record("decoded \(r.op)", sourceLocation: sourceLocation)
            return nil
        case .failure(let f): return f
        }
    }

    @Test("a well-formed request")
    func ok() throws {
        let r = try Request.decode(Array(#"{"id":"c1","op":"agenda.add","args":{"minutes":5}}"#.utf8)).get()
        #expect(r.id == "c1")
        #expect(r.op == "agenda.add")
        #expect(r.args == ["minutes": 5])
        // args may be absent or null: no arguments.
        #expect(try Request.decode(Array(#"{"id":"c2","op":"ping"}"#.utf8)).get().args == .object([:]))
        #expect(try Request.decode(Array(#"{"id":"c3","op":"ping","args":null}"#.utf8)).get().args == .object([:]))
        // A numeric id is accepted as its text.
        #expect(try Request.decode(Array(#"{"id":17,"op":"ping"}"#.utf8)).get().id == "17")
        #expect(try Request.decode(Array(#"{"id":"路演-1","op":"ping"}"#.utf8)).get().id == "路演-1")
    }

    @Test("malformed JSON is a bad_request without an id")
    func malformed() {
        let f = Self.failure(#"{"id":"c1","op":"ping""#)
        #expect(f?.id == nil)
        #expect(f?.error.code == .badRequest)
        #expect(f?.error.message.contains("malformed JSON") == true)
        #expect(Self.failure("[1,2]")?.error.code == .badRequest)
        #expect(Self.failure("\"ping\"")?.error.code == .badRequest)
    }

    @Test("id: required, a string of 1 to 64 characters")
    func ids() {
        let missing = Self.failure(#"{"op":"ping"}"#)
        #expect(missing?.error.field == "id")
        #expect(missing?.id == nil)
        #expect(Self.failure(#"{"id":null,"op":"ping"}"#)?.error.field == "id")
        #expect(Self.failure(#"{"id":"","op":"ping"}"#)?.error.field == "id")
        #expect(Self.failure(#"{"id":true,"op":"ping"}"#)?.error.field == "id")
        #expect(Self.failure(#"{"id":{},"op":"ping"}"#)?.error.field == "id")
        let long = String(repeating: "x", count: 65)
        let tooLong = Self.failure(#"{"id":""# + long + #"","op":"ping"}"#)
        #expect(tooLong?.error.field == "id")
        #expect(tooLong?.error.message.contains("64") == true)
        // Exactly 64 is fine, in characters (64 Chinese characters are 192 bytes).
        let max = String(repeating: "路", count: 64)
        #expect((try? Request.decode(Array((#"{"id":""# + max + #"","op":"ping"}"#).utf8)).get().id) == max)
    }

    @Test("op: required and a non-empty string; the failure carries the id")
    func ops() {
        for text in [#"{"id":"c9"}"#, #"{"id":"c9","op":""}"#, #"{"id":"c9","op":5}"#] {
            let f = Self.failure(text)
            #expect(f?.id == "c9")
            #expect(f?.error.field == "op")
            #expect(f?.error.code == .badRequest)
        }
    }

    @Test("args must be an object", arguments: [#"[]"#, #""x""#, "5", "true"])
    func nonObjectArgs(args: String) {
        let f = Self.failure(#"{"id":"c4","op":"meeting.get","args":"# + args + "}")
        #expect(f?.id == "c4")
        #expect(f?.error.field == "args")
    }

    @Test("reply frames are JSON with sorted keys and the error's field")
    func replies() throws {
        let ok = try JSON.parse(Reply.ok("c1", ["seq": 3]))
        #expect(ok == ["ok": true, "re": "c1", "result": ["seq": 3]])
        let errBytes = Reply.error("c2", .badRequest("args.title is required", zh: "必填", field: "args.title", reason: "required", en: "Required."))
        #expect(String(decoding: errBytes, as: UTF8.self)
            == #"{"error":{"code":"bad_request","field":"args.title","message":"args.title is required","reason":"required","text":{"en":"Required.","zh":"必填"}},"ok":false,"re":"c2"}"#)
        #expect(try JSON.parse(Reply.error(nil, .forbidden("no", zh: "不行")))["re"] == .null)
    }
}
