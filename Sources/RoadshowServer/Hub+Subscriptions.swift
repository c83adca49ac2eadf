import Foundation
import RoadshowCore

/// `stream.subscribe` / `stream.unsubscribe`: snapshots, resume with `since`,
/// and the fan-out of committed events to subscribers.
extension Hub {
    func streamSlot(_ args: Args, _ actor: Actor) throws(RoadshowError) -> StreamSlot {
        let id = try args.string("stream", maxLength: 64, what: "a stream id such as M-7Q2K")
        if id == AccountDirectory.stream {
            guard actor.kind == .admin, let slot = streams[id] else { throw .forbidden("only the admin can follow the accounts stream") }
            return slot
        }
        guard id.hasPrefix("M-") else {
            throw .badRequest("args.stream must be a meeting id (M-…) or \"accounts\"", field: "args.stream")
        }
        do { return try meetingSlot(id, actor) } catch {
            if error.code == .notFound { throw .notFound("there is no stream \(id)", field: "args.stream") }
            throw error
        }
    }

    func subscribe(_ c: Connection, _ requestId: String, _ args: Args, _ actor: Actor) throws(RoadshowError) {
        try args.rejectUnknown(["stream", "since"])
        let slot = try streamSlot(args, actor)
        let since = try args.optionalInt("since", in: 0...Int64.max, what: "the last seq you saw")
        if let since, since > slot.seq {
            throw .conflict("since (\(since)) is ahead of stream \(slot.id), which is at seq \(slot.seq); subscribe without since for a fresh snapshot", field: "args.since")
        }
        var frames: [OutboundMessage] = []
        let limitedTo = contactsLimit(actor, slot)
        if let since {
            if let recent = slot.recentFrames(after: since, limitedTo: limitedTo) {
                frames = recent
            } else {
                do {
                    frames = try store.events(stream: slot.id, after: since, upTo: slot.seq).map { e in
                        let hide = StreamSlot.hidesContacts(about: e.event.participantId, from: limitedTo)
                        return OutboundMessage(hide ? e.frame(data: e.event.dataWithoutContacts) : e.frame())
                    }
                } catch {
                    logger.error("reading \(slot.id) after \(since) failed: \(error)")
                    throw RoadshowError(.internal, "could not read the stream's events; try again")
                }
            }
        }
        if slot.subscribers[c.id] == nil {
            metrics.add(metrics.subscriptions)
        }
        slot.subscribers[c.id] = c
        c.subscriptions.insert(slot.id)
        if since != nil {
            for f in frames { send(f, to: c) }
            reply(c, requestId, result: ["seq": .int(slot.seq)])
        } else {
            reply(c, requestId, result: ["snapshot": snapshot(slot, for: actor), "seq": .int(slot.seq), "serverTime": .string(Timestamp.format(Date()))])
        }
    }

    func unsubscribe(_ c: Connection, _ requestId: String, _ args: Args) throws(RoadshowError) {
        try args.rejectUnknown(["stream"])
        let id = try args.string("stream", maxLength: 64, what: "a stream id")
        if c.subscriptions.remove(id) != nil {
            streams[id]?.subscribers.removeValue(forKey: c.id)
            metrics.add(metrics.subscriptions, -1)
        }
        reply(c, requestId, result: [:])
    }

    /// nil when this actor sees everyone's phone and e-mail on this stream, else
    /// its own id: it sees only its own (`StreamSlot.hidesContacts`).
    func contactsLimit(_ actor: Actor?, _ slot: StreamSlot) -> String? {
        guard let actor, let m = slot.meeting, !Permissions.seesContacts(actor, m) else { return nil }
        return actor.id
    }

    func snapshot(_ slot: StreamSlot, for actor: Actor) -> JSON {
        switch slot.state {
        case .meeting(let m)?: return m.snapshot(for: actor)
        case .accounts(let a)?: return ["accounts": .array(a.accounts.map { JSON(encoding: $0) })]
        case nil: return .null
        }
    }

    /// Sends committed events to the stream's subscribers: each frame encoded
    /// once (twice for the few events whose participant view leaves out contacts).
    func fanOut(_ events: [RecordedEvent], on slot: StreamSlot) {
        for e in events {
            let message = OutboundMessage(e.frame())
            let limited = e.event.dataWithoutContacts.map { OutboundMessage(e.frame(data: $0)) }
            let subject = e.event.participantId
            slot.remember(seq: e.seq, frame: message, withoutContacts: limited, about: subject)
            if let limited {
                for c in slot.subscribers.values {
                    send(StreamSlot.hidesContacts(about: subject, from: contactsLimit(c.actor, slot)) ? limited : message, to: c)
                }
            } else {
                for c in slot.subscribers.values { send(message, to: c) }
            }
        }
    }
}
