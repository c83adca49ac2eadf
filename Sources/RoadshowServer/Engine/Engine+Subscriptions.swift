import Foundation
import RoadshowCore

/// `stream.subscribe` / `stream.unsubscribe`: snapshots, resume with `since`,
/// and the fan-out of committed events to subscribers.
extension Engine {
    func subscribe(_ s: Session, _ requestId: String, _ args: Args, _ actor: Actor) throws(RoadshowError) {
        let started = Metrics.now()
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
        if slot.subscribers[s.id] == nil { metrics.add(metrics.subscriptions) }
        slot.subscribers[s.id] = s
        s.subscriptions.insert(slot.id)
        guard let since else {
            replySnapshot(s, requestId, slot, actor)
            metrics.observe(metrics.subscribeDuration, since: started)
            return
        }
        if let recent = slot.recentFrames(after: since, limitedTo: limitedTo) {
            for f in recent { send(f, to: s) }
            reply(s, requestId, result: ["seq": .int(slot.seq)])
            metrics.observe(metrics.subscribeDuration, since: started)
            return
        }
        // Older than the frames kept in memory: read from the store a page at
        // a time, each when the connection has taken the last; live events of
        // the stream are not queued meanwhile (a later page reads them), so the
        // queue never holds more than about a page, however far behind.
        s.catchingUp[slot.id] = CatchUp(requestId: requestId, started: started, viewer: limitedTo, cursor: since)
        continueCatchUp(s, stream: slot.id)
    }

    /// Events read per page of a resume.
    static let catchUpPage: Int64 = 500
    /// A resume's next page is read once the queue holds less than this.
    static let catchUpLowWater = 256 * 1024
    /// Bytes a connection may leave waiting without taking any before it
    /// counts as stalled (`Limits.stallSeconds`).
    static let stallAllowance = 1024 * 1024

    /// Every resume of this session that waits for the queue to drain.
    func continueCatchUps(_ s: Session) {
        for stream in Array(s.catchingUp.keys) { continueCatchUp(s, stream: stream) }
    }

    /// The next step of a resume: done (its reply) when the cursor reached the
    /// stream's seq; the rest from memory when the kept frames reach back far
    /// enough; else the next page from the store, if none is being read and
    /// the queue has room.
    func continueCatchUp(_ s: Session, stream: String) {
        guard var c = s.catchingUp[stream], c.reading == nil, s.closing == nil else { return }
        guard let slot = streams[stream], s.subscriptions.contains(stream) else {
            s.catchingUp.removeValue(forKey: stream)
            return
        }
        if c.cursor >= slot.seq {
            s.catchingUp.removeValue(forKey: stream)
            reply(s, c.requestId, result: ["seq": .int(slot.seq)])
            metrics.observe(metrics.subscribeDuration, since: c.started)
            return
        }
        if let recent = slot.recentFrames(after: c.cursor, limitedTo: c.viewer) {
            s.catchingUp.removeValue(forKey: stream)
            for f in recent { send(f, to: s) }
            reply(s, c.requestId, result: ["seq": .int(slot.seq)])
            metrics.observe(metrics.subscribeDuration, since: c.started)
            return
        }
        guard s.queuedBytes < Self.catchUpLowWater else { return }
        let read = nextRead
        nextRead += 1
        c.reading = read
        s.catchingUp[stream] = c
        pendingReads[read] = .catchUp(session: s.id, stream: stream)
        reader.events(read: read, stream: stream, after: c.cursor, upTo: min(slot.seq, c.cursor + Self.catchUpPage))
    }

    /// A page of a resume from the store: queued, then the next step.
    func catchUpRead(_ read: Int, _ result: Result<[RecordedEvent], Inbox.ReadFailure>) {
        guard case .catchUp(let sessionId, let stream)? = pendingReads.removeValue(forKey: read),
            let s = sessions[sessionId], var c = s.catchingUp[stream], c.reading == read
        else { return }
        guard s.subscriptions.contains(stream) else {
            s.catchingUp.removeValue(forKey: stream)
            reply(s, c.requestId, error: .conflict("the subscription to \(stream) ended before its resume arrived", zh: "订阅在补发更新前已结束，请刷新。", field: "args.stream"))
            metrics.observe(metrics.subscribeDuration, since: c.started)
            return
        }
        switch result {
        case .success(let events):
            guard !events.isEmpty else {
                // Nothing where events should be: the store and memory disagree.
                s.catchingUp.removeValue(forKey: stream)
                reply(s, c.requestId, error: RoadshowError(.internal, "could not read the stream's events; try again"))
                metrics.observe(metrics.subscribeDuration, since: c.started)
                return
            }
            for e in events { send(EventFrames(e).frame(for: c.viewer), to: s) }
            c.cursor = events.last!.seq
            c.reading = nil
            s.catchingUp[stream] = c
            continueCatchUp(s, stream: stream)
        case .failure(let error):
            logger.error("reading \(stream) for a resume failed: \(error.description)")
            s.catchingUp.removeValue(forKey: stream)
            streams[stream]?.subscribers.removeValue(forKey: s.id)
            if s.subscriptions.remove(stream) != nil { metrics.add(metrics.subscriptions, -1) }
            reply(s, c.requestId, error: RoadshowError(.internal, "could not read the stream's events; try again"))
            metrics.observe(metrics.subscribeDuration, since: c.started)
        }
    }

