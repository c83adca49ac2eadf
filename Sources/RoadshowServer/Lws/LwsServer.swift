import CLibWebSockets
import Foundation
import RoadshowCore

/// The libwebsockets side, an adapter around the engine: it owns the context
/// (made, serviced and destroyed on the service thread), its protocols and
/// mounts, each connection's `wsi` and the bytes of a message arriving in
/// fragments. It hands the engine whole messages and writable callbacks and
/// writes what the engine gives it; it knows nothing of the domain.
/// C callbacks capture nothing: they find the adapter through
/// `lws_context_user` and the session through the per-session user data.
final class LwsServer: EnginePort {
    /// C strings, protocol and mount tables handed to lws: they live as long as the context.
    private var cStrings: [UnsafeMutablePointer<CChar>] = []
    private var protocols: UnsafeMutablePointer<lws_protocols>?
    private var mounts: UnsafeMutablePointer<lws_http_mount>?
    private var retry: UnsafeMutablePointer<lws_retry_bo_t>?
    private var protocolOptions: UnsafeMutablePointer<lws_protocol_vhost_options>?
    private(set) var context: OpaquePointer?
    /// lws sets this to nil once it has freed the context (info.pcontext).
    private let contextSlot = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: 1)
    /// The libev loop (`.libev`), made and run here: lws is handed it as a
    /// foreign loop.
    private var evLoop: OpaquePointer?
    /// The keepalive sweep's timer (one for all connections).
    private var sweepTimer: UnsafeMutablePointer<rs_timer>?
    let eventLoop: ServerConfiguration.EventLoop

    private(set) var engine: Engine?
    let config: ServerConfiguration
    let metrics: Metrics
    private(set) var origins: OriginPolicy
    private var files: StaticFiles?
    /// The security headers as C strings, made once.
    var headerNames: [UnsafePointer<CChar>?] = []
    var headerValues: [UnsafePointer<CChar>?] = []
    /// Session id → its connection.
    private var wsis: [Int: OpaquePointer] = [:]
    /// Bytes of messages arriving in fragments, by session id.
    private var receiving: [Int: [UInt8]] = [:]
    /// HTTP responses waiting for their writeable callbacks (headers, then body).
    var responses: [OpaquePointer: PendingResponse] = [:]
    /// Uploads being received, and the numbers the engine answers them by.
    var uploads: [OpaquePointer: UploadState] = [:]
    var httpIds: [OpaquePointer: Int] = [:]
    var httpWsis: [Int: OpaquePointer] = [:]
    var nextHttpId = 1
    /// While an engine call runs (`collectingWrites`): the connections it
    /// queued frames for, written once it returns.
    private var collecting = false
    private var pendingWrites: Set<Int> = []
    /// The Autobahn echo endpoint, only with `serve --autobahn-echo` (AutobahnEcho.swift).
    let echo: AutobahnEcho?

    static let subprotocol = "roadshow.v1"

    struct StartError: Error, CustomStringConvertible {
        let description: String
    }

    init(config: ServerConfiguration, metrics: Metrics) {
        self.config = config
        self.metrics = metrics
        self.origins = OriginPolicy(allowed: Set(config.allowedOrigins.map { $0.lowercased() }))
        self.echo = config.autobahnEcho ? AutobahnEcho() : nil
        self.eventLoop = config.eventLoop ?? .preferred
        contextSlot.initialize(to: nil)
    }

    deinit { contextSlot.deallocate() }

    private func cString(_ s: String) -> UnsafePointer<CChar> {
        let p = strdup(s)!
        cStrings.append(p)
        return UnsafePointer(p)
    }

    /// Creates the context and starts listening; returns the port (which may
    /// have been 0: a free one).
    func listen(webRoot: String, engine: Engine) throws -> Int {
        self.engine = engine
        // LLL_ERR, and LLL_WARN | LLL_NOTICE in debug; not LLL_NOTICE on libev,
        // where lws 4.1's glue logs a notice for every watcher change.
        rs_lws_set_log_level(config.logger.logLevel <= .debug ? (eventLoop == .libev ? 3 : 7) : 1)
        // http, roadshow.v1, autobahn-echo (only with --autobahn-echo), the terminator.
        let count = echo == nil ? 3 : 4
        let protocols = UnsafeMutablePointer<lws_protocols>.allocate(capacity: count)
        protocols.initialize(repeating: lws_protocols(), count: count)
        protocols[0].name = cString("http")
        protocols[0].callback = httpCallback
        protocols[0].per_session_data_size = 0
        protocols[1].name = cString(Self.subprotocol)
        protocols[1].callback = webSocketCallback
        protocols[1].per_session_data_size = MemoryLayout<rs_ws_session>.size
        protocols[1].rx_buffer_size = 16 * 1024
        protocols[1].tx_packet_size = 0
        if echo != nil {
            protocols[2].name = cString(AutobahnEcho.protocolName)
            protocols[2].callback = autobahnEchoCallback
            protocols[2].per_session_data_size = 0
            protocols[2].rx_buffer_size = 64 * 1024
            // The vhost's default protocol: a WebSocket naming no subprotocol
            // (Autobahn's) is bound to it instead of to `http`, which refuses it.
            let options = UnsafeMutablePointer<lws_protocol_vhost_options>.allocate(capacity: 2)
            options.initialize(repeating: lws_protocol_vhost_options(), count: 2)
            options[1].name = cString("default")
            options[1].value = cString("")
            options[0].name = cString(AutobahnEcho.protocolName)
            options[0].value = cString("")
            options[0].options = UnsafePointer(options + 1)
            protocolOptions = options
        }
        self.protocols = protocols

        // Everything over HTTP goes to the http callback: the engine's paths,
        // and web/'s files (StaticFiles: inside the root only, with the headers).
        files = StaticFiles(webRoot: webRoot)
        headerNames = SecurityHeaders.lines.map { cString($0.0) }
        headerValues = SecurityHeaders.lines.map { cString($0.1) }
        let mounts = UnsafeMutablePointer<lws_http_mount>.allocate(capacity: 1)
        mounts.initialize(to: lws_http_mount())
        mounts[0].mountpoint = cString("/")
        mounts[0].mountpoint_len = 1
        mounts[0].origin = cString("http")
        mounts[0].origin_protocol = UInt8(LWSMPRO_CALLBACK.rawValue)
        self.mounts = mounts

        // No lws validity timers (lws's default policy pings every 300 s): a
        // timer per connection sits in lws's one sorted timer list, and each
        // new connection and each pong is an insert that walks all of them.
        // The keepalive sweep below does the pings and the hang-ups instead.
        let retry = UnsafeMutablePointer<lws_retry_bo_t>.allocate(capacity: 1)
        retry.initialize(to: lws_retry_bo_t())
        retry.pointee.secs_since_valid_ping = 0
        retry.pointee.secs_since_valid_hangup = 0
        self.retry = retry

        var info = lws_context_creation_info()
        info.port = Int32(config.port)
        info.iface = cString(config.host)
        info.protocols = UnsafePointer(protocols)
        info.mounts = UnsafePointer(mounts)
        info.gid = -1
        info.uid = -1
        info.user = Unmanaged.passUnretained(self).toOpaque()
        info.retry_and_idle_policy = UnsafePointer(retry)
        info.pvo = protocolOptions.map { UnsafePointer($0) }
        info.vhost_name = cString("roadshow")
        info.server_string = cString("roadshow")
        // The context first, then its one vhost (which listens): a vhost that
        // cannot listen is then an error of its own, on every event loop.
        info.options = rs_opt_explicit_vhosts
        info.pcontext = contextSlot
        if let cert = config.tlsCertificatePath, let key = config.tlsKeyPath {
            for (what, path) in [("certificate", cert), ("key", key)] where !FileManager.default.isReadableFile(atPath: path) {
                throw StartError(description: "the TLS \(what) file \(path) cannot be read")
            }
            info.options |= rs_opt_ssl_global_init
            info.ssl_cert_filepath = cString(cert)
            info.ssl_private_key_filepath = cString(key)
        }
        var loops: [UnsafeMutableRawPointer?] = [nil]
        if eventLoop == .libev {
            guard ServerConfiguration.EventLoop.libevAvailable else {
                throw StartError(description: "the libev event loop needs libwebsockets' libev plugin (\(Self.libevPluginPath), Debian package libwebsockets-evlib-ev); install it, or serve with --event-loop poll")
            }
            guard let loop = rs_ev_loop_new() else { throw StartError(description: "cannot make a libev loop (epoll)") }
            evLoop = loop
            loops[0] = UnsafeMutableRawPointer(loop)
            info.options |= rs_opt_libev
        }
        let made = loops.withUnsafeMutableBufferPointer { buffer -> OpaquePointer? in
            if eventLoop == .libev { info.foreign_loops = buffer.baseAddress }
            defer { info.foreign_loops = nil }
            return lws_create_context(&info)
        }
        guard let ctx = made else {
            throw StartError(description: "libwebsockets could not make its context (event loop \(eventLoop.rawValue))")
        }
        context = ctx
        guard let vhost = lws_create_vhost(ctx, &info) else {
            if config.tlsCertificatePath != nil {
                throw StartError(description: "cannot listen on \(config.host):\(config.port) with TLS: the port may be in use, or the certificate and key do not load (PEM files, the key matching the certificate)")
            }
            throw StartError(description: "cannot listen on \(config.host):\(config.port): the port may be in use (try --port) or the address wrong")
        }
        let port = Int(lws_get_vhost_listen_port(vhost))
        let timer = UnsafeMutablePointer<rs_timer>.allocate(capacity: 1)
        timer.initialize(to: rs_timer())
        timer.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
        sweepTimer = timer
        scheduleSweep()
        if let evLoop {
            // lws's libev glue arms its timer only from its idle watcher, which
            // starts after the first I/O: until then nothing runs the timers
            // lws has scheduled — among them the one that finishes setting up
            // the vhost's protocols (the default protocol of /echo). Wake the
            // loop once and let it run them before the first connection.
            lws_cancel_service(ctx)
            for _ in 0..<3 { _ = rs_ev_run_nowait(evLoop) }
        }
        origins.own = OriginPolicy.own(host: config.host, port: port, publicURL: config.publicURL)
        return port
    }

    static let libevPluginPath = LWS_INSTALL_LIBDIR + "/libwebsockets-evlib_ev.so"

    /// One turn of the service loop: waits for something to happen (a
    /// socket, a timer, `lws_cancel_service`) and runs its callbacks; false
    /// when lws failed.
    func serviceOnce() -> Bool {
        if let evLoop {
            // Nonzero while lws has watchers on the loop (its listener at least).
            return rs_ev_run_once(evLoop) != 0
        }
        return lws_service(context, 0) >= 0
    }

    /// Closes every connection (their CLOSED callbacks still reach the engine)
    /// and frees what lws was handed.
    func destroy() {
        if let sweepTimer { lws_sul_cancel(&sweepTimer.pointee.sul) }
        // On libev, as on poll, lws closes each connection and frees the
        // context in this one call (its libev glue closes synchronously); the
        // loop it was handed is ours to free afterwards.
        if let context { lws_context_destroy(context) }
        if contextSlot.pointee != nil {
            config.logger.warning("libwebsockets did not finish destroying its context")
        }
        if let evLoop { rs_ev_loop_destroy(evLoop) }
        evLoop = nil
        context = nil
        engine = nil
        cStrings.forEach { free($0) }
        cStrings.removeAll()
        protocols?.deallocate()
        mounts?.deallocate()
        retry?.deallocate()
        protocolOptions?.deallocate()
        sweepTimer?.deallocate()
        sweepTimer = nil
    }

    // MARK: - Keepalive

    /// Every connection is looked at once per sweep (`keepaliveSeconds` / 6):
    /// one lws timer for all of them. A connection that has sent nothing (no
    /// frame, no pong) for `pingAfterSweeps` sweeps gets a ping; one still
    /// silent after `hangUpAfterSweeps` is dropped: by default 30 s and 60 s,
    /// give or take a sweep (5 s).
    static let pingAfterSweeps: UInt8 = 6
    static let hangUpAfterSweeps: UInt8 = 12

    private func scheduleSweep() {
        guard let context, let sweepTimer, config.keepaliveSeconds > 0 else { return }
        let us = max(1_000, lws_usec_t(config.keepaliveSeconds * 1e6) / lws_usec_t(Self.pingAfterSweeps))
        lws_sul_schedule(context, 0, &sweepTimer.pointee.sul, sweepCallback, us)
    }

    fileprivate func sweep() {
        for wsi in wsis.values {
            guard let session = lws_wsi_user(wsi)?.assumingMemoryBound(to: rs_ws_session.self) else { continue }
            if session.pointee.quiet < UInt8.max { session.pointee.quiet += 1 }
            if session.pointee.quiet == Self.hangUpAfterSweeps {
                metrics.add(metrics.keepaliveHangUps)
                lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, rs_to_kill_async)
            } else if session.pointee.quiet == Self.pingAfterSweeps {
                session.pointee.ping_due = 1
                lws_callback_on_writable(wsi)
            }
        }
        scheduleSweep()
    }

    // MARK: - EnginePort

    func wantsWrite(_ session: Int) {
        guard let wsi = wsis[session] else { return }
        if collecting {
            pendingWrites.insert(session)
        } else {
            lws_callback_on_writable(wsi)
        }
    }

    /// Runs an engine call (a wake-up's inbox, a received message) and then
    /// writes what it queued at once, in the same loop turn, to every
    /// connection whose socket takes it — the bare server's way. Asking lws
    /// for a writeable callback instead costs two `epoll_ctl`s and a second
    /// turn per frame (docs/performance.md). lws 4.1 allows a write outside
    /// the writeable callback: what the kernel does not take it keeps
    /// (`buflist_out`) and sends on POLLOUT, asking for the callback itself;
    /// a connection with such a remainder, a ping due, or a close coming goes
    /// the writeable way as before. Not re-entrant into the engine: writes
    /// happen after it returned.
    func collectingWrites(_ body: () -> Void) {
        collecting = true
        body()
        collecting = false
        guard !pendingWrites.isEmpty else { return }
        let ids = pendingWrites
        pendingWrites.removeAll(keepingCapacity: true)
        for id in ids { writeNow(id) }
    }

    /// A connection whose callback is closing it gets nothing written now.
    func dropPendingWrite(_ session: Int) { pendingWrites.remove(session) }

    /// Frames at most per connection and turn written at once; the rest go
    /// from the writeable callback (one connection cannot hold the turn).
    static let framesPerTurn = 8

    private func writeNow(_ id: Int) {
        guard let wsi = wsis[id], let engine else { return }
        guard let session = lws_wsi_user(wsi)?.assumingMemoryBound(to: rs_ws_session.self), session.pointee.ping_due == 0,
            engine.sessions[id]?.closing == nil, lws_send_pipe_choked(wsi) == 0
        else {
            lws_callback_on_writable(wsi)
            return
        }
        for _ in 0..<Self.framesPerTurn {
            switch engine.nextOutput(id) {
            case .nothing:
                return
            case .close:
                lws_callback_on_writable(wsi)
                return
            case .frame(let m, let more):
                if lws_write(wsi, m.payload, m.count, LWS_WRITE_TEXT) < m.count {
                    // The connection failed: lws closes it from the loop.
                    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, rs_to_kill_async)
                    return
                }
                metrics.add(metrics.framesWritten)
                metrics.add(metrics.bytesWritten, m.count)
                if !more { return }
            }
        }
        lws_callback_on_writable(wsi)
    }

    // MARK: - Callbacks

    fileprivate func established(_ wsi: OpaquePointer, _ user: UnsafeMutableRawPointer?) {
        guard let engine else { return }
        var peer = [CChar](repeating: 0, count: 64)
        lws_get_peer_simple(wsi, &peer, 64)
        let id = engine.opened(peer: string(peer))
        wsis[id] = wsi
        user?.assumingMemoryBound(to: rs_ws_session.self).pointee = rs_ws_session(id: id, quiet: 0, ping_due: 0)
        // A connection over a cap is closed at once: the engine asked for its
        // writable callback before its wsi was known, so ask again — only then.
        if engine.sessions[id]?.closing != nil { lws_callback_on_writable(wsi) }
    }

    fileprivate func receive(_ wsi: OpaquePointer, _ id: Int, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        guard let engine else { return -1 }
        if lws_frame_is_binary(wsi) != 0 {
            lws_close_reason(wsi, lws_close_status(UInt32(rs_close_unacceptable)), nil, 0)
            return -1
        }
        let final = lws_is_final_fragment(wsi) != 0 && lws_remaining_packet_payload(wsi) == 0
        let chunk = input.map { UnsafeRawBufferPointer(start: $0, count: length) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        var message: [UInt8]
        if var partial = receiving.removeValue(forKey: id) {
            partial.append(contentsOf: chunk)
            message = partial
        } else {
            message = Array(chunk)
        }
        if message.count > config.limits.maxMessageBytes {
            var reason = Array("message over \(config.limits.maxMessageBytes / 1024) KiB".utf8)
            lws_close_reason(wsi, lws_close_status(UInt32(rs_close_too_large)), &reason, reason.count)
            return -1
        }
        guard final else {
            receiving[id] = message
            return 0
        }
        guard String(validating: message, as: UTF8.self) != nil else {
            lws_close_reason(wsi, lws_close_status(UInt32(rs_close_invalid_payload)), nil, 0)
            return -1
        }
        engine.received(id, message)
        return 0
    }

    fileprivate func writeable(_ wsi: OpaquePointer, _ session: UnsafeMutablePointer<rs_ws_session>) -> Int32 {
        guard let engine else { return -1 }
        if session.pointee.ping_due != 0 {
            // The keepalive's ping first; what the engine has goes next time.
            session.pointee.ping_due = 0
            if rs_ws_write_ping(wsi) < 0 { return -1 }
            lws_callback_on_writable(wsi)
            return 0
        }
        switch engine.nextOutput(session.pointee.id) {
        case .nothing:
            return 0
        case .close(let code, let reason):
            var r = Array(reason.utf8.prefix(120))
            lws_close_reason(wsi, lws_close_status(UInt32(code)), &r, r.count)
            return -1
        case .frame(let m, let more):
            if lws_write(wsi, m.payload, m.count, LWS_WRITE_TEXT) < m.count { return -1 }
            metrics.add(metrics.framesWritten)
            metrics.add(metrics.bytesWritten, m.count)
            if more { lws_callback_on_writable(wsi) }
            return 0
        }
    }

    fileprivate func closed(_ id: Int) {
        wsis.removeValue(forKey: id)
        receiving.removeValue(forKey: id)
        engine?.closed(id)
    }

    fileprivate func httpRequest(_ wsi: OpaquePointer) -> Int32 {
        guard let engine else { return 1 }
        if let post = header(wsi, rs_tok_post_uri, max: 2048), !post.isEmpty { return postRequest(wsi, path: post) }
        let uri = header(wsi, rs_tok_get_uri, max: 2048) ?? ""
        let path = String(uri.prefix { $0 != "?" })
        if case .download(let meeting, let material) = Engine.materialRoute(path) {
            return serveMaterial(wsi, meeting: meeting, material: material)
        }
        let answer: Engine.HTTPAnswer
        var cache = "no-store"
        if path == "/metrics", let token = config.metricsToken,
            !Self.constantTimeEqual(header(wsi, rs_tok_authorization, max: 512) ?? "", "Bearer " + token)
        {
            answer = Engine.HTTPAnswer(status: 401, contentType: "text/plain; charset=utf-8", body: Array("send Authorization: Bearer <the metrics token>\n".utf8))
        } else if Engine.httpPaths.contains(path) {
            answer = engine.http(path: path)
        } else if let file = files?.file(for: uri) {
            answer = Engine.HTTPAnswer(status: 200, contentType: file.contentType, body: file.bytes)
            cache = "no-cache"
        } else {
            answer = Engine.HTTPAnswer(status: 404, contentType: "text/plain; charset=utf-8", body: Array("not found\n".utf8))
        }
        respond(wsi, answer, cache: cache)
        return 0
    }

    /// Compares without stopping at the first difference (no timing hint).
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }

    /// Answers an HTTP request at its next writeable callbacks: the headers,
    /// then the body (`close`: and then the connection, for a body left unread).
    func respond(_ wsi: OpaquePointer, _ answer: Engine.HTTPAnswer, cache: String = "no-store", close: Bool = false) {
        responses[wsi] = PendingResponse(answer: answer, body: OutboundMessage(answer.body), cache: cache, close: close)
        lws_callback_on_writable(wsi)
    }

    fileprivate func httpWriteable(_ wsi: OpaquePointer) -> Int32? {
        guard var r = responses[wsi] else { return nil }
        if !r.headersSent {
            let written = headerNames.withUnsafeBufferPointer { names in
                headerValues.withUnsafeBufferPointer { values in
                    rs_http_write_headers(wsi, UInt32(r.answer.status), r.answer.contentType, r.body.count, r.cache,
                        names.baseAddress, values.baseAddress, Int32(names.count))
                }
            }
            if written != 0 { return -1 }
            r.headersSent = true
            responses[wsi] = r
            lws_callback_on_writable(wsi)
            return 0
        }
        responses.removeValue(forKey: wsi)
        if lws_write(wsi, r.body.payload, r.body.count, LWS_WRITE_HTTP_FINAL) < r.body.count { return -1 }
        if r.close { return -1 }
        return lws_http_transaction_completed(wsi) != 0 ? -1 : 0
    }

    fileprivate func httpClosed(_ wsi: OpaquePointer) {
        responses.removeValue(forKey: wsi)
        uploadClosed(wsi)
    }
}

