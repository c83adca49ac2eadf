import CLibWebSockets
import Foundation
import RoadshowCore

/// One WebSocket connection's state. Lives on the service thread only.
final class Connection {
    let id: Int
    let wsi: OpaquePointer
    let peer: String
    var actor: Actor?
    /// The hash of the token this connection signed in with.
    var tokenHash: String?
    /// Streams this connection is subscribed to.
    var subscriptions: Set<String> = []
    /// Bytes of a message arriving in fragments.
    var receiving: [UInt8] = []
    var receivingTooLarge = false
    /// Frames waiting for the writeable callback, oldest first.
    var outbox: [OutboundMessage] = []
    var outboxHead = 0
    var outboxBytes = 0
    /// When set, the next writeable callback closes the connection with this code.
    var closing: (code: Int32, reason: String)?
    // Token bucket for rate limiting.
    var tokens: Double
    var lastRefill: Double

    init(id: Int, wsi: OpaquePointer, peer: String, burst: Double, now: Double) {
        self.id = id
        self.wsi = wsi
        self.peer = peer
        self.tokens = burst
        self.lastRefill = now
    }

    var hasOutput: Bool { outboxHead < outbox.count }

    func enqueue(_ message: OutboundMessage) {
        outbox.append(message)
        outboxBytes += message.count
    }

    func dequeue() -> OutboundMessage? {
        guard outboxHead < outbox.count else { return nil }
        let m = outbox[outboxHead]
        outboxHead += 1
        outboxBytes -= m.count
        if outboxHead >= 64, outboxHead * 2 >= outbox.count {
            outbox.removeFirst(outboxHead)
            outboxHead = 0
        }
        return m
    }

    var queuedCount: Int { outbox.count - outboxHead }

    /// Takes one request from the bucket; false when the connection is over its rate.
    func admit(now: Double, rate: Double, burst: Double) -> Bool {
        tokens = min(burst, tokens + (now - lastRefill) * rate)
        lastRefill = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
