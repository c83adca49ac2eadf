import Foundation
import GRDB
import RoadshowCore
import RoadshowServer
import RoadshowStore

/// The world every input starts from, made once per process through the
/// engine itself (the same requests a page would send) and kept as an
/// in-memory SQLite database: each input gets a copy of it (SQLite's backup)
/// and an engine replayed from that copy, as at a restart.
///
/// - `$M`: a meeting in preparation with an agenda item `$G` and a roster of a
///   host `$H`, a recorder `$R`, a unit participant `$P` and the company `$C`;
///   one checklist item added with `requestKey` "setup-key" (its reply is
///   stored, so a repeat is answered by the reader).
/// - `$L`: a live meeting: host `$LH`, unit participant `$LP`, company `$LC`,
///   its agenda item started and a question of `$LP` in the queue.
/// - `$E`: an ended meeting (minutes with intent, next contact, an action):
///   host `$EH`, units `$EU` and `$EU2`, company `$EC` — ready for follow-up
///   and `dispatch.create`.
/// - `$F`: an ended meeting dispatched as the open record `$D`, handled by the
///   unit account `$UNIT`.
/// - accounts: the admin `$ADMIN`, the organizer `$ORG` owning all of them,
///   a second organizer `$ORG2`, unit accounts `$UNIT` and `$UNIT2`.
struct World {
    static let adminToken = "rs_a_fuzzadmintoken00000000000000000"
    /// The clock at the start of every input: a fraction of a millisecond
    /// past midnight, since a real clock has one and the log keeps none.
    static let start = Date(timeIntervalSince1970: Timestamp.parse("2026-11-20T00:00:00Z")!.timeIntervalSince1970 + 0.000_456_7)
    static let inviteKey = InviteKey(bytes: Array(repeating: 7, count: 32))!

    /// Who may send a line: the line's first byte names one (`Actors.index`).
    struct Actor {
        let letter: Character
        let name: String
        /// The token it signs in with; nil: it never signs in.
        let token: String?
    }

    let template: DatabaseQueue
    /// The template's log, decoded once, and each stream replayed from it.
    let streams: [(stream: String, events: [RecordedEvent])]
    let replayed: [String: (state: StreamState?, seq: Int64)]
    let credentials: [String: Credential]
    let places: [String: String]
    let actors: [Actor]

