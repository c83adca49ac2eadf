import Foundation
import RoadshowCore
import RoadshowStore

/// A mutating request: decide against committed state, encode its events once,
/// hand them to the writer, and on commit swap in the new state, fan out and reply.
extension Engine {
    func submit(_ s: Session, _ request: Request, _ args: Args, _ mutation: Operations.Mutation, _ actor: Actor) throws(RoadshowError) {
        let target = try mutation.target(args)
        let command = PendingCommand(
            session: s.id, requestId: request.id, op: request.op, args: args, mutation: mutation,
            target: target, key: try Operations.requestKey(args), actor: actor)
        switch target {
        case .meeting(let id): _ = try Queries.visibleMeeting(id, actor, in: self)
        case .record(let id):
            guard let r = record(id) else {
                if actor.kind == .participant { throw RecordAccess.notVisible(actor, id) }
                throw .notFound("there is no dispatch record \(id); see dispatch.list", zh: "找不到这个转办件，请返回转办台账。", field: "args.record")
            }
            guard RecordAccess.canView(actor, r) else { throw RecordAccess.notVisible(actor, id) }
        default: break
        }
        schedule(command)
    }

    /// Decides the command now, or queues it behind its stream's commit in flight.
    func schedule(_ command: PendingCommand) {
        guard let id = command.stream else {
            decide(command, on: nil)
            return
        }
        guard let slot = streams[id] else {
            fail(command, RoadshowError(.internal, "the stream \(id) is missing"))
            return
        }
        if slot.isHeld { slot.waiting.append(command) } else { decide(command, on: slot) }
    }

    func fail(_ command: PendingCommand, _ error: RoadshowError) {
        // The requester may have gone; its command still counts if it was received.
        respond(command, .failure(error))
    }

    /// A repeat of a keyed request: the first one's reply, if it was the same op.
    func answerRepeat(_ command: PendingCommand, op: String, result: JSON) {
        if op != command.op {
            fail(command, .conflict("requestKey \(command.key ?? "") was already used for \(op); use a new key for a new request", zh: "这个请求编号已用于另一项操作，请重新提交。", field: "args.requestKey"))
        } else {
            respond(command, .success(result))
        }
    }

