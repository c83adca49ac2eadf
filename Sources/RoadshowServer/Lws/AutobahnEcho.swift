import CLibWebSockets
import DequeModule
import Foundation

/// The echo endpoint the Autobahn conformance cases run against
/// (`serve --autobahn-echo`, tests only; docs/reliability.md point 9). It is
/// its own lws protocol, `autobahn-echo`, made the vhost's default so a
/// WebSocket that names no subprotocol lands on it, and it takes only
/// `/echo`. It never reaches the engine: no sign-in, no caps, no Origin check.
///
/// Every text or binary message comes back whole, with its opcode, in frames
/// of at most `frameBytes` (one frame per writable callback). Text is checked
/// as UTF-8 while it arrives: the first byte that cannot be valid closes the
/// connection with 1007. A message over `maxMessageBytes` closes it with
/// 1009. Close frames: lws 4.1 answers them itself (it turns a code that may
/// not be sent into 1002); a 1-byte close payload and a reason that is not
/// UTF-8 are left to this callback (1002 and 1007).
/// Callbacks run on the service thread only.
final class AutobahnEcho {
    static let protocolName = "autobahn-echo"
    static let path = "/echo"
    /// Autobahn's largest messages (cases 9.1.6, 9.2.6) are 16 MiB.
    static let maxMessageBytes = 16 * 1024 * 1024
    static let frameBytes = 64 * 1024
    /// Past this much waiting to go out, stop reading until it is under `resumeBytes`.
    static let pauseBytes = 32 * 1024 * 1024
    static let resumeBytes = 8 * 1024 * 1024

    private struct Message {
        var bytes: [UInt8]
        var binary: Bool
    }

    private final class Session {
        var inMessage = false
        var binary = false
        var receiving: [UInt8] = []
        var utf8: UInt32 = 0
        var outbox = Deque<Message>()
        /// Bytes of `outbox.first` already written.
        var sent = 0
        var queued = 0
        var paused = false
    }

    private var sessions: [OpaquePointer: Session] = [:]
    /// One frame, after LWS_PRE bytes of headroom for lws's header.
    private let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: rs_lws_pre + frameBytes)

    deinit { scratch.deallocate() }

    fileprivate func established(_ wsi: OpaquePointer) {
        sessions[wsi] = Session()
    }

    fileprivate func receive(_ wsi: OpaquePointer, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        guard let s = sessions[wsi] else { return -1 }
        if !s.inMessage {
            s.inMessage = true
            s.binary = lws_frame_is_binary(wsi) != 0
            s.utf8 = 0
            s.receiving = []
        }
        if s.receiving.count + length > Self.maxMessageBytes {
            var reason = Array("message over \(Self.maxMessageBytes / (1024 * 1024)) MiB".utf8)
            lws_close_reason(wsi, lws_close_status(UInt32(rs_close_too_large)), &reason, reason.count)
            return -1
        }
        if let input, length > 0 {
            let chunk = UnsafeRawBufferPointer(start: input, count: length)
            if !s.binary,
                rs_utf8_check(&s.utf8, chunk.baseAddress!.assumingMemoryBound(to: UInt8.self), length) != 0
            {
                return CloseFrame.fail(wsi, rs_close_invalid_payload, "invalid UTF-8")
            }
            s.receiving.append(contentsOf: chunk)
        }
        guard lws_is_final_fragment(wsi) != 0, lws_remaining_packet_payload(wsi) == 0 else { return 0 }
        if !s.binary, s.utf8 != 0 { return CloseFrame.fail(wsi, rs_close_invalid_payload, "text ends inside a character") }
        s.inMessage = false
        s.queued += s.receiving.count
        s.outbox.append(Message(bytes: s.receiving, binary: s.binary))
        s.receiving = []
        if s.queued > Self.pauseBytes, !s.paused {
            s.paused = true
            lws_rx_flow_control(wsi, 0)
        }
        lws_callback_on_writable(wsi)
        return 0
    }

    /// The close frame the peer sent (lws answers it after this returns 0).
    fileprivate func peerClosed(_ wsi: OpaquePointer, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        CloseFrame.check(wsi, input, length)
    }

    fileprivate func writeable(_ wsi: OpaquePointer) -> Int32 {
        guard let s = sessions[wsi], let message = s.outbox.first else { return 0 }
        let count = min(Self.frameBytes, message.bytes.count - s.sent)
        let start = s.sent == 0, end = s.sent + count == message.bytes.count
        let payload = scratch + rs_lws_pre
        message.bytes.withUnsafeBufferPointer { bytes in
            if count > 0 { payload.update(from: bytes.baseAddress! + s.sent, count: count) }
        }
        if rs_ws_write_fragment(wsi, payload, count, message.binary ? 1 : 0, start ? 1 : 0, end ? 1 : 0) < count {
            return -1
        }
        s.sent += count
        if end {
            s.outbox.removeFirst()
            s.sent = 0
            s.queued -= message.bytes.count
            if s.paused, s.queued < Self.resumeBytes {
                s.paused = false
                lws_rx_flow_control(wsi, 1)
            }
        }
        if !s.outbox.isEmpty { lws_callback_on_writable(wsi) }
        return 0
    }

    fileprivate func closed(_ wsi: OpaquePointer) {
        sessions.removeValue(forKey: wsi)
    }

}

