import CLibWebSockets
import Foundation
import RoadshowCore

// A plain HTTP/1.1 client over libwebsockets, for the few requests that are not
// WebSocket ops: a project material's upload (POST, the file's bytes as the
// body) and download (GET) on the server's own port (docs: /work/spec/materials.md).
//
// Why not URLSession: on Linux it is FoundationNetworking over libcurl, a
// second HTTP and TLS stack beside lws with its own CA handling; this keeps
// one transport (lws 4.1, as the WebSocket client) and the same TLS setup
// (ROADSHOW_CA_FILE, else the system's store).
//
// The structure is the WebSocket client's (ClientLoop): one lws client context
// owned by one service thread; callers hand it work through a locked inbox and
// wake it with `lws_cancel_service`, the one thread-safe lws call. It is a
// context of its own (not ClientLoop's) so that HTTP callbacks never reach the
// WebSocket connections' handler.

/// What a request sends as its body.
public enum HTTPRequestBody: Sendable {
    case none
    /// A file's bytes as they are, read and written 64 KiB at a time (never all in memory).
    case file(path: String)
    case bytes([UInt8])
}

/// Where a successful (2xx) response's body goes. Any other response's body is
/// kept in memory (it is the server's error object).
public enum HTTPResponseSink: Sendable {
    case memory
    /// A new file, created exclusively (an existing file is never touched).
    case newFile(path: String)
    /// An open file descriptor (1 for stdout); not closed.
    case descriptor(Int32)
}

public struct HTTPRequest: Sendable {
    public var method: String
    /// The path and query as sent, already percent-encoded: "/api/meetings/M-1/materials?name=…".
    public var target: String
    /// Sent as `Authorization: Bearer <token>`.
    public var bearerToken: String?
    public var body: HTTPRequestBody
    public var sink: HTTPResponseSink
    /// The largest body kept in memory; a larger one fails the request.
    public var maxBodyInMemory: Int
    /// The request is given up when no byte moved either way for this long.
    public var idleTimeout: Duration

    public init(
        method: String, target: String, bearerToken: String? = nil, body: HTTPRequestBody = .none,
        sink: HTTPResponseSink = .memory, maxBodyInMemory: Int = 4 << 20, idleTimeout: Duration = .seconds(60)
    ) {
        self.method = method
        self.target = target
        self.bearerToken = bearerToken
        self.body = body
        self.sink = sink
        self.maxBodyInMemory = maxBodyInMemory
        self.idleTimeout = idleTimeout
    }
}

public struct HTTPResponse: Sendable {
    public let status: Int
    public let contentType: String?
    public let contentDisposition: String?
    /// The Content-Length the server announced, if it did.
    public let contentLength: Int?
    /// The body when it stayed in memory (always for a non-2xx status).
    public let body: [UInt8]
    /// How many bytes went to the sink's file or descriptor (0 for `.memory`).
    public let bytesToSink: Int
    /// The bytes of the request body that were sent (all of them unless the server answered early).
    public let bodyBytesSent: Int

    public var isSuccess: Bool { (200..<300).contains(status) }
    public var json: JSON? { try? JSON.parse(body) }
}

/// What went wrong in an HTTP exchange, beyond what RoadshowClientError says
/// (unreachable server, time-outs).
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file to send could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// The response could not be written where it was to go.
    case cannotWrite(path: String, reason: String)
    /// The exchange broke off; `reason` says where.
    case broken(url: String, reason: String)
    /// The response's body is over the in-memory limit.
    case responseTooLarge(url: String, limit: Int)
    /// The TLS handshake failed (an untrusted certificate: ROADSHOW_CA_FILE; or a plain-HTTP server).
    case tlsFailed(url: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason): return "cannot read \(path): \(reason)"
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason)"
        case let .broken(url, reason): return "the HTTP request to \(url) failed: \(reason)"
        case let .responseTooLarge(url, limit): return "the answer from \(url) is over \(limit) bytes"
        case let .tlsFailed(url, reason):
            return "the TLS handshake with \(url) failed (\(reason)) — a certificate a private CA signed needs ROADSHOW_CA_FILE; a plain server needs ws:// instead of wss://"
        }
    }
}

