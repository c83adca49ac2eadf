import Foundation
import Testing

@testable import RoadshowCore

/// The core's own Encoder and Decoder against the Foundation round trip they
/// replace (`FoundationReference`): the same JSON, to the byte, for every
/// domain type, and the same values back.
@Suite("JSON(encoding:) and JSON.decode without Foundation's JSON coders")
struct JSONCodingTests {
    /// Encodes `value` both ways and decodes it back both ways.
    static func check<T: Codable & Equatable>(
        _ value: T, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let reference = try FoundationReference.json(value)
        let direct = try JSONValueEncoder.encode(value)
        #expect(direct.encodedBytes == reference.encodedBytes, "\(label): \(direct.encodedString) vs \(reference.encodedString)",
            sourceLocation: sourceLocation)
        #expect(direct == reference, "\(label): same bytes, different JSON values", sourceLocation: sourceLocation)
        #expect(JSON(encoding: value) == direct, sourceLocation: sourceLocation)
        #expect(try direct.decode(T.self) == value, "\(label) did not decode back", sourceLocation: sourceLocation)
        #expect(try FoundationReference.decode(T.self, from: direct) == value, "\(label)", sourceLocation: sourceLocation)
        // Through bytes, as a stored event is read back.
        #expect(try JSON.parse(direct.encodedBytes).decode(T.self) == value, "\(label)", sourceLocation: sourceLocation)
    }

    /// Every payload an event carries, and the parts inside it.
    static func checkPayload(of event: DomainEvent) throws {
        let label = event.type
        switch event {
        case .accountCreated(let a): try check(a, label)
        case .meetingCreated(let m), .meetingUpdated(let m), .meetingAdvanced(let m):
            try check(m, label)
            try check(m.company, label + " company")
            try check(m.project, label + " project")
            try check(m.system, label + " system")
            for t in m.transitions ?? [] {
                try check(t, label + " transition")
                for b in t.blockers ?? [] { try check(b, label + " blocker") }
            }
        case .checklistItemAdded(let i), .checklistItemSet(let i): try check(i, label)
        case .rosterAdded(let p), .rosterUpdated(let p), .rosterConfirmed(let p), .avSelfTested(let p), .avMarked(let p),
            .presenceChanged(let p):
            try check(p, label)
            try check(p.withoutContacts, label + " without contacts")
            try check(p.av, label + " av")
            try check(p.readiness, label + " readiness")
            for (_, c) in p.av.checks { try check(c, label + " check") }
            if let s = p.av.selfTest {
                try check(s, label + " self-test")
                try check(s.mic, label + " self-test mic")
            }
            if let presence = p.presence {
                try check(presence, label + " presence")
                for c in presence.log { try check(c, label + " presence change") }
            }
        case .agendaAdded(let i), .agendaUpdated(let i), .agendaStarted(let i), .agendaFinished(let i): try check(i, label)
        case .agendaMoved(let order): try check(order, label)
        case .queueRaised(let c), .queueLowered(let c), .queueUpvoted(let c), .queueGranted(let c), .queueReleased(let c),
            .queueRemoved(let c):
            try check(c, label)
            for e in c.queue { try check(e, label + " entry") }
            if let f = c.floor { try check(f, label + " floor") }
            if let s = c.speech { try check(s, label + " speech") }
        case .minutesAdded(let e), .minutesEdited(let e): try check(e, label)
        case .followupAssessed(let a): try check(a, label)
        case .followupIntentRecorded(let i): try check(i, label)
        case .dispatchCreated(let r, let due):
            try check(r, label)
            try check(due, label + " due")
            try check(r.commissioner, label + " commissioner")
        case .dispatchFeedbackPosted(let f, let c):
            try check(f, label)
            try check(c, label + " change")
        case .dispatchEscalated(let e, let c), .dispatchAnswered(let e, let c):
            try check(e, label)
            try check(c, label + " change")
        case .dispatchClosed(let c), .dispatchReopened(let c): try check(c, label)
        case .contactShared(let share, _):
            try check(share, label)
            try check(share.card, label + " card")
        case .contactsPrompted(let e): try check(e, label)
        case .materialAdded(let m):
            try check(m, label)
            try check(m.uploadedBy, label + " uploader")
        case .materialOpened(let r): try check(r, label)
        case .accountTokenReissued, .checklistItemRemoved, .rosterRemoved, .rosterLinkReissued, .agendaRemoved,
            .minutesRemoved, .contactWithdrawn, .materialRemoved:
            break
        }
        // The event's data, a JSON value, encodes as itself.
        try check(event.data, label + " data")
    }

    static func scenarios() throws -> [Harness] {
        [try EventReplayTests.accountsScenario(), try EventReplayTests.meetingScenario()]
    }

    @Test("every domain type of every event encodes to the same bytes as Foundation's JSONEncoder, and decodes back")
    func everyEvent() throws {
        var types: Set<String> = []
        for h in try Self.scenarios() {
            for d in h.decisions {
                for e in d.events {
                    try Self.checkPayload(of: e)
                    types.insert(e.type)
                }
                for case .issue(let credential) in d.credentials { try Self.check(credential, "credential") }
            }
        }
        #expect(types == EventReplayTests.allTypes)
    }

    @Test("the scenario's whole meeting: every list, the forced go-live and its blockers")
    func wholeMeeting() throws {
        let h = try EventReplayTests.meetingScenario()
        let m = h.meeting
        try Self.check(m.info, "info")
        try Self.check(m.checklist, "checklist")
        try Self.check(m.roster, "roster")
        try Self.check(m.agenda, "agenda")
        try Self.check(m.speeches, "speeches")
        try Self.check(m.minutes, "minutes")
        let forced = try #require(m.info.forcedGoLive)
        #expect(forced.blockers?.isEmpty == false)
        try Self.check(forced, "forced go-live")
        #expect(m.roster.contains { $0.av.selfTest != nil && $0.presence != nil && !$0.av.checks.isEmpty })
        try Self.check(m.snapshot, "snapshot")
    }

    @Test("a queue change with a waiting entry, the floor and a finished speech")
    func queueChange() throws {
        let at = Fixture.now
        let entry = QueueEntry(
            id: "Q-7", participant: "P-1", displayName: "张三-市商务局", unit: "市商务局", kind: .pointOfOrder,
            text: "请控制发言时间 \"谢谢\"", raisedAt: at, votes: ["P-2", "P-3"])
        let floor = Floor(
            entry: "Q-6", participant: "P-2", displayName: "李四-黄山高新区", unit: "黄山高新区", kind: .question, text: nil,
            grantedAt: at + 0.125, limitSeconds: 120, agendaItem: "G-2")
        let speech = Speech(
            participant: "P-3", displayName: "王五-x", unit: "x", kind: .speak, start: at - 90, end: at, seconds: 90,
            agendaItem: nil, overLimit: false)
        try Self.check(QueueChange(entry: entry, queue: [entry, entry], floor: floor, speech: speech), "full")
        try Self.check(QueueChange(entry: nil, queue: [], floor: nil, speech: nil), "empty")
    }

    // MARK: - Beyond the domain types

    struct Numbers: Codable, Equatable {
        var doubles: [Double]
        var optionalDouble: Double?
        var float: Float
        var int: Int
        var int8: Int8
        var int64: Int64
        var uint: UInt
        var uint64: UInt64
        var decimal: Decimal
    }

    @Test("numbers as Foundation writes them: whole doubles as integers below 10^16, exponents above")
    func numbers() throws {
        let n = Numbers(
            doubles: [12.0, 0, -0.0, 1e15, 1e15 + 1, 4_503_599_627_370_497, 9_007_199_254_740_991, 9_007_199_254_740_994, 9_999_999_999_999_998, 18_014_398_509_481_984, 1e16, 1e21, 0.1, 1.5e-9, 1e-5, -31.5, 2.5e300,
                      123_456_789.125, -1e15, 9_007_199_254_740_993, 4.35],
            optionalDouble: 8.75, float: 0.1, int: .min, int8: -128, int64: .max, uint: 7, uint64: 42,
            decimal: Decimal(string: "12.50")!)
        try Self.check(n, "numbers")
        for d in n.doubles { try Self.check([d], "\(d)") }
        // Above Int64.max Foundation writes the digits, which JSON.parse reads as a double.
        #expect(try JSONValueEncoder.encode([UInt64.max]) == FoundationReference.json([UInt64.max]))
        #expect(try JSONValueEncoder.encode([UInt64.max]).encodedBytes == FoundationReference.json([UInt64.max]).encodedBytes)
    }

    struct Texts: Codable, Equatable {
        var plain: String
        var escaped: String
        var optional: String?
        var none: String?
        var flags: [Bool?]
        var when: Date
        var dates: [Date]
        var data: Data
        var url: URL
    }

    @Test("strings, optionals, dates, Data and URL")
    func texts() throws {
        let t = Texts(
            plain: "皖南新能源储能电池项目", escaped: "\"引号\" \\ / \n\t\u{1}😀", optional: "", none: nil,
            flags: [true, nil, false], when: Fixture.now + 0.5, dates: [Fixture.now, Date(timeIntervalSince1970: -0.5)],
            data: Data([0, 1, 2, 250]), url: URL(string: "https://meeting.tencent.com/dm/demo?x=1")!)
        try Self.check(t, "texts")
        #expect(JSON(encoding: t)["none"] == nil)
        #expect(JSON(encoding: t)["when"] == "2026-11-22T08:00:00.500Z")
    }

    struct Collections: Codable, Equatable {
        var byName: [String: Int]
        var byNumber: [Int: String]
        var nested: [[String: [Int]]]
        var empty: [String]
        var emptyObject: [String: String]
        var json: JSON
    }

    @Test("dictionaries (string and integer keys), nested arrays, embedded JSON values")
    func collections() throws {
        let c = Collections(
            byName: ["b": 2, "a": 1, "会议": 3], byNumber: [10: "ten", 2: "two"], nested: [["x": [1, 2]], [:]], empty: [],
            emptyObject: [:], json: ["n": 12, "x": [1.5, 2, nil], "s": "t", "o": ["deep": 2.5e-3]])
        try Self.check(c, "collections")
        // Whole doubles in a JSON value come out as integers, as through Foundation.
        let loose: JSON = ["n": 12.0, "x": [1.5, 2.0, nil], "o": ["deep": 1e15, "deeper": [-0.0]]]
        #expect(try JSONValueEncoder.encode(loose) == FoundationReference.json(loose))
        #expect(try JSONValueEncoder.encode(loose) == ["n": 12, "x": [1.5, 2, nil], "o": ["deep": 1_000_000_000_000_000, "deeper": [0]]])
    }

    /// Hand-written coding: nested containers, superEncoder, a value that encodes nothing.
    final class Base: Codable, Equatable {
        var id: String
        init(id: String) { self.id = id }
        static func == (a: Base, b: Base) -> Bool { a.id == b.id && type(of: a) == type(of: b) }
    }

    final class Derived: Codable, Equatable {
        var base: Base
        var level: Int
        var position: (x: Int, y: Int)
        var tags: [String]

        init(base: Base, level: Int, position: (Int, Int), tags: [String]) {
            self.base = base
            self.level = level
            self.position = position
            self.tags = tags
        }

        enum Keys: String, CodingKey { case level, position, tags, extra }
        enum PositionKeys: String, CodingKey { case x, y }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(level, forKey: .level)
            var p = c.nestedContainer(keyedBy: PositionKeys.self, forKey: .position)
            try p.encode(position.x, forKey: .x)
            try p.encode(position.y, forKey: .y)
            var t = c.nestedUnkeyedContainer(forKey: .tags)
            for tag in tags { try t.encode(tag) }
            var inner = t.nestedContainer(keyedBy: PositionKeys.self)
            try inner.encode(0, forKey: .x)
            var list = t.nestedUnkeyedContainer()
            try list.encodeNil()
            try list.encode(1.0)
            try base.encode(to: c.superEncoder())
            try Empty().encode(to: t.superEncoder())
            try c.encode(Empty(), forKey: .extra)
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            level = try c.decode(Int.self, forKey: .level)
            let p = try c.nestedContainer(keyedBy: PositionKeys.self, forKey: .position)
            position = (try p.decode(Int.self, forKey: .x), try p.decode(Int.self, forKey: .y))
            var t = try c.nestedUnkeyedContainer(forKey: .tags)
            var tags: [String] = []
            while !t.isAtEnd, let tag = try? t.decode(String.self) { tags.append(tag) }
            self.tags = tags
            let inner = try t.nestedContainer(keyedBy: PositionKeys.self)
            #expect(try inner.decode(Int.self, forKey: .x) == 0)
            var list = try t.nestedUnkeyedContainer()
            #expect(try list.decodeNil())
            #expect(try list.decode(Double.self) == 1)
            #expect(list.isAtEnd)
            base = try Base(from: try c.superDecoder())
            #expect(try c.decode([String: Int].self, forKey: .extra).isEmpty)
        }

        static func == (a: Derived, b: Derived) -> Bool {
            a.base == b.base && a.level == b.level && a.position == b.position && a.tags == b.tags
        }
    }

    struct Empty: Codable, Equatable {
        func encode(to encoder: any Encoder) throws {}
        init() {}
        init(from decoder: any Decoder) throws {}
    }

    @Test("nested keyed and unkeyed containers, superEncoder, a value that encodes nothing")
    func handWritten() throws {
        let d = Derived(base: Base(id: "B-1"), level: 3, position: (4, -5), tags: ["甲", "乙"])
        try Self.check(d, "derived")
        #expect(JSON(encoding: d).encodedString
            == #"{"extra":{},"level":3,"position":{"x":4,"y":-5},"super":{"id":"B-1"},"tags":["甲","乙",{"x":0},[null,1],{}]}"#)
        #expect(throws: EncodingError.self) { try JSONValueEncoder.encode(Empty()) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder.encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder.encode(["x": Double.infinity]) }
    }

    // MARK: - Decoding what does not fit

    struct Strict: Codable, Equatable {
        var name: String
        var count: Int
        var small: Int8?
        var ratio: Double?
        var when: Date?
        var kind: Phase?
    }

    @Test("decoding fails where JSONDecoder fails, and succeeds where it succeeds", arguments: [
        #"{"name":"a","count":1}"#,
        #"{"name":"a","count":1,"small":null,"ratio":null,"when":null,"kind":null}"#,
        #"{"name":"a","count":1.0,"ratio":3}"#,
        #"{"name":"a","count":1e2,"small":-128,"when":"2026-11-22T16:00:00+08:00","kind":"live","extra":[1]}"#,
        #"{"name":"a"}"#,
        #"{"name":"a","count":null}"#,
        #"{"name":"a","count":"1"}"#,
        #"{"name":"a","count":1.5}"#,
        #"{"name":"a","count":1,"small":300}"#,
        #"{"name":1,"count":1}"#,
        #"{"name":"a","count":1,"ratio":"1"}"#,
        #"{"name":"a","count":1,"when":"yesterday"}"#,
        #"{"name":"a","count":1,"when":1}"#,
        #"{"name":"a","count":1,"kind":"asleep"}"#,
        #"{"name":"a","count":true}"#,
        #"[]"#,
        #"null"#,
        #""text""#,
    ])
    func strictness(text: String) throws {
        let json = try JSON.parse(text)
        let reference = Result { try FoundationReference.decode(Strict.self, from: json) }
        let direct = Result { try json.decode(Strict.self) }
        switch (reference, direct) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure, .failure): break
        case (.success, .failure(let e)): Issue.record("Foundation decodes \(text), the direct decoder fails: \(e)")
        case (.failure(let e), .success): Issue.record("Foundation fails on \(text) (\(e)), the direct decoder decodes it")
        }
    }

    @Test("decoding errors name the field")
    func errorPaths() throws {
        let bad: JSON = ["name": "a", "count": 1, "kind": "asleep"]
        #expect(throws: DecodingError.self) { try bad.decode(Strict.self) }
        do {
            _ = try (["items": [["name": "a", "count": 1], ["name": "b"]]] as JSON).decode([String: [Strict]].self)
            Issue.record("decoded a missing key")
        } catch DecodingError.keyNotFound(let key, let context) {
            #expect(key.stringValue == "count")
            #expect(context.codingPath.map(\.stringValue) == ["items", "Index 1"])
        }
    }
}
