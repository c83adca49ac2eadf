import Foundation
import GRDB
import RoadshowCore
import RoadshowServer
import RoadshowStore

/// One input through the engine. The input is lines (split on `\n`, at most
/// `maxLines`); each line is one of
///
/// - `<actor><message>`: the WebSocket text message `<message>` from the
///   connection of the actor the first byte names (`World.actors`: `a` admin,
///   `o` organizer, `p` a participant…; any other byte picks one by its
///   value). `$M`, `$P`, … in the message become the world's ids
///   (`World.places`); `$NEW`, `$NEWP`, `$NEWD`, `$NEWA` the last meeting,
///   participant, record and account created in this input, `$TOK` the last
///   token one of its replies carried, `$T0`…`$T15` the actors' tokens. A
///   connection is opened and signed in (`auth`, through the engine like any
///   message) when its actor first speaks, and again after it was closed.
/// - `+<hours>`: the clock moves on that many hours (1 when none is given).
/// - `~<actor>`: that actor's connection closes.
///
/// Findings (each aborts with the transcript): a crash or trap anywhere on
/// the way; a frame that is not JSON, not a reply or an event; a request
/// without exactly one reply, or with a reply on another connection; an
/// error code outside the documented ones, or `internal`; an error without
/// its message and texts; a mutation's `ok` without `seq`; a refused request
/// that changed the store; anything left in flight after settling; a
/// subscription that misses an event, gets one twice or out of order, gets
/// one of a stream it does not follow, or gets a write's reply before that
/// write's events; and, at the end, a served state that differs from a
/// replay of the stored log (every stream's state and seq, the credentials),
/// or seqs with gaps.
final class Run {
    static let maxLines = 48

    let world: World
    let store: EventStore
    let database: DatabaseQueue
    let engine: InProcessEngine
    let clock: Locked<Date>
    let verbose: Bool
    var sessions: [Int?]
    var dynamic: [String: String] = [:]
    /// Per connection, per stream it follows: the last seq it was sent.
    var delivered: [Int: [String: Int64]] = [:]
    /// Per connection, the actor id it signed in as.
    var signedInAs: [Int: String] = [:]
    var transcript: [String] = []
    var messages = 0

    init(world: World, verbose: Bool) throws {
        self.world = world
        self.verbose = verbose
        (store, database) = try world.copy()
        let clock = Locked(World.start)
        self.clock = clock
        engine = try InProcessEngine(
            store: World.Loading(store: store, streams: world.streams, replayed: world.replayed), adminToken: World.adminToken, inviteKey: World.inviteKey, clock: { clock.withLock { $0 } })
        sessions = Array(repeating: nil, count: world.actors.count)
        for (i, a) in world.actors.enumerated() { dynamic["$T\(i)"] = a.token ?? "rs_x_not_a_token" }
    }

