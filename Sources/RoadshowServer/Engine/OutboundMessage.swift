import CLibWebSockets

/// One encoded frame with `LWS_PRE` bytes of headroom in front, shared by every
/// connection that sends it: an event is encoded once, whatever the number of
/// subscribers. lws writes the frame header into the headroom on each send;
/// sends happen one at a time on the service thread, so sharing is safe.
final class OutboundMessage: @unchecked Sendable {
    let storage: UnsafeMutableRawPointer
    let count: Int

    init(_ bytes: [UInt8]) {
        count = bytes.count
        storage = UnsafeMutableRawPointer.allocate(byteCount: rs_lws_pre + max(count, 1), alignment: 16)
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress { (storage + rs_lws_pre).copyMemory(from: base, byteCount: count) }
        }
    }

    deinit { storage.deallocate() }

    /// The payload, after the headroom.
    var payload: UnsafeMutablePointer<UInt8> { (storage + rs_lws_pre).assumingMemoryBound(to: UInt8.self) }
}
