import Foundation
import RoadshowCore

/// `stream.subscribe` / `stream.unsubscribe`: snapshots, resume with `since`,
/// and the fan-out of committed events to subscribers.
extension Engine {
    func subscribe(_ s: Session, _ requestId: String, _ args: Args, _ actor: Actor) throws(RoadshowError) {
        try args.rejectUnknown(["stream", "since"])
        let id = try Queries.subscribableStream(args, actor, in: self)
        guard let slot = streams[id] else { throw .notFound("there is no stream \(id)", zh: "找不到 \(id)。", field: "args.stream") }
        let since = try args.optionalInt("since", in: 0...Int64.max, what: "the last seq you saw")
        if let since, since > slot.seq {
            throw .conflict("since (\(since)) is ahead of stream \(slot.id), which is at seq \(slot.seq); subscribe without since for a fresh snapshot", zh: "页面记录的进度比服务器还新，正在重新加载。", field: "args.since")
        }
        if s.catchingUp[slot.id] != nil {
            throw .conflict("a resume of \(slot.id) is still on its way to this connection; wait for its reply", zh: "正在补发错过的更新，请稍候。", field: "args.stream")
        }
        let limitedTo = viewer(actor, slot)
        var recent: [OutboundMessage]?
        if let since {
            recent = slot.recentFrames(after: since, limitedTo: limitedTo)
            if recent == nil {
                // Older than the frames kept in memory: the reader fetches them,
                // and live frames wait behind them until they are sent.
                s.catchingUp[slot.id] = []
                let read = nextRead
                nextRead += 1
                pendingReads[read] = .catchUp(session: s.id, requestId: requestId, stream: slot.id, limitedTo: limitedTo)
                reader.events(read: read, stream: slot.id, after: since, upTo: slot.seq)
            }
        }
        if slot.subscribers[s.id] == nil { metrics.add(metrics.subscriptions) }
        slot.subscribers[s.id] = s
        s.subscriptions.insert(slot.id)
        guard since != nil else {
            reply(s, requestId, result: [
                "snapshot": Queries.snapshot(slot.state, for: actor, now: now, policy: policy), "seq": .int(slot.seq),
                "serverTime": .string(Timestamp.format(now)),
            ])
            return
        }
        if let recent {
            for f in recent { send(f, to: s) }
            reply(s, requestId, result: ["seq": .int(slot.seq)])
        }
    }

    /// The reader's events for a resume from far behind: they go first, then
    /// the live frames that arrived meanwhile, then the reply.
    func catchUpRead(_ read: Int, _ result: Result<[RecordedEvent], Inbox.ReadFailure>) {
        guard case .catchUp(let sessionId, let requestId, let stream, let limitedTo)? = pendingReads.removeValue(forKey: read),
            let s = sessions[sessionId]
        else { return }
        guard let live = s.catchingUp.removeValue(forKey: stream), s.subscriptions.contains(stream) else {
            reply(s, requestId, error: .conflict("the subscription to \(stream) ended before its resume arrived", zh: "订阅在补发更新前已结束，请刷新。", field: "args.stream"))
            return
        }
        switch result {
        case .success(let events):
            for e in events { send(EventFrames(e).frame(for: limitedTo), to: s) }
            for f in live { send(f, to: s) }
            reply(s, requestId, result: ["seq": .int(streams[stream]?.seq ?? 0)])
        case .failure(let error):
            logger.error("reading \(stream) for a resume failed: \(error.description)")
            streams[stream]?.subscribers.removeValue(forKey: s.id)
            if s.subscriptions.remove(stream) != nil { metrics.add(metrics.subscriptions, -1) }
            reply(s, requestId, error: RoadshowError(.internal, "could not read the stream's events; try again"))
        }
    }

    func unsubscribe(_ s: Session, _ requestId: String, _ args: Args) throws(RoadshowError) {
        try args.rejectUnknown(["stream"])
        let id = try args.string("stream", maxLength: 64, what: "a stream id")
        if s.subscriptions.remove(id) != nil {
            streams[id]?.subscribers.removeValue(forKey: s.id)
            metrics.add(metrics.subscriptions, -1)
        }
        reply(s, requestId, result: [:])
    }

    /// What this actor may see of the stream's events: only its own contacts
    /// unless it runs the meeting (`EventFrames.hidesContacts`); internal
    /// events withheld when it is the company.
    func viewer(_ actor: Actor?, _ slot: StreamSlot) -> Viewer {
        guard let actor, let m = slot.meeting else { return .everything }
        return Viewer(contactsOf: Permissions.seesContacts(actor, m) ? nil : actor.id, outsider: m.isOutsider(actor))
    }

    /// Sends committed events to the stream's subscribers: each frame was
    /// encoded once when decided (twice for the few events whose participant
    /// view leaves out contacts).
    func fanOut(_ frames: [EventFrames], on slot: StreamSlot) {
        for f in frames {
            slot.remember(f)
            for s in slot.subscribers.values {
                let message = f.isUniform ? f.full : f.frame(for: viewer(s.actor, slot))
                if s.catchingUp[slot.id] != nil {
                    s.catchingUp[slot.id]!.append(message)
                    if s.catchingUp[slot.id]!.count > config.limits.maxQueuedMessages {
                        metrics.add(metrics.slowClientsDropped)
                        close(s, code: CloseCode.policy, reason: "too slow: outgoing queue full; reconnect and resume with since")
                    }
                } else {
                    send(message, to: s)
                }
            }
        }
    }
}
