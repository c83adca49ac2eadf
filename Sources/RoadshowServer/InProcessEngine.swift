import Foundation
import Logging
import RoadshowCore
import RoadshowStore

/// The engine with no transport and no writer thread, driven by its caller on
/// one thread: the in-process fuzzer's way in (`Sources/RoadshowFuzz`,
/// `make fuzz`). A message takes the way a WebSocket text message takes —
/// the transport's size and UTF-8 checks, then `Engine.received`: decode,
/// rate limits, sign-in, the op table, permissions, decide — and a write is
/// committed by the real `Writer` code into the given store, only on the
/// caller's thread (`settle`), then lands and fans out as it would. Reads of
/// the store (stored replies, catch-up) go through the real `Reader`.
///
/// Not used by `roadshow serve`.
public final class InProcessEngine {
    /// What a session's socket would be handed next.
    public enum Frame: Sendable {
        case text([UInt8])
        case close(code: Int32, reason: String)
    }

    private final class Port: EnginePort {
        func wantsWrite(_ session: Int) {}
    }

    let engine: Engine
    private let writer: Writer
    private let port = Port()
    private let readerWoke = DispatchSemaphore(value: 0)
    private let limits: ServerConfiguration.Limits

    /// An engine over `store`, replayed from it as at a start; on an empty
    /// store the accounts stream is made with `adminToken`. `clock` is what
    /// decisions see as now.
    public init(
        store: any EventStorage, adminToken: String, inviteKey: InviteKey?, limits: ServerConfiguration.Limits = .init(),
        timeZone: String = "Asia/Shanghai", clock: @escaping @Sendable () -> Date
    ) throws {
        var logger = Logger(label: "roadshow-inprocess", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        var config = ServerConfiguration(databasePath: "", timeZone: timeZone, limits: limits, logger: logger)
        config.clock = clock
        self.limits = limits
        let inbox = Inbox()
        let metrics = Metrics()
        let woke = readerWoke
        writer = Writer(store: store, inbox: inbox, metrics: metrics, logger: logger) {}
        let reader = Reader(store: store, inbox: inbox) { woke.signal() }
        engine = try Engine(
            config: config, store: store, inbox: inbox, writer: writer, reader: reader, metrics: metrics, port: port,
            inviteKey: inviteKey)
        _ = try engine.bootstrapIfNeeded(adminToken: adminToken, store: store)
    }

    /// A new connection; its id.
    public func connect(peer: String = "127.0.0.1") -> Int { engine.opened(peer: peer) }

    /// The connection is gone (as the transport reports a closed socket).
    public func disconnect(_ session: Int) { engine.closed(session) }

    /// One whole text message from a connection. The transport's own checks
    /// come first (`LwsServer.receive`): a message over the size limit, or
    /// not UTF-8, closes the connection (returned; the session is gone) and
    /// never reaches the engine.
    @discardableResult
    public func receive(_ session: Int, _ message: [UInt8]) -> Frame? {
        if message.count > limits.maxMessageBytes {
            engine.closed(session)
            return .close(code: 1009, reason: "message over \(limits.maxMessageBytes / 1024) KiB")
        }
        guard String(validating: message, as: UTF8.self) != nil else {
            engine.closed(session)
            return .close(code: 1007, reason: "")
        }
        engine.received(session, message)
        return nil
    }

    public struct Stuck: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs until nothing is in flight: what the engine handed the writer is
    /// committed here, and the writer's and reader's answers are drained
    /// from the inbox as the service thread drains them.
    public func settle(timeout: Double = 10) throws {
        let deadline = DispatchTime.now() + timeout
        while true {
            let wrote = writer.commitQueued()
            engine.drainInbox()
            if wrote { continue }
            if engine.inflight.isEmpty && engine.pendingReads.isEmpty { return }
            if !engine.pendingReads.isEmpty, readerWoke.wait(timeout: deadline) == .timedOut {
                throw Stuck(description: "a read did not come back in \(timeout) s")
            }
            if engine.pendingReads.isEmpty && !engine.inflight.isEmpty && !writer.hasQueued {
                throw Stuck(description: "\(engine.inflight.count) command(s) in flight with nothing queued for the writer")
            }
        }
    }

    /// Every frame waiting for a session, in order, as its socket would take them.
    public func take(_ session: Int) -> [Frame] {
        var out: [Frame] = []
        while true {
            switch engine.nextOutput(session) {
            case .nothing: return out
            case .frame(let m, _):
                out.append(.text(Array(UnsafeBufferPointer(start: m.payload, count: m.count))))
            case .close(let code, let reason):
                out.append(.close(code: code, reason: reason))
                return out
            }
        }
    }

    /// True when the engine closes this session (its close is the next frame).
    public func isClosing(_ session: Int) -> Bool { engine.sessions[session]?.closing != nil }

    /// The sessions open, by id.
    public var sessionIds: [Int] { Array(engine.sessions.keys) }

    /// Each stream's committed state and seq, as served.
    public var streams: [String: (state: StreamState?, seq: Int64)] {
        engine.streams.mapValues { ($0.state, $0.seq) }
    }

    /// The credentials the engine signs in with, by token hash.
    public var credentials: [String: Credential] { engine.credentials }

    /// What is left over once settled: commands waiting or in flight, busy
    /// streams, requestKeys held. Empty when all is well.
    public var leftovers: [String] {
        var out: [String] = []
        if !engine.inflight.isEmpty { out.append("\(engine.inflight.count) in flight") }
        if !engine.pendingReads.isEmpty { out.append("\(engine.pendingReads.count) reads pending") }
        if !engine.keysInFlight.isEmpty { out.append("requestKeys held: \(engine.keysInFlight.sorted())") }
        if !engine.waitingOnKey.isEmpty { out.append("\(engine.waitingOnKey.count) keys with waiters") }
        for (id, slot) in engine.streams where !slot.pipeline.isEmpty || slot.head != nil || slot.barrier || !slot.waiting.isEmpty {
            out.append("stream \(id): \(slot.pipeline.count) in its pipeline, barrier \(slot.barrier), \(slot.waiting.count) waiting")
        }
        return out
    }
}
