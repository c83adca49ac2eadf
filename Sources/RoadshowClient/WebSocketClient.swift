import CLibWebSockets
import Foundation

/// One WebSocket client connection over libwebsockets.
///
/// Each connection has its own lws context and one service thread that owns
/// it: every lws call except `lws_cancel_service` happens on that thread.
/// Other threads hand it work through a locked inbox and wake it with
/// `lws_cancel_service`; the thread drains the inbox in
/// `LWS_CALLBACK_EVENT_WAIT_CANCELLED`. Outgoing messages are written in
/// `LWS_CALLBACK_CLIENT_WRITEABLE`, one `lws_write` per callback. Complete
/// incoming messages and the close are reported to `Handlers` on the service
/// thread, in order.
final class WebSocketClient: @unchecked Sendable {
    /// What the receiver wants done after a message.
    enum Verdict: Sendable {
        case keepOpen
        /// Close the connection with this code (1003, 1007, ...).
        case close(code: Int, reason: String)
    }

    struct Handlers: Sendable {
        /// A complete message; called on the service thread.
        var onMessage: @Sendable (_ bytes: [UInt8], _ binary: Bool) -> Verdict
        /// The connection ended (after it was open); called once, on the service thread.
        var onClose: @Sendable (CloseInfo) -> Void
    }

    struct Options: Sendable {
        var origin: String?
        var subprotocol = "roadshow.v1"
        /// The largest message accepted from the server; a bigger one closes with 1009.
        var maxMessageBytes = 16 << 20
        /// Idle seconds before lws pings the server, and before it gives up on it.
        var pingAfterSeconds: UInt16 = 20
        var hangUpAfterSeconds: UInt16 = 45
    }

    let address: ServerAddress
    let options: Options
    let handlers: Handlers

    // MARK: shared between threads (under `shared`'s lock)

    private enum Work {
        case send(PaddedFrame)
        case close(code: Int, reason: String)
        case abort(String)
    }

    private enum Phase { case idle, connecting, open, closed }

    private struct Shared {
        var phase: Phase = .idle
        var inbox: [Work] = []
        var wakePending = false
        /// Valid while the service thread runs its context; cleared before the context is destroyed.
        var context: OpaquePointer?
        var connectWaiter: CheckedContinuation<Void, any Error>?
        var closeInfo: CloseInfo?
    }

    private let shared = Locked(Shared())

    // MARK: confined to the service thread

    private struct PaddedFrame {
        /// `LWS_PRE` bytes of headroom, then the payload.
        var bytes: [UInt8]
        let binary: Bool
    }

    private var serviceThread: pthread_t?
    private var outgoing: [PaddedFrame] = []
    private var outgoingHead = 0
    private var assembler: MessageAssembler
    private var established = false
    private var finished = false
    private var closeRequest: (code: Int, reason: String)?
    private var peerClose: CloseInfo?
    private var localClose: CloseInfo?
    private var closeReported = false
    private var connectErrorReported = false

    init(address: ServerAddress, options: Options, handlers: Handlers) {
        self.address = address
        self.options = options
        self.handlers = handlers
        self.assembler = MessageAssembler(limit: options.maxMessageBytes)
    }

    var closeInfo: CloseInfo? { shared.withLock { $0.closeInfo } }

    var isOpen: Bool { shared.withLock { $0.phase == .open } }

    // MARK: - Caller side (any thread)

