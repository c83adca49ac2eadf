import CLibWebSockets
import Foundation
import RoadshowCore
import RoadshowStore

/// Steps 4–9 of a mutating request: decide against committed state, hand the
/// events to the writer, and on commit apply, fan out and reply.
extension Hub {
    func submit(_ c: Connection, _ request: Request, _ args: Args, _ mutation: Operations.Mutation, _ actor: Actor) throws(RoadshowError) {
        let target = try mutation.target(args)
        let key = try Operations.requestKey(args)
        let command = PendingCommand(
            connection: c.id, requestId: request.id, op: request.op, args: args, mutation: mutation,
            target: target, key: key, actor: actor)
        switch target {
        case .meeting(let id):
            let slot = try meetingSlot(id, actor)
            if slot.busy { slot.waiting.append(command) } else { decide(command, on: slot) }
        case .accounts:
            guard let slot = streams[AccountDirectory.stream] else { throw RoadshowError(.internal, "the accounts stream is missing") }
            if slot.busy { slot.waiting.append(command) } else { decide(command, on: slot) }
        case .new:
            decide(command, on: nil)
        }
    }

    /// Decides one command against the committed state of its stream (nil for a
    /// new stream) and hands its events to the writer.
    func decide(_ command: PendingCommand, on slot: StreamSlot?) {
        let c = connections[command.connection]
        // The requester may have gone; its command still counts if it was received.
        func fail(_ error: RoadshowError) { if let c { reply(c, command.requestId, error: error) } }

        if let key = command.key, let cacheKey = command.replyKey {
            let scope = command.target.keyScope
            // The same key still on its way to the disk: answer once that lands.
            if keysInFlight.contains(cacheKey) {
                waitingOnKey[cacheKey, default: []].append((command, slot?.id))
                return
            }
            func repeatOf(op: String, _ result: JSON) {
                if op != command.op {
                    fail(.conflict("requestKey \(key) was already used for \(op); use a new key for a new request", field: "args.requestKey"))
                } else if let c {
                    reply(c, command.requestId, result: result)
                }
            }
            if let first = replies[cacheKey] {
                repeatOf(op: first.op, first.result)
                return
            }
            do {
                if let stored = try store.storedReply(actor: command.actor.id, scope: scope, key: key) {
                    repeatOf(op: stored.op, stored.result)
                    return
                }
            } catch {
                logger.error("reading a stored reply failed: \(error)")
                fail(RoadshowError(.internal, "could not check the requestKey; retry"))
                return
            }
        }

        var ctx = Context(now: Date(), actor: command.actor)
        let decision: Decision
        do {
            decision = try command.mutation.decide(command.args, slot?.state, &ctx)
        } catch {
            fail(error)
            return
        }
        guard !decision.events.isEmpty else {
            // Nothing changed: answer with the current seq, append nothing.
            var result = decision.result
            result["seq"] = .int(slot?.seq ?? 0)
            if let c { reply(c, command.requestId, result: .object(result)) }
            return
        }
        guard let streamId = decision.newStream ?? slot?.id else {
            fail(RoadshowError(.internal, "a command produced events without a stream"))
            return
        }
        if slot == nil, streams[streamId] != nil {
            fail(RoadshowError(.conflict, "the new stream's id \(streamId) is taken; retry"))
            return
        }
        let base = slot?.seq ?? 0
        let events = decision.events.enumerated().map { i, e in
            RecordedEvent(stream: streamId, seq: base + Int64(i + 1), at: ctx.now, by: command.actor.id, event: e)
        }
        let newState = StreamState.applying(decision.events, to: slot?.state)
        let lastSeq = events.last!.seq
        let stored = command.key.map { key in
            StoredReply(
                actor: command.actor.id, scope: command.target.keyScope, key: key, op: command.op,
                result: decision.storableResult(seq: lastSeq))
        }
        let ticket = nextTicket
        nextTicket += 1
        slot?.busy = true
        if let cacheKey = command.replyKey { keysInFlight.insert(cacheKey) }
        inflight[ticket] = InFlight(
            stream: streamId, isNew: slot == nil, events: events, newState: newState, command: command, decision: decision)
        writer.submit(ticket: ticket, Commit(events: events, credentials: decision.credentials, reply: stored))
    }

    /// The writer committed this ticket: make it visible, fan out, reply.
    func landed(ticket: Int) {
        guard let f = inflight.removeValue(forKey: ticket) else { return }
        let slot: StreamSlot
        if f.isNew {
            slot = StreamSlot(id: f.stream, state: f.newState, seq: f.events.last!.seq)
            streams[f.stream] = slot
        } else {
            guard let s = streams[f.stream] else { return }
            slot = s
            slot.state = f.newState
            slot.seq = f.events.last!.seq
            slot.busy = false
        }
        applyCredentialChanges(f.decision.credentials)
        fanOut(f.events, on: slot)

        var result = f.decision.result
        result["seq"] = .int(slot.seq)
        if f.decision.secretResultKeys.contains("link") { withInvitation(&result, meeting: slot.meeting) }
        if let cacheKey = f.command.replyKey { replies.insert(op: f.command.op, result: .object(result), for: cacheKey) }
        if let c = connections[f.command.connection] { reply(c, f.command.requestId, result: .object(result)) }
        disconnectRevoked(f.decision.credentials, events: f.events)
        releaseKey(of: f.command)
        pump(slot)
    }

    /// The transaction failed: nothing of it is visible; every request in it gets
    /// `internal`, and the stream goes on from its committed state.
    func failed(ticket: Int, error: String) {
        guard let f = inflight.removeValue(forKey: ticket) else { return }
        if let c = connections[f.command.connection] {
            reply(c, f.command.requestId, error: RoadshowError(.internal, "the change could not be saved; nothing was stored; retry"))
        }
        if let slot = streams[f.stream] {
            slot.busy = false
        }
        releaseKey(of: f.command)
        if let slot = streams[f.stream] { pump(slot) }
    }

    /// Repeats of a keyed command that waited for it: decided now, so they get
    /// its reply (or, if it failed, a decision of their own).
    func releaseKey(of command: PendingCommand) {
        guard let cacheKey = command.replyKey else { return }
        keysInFlight.remove(cacheKey)
        for (waiting, streamId) in waitingOnKey.removeValue(forKey: cacheKey) ?? [] {
            if let id = streamId, let slot = streams[id] {
                if slot.busy { slot.waiting.append(waiting) } else { decide(waiting, on: slot) }
            } else {
                decide(waiting, on: nil)
            }
        }
    }

    /// Decides the commands that waited for the stream's last commit.
    func pump(_ slot: StreamSlot) {
        while !slot.busy, let next = slot.popWaiting() { decide(next, on: slot) }
    }

    /// Connections whose token was revoked (a removed participant, a replaced
    /// invite link) are closed with a reason saying why.
    func disconnectRevoked(_ changes: [CredentialChange], events: [RecordedEvent]) {
        for change in changes {
            guard case .revokeActor(let actorId) = change else { continue }
            let removed = events.contains { if case .rosterRemoved(actorId) = $0.event { return true }; return false }
            for id in connectionsByActor[actorId] ?? [] {
                guard let c = connections[id], let hash = c.tokenHash, credentials[hash] == nil else { continue }
                let reason: String
                if removed {
                    reason = "you were removed from the roster of this meeting"
                } else if c.actor?.kind == .participant {
                    reason = "your invite link was replaced; open the new link"
                } else {
                    reason = "your access token was replaced; sign in with the new one"
                }
                close(c, code: rs_close_policy, reason: reason)
            }
        }
    }
}