    /// Decides one command against the committed state of its stream (nil for a
    /// new stream) and hands its events to the writer. Reads no disk: a key
    /// the store may hold is looked up by the reader, and the command comes
    /// back here when the answer lands (`storedReplyRead`).
    func decide(_ command: PendingCommand, on slot: StreamSlot?, keyChecked: Bool = false) {
        if let key = command.key, let cacheKey = command.replyKey, !keyChecked {
            // The same key still on its way to the disk (or being read): answer once that lands.
            if keysInFlight.contains(cacheKey) {
                waitingOnKey[cacheKey, default: []].append(command)
                return
            }
            if let first = replies[cacheKey] {
                answerRepeat(command, op: first.op, result: first.result)
                return
            }
            if replies.mayBeStored(cacheKey) {
                keysInFlight.insert(cacheKey)
                let read = nextRead
                nextRead += 1
                pendingReads[read] = .storedReply(command)
                reader.storedReply(read: read, actor: command.actor.id, scope: command.target.keyScope, key: key)
                return
            }
        }

        var ctx = Context(now: now, actor: command.actor, rng: makeRandomness(), policy: policy, world: self, inviteKey: inviteKey)
        var decision: Decision
        var draws = 0
        while true {
            do {
                // Every faulty field is named at once (see `Args.checkingAll`).
                decision = try command.args.checkingAll { args throws(RoadshowError) in
                    try command.mutation.decide(args, slot?.headState, &ctx)
                }
            } catch {
                if hold(command, on: slot) { return }
                fail(command, error)
                return
            }
            // A new stream's random id (a meeting's is 20 bits) that another stream
            // has, stored or still on its way to the disk: decide again, with new
            // random draws, rather than let the store refuse the whole group.
            let newIds = [slot == nil ? decision.newStream : nil, decision.spawned?.0].compactMap { $0 }
            guard newIds.contains(where: streamIdTaken), draws < 8 else { break }
            draws += 1
            ctx = Context(now: ctx.now, actor: command.actor, rng: makeRandomness(), policy: policy, world: self, inviteKey: inviteKey)
        }
        guard !decision.events.isEmpty else {
            if hold(command, on: slot) { return }
            // Nothing changed: answer with the current seq, append nothing.
            var result = decision.result
            result["seq"] = .int(slot?.seq ?? 0)
            respond(command, .success(.object(result)))
            return
        }
        guard let streamId = decision.newStream ?? slot?.id else {
            fail(command, RoadshowError(.internal, "a command produced events without a stream"))
            return
        }
        if slot == nil, streamIdTaken(streamId) {
            fail(command, RoadshowError(.conflict, "the new stream's id \(streamId) is taken; retry"))
            return
        }
        var spawned: InFlight.Spawned?
        var spawnedEvents: [RecordedEvent] = []
        if let (sid, evs) = decision.spawned {
            guard !streamIdTaken(sid) else {
                fail(command, RoadshowError(.conflict, "the new stream's id \(sid) is taken; retry"))
                return
            }
            spawnedEvents = evs.enumerated().map { i, e in
                RecordedEvent(stream: sid, seq: Int64(i + 1), at: ctx.now, by: command.actor.id, event: e)
            }
            spawned = InFlight.Spawned(
                stream: sid, lastSeq: Int64(evs.count), frames: spawnedEvents.map(EventFrames.init),
                state: StreamState.applying(evs, to: nil))
        }
        let base = slot?.headSeq ?? 0
        // Encoded once, here: the store writes these bytes, the frames embed them.
        let events = decision.events.enumerated().map { i, e in
            RecordedEvent(stream: streamId, seq: base + Int64(i + 1), at: ctx.now, by: command.actor.id, event: e)
        }
        let lastSeq = events.last!.seq
        var storable = decision
        if spawned != nil { storable.result["meetingSeq"] = .int(lastSeq) }
        let replySeq = spawned?.lastSeq ?? lastSeq
        let stored = command.key.map { key in
            StoredReply(
                actor: command.actor.id, scope: command.target.keyScope, key: key, op: command.op,
                result: storable.storableResult(seq: replySeq))
        }
        let ticket = nextTicket
        nextTicket += 1
        if let cacheKey = command.replyKey { keysInFlight.insert(cacheKey) }
        if slot == nil { newStreamsInFlight.insert(streamId) }
        if let spawned { newStreamsInFlight.insert(spawned.stream) }
        let newState = StreamState.applying(decision.events, to: slot?.headState)
        if let slot {
            slot.head = (newState, lastSeq)
            slot.pipeline.append(ticket)
        }
        inflight[ticket] = InFlight(
            stream: streamId, isNew: slot == nil, spawned: spawned, lastSeq: lastSeq, frames: events.map(EventFrames.init),
            newState: newState, command: command, decision: decision)
        writer.submit(ticket: ticket, Commit(events: spawnedEvents + events, credentials: decision.credentials, reply: stored))
    }

    /// The writer committed this ticket: make it visible, fan out, reply.
    /// Whether a stream has this id, committed or on its way to the disk.
    func streamIdTaken(_ id: String) -> Bool { streams[id] != nil || newStreamsInFlight.contains(id) }

    /// The ids of the new streams of a command that landed or failed are no longer in flight.
    private func newStreamsSettled(_ f: InFlight) {
        if f.isNew { newStreamsInFlight.remove(f.stream) }
        if let sp = f.spawned { newStreamsInFlight.remove(sp.stream) }
    }

    func landed(ticket: Int) {
        guard let f = inflight.removeValue(forKey: ticket) else { return }
        newStreamsSettled(f)
        let slot: StreamSlot
        if f.isNew {
            slot = StreamSlot(id: f.stream, state: f.newState, seq: f.lastSeq)
            streams[f.stream] = slot
        } else {
            guard let s = streams[f.stream] else { return }
            slot = s
            slot.state = f.newState
            slot.seq = f.lastSeq
            // Commits land in the order they were decided.
            if slot.pipeline.first == ticket { slot.pipeline.removeFirst() } else { slot.pipeline.removeAll { $0 == ticket } }
            if slot.pipeline.isEmpty { slot.head = nil }
        }
        applyCredentialChanges(f.decision.credentials)
        fanOut(f.frames, on: slot)
        var result = f.decision.result
        result["seq"] = .int(slot.seq)
        if let sp = f.spawned {
            let spawnedSlot = StreamSlot(id: sp.stream, state: sp.state, seq: sp.lastSeq)
            streams[sp.stream] = spawnedSlot
            fanOut(sp.frames, on: spawnedSlot)
            result["seq"] = .int(sp.lastSeq)
            result["meetingSeq"] = .int(slot.seq)
        }
        if f.decision.secretResultKeys.contains("link") { Queries.withInvitation(&result, meeting: slot.meeting, in: self) }
        if let cacheKey = f.command.replyKey { replies.insert(op: f.command.op, result: .object(result), for: cacheKey) }
        respond(f.command, .success(.object(result)))
        disconnectRevoked(f.decision.credentials, events: f.decision.events)
        releaseKey(of: f.command)
        pump(slot)
    }