extension ServerAddress {
    /// The HTTP base path of the server whose WebSocket address this is: its
    /// path without the last segment ("/ws" → "", "/roadshow/ws" → "/roadshow"),
    /// as the page and /ws are served side by side.
    public var httpPrefix: String {
        var p = String(path.prefix { $0 != "?" })
        if let slash = p.lastIndex(of: "/") { p = String(p[..<slash]) }
        return p
    }

    /// `http(s)://host:port` + the prefix + `target`, for messages.
    public func httpURL(_ target: String) -> String { webBase + httpPrefix + target }
}

/// Percent-encoding for a query value or a path segment: everything but
/// RFC 3986's unreserved characters (so "&", "=", "+", "#", "/" and quotes are encoded).
public enum PercentEncoding {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}

public enum HTTPClient {
    /// Sends one request and returns the server's response, whatever its status.
    /// Throws when there is no complete response: the server cannot be reached
    /// (RoadshowClientError.cannotConnect), nothing moved for `idleTimeout`
    /// (.timedOut), the connection broke, a file could not be read or written.
    public static func send(_ request: HTTPRequest, server: ServerAddress) async throws -> HTTPResponse {
        let exchange = HTTPExchange(request: request, address: server)
        do {
            return try await exchange.run()
        } catch let HTTPExchange.ConnectFailure.lws(reason) {
            throw await exchange.explain(reason)
        }
    }
}

/// One request on the HTTP loop's service thread.
final class HTTPExchange: @unchecked Sendable {
    enum ConnectFailure: Error { case lws(String) }

    let request: HTTPRequest
    let address: ServerAddress
    let url: String
    private let loop: HTTPClientLoop

    // MARK: shared between threads (under `shared`'s lock)

    private struct Shared {
        var waiter: CheckedContinuation<HTTPResponse, any Error>?
        var done = false
        var lastProgress = ContinuousClock.now
    }

    private let shared = Locked(Shared())

    // MARK: confined to the service thread

    private var wsi: OpaquePointer?
    private var pinned: [UnsafeMutablePointer<CChar>] = []
    private var input: Int32 = -1
    private var bodyLength: Int64 = -1
    private var memoryBody: [UInt8]?
    private var sent: Int64 = 0
    private var sendingBody = false
    private var requestWritten = false
    private var established = false
    private var status = 0
    private var headers: (type: String?, disposition: String?, length: Int?) = (nil, nil, nil)
    private var output: Int32 = -1
    private var ownsOutput = false
    private var received: [UInt8] = []
    private var receivedCount = 0
    private var toSink = false
    private var readBuffer: [UInt8] = []
    private var ended = false
    /// What went wrong on this side, said when the connection then ends.
    private var localFailure: (any Error)?

    static let chunk = 64 * 1024

    init(request: HTTPRequest, address: ServerAddress, loop: HTTPClientLoop = .shared) {
        self.request = request
        self.address = address
        self.url = address.httpURL(request.target)
        self.loop = loop
    }

    deinit {
        for p in pinned { free(p) }
    }

    // MARK: - Caller side