/// A peer's close frame, as RFC 6455 §5.5.1 and §7.4 have it, which
/// libwebsockets 4.1 leaves to the protocol: a payload of one byte is a
/// protocol error (1002), a reason that is not UTF-8 an invalid payload
/// (1007). Both protocols (`roadshow.v1` and the test echo) check it.
enum CloseFrame {
    static func check(_ wsi: OpaquePointer, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        if length == 1 { return fail(wsi, rs_close_protocol_error, "close payload of 1 byte") }
        if length > 2, let input {
            var state: UInt32 = 0
            let reason = input.assumingMemoryBound(to: UInt8.self) + 2
            if rs_utf8_check(&state, reason, length - 2) != 0 || state != 0 {
                return fail(wsi, rs_close_invalid_payload, "close reason is not UTF-8")
            }
        }
        return 0
    }

    static func fail(_ wsi: OpaquePointer, _ code: Int32, _ why: String) -> Int32 {
        var reason = Array(why.utf8)
        lws_close_reason(wsi, lws_close_status(UInt32(code)), &reason, reason.count)
        return -1
    }
}

/// The `autobahn-echo` protocol's callback (registered only with `--autobahn-echo`).
func autobahnEchoCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let ctx = lws_get_context(wsi), let owner = lws_context_user(ctx),
        let echo = Unmanaged<LwsServer>.fromOpaque(owner).takeUnretainedValue().echo
    else { return lws_callback_http_dummy(wsi, reason, user, input, length) }
    switch reason {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        var uri = [CChar](repeating: 0, count: 256)
        guard rs_hdr(wsi, &uri, Int32(uri.count), rs_tok_get_uri) >= 0 else { return 1 }
        let path = String(decoding: uri.prefix { $0 != 0 && $0 != 0x3F /* ? */ }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path == AutobahnEcho.path ? 0 : 1
    case LWS_CALLBACK_ESTABLISHED:
        echo.established(wsi)
        return 0
    case LWS_CALLBACK_RECEIVE:
        return echo.receive(wsi, input, length)
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        return echo.peerClosed(wsi, input, length)
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return echo.writeable(wsi)
    case LWS_CALLBACK_CLOSED:
        echo.closed(wsi)
        return 0
    default:
        // As the vhost's default protocol it also sees each connection's
        // HTTP steps before a mount binds it to `http`.
        return lws_callback_http_dummy(wsi, reason, user, input, length)
    }
}