    init() throws {
        let queue = try DatabaseQueue()
        let store = try EventStore(queue)
        let clock = Locked(Self.start)
        let engine = try InProcessEngine(
            store: store, adminToken: Self.adminToken, inviteKey: Self.inviteKey, clock: { clock.withLock { $0 } })
        let setup = Setup(engine: engine)
        let admin = try setup.connect(Self.adminToken)

        func account(_ name: String, _ kind: String) throws -> (id: String, token: String) {
            let r = try setup.ok(admin, "account.create", ["name": .string(name), "kind": .string(kind)])
            return (r["account"]!["id"]!.stringValue!, r["token"]!.stringValue!)
        }
        let org = try account("黄山市投资促进局", "organizer")
        let org2 = try account("歙县招商中心", "organizer")
        let unit = try account("黄山高新区管委会", "unit")
        let unit2 = try account("屯溪区招商局", "unit")
        let o = try setup.connect(org.token)

        func meeting(_ title: String) throws -> String {
            var args = Self.meetingArgs.objectValue!
            args["title"] = .string(title)
            return try setup.ok(o, "meeting.create", .object(args))["meeting"]!["id"]!.stringValue!
        }
        func participant(_ m: String, _ name: String, _ unit: String, _ role: String, contacts: Bool = false) throws -> (id: String, token: String) {
            var args: [String: JSON] = ["meeting": .string(m), "name": .string(name), "unit": .string(unit), "role": .string(role)]
            if contacts {
                args["phone"] = "139 0000 0001"
                args["email"] = "a@example.cn"
            }
            let r = try setup.ok(o, "roster.add", .object(args))
            return (r["participant"]!["id"]!.stringValue!, r["token"]!.stringValue!)
        }
        func advance(_ m: String, _ phases: [String]) throws {
            for p in phases {
                _ = try setup.ok(o, "meeting.advance", ["meeting": .string(m), "to": .string(p), "force": true, "reason": "路演准备"])
            }
        }
        func minutes(_ m: String) throws {
            for (kind, text) in [("intent", "拟投资12.5亿元建设储能电池基地"), ("needs", "需要200亩工业用地"), ("prospects", "年产值预计30亿元"),
                                 ("decision", "会议决定由高新区牵头对接"), ("next_contact", "12月10日前再次视频沟通")] {
                _ = try setup.ok(o, "minutes.add", ["meeting": .string(m), "kind": .string(kind), "text": .string(text)])
            }
            _ = try setup.ok(o, "minutes.add", ["meeting": .string(m), "kind": "action", "text": "提供用地方案", "owner": "黄山高新区", "due": "2026-12-10"])
        }

        // $M: in preparation.
        let m = try meeting("新能源储能项目线上路演")
        let h = try participant(m, "周主持", "市投资促进局", "host")
        let r = try participant(m, "吴记录", "市投资促进局", "recorder")
        let p = try participant(m, "王五", "黄山高新区", "unit", contacts: true)
        let c = try participant(m, "李四", "皖南新能源科技有限公司", "company", contacts: true)
        let g = try setup.ok(o, "agenda.add", ["meeting": .string(m), "title": "项目介绍", "minutes": 10])["item"]!["id"]!.stringValue!
        _ = try setup.ok(o, "checklist.add", ["meeting": .string(m), "text": "确认会议室", "requestKey": "setup-key"])

        // $L: live, an item started, a question waiting.
        let l = try meeting("生物医药项目线上路演")
        let lh = try participant(l, "郑主持", "市投资促进局", "host")
        let lp = try participant(l, "赵六", "歙县", "unit")
        let lc = try participant(l, "钱七", "黄山生物科技有限公司", "company")
        _ = try setup.ok(o, "agenda.add", ["meeting": .string(l), "title": "企业介绍", "minutes": 15, "speaker": .string(lc.id)])
        try advance(l, ["rehearsal", "live"])
        _ = try setup.ok(o, "agenda.start", ["meeting": .string(l), "item": "G-1"])
        let lpSession = try setup.connect(lp.token)
        _ = try setup.ok(lpSession, "queue.raise", ["meeting": .string(l), "kind": "question", "text": "用地指标如何落实？"])

        // $E: ended, ready for follow-up.
        let e = try meeting("文旅项目线上路演")
        let eh = try participant(e, "孙主持", "市投资促进局", "host")
        let eu = try participant(e, "王五", "黄山高新区", "unit")
        let eu2 = try participant(e, "赵六", "歙县", "unit")
        let ec = try participant(e, "李四", "皖南新能源科技有限公司", "company")
        try advance(e, ["rehearsal", "live"])
        try minutes(e)
        try advance(e, ["ended"])

        // $F: ended and dispatched as $D to $UNIT.
        let f = try meeting("智能制造项目线上路演")
        _ = try participant(f, "王五", "黄山高新区", "unit")
        try advance(f, ["rehearsal", "live"])
        try minutes(f)
        try advance(f, ["ended"])
        let d = try setup.ok(o, "dispatch.create", [
            "meeting": .string(f), "handlingUnit": .string(unit.id), "stage": "negotiating",
            "commissioner": ["name": "陈专员", "unit": "黄山高新区管委会", "title": "招商科科长", "phone": "0559-2345678"],
        ])["record"]!["id"]!.stringValue!
        try engine.settle()

        template = queue
        streams = try store.allStreams()
        replayed = Dictionary(uniqueKeysWithValues: streams.map { s in
            (s.stream, (StreamState.applying(s.events.map(\.event), to: nil), s.events.last?.seq ?? 0))
        })
        credentials = Dictionary(try store.credentials().map { ($0.tokenHash, $0) }, uniquingKeysWith: { a, _ in a })
        places = [
            "$ADMIN": AccountDirectory.adminId, "$ORG": org.id, "$ORG2": org2.id, "$UNIT": unit.id, "$UNIT2": unit2.id,
            "$M": m, "$H": h.id, "$R": r.id, "$P": p.id, "$C": c.id, "$G": g,
            "$L": l, "$LH": lh.id, "$LP": lp.id, "$LC": lc.id,
            "$E": e, "$EH": eh.id, "$EU": eu.id, "$EU2": eu2.id, "$EC": ec.id,
            "$F": f, "$D": d,
        ]
        actors = [
            Actor(letter: "a", name: "admin", token: Self.adminToken),
            Actor(letter: "o", name: "organizer", token: org.token),
            Actor(letter: "O", name: "other organizer", token: org2.token),
            Actor(letter: "u", name: "unit account (handles $D)", token: unit.token),
            Actor(letter: "U", name: "other unit account", token: unit2.token),
            Actor(letter: "h", name: "host of $M", token: h.token),
            Actor(letter: "r", name: "recorder of $M", token: r.token),
            Actor(letter: "p", name: "unit participant of $M", token: p.token),
            Actor(letter: "c", name: "company of $M", token: c.token),
            Actor(letter: "l", name: "unit participant of $L", token: lp.token),
            Actor(letter: "L", name: "host of $L", token: lh.token),
            Actor(letter: "k", name: "company of $L", token: lc.token),
            Actor(letter: "e", name: "unit participant of $E", token: eu.token),
            Actor(letter: "E", name: "host of $E", token: eh.token),
            Actor(letter: "x", name: "not signed in", token: nil),
            Actor(letter: "2", name: "organizer, second connection", token: org.token),
        ]
    }