    /// `{seq, serverTime, snapshot}`: a meeting's snapshot from the bytes its
    /// slot keeps ready (`MeetingSnapshotEncoder`), other streams' (small) as JSON.
    func replySnapshot(_ s: Session, _ requestId: String, _ slot: StreamSlot, _ actor: Actor) {
        guard case .meeting(let m)? = slot.state else {
            reply(s, requestId, result: [
                "snapshot": Queries.snapshot(slot.state, for: actor, now: now, policy: policy), "seq": .int(slot.seq),
                "serverTime": .string(Timestamp.format(now)),
            ])
            return
        }
        let encoder = slot.snapshotEncoder
        reply(s, Reply.ok(requestId, capacity: slot.lastSnapshotSize + 256) { out in
            // Keys in JSON's sorted order: seq, serverTime, snapshot.
            out.append(contentsOf: #"{"seq":"#.utf8)
            JSON.int(slot.seq).write(to: &out)
            out.append(contentsOf: #","serverTime":"#.utf8)
            JSON.writeString(Timestamp.format(now), to: &out)
            out.append(contentsOf: #","snapshot":"#.utf8)
            encoder.write(m, version: slot.seq, for: actor, to: &out)
            out.append(UInt8(ascii: "}"))
            slot.lastSnapshotSize = out.count
        })
    }

    /// `meeting.get`: the same answer as `Queries.meetingGet`, from the slot's ready bytes.
    func meetingGet(_ s: Session, _ requestId: String, _ args: Args, _ actor: Actor) throws(RoadshowError) {
        let m = try args.checkingAll { a throws(RoadshowError) in
            try a.rejectUnknown(["meeting"])
            return try Queries.meetingArg(a, actor, self)
        }
        guard let slot = streams[m.id] else { throw .notFound("there is no meeting \(m.id)", zh: "找不到这场会议。", field: "args.meeting") }
        replySnapshot(s, requestId, slot, actor)
    }

    func unsubscribe(_ s: Session, _ requestId: String, _ args: Args) throws(RoadshowError) {
        try args.rejectUnknown(["stream"])
        let id = try args.string("stream", maxLength: 64, what: "a stream id")
        if s.subscriptions.remove(id) != nil {
            streams[id]?.subscribers.removeValue(forKey: s.id)
            metrics.add(metrics.subscriptions, -1)
        }
        if let c = s.catchingUp.removeValue(forKey: id) {
            reply(s, c.requestId, error: .conflict("the subscription to \(id) ended before its resume arrived", zh: "订阅在补发更新前已结束，请刷新。", field: "args.stream"))
            metrics.observe(metrics.subscribeDuration, since: c.started)
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
                // A resume in progress reads this event from the store with a later page.
                if s.catchingUp[slot.id] != nil { continue }
                send(f.isUniform ? f.full : f.frame(for: viewer(s.actor, slot)), to: s)
            }
        }
        guard !frames.isEmpty, !slot.subscribers.isEmpty else { return }
        // Timed from the commit's landing until the last of the subscribers
        // that got these frames takes the last of them for its socket.
        let timing = FanOutTiming(started: landedAt)
        for s in slot.subscribers.values where s.closing == nil && s.catchingUp[slot.id] == nil && s.taken < s.queued {
            s.fanOutsWaiting.append((s.queued, timing))
            timing.waiting += 1
        }
    }

    /// Settles the fan-outs whose last frame this session has taken for its
    /// socket (or dropped, closing): the last subscriber of each records its
    /// time (the clock is read only then).
    func settleFanOuts(_ s: Session) {
        while let w = s.fanOutsWaiting.first, w.upTo <= s.taken {
            s.fanOutsWaiting.removeFirst()
            w.fanOut.waiting -= 1
            if w.fanOut.waiting == 0 { metrics.observe(metrics.fanOutDuration, since: w.fanOut.started) }
        }
    }
}