    /// The transaction failed: nothing of it is visible; the request gets
    /// `internal`, and so does every command decided on top of it (their
    /// events follow seqs that were not stored: the store refuses them too,
    /// and their outcome, when it comes, is ignored). The stream goes on from
    /// its committed state.
    func failed(ticket: Int, error: String) {
        guard let f = inflight.removeValue(forKey: ticket) else { return }
        newStreamsSettled(f)
        let saved = RoadshowError(.internal, "the change could not be saved; nothing was stored; retry")
        fail(f.command, saved)
        releaseKey(of: f.command)
        guard let slot = streams[f.stream] else { return }
        let after = slot.pipeline.drop { $0 != ticket }.dropFirst()
        for t in after {
            guard let dependent = inflight.removeValue(forKey: t) else { continue }
            newStreamsSettled(dependent)
            fail(dependent.command, saved)
            releaseKey(of: dependent.command)
        }
        slot.pipeline.removeAll()
        slot.head = nil
        pump(slot)
    }

    /// A command decided on a state not yet committed that failed or changed
    /// nothing: its answer would rest on that state, so it waits, first in
    /// line, to be decided again once the pipeline has drained. False when
    /// nothing is in flight (the state it saw is committed).
    func hold(_ command: PendingCommand, on slot: StreamSlot?) -> Bool {
        guard let slot, !slot.pipeline.isEmpty else { return false }
        slot.waiting.prepend(command)
        slot.barrier = true
        return true
    }

    /// The reader's answer for a key whose fingerprint the store holds.
    func storedReplyRead(_ read: Int, _ result: Result<StoredReply?, Inbox.ReadFailure>) {
        guard case .storedReply(let command)? = pendingReads.removeValue(forKey: read), let cacheKey = command.replyKey else { return }
        switch result {
        case .success(let stored?):
            replies.insert(op: stored.op, result: stored.result, for: cacheKey)
            answerRepeat(command, op: stored.op, result: stored.result)
            releaseKey(of: command)
        case .success(nil):
            // A fingerprint collision: the key is new after all.
            keysInFlight.remove(cacheKey)
            if let id = command.stream, let slot = streams[id], slot.isHeld {
                slot.waiting.append(command)
            } else {
                decide(command, on: command.stream.flatMap { streams[$0] }, keyChecked: true)
            }
            // Repeats wait for the command if it went to the writer; else they go on.
            if !keysInFlight.contains(cacheKey) { releaseKey(of: command) }
        case .failure(let error):
            logger.error("reading a stored reply failed: \(error.description)")
            fail(command, RoadshowError(.internal, "could not check the requestKey; retry"))
            releaseKey(of: command)
        }
    }

    /// The command's key is no longer in flight: the repeats that waited for it
    /// are decided now, so they get its reply (or, if it failed, a decision of
    /// their own).
    func releaseKey(of command: PendingCommand) {
        guard let cacheKey = command.replyKey else { return }
        keysInFlight.remove(cacheKey)
        for waiting in waitingOnKey.removeValue(forKey: cacheKey) ?? [] { schedule(waiting) }
    }

    /// Decides the commands that waited, in order, while the pipeline has
    /// room (and, behind a barrier, once it has drained).
    func pump(_ slot: StreamSlot) {
        if slot.barrier {
            guard slot.pipeline.isEmpty else { return }
            slot.barrier = false
        }
        while !slot.barrier, slot.pipeline.count < StreamSlot.pipelineLimit, let next = slot.waiting.popFirst() {
            decide(next, on: slot, keyChecked: false)
        }
    }

    /// Sessions whose token was revoked (a removed participant, a replaced
    /// invite link) are closed with a reason saying why.
    func disconnectRevoked(_ changes: [CredentialChange], events: [DomainEvent]) {
        for change in changes {
            guard case .revokeActor(let actorId) = change else { continue }
            let removed = events.contains { if case .rosterRemoved(actorId) = $0 { return true }; return false }
            for id in sessionsByActor[actorId] ?? [] {
                guard let s = sessions[id], let hash = s.tokenHash, credentials[hash] == nil else { continue }
                let reason: String
                if removed {
                    reason = "you were removed from the roster of this meeting"
                } else if s.actor?.kind == .participant {
                    reason = "your invite link was replaced; open the new link"
                } else {
                    reason = "your access token was replaced; sign in with the new one"
                }
                close(s, code: CloseCode.policy, reason: reason)
            }
        }
    }
}
