import RoadshowCore

/// One connection to a Roadshow server speaking `roadshow.v1`: requests and
/// their replies, and the event frames of subscribed streams.
///
/// ```swift
/// let connection = try await RoadshowConnection.connect(url: "ws://127.0.0.1:8080/ws")
/// _ = try await connection.call("auth", ["token": .string(token)])
/// let meetings = try await connection.call("meeting.list")
/// ```
///
/// Keep a reference while you use it: a connection nobody holds closes itself.
/// `events` is a single-consumer stream that ends when the connection closes.
public final class RoadshowConnection: Sendable {
    public let address: ServerAddress
    public var url: String { address.description }

    /// Event frames (`{"event": ..., "stream": ..., "seq": ...}`) in arrival order.
    public let events: AsyncStream<JSON>
    /// Reply frames that answer no waiting call (`re` null or unknown), e.g. after `send(raw:)`.
    public let strayReplies: AsyncStream<JSON>

    private let transport: WebSocketClient
    private let router: ReplyRouter

    /// Default time a call waits for its reply.
    public static let defaultCallTimeout: Duration = .seconds(30)

    private init(address: ServerAddress, transport: WebSocketClient, router: ReplyRouter) {
        self.address = address
        self.transport = transport
        self.router = router
        self.events = router.events
        self.strayReplies = router.strays
    }

    deinit { transport.close(code: 1000, reason: "") }

    /// Opens a connection; returns once the WebSocket handshake is done.
    ///
    /// - Parameters:
    ///   - origin: an `Origin` header, as a browser would send (the CLI sends none).
    ///   - maxMessageBytes: the largest message accepted from the server.
    ///   - tap: sees every incoming text frame first, as bytes, on the client's
    ///     service thread; a frame it returns true for goes no further (not
    ///     parsed, not on `events`). For a load generator that must not spend
    ///     its core parsing the frames it only counts (`roadshow bench`).
    public static func connect(
        url: String, origin: String? = nil, timeout: Duration = .seconds(5), maxMessageBytes: Int = 16 << 20,
        tap: (@Sendable ([UInt8]) -> Bool)? = nil
    ) async throws -> RoadshowConnection {
        let address = try ServerAddress(parsing: url)
        let router = ReplyRouter(url: address.description, tap: tap)
        var options = WebSocketClient.Options()
        options.origin = origin
        options.maxMessageBytes = maxMessageBytes
        let transport = WebSocketClient(
            address: address, options: options,
            handlers: .init(
                onMessage: { bytes, binary in router.receive(bytes, binary: binary) },
                onClose: { info in router.closed(info) }))
        try await transport.open(timeout: timeout)
        return RoadshowConnection(address: address, transport: transport, router: router)
    }

    // MARK: requests

    /// Sends a request and returns its `result`; an `ok: false` reply throws the
    /// server's `RoadshowError`.
    public func call(_ op: String, _ args: JSON = [:], id: String? = nil, timeout: Duration = defaultCallTimeout)
        async throws -> JSON
    {
        let reply = try await callRaw(op, args, id: id, timeout: timeout)
        if reply["ok"]?.boolValue == true { return reply["result"] ?? .object([:]) }
        throw RoadshowError(wire: reply["error"])
    }

    /// Sends a request and returns the whole reply object (`{re, ok, result | error}`).
    public func callRaw(_ op: String, _ args: JSON = [:], id: String? = nil, timeout: Duration = defaultCallTimeout)
        async throws -> JSON
    {
        let requestId = id ?? router.nextId()
        let frame: JSON = ["id": .string(requestId), "op": .string(op), "args": args]
        return try await exchange(frame.encodedBytes, replyTo: requestId, what: "the reply to \(op)", timeout: timeout)
    }

    /// Sends arbitrary text and waits for the reply whose `re` is `id`
    /// (for requests a well-behaved client would not build).
    public func exchange(raw: String, replyTo id: String, timeout: Duration = defaultCallTimeout) async throws -> JSON {
        try await exchange(Array(raw.utf8), replyTo: id, what: "the reply to request \(id)", timeout: timeout)
    }

    private func exchange(_ bytes: [UInt8], replyTo id: String, what: String, timeout: Duration) async throws -> JSON {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let timer = Task { [router, url] in
            try await Task.sleep(for: timeout)
            router.fail(id, RoadshowClientError.timedOut(url: url, what: what, seconds: seconds))
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSON, any Error>) in
                if let refusal = router.register(id, continuation) {
                    continuation.resume(throwing: refusal)
                    return
                }
                if Task.isCancelled {
                    router.fail(id, CancellationError())
                    return
                }
                do { try transport.send(bytes, binary: false) } catch { router.fail(id, error) }
            }
        } onCancel: {
            router.fail(id, CancellationError())
        }
    }

    // MARK: raw frames (for tests of the server's guards)

    /// Sends one text frame as is; a reply, if any, arrives on `strayReplies`.
    public func send(raw: String) async throws { try transport.send(Array(raw.utf8), binary: false) }

    /// Sends one text frame of arbitrary bytes, valid UTF-8 or not.
    public func sendText(bytes: [UInt8]) async throws { try transport.send(bytes, binary: false) }

    /// Sends one binary frame.
    public func sendBinary(_ bytes: [UInt8]) async throws { try transport.send(bytes, binary: true) }

    // MARK: closing

    public var isOpen: Bool { transport.isOpen }

    /// How the connection ended; nil while it is open.
    public var closeInfo: CloseInfo? { transport.closeInfo }

    /// The close code the connection ended with; nil while it is open.
    public var closeCode: Int? { closeInfo?.code }

    /// Waits until the connection is closed, by either side; nil only when the
    /// waiting task is cancelled first.
    public func closed() async -> CloseInfo? { await router.waitClosed() }

    /// Waits at most `timeout` for the connection to close; nil if it is still open.
    public func closed(within timeout: Duration) async -> CloseInfo? {
        await withTaskGroup(of: CloseInfo?.self) { group in
            group.addTask { [router] in await router.waitClosed() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Closes normally (1000) after any queued messages are written.
    public func close(code: Int = 1000, reason: String = "") { transport.close(code: code, reason: reason) }
}