/// An HTTP answer on its way out.
struct PendingResponse {
    let answer: Engine.HTTPAnswer
    let body: OutboundMessage
    let cache: String
    let close: Bool
    var headersSent = false
}

@inline(__always) private func server(of wsi: OpaquePointer?) -> LwsServer? {
    guard let wsi, let ctx = lws_get_context(wsi), let user = lws_context_user(ctx) else { return nil }
    return Unmanaged<LwsServer>.fromOpaque(user).takeUnretainedValue()
}

func header(_ wsi: OpaquePointer, _ token: Int32, max: Int = 512) -> String? {
    var buffer = [CChar](repeating: 0, count: max)
    let n = rs_hdr(wsi, &buffer, Int32(max), token)
    guard n >= 0 else { return nil }
    return string(buffer)
}

/// A NUL-terminated C string buffer as a String.
func string(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// The keepalive sweep's timer.
private func sweepCallback(_ sul: UnsafeMutablePointer<lws_sorted_usec_list_t>?) {
    guard let sul else { return }
    let timer = UnsafeMutableRawPointer(sul).assumingMemoryBound(to: rs_timer.self)
    guard let owner = timer.pointee.owner else { return }
    Unmanaged<LwsServer>.fromOpaque(owner).takeUnretainedValue().sweep()
}

/// The WebSocket protocol `roadshow.v1`.
private func webSocketCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let server = server(of: wsi) else { return 0 }
    switch reason {
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        server.collectingWrites { server.engine?.drainInbox() }
        return 0
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        // Only /ws, and browsers only from allowed origins.
        guard header(wsi, rs_tok_get_uri) == "/ws" else { return 1 }
        if let origin = header(wsi, rs_tok_origin), !origin.isEmpty {
            return server.origins.allows(origin) ? 0 : 1
        }
        return 0
    case LWS_CALLBACK_ESTABLISHED:
        server.established(wsi, user)
        return 0
    case LWS_CALLBACK_RECEIVE:
        guard let session = user?.assumingMemoryBound(to: rs_ws_session.self) else { return -1 }
        session.pointee.quiet = 0
        var result: Int32 = 0
        let id = session.pointee.id
        server.collectingWrites {
            result = server.receive(wsi, id, input, length)
            if result != 0 { server.dropPendingWrite(id) }
        }
        return result
    case LWS_CALLBACK_RECEIVE_PONG:
        user?.assumingMemoryBound(to: rs_ws_session.self).pointee.quiet = 0
        return 0
    case LWS_CALLBACK_SERVER_WRITEABLE:
        guard let session = user?.assumingMemoryBound(to: rs_ws_session.self) else { return -1 }
        return server.writeable(wsi, session)
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        return CloseFrame.check(wsi, input, length)
    case LWS_CALLBACK_CLOSED:
        if let session = user?.assumingMemoryBound(to: rs_ws_session.self) { server.closed(session.pointee.id) }
        return 0
    default:
        return 0
    }
}

/// Protocol 0: plain HTTP. Files come from the mount; the engine's paths are answered here.
private func httpCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let server = server(of: wsi) else { return lws_callback_http_dummy(wsi, reason, user, input, length) }
    switch reason {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        // A WebSocket without the roadshow.v1 subprotocol lands here: refuse it.
        return 1
    case LWS_CALLBACK_HTTP:
        return server.httpRequest(wsi)
    case LWS_CALLBACK_HTTP_BODY:
        return server.uploadBody(wsi, input, length)
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        return server.uploadComplete(wsi)
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return server.httpWriteable(wsi) ?? lws_callback_http_dummy(wsi, reason, user, input, length)
    case LWS_CALLBACK_CLOSED_HTTP:
        server.httpClosed(wsi)
        return lws_callback_http_dummy(wsi, reason, user, input, length)
    default:
        return lws_callback_http_dummy(wsi, reason, user, input, length)
    }
}
