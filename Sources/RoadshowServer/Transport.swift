import CLibWebSockets
import Foundation
import RoadshowCore

/// The libwebsockets side: the context, its protocols and mounts, and the C
/// callbacks. Callbacks capture nothing; they find the `Hub` through
/// `lws_context_user` and the `Connection` through the per-session id.
final class Transport: @unchecked Sendable {
    /// C strings, protocol and mount tables handed to lws: they live as long as the context.
    private var cStrings: [UnsafeMutablePointer<CChar>] = []
    private var protocols: UnsafeMutablePointer<lws_protocols>?
    private var mounts: UnsafeMutablePointer<lws_http_mount>?
    private var retry: UnsafeMutablePointer<lws_retry_bo_t>?
    private(set) var context: OpaquePointer?

    static let subprotocol = "roadshow.v1"

    private func cString(_ s: String) -> UnsafePointer<CChar> {
        let p = strdup(s)!
        cStrings.append(p)
        return UnsafePointer(p)
    }

    struct StartError: Error, CustomStringConvertible {
        let description: String
    }

    /// Creates the context and starts listening. The port may be 0 (a free one).
    func create(config: ServerConfiguration, webRoot: String, hub: Hub) throws -> Int {
        rs_lws_set_log_level(config.logger.logLevel <= .debug ? 7 : 1)  // LLL_ERR | LLL_WARN | LLL_NOTICE in debug
        let protocols = UnsafeMutablePointer<lws_protocols>.allocate(capacity: 3)
        protocols.initialize(repeating: lws_protocols(), count: 3)
        protocols[0].name = cString("http")
        protocols[0].callback = httpCallback
        protocols[0].per_session_data_size = 0
        protocols[1].name = cString(Self.subprotocol)
        protocols[1].callback = webSocketCallback
        protocols[1].per_session_data_size = MemoryLayout<Int>.size
        protocols[1].rx_buffer_size = 16 * 1024
        protocols[1].tx_packet_size = 0
        self.protocols = protocols

        // "/" serves web/ as files; /healthz and /metrics are answered by the http callback.
        let mounts = UnsafeMutablePointer<lws_http_mount>.allocate(capacity: 3)
        mounts.initialize(repeating: lws_http_mount(), count: 3)
        mounts[2].mountpoint = cString("/")
        mounts[2].mountpoint_len = 1
        mounts[2].origin = cString(webRoot)
        mounts[2].def = cString("index.html")
        mounts[2].origin_protocol = UInt8(LWSMPRO_FILE.rawValue)
        mounts[2].cache_max_age = 0
        mounts[1].mount_next = UnsafePointer(mounts + 2)
        mounts[1].mountpoint = cString("/metrics")
        mounts[1].mountpoint_len = 8
        mounts[1].origin = cString("http")
        mounts[1].origin_protocol = UInt8(LWSMPRO_CALLBACK.rawValue)
        mounts[0].mount_next = UnsafePointer(mounts + 1)
        mounts[0].mountpoint = cString("/healthz")
        mounts[0].mountpoint_len = 8
        mounts[0].origin = cString("http")
        mounts[0].origin_protocol = UInt8(LWSMPRO_CALLBACK.rawValue)
        self.mounts = mounts

        // Idle connections get a ping after 30 s and are dropped after 60 s without a valid pong.
        let retry = UnsafeMutablePointer<lws_retry_bo_t>.allocate(capacity: 1)
        retry.initialize(to: lws_retry_bo_t())
        retry.pointee.secs_since_valid_ping = 30
        retry.pointee.secs_since_valid_hangup = 60
        self.retry = retry

        var info = lws_context_creation_info()
        info.port = Int32(config.port)
        info.iface = cString(config.host)
        info.protocols = UnsafePointer(protocols)
        info.mounts = UnsafePointer(mounts)
        info.gid = -1
        info.uid = -1
        info.user = Unmanaged.passUnretained(hub).toOpaque()
        info.retry_and_idle_policy = UnsafePointer(retry)
        info.vhost_name = cString("roadshow")
        info.server_string = cString("roadshow")
        info.options = 0
        guard let ctx = lws_create_context(&info) else {
            throw StartError(description: "cannot listen on \(config.host):\(config.port): the port may be in use (try --port) or the address wrong")
        }
        context = ctx
        guard let vhost = lws_get_vhost_by_name(ctx, "roadshow") else {
            throw StartError(description: "libwebsockets created no vhost")
        }
        return Int(lws_get_vhost_listen_port(vhost))
    }

    func destroy() {
        if let context { lws_context_destroy(context) }
        context = nil
        cStrings.forEach { free($0) }
        cStrings.removeAll()
        protocols?.deallocate()
        mounts?.deallocate()
        retry?.deallocate()
    }
}

@inline(__always) private func hub(of wsi: OpaquePointer?) -> Hub? {
    guard let wsi, let ctx = lws_get_context(wsi), let user = lws_context_user(ctx) else { return nil }
    return Unmanaged<Hub>.fromOpaque(user).takeUnretainedValue()
}