    /// A fresh copy of the world's database.
    func copy() throws -> (EventStore, DatabaseQueue) {
        let queue = try DatabaseQueue()
        try template.backup(to: queue)
        return (try EventStore(queue), queue)
    }

    /// The copy as the engine loads it: its log is the template's, already
    /// decoded (decoding it again for every input cost more than most inputs;
    /// the decoding is exercised once per process, and by every event an input
    /// adds, read back in `Run.checkReplay`). Everything else is the copy's.
    struct Loading: EventStorage {
        let store: EventStore
        let streams: [(stream: String, events: [RecordedEvent])]
        func commit(_ commits: [Commit]) throws { try store.commit(commits) }
        func allStreams() throws -> [(stream: String, events: [RecordedEvent])] { streams }
        /// The template's states, folded once per process (`World.replayed`): the copies have no snapshots.
        let replayed: [String: (state: StreamState?, seq: Int64)]
        func loadStreams(version: Int, deferring: Bool) throws -> StreamLoad {
            var load = StreamLoad()
            for (stream, r) in replayed {
                load.streams.append(LoadedStream(stream: stream, state: r.state, seq: r.seq, snapshotSeq: 0))
            }
            return load
        }
        @discardableResult
        func saveSnapshots(_ snapshots: [StreamSnapshot]) throws -> Int { try store.saveSnapshots(snapshots) }
        func events(stream: String, after: Int64, upTo: Int64) throws -> [RecordedEvent] {
            try store.events(stream: stream, after: after, upTo: upTo)
        }
        func credentials() throws -> [Credential] { try store.credentials() }
        func storedReplyKeys() throws -> [(actor: String, scope: String, key: String)] { try store.storedReplyKeys() }
        func storedReply(actor: String, scope: String, key: String) throws -> StoredReply? {
            try store.storedReply(actor: actor, scope: scope, key: key)
        }
    }

    static let meetingArgs: JSON = [
        "title": "新能源储能项目线上路演",
        "company": ["name": "皖南新能源科技有限公司", "contact": "李四", "phone": "13800000000"],
        "project": ["name": "储能电池生产基地", "category": "industrial", "industry": "新能源", "investment": 12.5],
        "startsAt": "2026-12-01T06:00:00Z", "durationMinutes": 120,
        "system": ["name": "腾讯会议", "room": "987-654-321", "link": "https://meeting.tencent.com/dm/abc"],
    ]
}

/// Requests during setup, each of which must succeed.
struct Setup {
    let engine: InProcessEngine
    private static let counter = Locked(0)

    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    func connect(_ token: String) throws -> Int {
        let s = engine.connect()
        _ = try ok(s, "auth", ["token": .string(token)])
        return s
    }

    func ok(_ session: Int, _ op: String, _ args: JSON) throws -> JSON {
        let id = "setup-\(Self.counter.withLock { $0 += 1; return $0 })"
        let frame: JSON = ["id": .string(id), "op": .string(op), "args": args]
        engine.receive(session, frame.encodedBytes)
        try engine.settle()
        for case .text(let bytes) in engine.take(session) {
            let m = try JSON.parse(bytes)
            guard m["re"]?.stringValue == id else { continue }
            guard m["ok"] == .bool(true), let result = m["result"] else {
                throw Failed(description: "setup: \(op) failed: \(m.encodedString)")
            }
            return result
        }
        throw Failed(description: "setup: no reply to \(op)")
    }
}
