import RoadshowCore
import Synchronization

/// Sorts a connection's incoming frames: replies to the calls waiting for them,
/// events to the event stream, anything else to the stray replies. Runs on the
/// service thread for incoming frames and on callers' threads for
/// registrations; its state is under one lock.
final class ReplyRouter: Sendable {
    let url: String
    let events: AsyncStream<JSON>
    let strays: AsyncStream<JSON>
    private let eventSink: AsyncStream<JSON>.Continuation
    private let straySink: AsyncStream<JSON>.Continuation

    private struct State {
        var nextId = 1
        var waiting: [String: CheckedContinuation<JSON, any Error>] = [:]
        var closeInfo: CloseInfo?
        var nextCloseWaiter = 0
        var closeWaiters: [Int: CheckedContinuation<CloseInfo?, Never>] = [:]
    }

    private let state = Locked(State())

    private let tap: (@Sendable ([UInt8]) -> Bool)?

    init(url: String, tap: (@Sendable ([UInt8]) -> Bool)? = nil) {
        self.url = url
        self.tap = tap
        (events, eventSink) = AsyncStream.makeStream(of: JSON.self, bufferingPolicy: .unbounded)
        (strays, straySink) = AsyncStream.makeStream(of: JSON.self, bufferingPolicy: .unbounded)
    }

    func nextId() -> String {
        state.withLock { s in
            defer { s.nextId += 1 }
            return "c\(s.nextId)"
        }
    }

    /// Registers a call waiting for reply `id`; returns why it cannot wait, if it cannot.
    func register(_ id: String, _ continuation: CheckedContinuation<JSON, any Error>) -> (any Error)? {
        state.withLock { s in
            if let info = s.closeInfo { return RoadshowClientError.closed(url: url, info) }
            if s.waiting[id] != nil { return RoadshowClientError.duplicateRequestId(id) }
            s.waiting[id] = continuation
            return nil
        }
    }

    /// Ends the wait for reply `id` with an error (timeout, cancellation, send failure).
    func fail(_ id: String, _ error: any Error) {
        let waiter = state.withLock { $0.waiting.removeValue(forKey: id) }
        waiter?.resume(throwing: error)
    }

    /// A complete incoming message (service thread).
    func receive(_ bytes: [UInt8], binary: Bool) -> WebSocketClient.Verdict {
        if binary { return .close(code: 1003, reason: "binary frames are not part of roadshow.v1") }
        if let tap, tap(bytes) { return .keepOpen }
        guard let frame = try? JSON.parse(bytes), case .object = frame else {
            return .close(code: 1007, reason: "a frame that is not a JSON object")
        }
        if frame["event"] != nil {
            eventSink.yield(frame)
            return .keepOpen
        }
        if let re = frame["re"]?.stringValue, let waiter = state.withLock({ $0.waiting.removeValue(forKey: re) }) {
            waiter.resume(returning: frame)
        } else {
            straySink.yield(frame)
        }
        return .keepOpen
    }

    /// The connection ended (service thread): every waiting call fails, the streams end.
    func closed(_ info: CloseInfo) {
        let (calls, closeWaiters) = state.withLock { s in
            s.closeInfo = info
            defer {
                s.waiting.removeAll()
                s.closeWaiters.removeAll()
            }
            return (Array(s.waiting.values), Array(s.closeWaiters.values))
        }
        for call in calls { call.resume(throwing: RoadshowClientError.closed(url: url, info)) }
        eventSink.finish()
        straySink.finish()
        for waiter in closeWaiters { waiter.resume(returning: info) }
    }

    /// Waits for the close; nil when the waiting task is cancelled first.
    func waitClosed() async -> CloseInfo? {
        let key = state.withLock { s in
            defer { s.nextCloseWaiter += 1 }
            return s.nextCloseWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<CloseInfo?, Never>) in
                let already: CloseInfo?? = state.withLock { s in
                    if let info = s.closeInfo { return .some(info) }
                    if Task.isCancelled { return .some(nil) }
                    s.closeWaiters[key] = continuation
                    return .none
                }
                if let already { continuation.resume(returning: already) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.closeWaiters.removeValue(forKey: key) }
            waiter?.resume(returning: nil)
        }
    }
}
