import CLibWebSockets
import Foundation
import RoadshowCore
import Synchronization

/// The one lws client context of the process and the service thread that owns
/// it. Every lws call of every client connection happens on this thread;
/// other threads hand it work through a locked inbox and wake it with
/// `lws_cancel_service` (the one thread-safe lws call), and the thread drains
/// the inbox in `LWS_CALLBACK_EVENT_WAIT_CANCELLED`.
///
/// One thread for all connections keeps a test or load generator with
/// thousands of connections at one thread and one poll set. It is started on
/// first use and lives as long as the process.
final class ClientLoop: @unchecked Sendable {
    static let shared = ClientLoop()

    enum Work {
        case connect(WebSocketClient)
        case send(WebSocketClient, PaddedFrame)
        case close(WebSocketClient, code: Int, reason: String)
        case abort(WebSocketClient, reason: String)
    }

    /// A message with `LWS_PRE` bytes of headroom before its payload, as `lws_write` wants it.
    struct PaddedFrame {
        var bytes: [UInt8]
        let binary: Bool

        init(_ payload: some Collection<UInt8>, binary: Bool) {
            var bytes = [UInt8](repeating: 0, count: Int(rs_lws_pre))
            bytes.reserveCapacity(Int(rs_lws_pre) + payload.count)
            bytes.append(contentsOf: payload)
            self.bytes = bytes
            self.binary = binary
        }
    }

    private struct Inbox {
        var work: [Work] = []
        var started = false
        /// Set once the context exists; from then on posting wakes the thread.
        var context: ContextHandle?
        var wakePending = false
        /// Why the context could not be created, if it could not.
        var failure: String?
    }

    /// The lws context, handed to callers' threads only for `lws_cancel_service`
    /// (the one lws call that is safe from any thread).
    private struct ContextHandle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    private let inbox = Locked(Inbox())

    // MARK: confined to the service thread

    private var serviceThread: pthread_t?
    /// Connections lws knows about, kept alive until their wsi is destroyed.
    private var active: [ObjectIdentifier: WebSocketClient] = [:]
    /// The one subprotocol, as lws wants it: a C string that lives as long as the context.
    let subprotocol = strdup("roadshow.v1")!
    private let protocols: UnsafeMutablePointer<lws_protocols>
    private let retryPolicy: UnsafeMutablePointer<lws_retry_bo_t>

    private init() {
        protocols = UnsafeMutablePointer<lws_protocols>.allocate(capacity: 2)
        protocols.initialize(repeating: lws_protocols(), count: 2)
        protocols[0].name = UnsafePointer(subprotocol)
        protocols[0].callback = roadshowClientCallback
        protocols[0].rx_buffer_size = 16 * 1024
        retryPolicy = UnsafeMutablePointer<lws_retry_bo_t>.allocate(capacity: 1)
        retryPolicy.initialize(to: lws_retry_bo_t())
        // Ping an idle server after 20 s; give up on it after 45 s of silence.
        retryPolicy.pointee.secs_since_valid_ping = 20
        retryPolicy.pointee.secs_since_valid_hangup = 45
    }

    var idlePolicy: UnsafePointer<lws_retry_bo_t> { UnsafePointer(retryPolicy) }

    /// Hands work to the service thread; false (and nothing done) if lws could not start.
    @discardableResult
    func post(_ work: Work) -> Bool {
        let (accepted, start) = inbox.withLock { s -> (Bool, Bool) in
            if s.failure != nil { return (false, false) }
            s.work.append(work)
            if let context = s.context {
                if !s.wakePending {
                    s.wakePending = true
                    lws_cancel_service(context.pointer)
                }
                return (true, false)
            }
            defer { s.started = true }
            return (true, !s.started)
        }
        if start {
            let thread = Thread { self.run() }
            thread.name = "roadshow-client-lws"
            thread.start()
        }
        return accepted
    }

    var startFailure: String? { inbox.withLock { $0.failure } }

    func assertOnServiceThread() {
        #if DEBUG
        if let serviceThread { precondition(pthread_equal(serviceThread, pthread_self()) != 0, "lws call off its service thread") }
        #endif
    }

    private func run() {
        serviceThread = pthread_self()
        var info = lws_context_creation_info()
        info.port = CONTEXT_PORT_NO_LISTEN
        info.protocols = UnsafePointer(protocols)
        info.user = Unmanaged.passUnretained(self).toOpaque()
        // Send the Origin header as given (lws would otherwise put "http://" before it).
        info.options = UInt64(LWS_SERVER_OPTION_JUST_USE_RAW_ORIGIN) | UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT)
        info.connect_timeout_secs = 30
        // A server whose certificate a private CA signed (a bureau's own): its
        // CA file, else the system's store (ROADSHOW_CA_FILE).
        let caFile = ProcessInfo.processInfo.environment["ROADSHOW_CA_FILE"].flatMap { $0.isEmpty ? nil : strdup($0) }
        defer { free(caFile) }
        if let caFile { info.client_ssl_ca_filepath = UnsafePointer(caFile) }
        guard let context = lws_create_context(&info) else {
            let pending: [Work] = inbox.withLock { s in
                s.failure = "libwebsockets could not create its client context"
                defer { s.work.removeAll() }
                return s.work
            }
            for case .connect(let client) in pending { client.failToStart("libwebsockets could not create its client context") }
            return
        }
        let handle = ContextHandle(pointer: context)
        inbox.withLock { $0.context = handle }
        drain(context)
        while true {
            if lws_service(context, 0) < 0 { break }
        }
    }

    /// Takes everything posted and applies it (service thread).
    private func drain(_ context: OpaquePointer) {
        let work: [Work] = inbox.withLock { s in
            s.wakePending = false
            defer { s.work.removeAll(keepingCapacity: true) }
            return s.work
        }
        for item in work {
            switch item {
            case .connect(let client):
                active[ObjectIdentifier(client)] = client
                if !client.start(context: context, idlePolicy: idlePolicy) { active[ObjectIdentifier(client)] = nil }
            case .send(let client, let frame): client.enqueue(frame)
            case .close(let client, let code, let reason): client.requestClose(code: code, reason: reason)
            case .abort(let client, let reason): client.abort(reason)
            }
        }
    }

    /// The C callback lands here (service thread).
    fileprivate func handle(
        _ wsi: OpaquePointer, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
        _ input: UnsafeMutableRawPointer?, _ length: Int
    ) -> Int32 {
        assertOnServiceThread()
        if reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED {
            if let context = lws_get_context(wsi) { drain(context) }
            return 0
        }
        // Our connections carry their WebSocketClient as the wsi's user data.
        guard let user else { return 0 }
        let client = Unmanaged<WebSocketClient>.fromOpaque(user).takeUnretainedValue()
        let result = client.handle(wsi, reason, input, length)
        if reason == LWS_CALLBACK_WSI_DESTROY { active[ObjectIdentifier(client)] = nil }
        return result
    }
}

/// The lws protocol callback: a plain function capturing nothing, which finds
/// the loop through the context's user pointer.
private func roadshowClientCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let context = lws_get_context(wsi), let owner = lws_context_user(context) else { return 0 }
    let loop = Unmanaged<ClientLoop>.fromOpaque(owner).takeUnretainedValue()
    return loop.handle(wsi, reason, user, input, length)
}