private func header(_ wsi: OpaquePointer, _ token: Int32, max: Int = 512) -> String? {
    var buffer = [CChar](repeating: 0, count: max)
    let n = rs_hdr(wsi, &buffer, Int32(max), token)
    guard n >= 0 else { return nil }
    return String(cString: buffer)
}

/// The WebSocket protocol `roadshow.v1`.
private func webSocketCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let hub = hub(of: wsi) else { return 0 }
    switch reason {
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        hub.drainInbox()
        return 0

    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        // Only /ws, and browsers only from allowed origins.
        guard header(wsi, rs_tok_get_uri) == "/ws" else { return 1 }
        if let origin = header(wsi, rs_tok_origin), !origin.isEmpty {
            return hub.originAllowed(origin, host: header(wsi, rs_tok_host) ?? "") ? 0 : 1
        }
        return 0

    case LWS_CALLBACK_ESTABLISHED:
        var peer = [CChar](repeating: 0, count: 64)
        lws_get_peer_simple(wsi, &peer, 64)
        let c = hub.opened(wsi: wsi, peer: String(cString: peer))
        user?.storeBytes(of: c.id, as: Int.self)
        return 0

    case LWS_CALLBACK_RECEIVE:
        guard let user, let c = hub.connections[user.load(as: Int.self)] else { return -1 }
        if lws_frame_is_binary(wsi) != 0 {
            lws_close_reason(wsi, lws_close_status(UInt32(rs_close_unacceptable)), nil, 0)
            return -1
        }
        if c.receiving.count + length > hub.config.limits.maxMessageBytes {
            let reason = Array("message over \(hub.config.limits.maxMessageBytes / 1024) KiB".utf8)
            var r = reason
            lws_close_reason(wsi, lws_close_status(UInt32(rs_close_too_large)), &r, r.count)
            return -1
        }
        if let input, length > 0 {
            c.receiving.append(contentsOf: UnsafeRawBufferPointer(start: input, count: length))
        }
        guard lws_is_final_fragment(wsi) != 0, lws_remaining_packet_payload(wsi) == 0 else { return 0 }
        let message = c.receiving
        c.receiving.removeAll(keepingCapacity: message.count <= 4096)
        guard String(validating: message, as: UTF8.self) != nil else {
            lws_close_reason(wsi, lws_close_status(UInt32(rs_close_invalid_payload)), nil, 0)
            return -1
        }
        hub.handleMessage(c, message)
        return 0

    case LWS_CALLBACK_SERVER_WRITEABLE:
        guard let user, let c = hub.connections[user.load(as: Int.self)] else { return -1 }
        if let closing = c.closing {
            var r = Array(closing.reason.utf8.prefix(120))
            lws_close_reason(wsi, lws_close_status(UInt32(closing.code)), &r, r.count)
            return -1
        }
        guard let m = c.dequeue() else { return 0 }
        let written = lws_write(wsi, m.payload, m.count, LWS_WRITE_TEXT)
        if written < m.count { return -1 }
        hub.metrics.add(hub.metrics.framesWritten)
        hub.metrics.add(hub.metrics.bytesWritten, m.count)
        if c.hasOutput { lws_callback_on_writable(wsi) }
        return 0

    case LWS_CALLBACK_CLOSED:
        if let user, let c = hub.connections[user.load(as: Int.self)] { hub.closed(c) }
        return 0

    default:
        return 0
    }
}

/// Protocol 0: plain HTTP. Files come from the mount; /healthz and /metrics are answered here.
private func httpCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let hub = hub(of: wsi) else { return lws_callback_http_dummy(wsi, reason, user, input, length) }
    switch reason {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        // A WebSocket without the roadshow.v1 subprotocol lands here: refuse it.
        return 1
    case LWS_CALLBACK_HTTP:
        let path = header(wsi, rs_tok_get_uri) ?? ""
        let (status, type, body) = hub.httpResponse(path: path)
        let message = OutboundMessage(Array(body.utf8))
        if rs_http_write_headers(wsi, UInt32(status), type, message.count) != 0 { return 1 }
        hub.httpBodies[wsi] = message
        lws_callback_on_writable(wsi)
        return 0
    case LWS_CALLBACK_HTTP_WRITEABLE:
        guard let m = hub.httpBodies.removeValue(forKey: wsi) else {
            return lws_callback_http_dummy(wsi, reason, user, input, length)
        }
        if lws_write(wsi, m.payload, m.count, LWS_WRITE_HTTP_FINAL) < m.count { return -1 }
        return lws_http_transaction_completed(wsi) != 0 ? -1 : 0
    case LWS_CALLBACK_CLOSED_HTTP:
        hub.httpBodies.removeValue(forKey: wsi)
        return lws_callback_http_dummy(wsi, reason, user, input, length)
    default:
        return lws_callback_http_dummy(wsi, reason, user, input, length)
    }
}
