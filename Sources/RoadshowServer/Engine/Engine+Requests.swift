import Foundation
import RoadshowCore

/// A whole request from a session: decode, rate limit, sign-in, then the op
/// table says what answers it.
extension Engine {
    func received(_ id: Int, _ bytes: [UInt8]) {
        checkThread()
        guard let s = sessions[id] else { return }
        let request: Request
        switch Request.decode(bytes) {
        case .success(let r): request = r
        case .failure(let f):
            reply(s, f.id, error: f.error)
            return
        }
        if draining {
            reply(s, request.id, error: RoadshowError(
                .internal, "the server is shutting down; reconnect in a moment and retry with the same requestKey"))
            return
        }
        guard s.admit(now: monotonicSeconds(), rate: config.limits.requestsPerSecond, burst: config.limits.requestBurst) else {
            reply(s, request.id, error: RoadshowError(.rateLimited, "too many requests; slow down and retry in a second", zh: "操作太频繁了，请稍等一秒再试。"))
            return
        }
        if let actor = s.actor, actor.kind == .participant, !admitParticipant(actor.id) {
            reply(s, request.id, error: RoadshowError(
                .rateLimited, "too many requests from you across your connections; slow down and retry in a second",
                reason: "participant_budget", zh: "您的操作（含其他窗口）太频繁了，请稍等一秒再试。"))
            return
        }
        if request.op == "auth" {
            authenticate(s, request)
            return
        }
        guard let actor = s.actor else {
            reply(s, request.id, error: RoadshowError(.unauthenticated, "send auth {token} first: every other op needs a signed-in connection", zh: "请先登录。"))
            return
        }
        guard let op = OpTable[request.op] else {
            reply(s, request.id, error: RoadshowError(
                .unknownOp, "there is no op \"\(request.op.prefix(60))\"; see docs/protocol.md for the list", field: "op"))
            return
        }
        do {
            let args = try Args(request.args)
            switch op.handler {
            case .query where op.name == "meeting.get":
                // The one read whose answer is large (a whole meeting): from bytes kept ready.
                try meetingGet(s, request.id, args, actor)
            case .query(let query):
                reply(s, request.id, result: try args.checkingAll { a throws(RoadshowError) in try query(a, actor, self) })
            case .write(let mutation):
                try submit(s, request, args, mutation, actor)
            case .session:
                switch op.name {
                case "ping":
                    try args.rejectUnknown([])
                    reply(s, request.id, result: ["serverTime": .string(Timestamp.format(Date()))])
                case "stream.subscribe": try subscribe(s, request.id, args, actor)
                case "stream.unsubscribe": try unsubscribe(s, request.id, args)
                default: throw RoadshowError(.internal, "the session op \(op.name) has no handler")
                }
            }
        } catch let error as RoadshowError {
            reply(s, request.id, error: error)
        } catch {
            logger.error("request \(request.op) failed: \(error)")
            reply(s, request.id, error: RoadshowError(.internal, "the server failed to handle this request; try again"))
        }
    }

    /// One request from a participant, against its budget across all its
    /// connections: requests per second, and reply bytes per second (its
    /// replies are charged as they are sent; a debt blocks until paid back).
    func admitParticipant(_ id: String) -> Bool {
        let l = config.limits
        guard l.participantRequestsPerSecond > 0 else { return true }
        let now = monotonicSeconds()
        var b = budgets[id] ?? ParticipantBudget(requests: l.participantRequestBurst, bytes: l.participantReplyBurst, at: now)
        let dt = max(0, now - b.at)
        b.at = now
        b.requests = min(l.participantRequestBurst, b.requests + dt * l.participantRequestsPerSecond)
        b.bytes = min(l.participantReplyBurst, b.bytes + dt * l.participantReplyBytesPerSecond)
        defer { budgets[id] = b }
        guard b.requests >= 1, b.bytes > 0 || l.participantReplyBytesPerSecond <= 0 else { return false }
        b.requests -= 1
        return true
    }

    func authenticate(_ s: Session, _ request: Request) {
        do {
            let args = try Args(request.args)
            try args.rejectUnknown(["token"])
            let token = try args.string("token", maxLength: 200, what: "your access token or invite token")
            guard let (actor, hash) = actor(forToken: token) else {
                throw RoadshowError(.unauthenticated,
                    "this token is not valid: it may be mistyped or replaced by a newer invite link; ask the organizer for a new one",
                    field: "args.token", reason: "token_invalid",
                    zh: "这个令牌或邀请链接无效：可能输错了，或已被新的邀请链接取代。请向会议组织方索取新的链接。")
            }
            if let old = s.actor, old.id != actor.id {
                // A different identity on the same connection starts clean.
                dropSubscriptions(s)
                sessionsByActor[old.id]?.remove(s.id)
            }
            let cap = config.limits.maxConnectionsPerToken
            if cap > 0, s.tokenHash != hash, sessionsByToken[hash, default: 0] >= cap {
                // The close reason says it (a reply queued now would be dropped with the queue).
                metrics.add(metrics.connectionsRefused)
                close(s, code: CloseCode.policy, reason: "this token is open on too many connections (at most \(cap)); close other tabs or windows")
                return
            }
            if let old = s.tokenHash, old != hash, let n = sessionsByToken[old] { sessionsByToken[old] = n > 1 ? n - 1 : nil }
            if s.tokenHash != hash { sessionsByToken[hash, default: 0] += 1 }
            s.actor = actor
            s.tokenHash = hash
            sessionsByActor[actor.id, default: []].insert(s.id)
            var result: [String: JSON] = ["actor": actor.json, "timeZone": .string(timeZone.identifier)]
            result["meetings"] = .array(Queries.visibleMeetings(actor, phase: nil, in: self).map { JSON(encoding: $0) })
            reply(s, request.id, result: .object(result))
        } catch let error as RoadshowError {
            reply(s, request.id, error: error)
        } catch {
            reply(s, request.id, error: RoadshowError(.internal, "sign-in failed; try again"))
        }
    }
}
