import CLibWebSockets
import DequeModule
import Foundation
import RoadshowCore
import Synchronization

/// One WebSocket client connection, driven by the `ClientLoop`'s service thread.
///
/// Callers (any thread) open, send and close through the loop's inbox. On the
/// service thread the connection writes in `LWS_CALLBACK_CLIENT_WRITEABLE`,
/// one `lws_write` per callback, reassembles incoming fragments, and reports
/// complete messages and the close to its `Handlers`, in order.
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
        /// The largest message accepted from the server; a bigger one closes with 1009.
        var maxMessageBytes = 16 << 20
    }

    let address: ServerAddress
    let options: Options
    let handlers: Handlers
    private let loop: ClientLoop

    // MARK: shared between threads (under `shared`'s lock)

    private enum Phase { case idle, connecting, open, closed }

    private struct Shared {
        var phase: Phase = .idle
        var connectWaiter: CheckedContinuation<Void, any Error>?
        var closeInfo: CloseInfo?
    }

    private let shared = Locked(Shared())

    // MARK: confined to the service thread

    private var wsi: OpaquePointer?
    private var outgoing = Deque<ClientLoop.PaddedFrame>()
    private var assembler: MessageAssembler
    private var established = false
    private var closeRequest: (code: Int, reason: String)?
    private var peerClose: CloseInfo?
    private var localClose: CloseInfo?
    private var ended = false
    /// C strings lws points at while connecting: host, path, Host header, origin.
    private var pinned: [UnsafeMutablePointer<CChar>] = []

    init(address: ServerAddress, options: Options, handlers: Handlers, loop: ClientLoop = .shared) {
        self.address = address
        self.options = options
        self.handlers = handlers
        self.loop = loop
        self.assembler = MessageAssembler(limit: options.maxMessageBytes)
    }

    deinit { for p in pinned { free(p) } }

    var closeInfo: CloseInfo? { shared.withLock { $0.closeInfo } }

    var isOpen: Bool { shared.withLock { $0.phase == .open } }

    // MARK: - Caller side (any thread)

    /// Connects; returns once the WebSocket handshake is done, or throws why it could not be.
    func open(timeout: Duration) async throws {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            guard let self else { return }
            self.failConnect(RoadshowClientError.timedOut(url: self.address.description, what: "the WebSocket handshake", seconds: seconds))
        }
        defer { timer.cancel() }
        do {
            try await withTaskCancellationHandler {
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
                    if Task.isCancelled {
                        failConnect(CancellationError())
                    } else if !loop.post(.connect(self)) {
                        failConnect(RoadshowClientError.cannotConnect(
                            url: address.description, reason: loop.startFailure ?? "libwebsockets did not start"))
                    }
                }
            } onCancel: {
                failConnect(CancellationError())
            }
        } catch let ConnectFailure.lws(reason) {
            throw await explain(reason)
        }
    }

    /// Queues a message; it is written when the socket is writable.
    func send(_ payload: some Collection<UInt8>, binary: Bool) throws(RoadshowClientError) {
        guard isOpen, loop.post(.send(self, ClientLoop.PaddedFrame(payload, binary: binary))) else {
            throw .closed(url: address.description, closeInfo)
        }
    }

    /// Asks for a normal close; queued messages are written first.
    func close(code: Int = 1000, reason: String = "") {
        let phase = shared.withLock { $0.phase }
        guard phase == .open || phase == .connecting else { return }
        loop.post(.close(self, code: code, reason: reason))
    }

    private func failConnect(_ error: any Error) {
        let waiter: CheckedContinuation<Void, any Error>? = shared.withLock { s in
            defer { s.connectWaiter = nil }
            return s.connectWaiter
        }
        guard let waiter else { return }
        waiter.resume(throwing: error)
        loop.post(.abort(self, reason: "\(error)"))
    }

    /// What lws said about a failed connect, in words (off the service thread:
    /// it may try one plain TCP connect to learn why).
    private enum ConnectFailure: Error { case lws(String) }

    private func explain(_ reason: String) async -> RoadshowClientError {
        let url = address.description
        if reason.hasPrefix("HS:") { return .upgradeRefused(url: url, reason: Self.explainHandshake(reason)) }
        let lower = reason.lowercased()
        if lower.contains("ssl") || lower.contains("tls") {
            let hint = address.secure ? "; does the server speak plain ws:// instead of wss://?" : ""
            return .handshakeFailed(url: url, reason: "the TLS handshake failed (\(reason))\(hint)")
        }
        if lower.contains("peer hung up") || lower.contains("read failed") {
            return .handshakeFailed(url: url, reason: "the server closed the connection (\(reason))")
        }
        let (host, port) = (address.host, address.port)
        let why: String? = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: ConnectProbe.diagnose(host: host, port: port)) }.start()
        }
        return .cannotConnect(url: url, reason: why ?? reason)
    }

    static func explainHandshake(_ reason: String) -> String {
        switch reason {
        case "HS: ws upgrade response not 101":
            return "it did not switch to WebSocket (a wrong path, or an Origin it does not allow)"
        case "HS: Cannot match protocol", "HS: PROTOCOL malformed":
            return "it does not speak the roadshow.v1 subprotocol"
        default:
            return reason
        }
    }

    // MARK: - Service thread

    /// Starts the connection attempt; false if lws refused it at once (then it is reported).
    func start(context: OpaquePointer, idlePolicy: UnsafePointer<lws_retry_bo_t>) -> Bool {
        loop.assertOnServiceThread()
        guard shared.withLock({ $0.phase == .connecting && $0.connectWaiter != nil }) else {
            reportConnectError("the connection attempt was abandoned")
            return false
        }
        let strings: [String] = [address.host, address.path, address.hostHeader, options.origin ?? ""]
        pinned = strings.map { strdup($0)! }
        var connect = lws_client_connect_info()
        connect.context = context
        connect.address = UnsafePointer(pinned[0])
        connect.port = Int32(address.port)
        connect.path = UnsafePointer(pinned[1])
        connect.host = UnsafePointer(pinned[2])
        if options.origin != nil { connect.origin = UnsafePointer(pinned[3]) }
        connect.protocol = UnsafePointer(loop.subprotocol)
        connect.ssl_connection = address.secure ? Int32(LCCSCF_USE_SSL.rawValue) : 0
        connect.retry_and_idle_policy = idlePolicy
        connect.userdata = Unmanaged.passUnretained(self).toOpaque()
        wsi = lws_client_connect_via_info(&connect)
        if wsi == nil {
            // lws gave up at once (it may have said why through CONNECTION_ERROR already).
            reportConnectError("the connection could not be started")
            return false
        }
        return true
    }

    func enqueue(_ frame: ClientLoop.PaddedFrame) {
        guard !ended else { return }
        outgoing.append(frame)
        if established, let wsi { lws_callback_on_writable(wsi) }
    }

    func requestClose(code: Int, reason: String) {
        guard !ended else { return }
        if closeRequest == nil { closeRequest = (code, reason) }
        if established, let wsi {
            lws_callback_on_writable(wsi)
        } else {
            abort("closed before the handshake finished")
        }
    }

    /// Drops the connection at once (a timed-out or cancelled connect).
    func abort(_ reason: String) {
        guard !ended, let wsi else { return }
        localClose = CloseInfo(code: CloseInfo.abnormal, reason: reason, initiatedLocally: true)
        lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC)
    }

    /// One lws callback for this connection.
    func handle(_ wsi: OpaquePointer, _ reason: lws_callback_reasons, _ input: UnsafeMutableRawPointer?, _ length: Int)
        -> Int32
    {
        switch reason {
        case LWS_CALLBACK_CLIENT_ESTABLISHED:
            self.wsi = wsi
            established = true
            let waiter: CheckedContinuation<Void, any Error>? = shared.withLock { s in
                defer { s.connectWaiter = nil }
                if s.phase == .connecting { s.phase = .open }
                return s.connectWaiter
            }
            guard let waiter else {
                // The caller gave up (timed out, cancelled) just before the handshake finished.
                return closeNow(wsi, code: 1000, reason: "the client stopped waiting")
            }
            waiter.resume()
            if !outgoing.isEmpty || closeRequest != nil { lws_callback_on_writable(wsi) }

        case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
            let text = input.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0.assumingMemoryBound(to: CChar.self))), as: UTF8.self) }
            reportConnectError(text ?? "unknown error")

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
            reportEnd()

        case LWS_CALLBACK_WSI_DESTROY:
            // The last word on this wsi, whatever came before.
            reportEnd()
            self.wsi = nil

        default:
            break
        }
        return 0
    }

    private func writeNext(_ wsi: OpaquePointer) -> Int32 {
        if var frame = outgoing.popFirst() {
            let pre = Int(rs_lws_pre)
            let length = frame.bytes.count - pre
            let written = frame.bytes.withUnsafeMutableBytes { raw in
                lws_write(wsi, raw.baseAddress!.advanced(by: pre).assumingMemoryBound(to: UInt8.self), length,
                    frame.binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT)
            }
            if written < length {
                localClose = CloseInfo(code: CloseInfo.abnormal, reason: "writing to the socket failed", initiatedLocally: true)
                return -1
            }
            if !outgoing.isEmpty || closeRequest != nil { lws_callback_on_writable(wsi) }
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
        guard !ended else { return }
        ended = true
        let waiter: CheckedContinuation<Void, any Error>? = shared.withLock { s in
            s.phase = .closed
            s.closeInfo = CloseInfo(code: CloseInfo.abnormal, reason: reason, initiatedLocally: false)
            defer { s.connectWaiter = nil }
            return s.connectWaiter
        }
        waiter?.resume(throwing: ConnectFailure.lws(reason))
    }

    /// The connection is over: report it once, as a close if it was open, else as a failed connect.
    private func reportEnd() {
        guard !ended else { return }
        guard established else {
            reportConnectError(localClose?.reason ?? "the connection ended before the handshake finished")
            return
        }
        ended = true
        let info = peerClose ?? localClose ?? CloseInfo(code: CloseInfo.abnormal, reason: "", initiatedLocally: false)
        shared.withLock { s in
            s.phase = .closed
            s.closeInfo = info
        }
        outgoing.removeAll()
        handlers.onClose(info)
    }

    /// Reports a connection that never got a wsi (lws could not start).
    func failToStart(_ reason: String) { reportConnectError(reason) }
}