    /// Starts the service thread and returns once the WebSocket handshake is
    /// done, or throws why it could not be.
    func open(timeout: Duration) async throws {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            guard let self else { return }
            self.failConnect(.timedOut(url: self.address.description, what: "the WebSocket handshake", seconds: seconds))
        }
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let start: Bool = shared.withLock { s in
                guard s.phase == .idle else { return false }
                s.phase = .connecting
                s.connectWaiter = continuation
                return true
            }
            guard start else {
                continuation.resume(throwing: RoadshowClientError.closed(url: address.description, closeInfo))
                return
            }
            let thread = Thread { self.runServiceThread() }
            thread.name = "roadshow-client \(address)"
            thread.start()
        }
    }

    /// Queues a message; it is written when the socket is writable.
    func send(_ payload: some Collection<UInt8>, binary: Bool) throws(RoadshowClientError) {
        var bytes = [UInt8](repeating: 0, count: Int(rs_lws_pre))
        bytes.reserveCapacity(Int(rs_lws_pre) + payload.count)
        bytes.append(contentsOf: payload)
        let frame = PaddedFrame(bytes: bytes, binary: binary)
        let accepted = post(.send(frame), onlyWhenOpen: true)
        if !accepted { throw .closed(url: address.description, closeInfo) }
    }

    /// Asks for a normal close; queued messages are written first.
    func close(code: Int = 1000, reason: String = "") {
        _ = post(.close(code: code, reason: reason), onlyWhenOpen: false)
    }

    private func failConnect(_ error: RoadshowClientError) {
        let waiter: CheckedContinuation<Void, any Error>? = shared.withLock { s in
            defer { s.connectWaiter = nil }
            return s.connectWaiter
        }
        guard let waiter else { return }
        waiter.resume(throwing: error)
        _ = post(.abort(error.description), onlyWhenOpen: false)
    }

    /// Puts work in the inbox and wakes the service thread.
    private func post(_ work: Work, onlyWhenOpen: Bool) -> Bool {
        shared.withLock { s in
            if onlyWhenOpen, s.phase != .open { return false }
            guard s.phase == .connecting || s.phase == .open, let context = s.context else {
                // Not started yet, or already gone: a close or abort has nothing to do.
                if s.phase == .connecting { s.inbox.append(work) }
                return s.phase == .connecting
            }
            s.inbox.append(work)
            if !s.wakePending {
                s.wakePending = true
                // Safe from any thread; the context stays alive while `s.context` is set.
                lws_cancel_service(context)
            }
            return true
        }
    }

    // MARK: - Service thread

    private func assertOnServiceThread() {
        #if DEBUG
        if let serviceThread { precondition(pthread_equal(serviceThread, pthread_self()) != 0, "lws call off its service thread") }
        #endif
    }

    private func runServiceThread() {
        serviceThread = pthread_self()
        let pinned = PinnedStrings([
            options.subprotocol, address.host, address.path, address.hostHeader, options.origin ?? "",
        ])
        let protocols = UnsafeMutablePointer<lws_protocols>.allocate(capacity: 2)
        protocols.initialize(repeating: lws_protocols(), count: 2)
        protocols[0].name = UnsafePointer(pinned[0])
        protocols[0].callback = roadshowClientCallback
        protocols[0].rx_buffer_size = 16 * 1024
        let retry = UnsafeMutablePointer<lws_retry_bo_t>.allocate(capacity: 1)
        retry.initialize(to: lws_retry_bo_t())
        retry.pointee.secs_since_valid_ping = options.pingAfterSeconds
        retry.pointee.secs_since_valid_hangup = options.hangUpAfterSeconds
        defer {
            protocols.deinitialize(count: 2)
            protocols.deallocate()
            retry.deallocate()
            pinned.free()
        }

        var info = lws_context_creation_info()
        info.port = CONTEXT_PORT_NO_LISTEN
        info.protocols = UnsafePointer(protocols)
        info.user = Unmanaged.passUnretained(self).toOpaque()
        // One connection: keep lws from sizing its fd tables from `ulimit -n`.
        info.fd_limit_per_thread = 32
        info.connect_timeout_secs = 30
        // Send the Origin header as given (lws would otherwise put "http://" before it).
        info.options = UInt64(LWS_SERVER_OPTION_JUST_USE_RAW_ORIGIN)
        if address.secure { info.options |= UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT) }
        guard let context = lws_create_context(&info) else {
            reportConnectError("libwebsockets could not create a client context")
            return
        }
        let proceed: Bool = shared.withLock { s in
            s.context = context
            return s.phase == .connecting && s.connectWaiter != nil
        }

        if proceed {
            var connect = lws_client_connect_info()
            connect.context = context
            connect.address = UnsafePointer(pinned[1])
            connect.port = Int32(address.port)
            connect.path = UnsafePointer(pinned[2])
            connect.host = UnsafePointer(pinned[3])
            if options.origin != nil { connect.origin = UnsafePointer(pinned[4]) }
            connect.protocol = UnsafePointer(pinned[0])
            connect.ssl_connection = address.secure ? Int32(LCCSCF_USE_SSL.rawValue) : 0
            connect.retry_and_idle_policy = UnsafePointer(retry)
            if lws_client_connect_via_info(&connect) == nil, !connectErrorReported {
                reportConnectError("the connection could not be started")
            }
            while !finished {
                if lws_service(context, 0) < 0 { break }
            }
        }

        shared.withLock { s in
            s.context = nil
            s.inbox.removeAll()
        }
        lws_context_destroy(context)
        if !closeReported, established { reportClosed() }
        if !connectErrorReported, !established { reportConnectError("the connection was abandoned") }
    }

    /// The C callback lands here (on the service thread).
    fileprivate func handle(_ wsi: OpaquePointer, _ reason: lws_callback_reasons, _ input: UnsafeMutableRawPointer?, _ length: Int)
        -> Int32
    {
        assertOnServiceThread()
        switch reason {
        case LWS_CALLBACK_CLIENT_ESTABLISHED:
            established = true
            let waiter: CheckedContinuation<Void, any Error>? = shared.withLock { s in
                defer { s.connectWaiter = nil }
                if s.phase == .connecting { s.phase = .open }
                return s.connectWaiter
            }
            if let waiter {
                waiter.resume()
            } else {
                // The caller gave up (timed out) before the handshake finished.
                closeRequest = (1000, "the client gave up waiting")
            }
            drainInbox(wsi)
            if pendingOutgoing || closeRequest != nil { lws_callback_on_writable(wsi) }

        case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
            let text = input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? "unknown error"
            reportConnectError(text)
            finished = true

        case LWS_CALLBACK_CLIENT_RECEIVE:
            let piece = UnsafeRawBufferPointer(start: input, count: input == nil ? 0 : length)
            let final = lws_is_final_fragment(wsi) != 0 && lws_remaining_packet_payload(wsi) == 0
            switch assembler.append(piece, binary: lws_frame_is_binary(wsi) != 0, final: final) {
            case .partial:
                break
            case .tooLarge:
                return closeNow(wsi, code: 1009, reason: "message over \(options.maxMessageBytes) bytes")
            case .message(let bytes, let binary):
                if case .close(let code, let why) = handlers.onMessage(bytes, binary) {
                    return closeNow(wsi, code: code, reason: why)
                }
            }

        case LWS_CALLBACK_CLIENT_WRITEABLE:
            return writeNext(wsi)

        case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
            var code = 1005  // "no status received"
            var why = ""
            if let input, length >= 2 {
                let bytes = UnsafeRawBufferPointer(start: input, count: length)
                code = Int(bytes[0]) << 8 | Int(bytes[1])
                why = String(decoding: bytes[2...], as: UTF8.self)
            }
            peerClose = CloseInfo(code: code, reason: why, initiatedLocally: false)

        case LWS_CALLBACK_CLIENT_CLOSED:
            finished = true
            currentWsi = nil
            reportClosed()

        case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
            // Delivered with a stand-in wsi; only our one connection's state matters.
            drainInbox(nil)

        default:
            break
        }
        return 0
    }

    private var currentWsi: OpaquePointer?

    private var pendingOutgoing: Bool { outgoingHead < outgoing.count }

    private func drainInbox(_ established: OpaquePointer?) {
        if let established { currentWsi = established }
        let work: [Work] = shared.withLock { s in
            s.wakePending = false
            defer { s.inbox.removeAll() }
            return s.inbox
        }
        for item in work {
            switch item {
            case .send(let frame):
                outgoing.append(frame)
            case .close(let code, let reason):
                if closeRequest == nil { closeRequest = (code, reason) }
            case .abort(let why):
                localClose = CloseInfo(code: CloseInfo.abnormal, reason: why, initiatedLocally: true)
                finished = true
            }
        }
        if !self.established, closeRequest != nil {
            // Closing before the handshake finished: drop the attempt.
            finished = true
        }
        if self.established, let wsi = currentWsi, pendingOutgoing || closeRequest != nil {
            lws_callback_on_writable(wsi)
        }
    }

    private func writeNext(_ wsi: OpaquePointer) -> Int32 {
        currentWsi = wsi
        if pendingOutgoing {
            let pre = Int(rs_lws_pre)
            let binary = outgoing[outgoingHead].binary
            let length = outgoing[outgoingHead].bytes.count - pre
            let written = outgoing[outgoingHead].bytes.withUnsafeMutableBytes { raw in
                lws_write(wsi, raw.baseAddress!.advanced(by: pre).assumingMemoryBound(to: UInt8.self), length,
                    binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT)
            }
            outgoing[outgoingHead].bytes = []
            outgoingHead += 1
            if outgoingHead > 64, outgoingHead * 2 > outgoing.count {
                outgoing.removeFirst(outgoingHead)
                outgoingHead = 0
            }
            if written < length {
                localClose = CloseInfo(code: CloseInfo.abnormal, reason: "writing to the socket failed", initiatedLocally: true)
                return -1
            }
            if pendingOutgoing || closeRequest != nil { lws_callback_on_writable(wsi) }
            return 0
        }
        if let request = closeRequest {
            return closeNow(wsi, code: request.code, reason: request.reason)
        }
        return 0
    }

    /// Sends a close frame with `code` and ends the connection (returning -1 from the callback).
    private func closeNow(_ wsi: OpaquePointer, code: Int, reason: String) -> Int32 {
        var why = Array(reason.utf8.prefix(120))
        why.withUnsafeMutableBufferPointer { buffer in
            lws_close_reason(wsi, lws_close_status(rawValue: UInt32(code)), buffer.baseAddress, buffer.count)
        }
        localClose = CloseInfo(code: code, reason: reason, initiatedLocally: true)
        return -1
    }

    private func reportConnectError(_ reason: String) {
        connectErrorReported = true
        finished = true
        let waiter: CheckedContinuation<Void, any Error>? = shared.withLock { s in
            s.phase = .closed
            defer { s.connectWaiter = nil }
            return s.connectWaiter
        }
        let url = address.description
        let error: RoadshowClientError
        if reason.hasPrefix("HS:") {
            error = .upgradeRefused(url: url, reason: Self.explainHandshake(reason))
        } else {
            error = .cannotConnect(url: url, reason: Self.explainConnect(reason, address: address))
        }
        waiter?.resume(throwing: error)
    }

    private func reportClosed() {
        guard !closeReported else { return }
        closeReported = true
        finished = true
        let info = peerClose ?? localClose ?? CloseInfo(code: CloseInfo.abnormal, reason: "", initiatedLocally: false)
        shared.withLock { s in
            s.phase = .closed
            s.closeInfo = info
        }
        handlers.onClose(info)
    }

    /// Turns lws's terse connect diagnostics into words, asking the system
    /// (one plain TCP connect) when lws does not say why.
    static func explainConnect(_ reason: String, address: ServerAddress) -> String {
        let lower = reason.lowercased()
        if lower.contains("ssl") || lower.contains("tls") {
            return "the TLS handshake failed (\(reason))"
        }
        if lower.contains("peer hung up") || lower.contains("read failed") {
            return "the server hung up during the handshake (\(reason))"
        }
        if let why = ConnectProbe.diagnose(host: address.host, port: address.port) { return why }
        return reason
    }

    static func explainHandshake(_ reason: String) -> String {
        switch reason {
        case "HS: ws upgrade response not 101":
            return "it did not switch to WebSocket (wrong path, or a disallowed Origin)"
        case "HS: Cannot match protocol", "HS: PROTOCOL malformed":
            return "it does not speak the roadshow.v1 subprotocol"
        default:
            return reason
        }
    }
}

/// The lws protocol callback. A plain function capturing nothing: it finds its
/// connection through the context's user pointer.
private func roadshowClientCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let context = lws_get_context(wsi), let owner = lws_context_user(context) else { return 0 }
    let client = Unmanaged<WebSocketClient>.fromOpaque(owner).takeUnretainedValue()
    return client.handle(wsi, reason, input, length)
}

/// C strings that must outlive the lws context that points at them.
private struct PinnedStrings {
    private let pointers: [UnsafeMutablePointer<CChar>]

    init(_ strings: [String]) { pointers = strings.map { strdup($0)! } }

    subscript(index: Int) -> UnsafeMutablePointer<CChar> { pointers[index] }

    func free() { for p in pointers { Foundation.free(p) } }
}
