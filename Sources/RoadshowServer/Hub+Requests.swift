import Foundation
import RoadshowCore

/// Steps 1–3 of a request: decode, session, authorize; read-only ops answered here.
extension Hub {
    /// A whole text message from a connection.
    func handleMessage(_ c: Connection, _ bytes: [UInt8]) {
        assertOnServiceThread()
        let request: Request
        switch Request.decode(bytes) {
        case .success(let r): request = r
        case .failure(let f):
            reply(c, f.id, error: f.error)
            return
        }
        if draining {
            reply(c, request.id, error: RoadshowError(
                .internal, "the server is shutting down; reconnect in a moment and retry with the same requestKey"))
            return
        }
        guard c.admit(now: monotonicSeconds(), rate: config.limits.requestsPerSecond, burst: config.limits.requestBurst) else {
            reply(c, request.id, error: RoadshowError(.rateLimited, "too many requests; slow down and retry in a second"))
            return
        }
        if request.op == "auth" {
            authenticate(c, request)
            return
        }
        guard let actor = c.actor else {
            reply(c, request.id, error: RoadshowError(.unauthenticated, "send auth {token} first: every other op needs a signed-in connection"))
            return
        }
        do {
            let args = try Args(request.args)
            switch request.op {
            case "ping":
                try args.rejectUnknown([])
                reply(c, request.id, result: ["serverTime": .string(Timestamp.format(Date()))])
            case "stream.subscribe": try subscribe(c, request.id, args, actor)
            case "stream.unsubscribe": try unsubscribe(c, request.id, args)
            case "meeting.get": reply(c, request.id, result: try meetingGet(args, actor))
            case "meeting.list": reply(c, request.id, result: try meetingList(args, actor))
            case "account.list": reply(c, request.id, result: try accountList(args, actor))
            case "export.minutes": reply(c, request.id, result: try exportMinutes(args, actor))
            case "export.ics": reply(c, request.id, result: try exportICS(args, actor))
            case "roster.invitation": reply(c, request.id, result: try rosterInvitation(args, actor))
            default:
                guard let mutation = Operations.mutations[request.op] else {
                    throw RoadshowError(.unknownOp, "there is no op \"\(request.op.prefix(60))\"; see docs/protocol.md for the list", field: "op")
                }
                try submit(c, request, args, mutation, actor)
            }
        } catch let error as RoadshowError {
            reply(c, request.id, error: error)
        } catch {
            logger.error("request \(request.op) failed: \(error)")
            reply(c, request.id, error: RoadshowError(.internal, "the server failed to handle this request; try again"))
        }
    }

    func authenticate(_ c: Connection, _ request: Request) {
        do {
            let args = try Args(request.args)
            try args.rejectUnknown(["token"])
            let token = try args.string("token", maxLength: 200, what: "your access token or invite token")
            guard let (actor, hash) = actor(forToken: token) else {
                throw RoadshowError(.unauthenticated,
                    "this token is not valid: it may be mistyped or replaced by a newer invite link; ask the organizer for a new one",
                    field: "args.token")
            }
            if let old = c.actor, old.id != actor.id {
                // A different identity on the same connection starts clean.
                for s in c.subscriptions { streams[s]?.subscribers.removeValue(forKey: c.id) }
                metrics.add(metrics.subscriptions, -c.subscriptions.count)
                c.subscriptions.removeAll()
                connectionsByActor[old.id]?.remove(c.id)
            }
            c.actor = actor
            c.tokenHash = hash
            connectionsByActor[actor.id, default: []].insert(c.id)
            var result: [String: JSON] = ["actor": actor.json, "timeZone": .string(timeZone.identifier)]
            result["meetings"] = .array(visibleMeetings(actor, phase: nil).map { JSON(encoding: $0) })
            reply(c, request.id, result: .object(result))
        } catch let error as RoadshowError {
            reply(c, request.id, error: error)
        } catch {
            reply(c, request.id, error: RoadshowError(.internal, "sign-in failed; try again"))
        }
    }

    // MARK: - Reads

    func visibleMeetings(_ actor: Actor, phase: Phase?) -> [MeetingInfo] {
        var out: [MeetingInfo] = []
        if actor.kind == .participant {
            if let m = actor.meeting.flatMap({ streams[$0]?.meeting }), Permissions.canView(actor, m) { out.append(m.info) }
        } else if actor.kind != .unit {
            for slot in streams.values {
                if let m = slot.meeting, Permissions.canView(actor, m.info) { out.append(m.info) }
            }
        }
        if let phase { out.removeAll { $0.phase != phase } }
        return out.sorted { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) }
    }

    /// The meeting slot, if the actor may see it.
    func meetingSlot(_ id: String, _ actor: Actor) throws(RoadshowError) -> StreamSlot {
        guard let slot = streams[id], let m = slot.meeting else {
            if actor.kind == .participant, actor.meeting != id { throw Permissions.notVisible(actor, id) }
            throw .notFound("there is no meeting \(id); check the id with meeting.list", field: "args.meeting")
        }
        guard Permissions.canView(actor, m) else { throw Permissions.notVisible(actor, id) }
        return slot
    }

    func meetingGet(_ args: Args, _ actor: Actor) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["meeting"])
        let slot = try meetingSlot(try args.id("meeting", prefix: "M-", what: "a meeting id such as M-7Q2K"), actor)
        return ["snapshot": slot.meeting!.snapshot(for: actor), "seq": .int(slot.seq), "serverTime": .string(Timestamp.format(Date()))]
    }

    func meetingList(_ args: Args, _ actor: Actor) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["phase"])
        let phase = try args.optionalEnum("phase", Phase.self)
        return ["meetings": .array(visibleMeetings(actor, phase: phase).map { JSON(encoding: $0) })]
    }

    var timeZone: TimeZone { TimeZone(identifier: config.timeZone) ?? TimeZone(identifier: "Asia/Shanghai")! }

    func accountName(_ id: String) -> String? { streams[AccountDirectory.stream]?.state?.accounts?.account(id)?.name }

    func exportMinutes(_ args: Args, _ actor: Actor) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["meeting"])
        let slot = try meetingSlot(try args.id("meeting", prefix: "M-", what: "a meeting id such as M-7Q2K"), actor)
        let text = MinutesExport.markdown(slot.meeting!, timeZone: timeZone, accountName: accountName)
        return ["text": .string(text), "format": "markdown", "filename": .string("\(slot.id)-minutes.md")]
    }

    func accountList(_ args: Args, _ actor: Actor) throws(RoadshowError) -> JSON {
        try args.rejectUnknown([])
        guard actor.kind == .admin else { throw .forbidden("only the admin can list accounts") }
        let accounts = streams[AccountDirectory.stream]?.state?.accounts?.accounts ?? []
        return ["accounts": .array(accounts.map { JSON(encoding: $0) })]
    }
}