    /// Runs one input; aborts on a finding.
    static func run(_ input: [UInt8], world: World, verbose: Bool = false) -> Int {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let run: Run
        do { run = try Run(world: world, verbose: verbose) } catch { fatalError("fuzz: cannot set up a run: \(error)") }
        let t1 = DispatchTime.now().uptimeNanoseconds
        var lines = 0
        for line in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard lines < maxLines else { break }
            lines += 1
            run.line(Array(line))
        }
        let t2 = DispatchTime.now().uptimeNanoseconds
        run.checkReplay()
        let t3 = DispatchTime.now().uptimeNanoseconds
        if ProcessInfo.processInfo.environment["ROADSHOW_FUZZ_TIMING"] == "1" {
            print("timing: setup \((t1 - t0) / 1000) us, \(run.messages) messages \((t2 - t1) / 1000) us, replay \((t3 - t2) / 1000) us")
        }
        return run.messages
    }

    // MARK: - Lines

    func line(_ bytes: [UInt8]) {
        switch bytes[0] {
        case UInt8(ascii: "+"):
            let digits = bytes.dropFirst().prefix { (48...57).contains($0) }.prefix(4)
            let hours = digits.isEmpty ? 1 : Int(String(decoding: digits, as: UTF8.self)) ?? 1
            clock.withLock { $0 = $0.addingTimeInterval(Double(hours) * 3600) }
            note("+\(hours) h")
        case UInt8(ascii: "~"):
            let i = actorIndex(bytes.count > 1 ? bytes[1] : 0)
            if let s = sessions[i] {
                engine.disconnect(s)
                sessions[i] = nil
            }
            note("~ \(world.actors[i].name) disconnects")
        default:
            send(actorIndex(bytes[0]), substitute(bytes.dropFirst()))
        }
    }

    func actorIndex(_ byte: UInt8) -> Int {
        if let i = world.actors.firstIndex(where: { $0.letter.asciiValue == byte }) { return i }
        return Int(byte) % world.actors.count
    }

    /// `$NAME` → its id, where NAME is a run of capitals and digits that names one.
    func substitute(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 32)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "$") {
                var j = i + 1
                while j < bytes.endIndex, (65...90).contains(bytes[j]) || (48...57).contains(bytes[j]) { j += 1 }
                if j > i + 1 {
                    let name = "$" + String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
                    if let value = dynamic[name] ?? world.places[name] {
                        out.append(contentsOf: value.utf8)
                        i = j
                        continue
                    }
                }
            }
            out.append(b)
            i += 1
        }
        return out
    }

    // MARK: - Messages

    /// The actor's connection, opened and signed in when it has none.
    func session(_ actor: Int) -> Int {
        if let s = sessions[actor] { return s }
        let s = engine.connect()
        sessions[actor] = s
        if let token = world.actors[actor].token {
            let auth: JSON = ["id": "sign-in", "op": "auth", "args": ["token": .string(token)]]
            deliver(actor, s, auth.encodedBytes)
        }
        return s
    }

    func send(_ actor: Int, _ message: [UInt8]) {
        let s = session(actor)
        // The sign-in may have closed it (a token over its connection cap).
        guard sessions[actor] == s else { return }
        deliver(actor, s, message)
    }

    func deliver(_ actor: Int, _ s: Int, _ message: [UInt8]) {
        messages += 1
        note("\(world.actors[actor].name) → \(Self.show(message))")
        let before = eventCount()
        let request: Request?
        let expectedRe: String?
        switch Request.decode(message) {
        case .success(let r): (request, expectedRe) = (r, r.id)
        case .failure(let f): (request, expectedRe) = (nil, f.id)
        }
        // A subscribe with `since` re-sends from there: delivery counts from `since`.
        let previous = delivered[s]
        let subscribeTo = request?.op == "stream.subscribe" ? Self.streamArgument(request) : nil
        if let subscribeTo, let since = request?.args["since"]?.intValue { delivered[s, default: [:]][subscribeTo] = since }
        // The stream a write acts on, when the sender follows it: its events come before the reply.
        let followed = request.flatMap(Self.targetStream).flatMap { previous?[$0] != nil ? $0 : nil }

        if let close = engine.receive(s, message) {
            // The transport refused it (too large, not UTF-8): the connection is gone.
            note("  closed by the transport: \(close)")
            sessions[actor] = nil
            delivered[s] = nil
            if eventCount() != before { fail("a message the transport refused changed the store") }
            return
        }

        var replies: [JSON] = []
        var senderClosed = false
        // Taking frames may start the next page of a resume: settle and take until nothing moves.
        var moved = true
        while moved {
            moved = false
            do { try engine.settle() } catch { fail("the engine did not settle: \(error)") }
            for (i, sid) in sessions.enumerated() {
                guard let sid else { continue }
                for frame in engine.take(sid) {
                    moved = true
                    switch frame {
                    case .close(let code, let reason):
                        note("  \(world.actors[i].name) closed: \(code) \(reason)")
                        if !(code == 1008 || code == 4013) || reason.isEmpty { fail("an unexpected close \(code) \(reason)") }
                        engine.disconnect(sid)
                        sessions[i] = nil
                        delivered[sid] = nil
                        if sid == s { senderClosed = true }
                    case .text(let bytes):
                        let m: JSON
                        do { m = try JSON.parse(bytes) } catch { fail("a frame is not JSON (\(error)): \(Self.show(bytes))") }
                        if m["event"] != nil {
                            checkEvent(m, bytes, on: sid, of: world.actors[i].name)
                        } else if m["ok"] != nil {
                            if sid != s { fail("a reply on another connection (\(world.actors[i].name)): \(Self.show(bytes))") }
                            note("  ← \(Self.show(bytes))")
                            if let followed, m["ok"] == .bool(true), let seq = Self.replySeq(m, request), (delivered[s]?[followed] ?? 0) < seq {
                                fail("the reply came before its events on \(followed): seq \(seq), delivered \(delivered[s]?[followed] ?? 0)")
                            }
                            replies.append(m)
                        } else {
                            fail("a frame that is neither a reply nor an event: \(Self.show(bytes))")
                        }
                    }
                }
            }
        }
        let leftovers = engine.leftovers
        if !leftovers.isEmpty { fail("left over after settling: \(leftovers.joined(separator: "; "))") }
        if senderClosed && replies.isEmpty {
            checkDelivery()
            return
        }
        guard replies.count == 1, let reply = replies.first else {
            fail("\(replies.count) replies to one request")
        }
        let re = reply["re"]
        if re != (expectedRe.map(JSON.string) ?? .null) {
            fail("the reply's re is \(re?.encodedString ?? "missing"), expected \(expectedRe ?? "null")")
        }
        switch reply["ok"] {
        case .bool(true):
            guard case .object(let result)? = reply["result"] else { fail("an ok reply without a result object") }
            if let op = request?.op, OpTable[op]?.kind == .write {
                if result["seq"]?.intValue == nil { fail("\(op) answered ok without seq") }
                capture(result)
            }
            switch request?.op {
            case "stream.subscribe":
                guard let stream = subscribeTo, let seq = result["seq"]?.intValue else { fail("a subscribe answered without seq") }
                if request?.args["since"]?.intValue != nil {
                    if delivered[s]?[stream] != seq { fail("a resume of \(stream) delivered up to \(delivered[s]?[stream] ?? -1), answered seq \(seq)") }
                } else {
                    delivered[s, default: [:]][stream] = seq
                }
            case "stream.unsubscribe":
                if let stream = Self.streamArgument(request) { delivered[s]?[stream] = nil }
            case "auth":
                // Signing in as someone else ends the connection's subscriptions.
                let id = result["actor"]?["id"]?.stringValue
                if id != signedInAs[s] { delivered[s] = nil }
                signedInAs[s] = id
            default: break
            }
        case .bool(false):
            checkError(reply["error"])
            let after = eventCount()
            if after != before { fail("a refused request changed the store: \(before) → \(after) events") }
            if subscribeTo != nil { delivered[s] = previous }
        default:
            fail("a reply whose ok is not a boolean")
        }
        checkDelivery()
    }

    /// Every subscription has had every committed event of its stream
    /// (docs/protocol.md: each event once, in seq order, with no gap).
    func checkDelivery() {
        let served = engine.streams
        for (sid, streams) in delivered where sessions.contains(sid) {
            for (stream, seq) in streams where served[stream]?.seq != seq {
                fail("connection \(sid) follows \(stream) up to seq \(seq); the stream is at \(served[stream]?.seq ?? -1)")
            }
        }
    }

    /// `args.stream` as the engine reads it (trimmed, as every text argument).
    static func streamArgument(_ r: Request?) -> String? {
        r?.args["stream"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The stream a write acts on, as far as its arguments say.
    static func targetStream(_ r: Request) -> String? {
        guard OpTable[r.op]?.kind == .write else { return nil }
        if r.op.hasPrefix("account.") { return AccountDirectory.stream }
        return r.args["meeting"]?.stringValue ?? r.args["record"]?.stringValue
    }

    /// The seq a write's reply names for the stream of `targetStream`.
    static func replySeq(_ reply: JSON, _ r: Request?) -> Int64? {
        if r?.op == "dispatch.create" { return reply["result"]?["meetingSeq"]?.intValue }
        return reply["result"]?["seq"]?.intValue
    }

    func checkError(_ error: JSON?) {
        guard let error, let codeText = error["code"]?.stringValue, let code = RoadshowError.Code(rawValue: codeText) else {
            fail("an error reply without a documented code")
        }
        if code == .internal { fail("an internal error: \(error["message"]?.stringValue ?? "")") }
        if error["message"]?.stringValue?.isEmpty != false { fail("an error without a message") }
        if error["text"]?["zh"]?.stringValue?.isEmpty != false || error["text"]?["en"]?.stringValue?.isEmpty != false {
            fail("an error without its zh and en texts")
        }
        for e in error["errors"]?.arrayValue ?? [] {
            guard let c = e["code"]?.stringValue, RoadshowError.Code(rawValue: c) != nil, e["message"]?.stringValue?.isEmpty == false else {
                fail("an entry of errors without a code or message: \(e.encodedString)")
            }
        }
    }

    func checkEvent(_ m: JSON, _ bytes: [UInt8], on sid: Int, of name: String) {
        guard let stream = m["stream"]?.stringValue, let seq = m["seq"]?.intValue, m["event"]?.stringValue != nil,
            let at = m["at"]?.stringValue, Timestamp.parse(at) != nil, m["by"]?.stringValue != nil, m["data"]?.objectValue != nil
        else { fail("a malformed event frame: \(Self.show(bytes))") }
        guard let served = engine.streams[stream], seq >= 1, seq <= served.seq else {
            fail("an event beyond its stream's seq: \(Self.show(bytes))")
        }
        guard let last = delivered[sid]?[stream] else {
            fail("\(name) got an event of \(stream), which it does not follow: \(Self.show(bytes))")
        }
        note("  \(name) ⇐ \(stream) #\(seq) \(m["event"]?.stringValue ?? "")")
        if seq != last + 1 { fail("\(name) got seq \(seq) of \(stream) after seq \(last)") }
        delivered[sid]?[stream] = seq
    }

    /// Ids and tokens a mutation's result carries, for `$NEW…` and `$TOK`.
    func capture(_ result: [String: JSON]) {
        if let id = result["meeting"]?["id"]?.stringValue, result["transition"] == nil { dynamic["$NEW"] = id }
        if let id = result["participant"]?["id"]?.stringValue { dynamic["$NEWP"] = id }
        if let id = result["record"]?["id"]?.stringValue { dynamic["$NEWD"] = id }
        if let id = result["account"]?["id"]?.stringValue { dynamic["$NEWA"] = id }
        if let token = result["token"]?.stringValue { dynamic["$TOK"] = token }
    }

    func eventCount() -> Int {
        do {
            return try database.inDatabase { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM events")) ?? 0 }
        } catch {
            fail("counting events failed: \(error)")
        }
    }

    // MARK: - Served state = replayed log

    /// Every stream's served state and seq against the template's replayed
    /// state with the events this input stored applied to it, read back from
    /// the database (`EventStore.events`: SQL → JSON → `DomainEvent`); seqs
    /// without gaps; the credentials served against the stored ones. Streams
    /// the input stored nothing in are checked against the template's state.
    func checkReplay() {
        let counts: [(stream: String, count: Int64, last: Int64)]
        var stored: [String: [RecordedEvent]] = [:]
        var credentials = world.credentials
        do {
            counts = try database.inDatabase { db in
                try Row.fetchAll(db.cachedStatement(sql: "SELECT stream, COUNT(*) AS n, MAX(seq) AS last FROM events GROUP BY stream")).map {
                    ($0["stream"], $0["n"], $0["last"])
                }
            }
            var wrote = false
            for c in counts where c.last != world.replayed[c.stream]?.seq {
                stored[c.stream] = try store.events(stream: c.stream, after: world.replayed[c.stream]?.seq ?? 0, upTo: .max)
                wrote = true
            }
            if wrote {
                credentials = Dictionary(try store.credentials().map { ($0.tokenHash, $0) }, uniquingKeysWith: { a, _ in a })
            }
        } catch { fail("reading the store back failed: \(error)") }
        let served = engine.streams
        if Set(counts.map(\.stream)) != Set(served.keys) {
            fail("streams served \(served.keys.sorted()) ≠ stored \(counts.map(\.stream).sorted())")
        }
        for c in counts {
            if c.count != c.last { fail("stream \(c.stream): \(c.count) events up to seq \(c.last)") }
            let base = world.replayed[c.stream]
            let events = stored[c.stream] ?? []
            for (i, e) in events.enumerated() where e.seq != (base?.seq ?? 0) + Int64(i + 1) {
                fail("stream \(c.stream): seq \(e.seq) where \((base?.seq ?? 0) + Int64(i + 1)) was due")
            }
            let replayed = events.isEmpty ? base?.state : StreamState.applying(events.map(\.event), to: base?.state)
            guard let live = served[c.stream] else { continue }
            if live.seq != c.last { fail("stream \(c.stream): served at seq \(live.seq), stored up to \(c.last)") }
            if live.state != replayed {
                fail("stream \(c.stream): the served state differs from the replayed log:\n\(Self.difference(live.state, replayed))")
            }
        }
        if credentials != engine.credentials {
            fail("credentials served (\(engine.credentials.count)) ≠ stored (\(credentials.count))")
        }
    }

    static func difference(_ a: StreamState?, _ b: StreamState?) -> String {
        var x = "", y = ""
        dump(a, to: &x)
        dump(b, to: &y)
        let xl = x.split(separator: "\n"), yl = y.split(separator: "\n")
        for i in 0..<max(xl.count, yl.count) where i >= xl.count || i >= yl.count || xl[i] != yl[i] {
            return "served:   \(i < xl.count ? String(xl[i]) : "-")\nreplayed: \(i < yl.count ? String(yl[i]) : "-")"
        }
        return "(no difference in their dumps)"
    }

    // MARK: - Reporting

    func note(_ s: String) {
        transcript.append(s)
        if verbose { print(s) }
    }

    func fail(_ message: String) -> Never {
        var out = FileHandle.standardError
        if !verbose { for line in transcript.suffix(60) { print(line, to: &out) } }
        print("FUZZ FINDING: \(message)", to: &out)
        abort()
    }

    static func show(_ bytes: [UInt8]) -> String {
        let s = String(decoding: bytes.prefix(400), as: UTF8.self)
        return bytes.count > 400 ? s + "… (\(bytes.count) bytes)" : s
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) { write(Data(string.utf8)) }
}