    func run() async throws -> HTTPResponse {
        let idle = request.idleTimeout
        let seconds = Double(idle.components.seconds) + Double(idle.components.attoseconds) / 1e18
        let watchdog = Task { [weak self] in
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(250))
                guard let self else { return }
                let quiet: Bool = self.shared.withLock { s in !s.done && ContinuousClock.now - s.lastProgress > idle }
                if quiet {
                    self.fail(RoadshowClientError.timedOut(url: self.url, what: "the server (HTTP \(self.request.method))", seconds: seconds))
                    return
                }
            }
        }
        defer { watchdog.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                shared.withLock { s in
                    s.waiter = continuation
                    s.lastProgress = .now
                }
                if Task.isCancelled {
                    fail(CancellationError())
                } else if !loop.post(.start(self)) {
                    fail(RoadshowClientError.cannotConnect(url: url, reason: loop.startFailure ?? "libwebsockets did not start"))
                }
            }
        } onCancel: {
            fail(CancellationError())
        }
    }

    /// Ends the request from the caller's side (time-out, cancellation): the
    /// waiter gets `error` now and the connection is dropped on the service thread.
    private func fail(_ error: any Error) {
        let waiter: CheckedContinuation<HTTPResponse, any Error>? = shared.withLock { s in
            s.done = true
            defer { s.waiter = nil }
            return s.waiter
        }
        guard let waiter else { return }
        waiter.resume(throwing: error)
        loop.post(.abort(self))
    }

    /// A failed connect in words (off the service thread: it may try one
    /// plain TCP connect to learn why, as the WebSocket client does).
    func explain(_ reason: String) async -> any Error {
        let lower = reason.lowercased()
        if lower.contains("ssl") || lower.contains("tls") { return HTTPClientError.tlsFailed(url: url, reason: reason) }
        let (host, port) = (address.host, address.port)
        let why: String? = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: ConnectProbe.diagnose(host: host, port: port)) }.start()
        }
        return RoadshowClientError.cannotConnect(url: url, reason: why ?? reason)
    }

    // MARK: - Service thread

    private func progressed() { shared.withLock { $0.lastProgress = .now } }

    /// Opens the body's file and starts connecting; false if it ended at once (then it is reported).
    func start(context: OpaquePointer) -> Bool {
        loop.assertOnServiceThread()
        guard shared.withLock({ !$0.done }) else { return false }
        switch request.body {
        case .none:
            bodyLength = request.method == "GET" ? -1 : 0
        case .bytes(let bytes):
            memoryBody = bytes
            bodyLength = Int64(bytes.count)
        case .file(let path):
            input = open(path, O_RDONLY | O_CLOEXEC)
            var info = stat()
            if input < 0 || fstat(input, &info) != 0 {
                finish(.failure(HTTPClientError.cannotRead(path: path, reason: String(cString: strerror(errno)))))
                return false
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                finish(.failure(HTTPClientError.cannotRead(path: path, reason: "not a regular file")))
                return false
            }
            bodyLength = Int64(info.st_size)
        }
        readBuffer = [UInt8](repeating: 0, count: Int(rs_lws_pre) + Self.chunk)
        let strings = [address.host, request.target, address.hostHeader, request.method, "http/1.1", HTTPClientLoop.protocolName,
                       "Bearer " + (request.bearerToken ?? "")]
        pinned = strings.map { strdup($0)! }
        var connect = lws_client_connect_info()
        connect.context = context
        connect.address = UnsafePointer(pinned[0])
        connect.port = Int32(address.port)
        connect.path = UnsafePointer(pinned[1])
        connect.host = UnsafePointer(pinned[2])
        connect.method = UnsafePointer(pinned[3])
        // HTTP/1.1 only: lws reads custom response headers on h1, and a
        // server offering h2 by ALPN would otherwise get it.
        connect.alpn = UnsafePointer(pinned[4])
        connect.local_protocol_name = UnsafePointer(pinned[5])
        connect.protocol = UnsafePointer(pinned[5])
        connect.ssl_connection = address.secure ? Int32(LCCSCF_USE_SSL.rawValue) : 0
        connect.userdata = Unmanaged.passUnretained(self).toOpaque()
        wsi = lws_client_connect_via_info(&connect)
        if wsi == nil {
            finish(.failure(ConnectFailure.lws("the connection could not be started")))
            return false
        }
        return true
    }

    /// Reports an exchange whose connection never got a wsi (lws could not start).
    func failToStart(_ reason: String) {
        finish(.failure(RoadshowClientError.cannotConnect(url: url, reason: reason)))
    }

    func abort() {
        guard !ended, let wsi else { return }
        lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC)
    }

    func handle(_ wsi: OpaquePointer, _ reason: lws_callback_reasons, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        switch reason {
        case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
            self.wsi = wsi
            requestWritten = true
            let auth: UnsafePointer<CChar>? = request.bearerToken == nil ? nil : UnsafePointer(pinned[6])
            if rs_httpc_append_headers(wsi, input, length, auth, bodyLength) != 0 {
                localFailure = HTTPClientError.broken(url: url, reason: "the request's headers do not fit")
                return -1
            }
            if bodyLength > 0 {
                sendingBody = true
                lws_client_http_body_pending(wsi, 1)
                lws_callback_on_writable(wsi)
            }
            progressed()

        case LWS_CALLBACK_CLIENT_HTTP_WRITEABLE:
            return writeBody(wsi)

        case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
            established = true
            status = Int(lws_http_client_http_response(wsi))
            headers = (header(wsi, rs_httpc_tok_content_type), header(wsi, rs_httpc_tok_content_disposition),
                       header(wsi, rs_httpc_tok_content_length).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) })
            progressed()
            if (200..<300).contains(status) {
                switch request.sink {
                case .memory: break
                case .descriptor(let fd):
                    output = fd
                    toSink = true
                case .newFile(let path):
                    output = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                    if output < 0 {
                        localFailure = HTTPClientError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
                        return -1
                    }
                    ownsOutput = true
                    toSink = true
                }
            }

        case LWS_CALLBACK_RECEIVE_CLIENT_HTTP:
            // lws hands the raw bytes to lws_http_client_read, which takes off
            // any chunked framing and calls back with RECEIVE_CLIENT_HTTP_READ.
            let result: Int32 = readBuffer.withUnsafeMutableBytes { raw in
                var p: UnsafeMutablePointer<CChar>? = raw.baseAddress!.advanced(by: Int(rs_lws_pre)).assumingMemoryBound(to: CChar.self)
                var n = Int32(Self.chunk)
                return lws_http_client_read(wsi, &p, &n)
            }
            return result < 0 ? -1 : 0

        case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
            return receive(UnsafeRawBufferPointer(start: input, count: input == nil ? 0 : length))

        case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
            complete()

        case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
            let text = input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? "unknown error"
            connectionEnded(lwsReason: text)

        case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
            connectionEnded(lwsReason: nil)

        case LWS_CALLBACK_WSI_DESTROY:
            connectionEnded(lwsReason: nil)
            self.wsi = nil

        default:
            break
        }
        return 0
    }

    private func writeBody(_ wsi: OpaquePointer) -> Int32 {
        guard sendingBody, !ended else { return 0 }
        if !address.secure, rs_httpc_peer_spoke(wsi) != 0 {
            // The server answered (or hung up) before taking the whole body:
            // stop sending and let lws read its answer.
            sendingBody = false
            lws_client_http_body_pending(wsi, 0)
            return 0
        }
        let pre = Int(rs_lws_pre)
        let want = Int(min(Int64(Self.chunk), bodyLength - sent))
        let n: Int = readBuffer.withUnsafeMutableBytes { raw in
            let dest = raw.baseAddress!.advanced(by: pre)
            if let memoryBody {
                memoryBody.withUnsafeBytes { src in dest.copyMemory(from: src.baseAddress!.advanced(by: Int(sent)), byteCount: want) }
                return want
            }
            var got = 0
            while got < want {
                let r = read(input, dest.advanced(by: got), want - got)
                if r < 0 && errno == EINTR { continue }
                if r <= 0 { return r < 0 ? -1 : got }
                got += r
            }
            return got
        }
        if n < want {
            let path: String = if case .file(let p) = request.body { p } else { "the body" }
            localFailure = HTTPClientError.cannotRead(
                path: path, reason: n < 0 ? String(cString: strerror(errno)) : "the file got shorter while it was being sent")
            return -1
        }
        let last = sent + Int64(n) == bodyLength
        let written = readBuffer.withUnsafeMutableBytes { raw in
            lws_write(wsi, raw.baseAddress!.advanced(by: pre).assumingMemoryBound(to: UInt8.self), n,
                last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP)
        }
        if written < n {
            localFailure = HTTPClientError.broken(
                url: url, reason: "the server closed the connection after \(sent) of \(bodyLength) bytes of the body")
            return -1
        }
        sent += Int64(n)
        progressed()
        // lws 4.1 sets this time-out once for the whole body; renew it per piece
        // so that a slow link is limited by its pauses, not by the file's size.
        let idle = request.idleTimeout.components.seconds
        lws_set_timeout(wsi, PENDING_TIMEOUT_CLIENT_ISSUE_PAYLOAD, Int32(clamping: max(idle, 5)))
        if last {
            sendingBody = false
            lws_client_http_body_pending(wsi, 0)
        } else {
            lws_callback_on_writable(wsi)
        }
        return 0
    }

    private func receive(_ piece: UnsafeRawBufferPointer) -> Int32 {
        guard !ended else { return -1 }
        receivedCount += piece.count
        progressed()
        if toSink {
            var off = 0
            while off < piece.count {
                let r = write(output, piece.baseAddress!.advanced(by: off), piece.count - off)
                if r < 0 && errno == EINTR { continue }
                if r <= 0 {
                    let path: String = if case .newFile(let p) = request.sink { p } else { "the output" }
                    localFailure = HTTPClientError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
                    return -1
                }
                off += r
            }
            return 0
        }
        if received.count + piece.count > request.maxBodyInMemory {
            localFailure = HTTPClientError.responseTooLarge(url: url, limit: request.maxBodyInMemory)
            return -1
        }
        received.append(contentsOf: piece)
        return 0
    }

    private func complete(checkLength: Bool = true) {
        guard !ended else { return }
        if checkLength, let length = headers.length, receivedCount != length {
            finish(.failure(HTTPClientError.broken(url: url, reason: "the answer ended after \(receivedCount) of \(length) bytes")))
            return
        }
        finish(.success(HTTPResponse(
            status: status, contentType: headers.type, contentDisposition: headers.disposition, contentLength: headers.length,
            body: toSink ? [] : received, bytesToSink: toSink ? receivedCount : 0, bodyBytesSent: Int(sent))))
    }

    /// The connection is over: if no complete answer was reported yet, say why not.
    private func connectionEnded(lwsReason: String?) {
        guard !ended else { return }
        if let localFailure {
            finish(.failure(localFailure))
        } else if established, headers.length == nil, status != 0 {
            // No Content-Length: the body ends where the connection does.
            complete()
        } else if established, !(200..<300).contains(status) {
            // An error status whose body did not (all) arrive: a server that
            // answered before reading the request's body and then dropped the
            // connection. The status is still the answer.
            complete(checkLength: false)
        } else if established {
            finish(.failure(HTTPClientError.broken(
                url: url, reason: "the connection closed after \(receivedCount) of \(headers.length ?? 0) bytes of the answer")))
        } else if !requestWritten {
            finish(.failure(ConnectFailure.lws(lwsReason ?? "the connection ended before it was made")))
        } else {
            var why = "the server closed the connection without an answer"
            if bodyLength > 0 { why += " (after \(sent) of \(bodyLength) bytes of the body)" }
            if let lwsReason { why += ": \(lwsReason)" }
            finish(.failure(HTTPClientError.broken(url: url, reason: why)))
        }
    }

    private func finish(_ result: Result<HTTPResponse, any Error>) {
        guard !ended else { return }
        ended = true
        if input >= 0 { close(input) }
        input = -1
        if ownsOutput, output >= 0 { close(output) }
        output = -1
        received = []
        let waiter: CheckedContinuation<HTTPResponse, any Error>? = shared.withLock { s in
            s.done = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(with: result)
    }

    private func header(_ wsi: OpaquePointer, _ token: Int32) -> String? {
        let length = Int(rs_httpc_hdr_length(wsi, token))
        guard length > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: length + 1)
        guard rs_httpc_hdr_copy(wsi, &buffer, Int32(buffer.count), token) >= 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The one lws client context for HTTP requests and the thread that owns it
/// (ClientLoop's structure: an inbox, `lws_cancel_service` to wake the thread,
/// drained in LWS_CALLBACK_EVENT_WAIT_CANCELLED).
final class HTTPClientLoop: @unchecked Sendable {
    static let shared = HTTPClientLoop()
    static let protocolName = "roadshow-http"

    enum Work {
        case start(HTTPExchange)
        case abort(HTTPExchange)
    }

    private struct ContextHandle: @unchecked Sendable { let pointer: OpaquePointer }

    private struct Inbox {
        var work: [Work] = []
        var started = false
        var context: ContextHandle?
        var wakePending = false
        var failure: String?
    }

    private let inbox = Locked(Inbox())
    private var serviceThread: pthread_t?
    /// Exchanges lws knows about, kept alive until their wsi is destroyed.
    private var active: [ObjectIdentifier: HTTPExchange] = [:]
    private let name = strdup(HTTPClientLoop.protocolName)!
    private let protocols: UnsafeMutablePointer<lws_protocols>

    private init() {
        protocols = UnsafeMutablePointer<lws_protocols>.allocate(capacity: 2)
        protocols.initialize(repeating: lws_protocols(), count: 2)
        protocols[0].name = UnsafePointer(name)
        protocols[0].callback = roadshowHTTPClientCallback
        protocols[0].rx_buffer_size = 64 * 1024
    }

    var startFailure: String? { inbox.withLock { $0.failure } }

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
            thread.name = "roadshow-http-lws"
            thread.start()
        }
        return accepted
    }

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
        info.options = UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT)
        info.connect_timeout_secs = 30
        info.timeout_secs = 60
        // Room for a Content-Disposition with a long percent-encoded Chinese name.
        info.max_http_header_data = 16 * 1024
        // As the WebSocket client: a private CA's file (ROADSHOW_CA_FILE), else the system's store.
        let caFile = ProcessInfo.processInfo.environment["ROADSHOW_CA_FILE"].flatMap { $0.isEmpty ? nil : strdup($0) }
        defer { free(caFile) }
        if let caFile { info.client_ssl_ca_filepath = UnsafePointer(caFile) }
        guard let context = lws_create_context(&info) else {
            let pending: [Work] = inbox.withLock { s in
                s.failure = "libwebsockets could not create its HTTP client context"
                defer { s.work.removeAll() }
                return s.work
            }
            for case .start(let exchange) in pending { exchange.failToStart("libwebsockets could not create its HTTP client context") }
            return
        }
        inbox.withLock { $0.context = ContextHandle(pointer: context) }
        drain(context)
        while true {
            if lws_service(context, 0) < 0 { break }
        }
    }

    private func drain(_ context: OpaquePointer) {
        let work: [Work] = inbox.withLock { s in
            s.wakePending = false
            defer { s.work.removeAll(keepingCapacity: true) }
            return s.work
        }
        for item in work {
            switch item {
            case .start(let exchange):
                active[ObjectIdentifier(exchange)] = exchange
                if !exchange.start(context: context) { active[ObjectIdentifier(exchange)] = nil }
            case .abort(let exchange):
                exchange.abort()
            }
        }
    }

    fileprivate func handle(
        _ wsi: OpaquePointer, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
        _ input: UnsafeMutableRawPointer?, _ length: Int
    ) -> Int32 {
        assertOnServiceThread()
        if reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED {
            if let context = lws_get_context(wsi) { drain(context) }
            return 0
        }
        guard let user else { return 0 }
        let exchange = Unmanaged<HTTPExchange>.fromOpaque(user).takeUnretainedValue()
        let result = exchange.handle(wsi, reason, input, length)
        if reason == LWS_CALLBACK_WSI_DESTROY { active[ObjectIdentifier(exchange)] = nil }
        return result
    }
}

private func roadshowHTTPClientCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let context = lws_get_context(wsi), let owner = lws_context_user(context) else { return 0 }
    let loop = Unmanaged<HTTPClientLoop>.fromOpaque(owner).takeUnretainedValue()
    return loop.handle(wsi, reason, user, input, length)
}
