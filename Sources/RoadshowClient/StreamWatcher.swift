import RoadshowCore

/// Follows one stream (a meeting `M-…` or a dispatch record `D-…`) across
/// dropped connections: authenticates, subscribes, and after a drop reconnects
/// with backoff and resubscribes with `since` = the last seq it delivered. Each
/// event is delivered exactly once and in seq order; a repeat (seq at or below
/// the last delivered) is skipped, and a gap makes it resubscribe rather than
/// guess.
///
/// ```swift
/// let watcher = StreamWatcher(url: server, token: token, stream: "M-7Q2K")
/// for try await update in watcher.updates() {
///     if case .event(let event) = update { print(event) }
/// }
/// ```
public struct StreamWatcher: Sendable {
    public enum Update: Sendable, Equatable {
        /// The first subscription without `since`: the whole state at `seq`.
        case snapshot(JSON, seq: Int64)
        /// (Re)subscribed with `since`; the server's stream is at `seq`.
        case subscribed(since: Int64, seq: Int64)
        /// One event frame, each exactly once, in seq order.
        case event(JSON)
        /// The connection dropped or could not be made; the next try is in `delay`.
        case reconnecting(attempt: Int, reason: String, delay: Duration)
    }

    public let url: String
    public let token: String
    public let stream: String
    public let since: Int64?
    public let origin: String?
    public let backoff: Backoff
    public let connectTimeout: Duration

    /// - Parameter since: deliver the events after this seq (0: all of them) instead of a snapshot.
    public init(
        url: String, token: String, stream: String, since: Int64? = nil, origin: String? = nil,
        backoff: Backoff = .default, connectTimeout: Duration = .seconds(5)
    ) {
        self.url = url
        self.token = token
        self.stream = stream
        self.since = since
        self.origin = origin
        self.backoff = backoff
        self.connectTimeout = connectTimeout
    }

    /// Updates until the consumer stops iterating, or a failure that no
    /// reconnect can cure (a bad token, an unknown stream, no permission) ends
    /// the stream with that error.
    public func updates() -> AsyncThrowingStream<Update, any Error> {
        let (stream, sink) = AsyncThrowingStream.makeStream(of: Update.self)
        let task = Task { await run(sink) }
        sink.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Why the current connection is abandoned.
    private struct Resubscribe: Error {
        let reason: String
    }

    private func run(_ sink: AsyncThrowingStream<Update, any Error>.Continuation) async {
        var lastSeq = since
        var failures = 0
        while !Task.isCancelled {
            let reason: String
            do {
                reason = try await followOnce(lastSeq: &lastSeq, sink: sink, connected: { failures = 0 })
            } catch let error as RoadshowClientError where error.isTransient {
                reason = error.description
            } catch let error as RoadshowError where Self.isTransient(error) {
                reason = error.description
            } catch let error as Resubscribe {
                reason = error.reason
            } catch is CancellationError {
                break
            } catch {
                sink.finish(throwing: error)
                return
            }
            if Task.isCancelled { break }
            failures += 1
            let delay = backoff.delay(attempt: failures)
            sink.yield(.reconnecting(attempt: failures, reason: reason, delay: delay))
            do { try await Task.sleep(for: delay) } catch { break }
        }
        sink.finish()
    }

    /// One connection's worth of following; returns (or throws) when it ends.
    private func followOnce(
        lastSeq: inout Int64?, sink: AsyncThrowingStream<Update, any Error>.Continuation, connected: () -> Void
    ) async throws -> String {
        let connection = try await RoadshowConnection.connect(url: url, origin: origin, timeout: connectTimeout)
        defer { connection.close() }
        _ = try await connection.call("auth", ["token": .string(token)])
        var args: [String: JSON] = ["stream": .string(stream)]
        if let lastSeq { args["since"] = .int(lastSeq) }
        let result = try await connection.call("stream.subscribe", .object(args))
        connected()
        let seq = result["seq"]?.intValue ?? 0
        if let lastSeq {
            sink.yield(.subscribed(since: lastSeq, seq: seq))
        } else {
            sink.yield(.snapshot(result["snapshot"] ?? .null, seq: seq))
            lastSeq = seq
        }
        // Events sent before the reply (the replay after `since`) wait in the
        // connection's buffer, so none is lost by reading them only now.
        for await event in connection.events {
            guard event["stream"]?.stringValue == stream, let eventSeq = event["seq"]?.intValue else { continue }
            let last = lastSeq ?? 0
            if eventSeq <= last { continue }
            if eventSeq > last + 1 {
                throw Resubscribe(reason: "event \(eventSeq) arrived after \(last): a gap; resubscribing from \(last)")
            }
            sink.yield(.event(event))
            lastSeq = eventSeq
        }
        try Task.checkCancellation()
        return connection.closeInfo.map { "the connection closed: \($0)" } ?? "the connection closed"
    }

    /// Server errors worth another try: it was busy or failed, not a refusal.
    static func isTransient(_ error: RoadshowError) -> Bool {
        error.code == .rateLimited || error.code == .internal
    }
}
