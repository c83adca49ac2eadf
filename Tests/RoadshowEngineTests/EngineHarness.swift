import Foundation
import Logging
@testable import RoadshowCore
@testable import RoadshowServer
import RoadshowStore

/// An engine with no sockets: a real store (a temporary file), the real writer
/// and reader threads, and fake subscribers that take their frames by calling
/// `nextOutput` as a transport would. The engine stays on the thread that
/// made the harness; tests are synchronous so they run on one thread.
final class EngineHarness {
    static let adminToken = "engine-test-admin-token-0123456789"
    let directory: URL
    let store: EventStore
    let inbox = Inbox()
    let metrics = Metrics()
    let writer: Writer
    let reader: Reader
    let port = FakePort()
    let woken = DispatchSemaphore(value: 0)
    private(set) var engine: Engine!
    private var nextRequest = 1
    /// Frames each session has taken, parsed, in order.
    private(set) var received: [Int: [JSON]] = [:]

    final class FakePort: EnginePort {
        var writable: Set<Int> = []
        func wantsWrite(_ session: Int) { writable.insert(session) }
    }

    init(limits: ServerConfiguration.Limits = .init(), directory: URL? = nil, clock: (@Sendable () -> Date)? = nil) throws {
        let dir = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        self.directory = dir
        store = try EventStore.open(path: dir.appendingPathComponent("roadshow.sqlite").path)
        let woken = woken
        var logger = Logger(label: "engine-test", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        writer = Writer(store: store, inbox: inbox, metrics: metrics, logger: logger) { woken.signal() }
        reader = Reader(store: store, inbox: inbox) { woken.signal() }
        writer.start()
        var config = ServerConfiguration(databasePath: "", limits: limits, logger: logger)
        if let clock { config.clock = clock }
        engine = try Engine(config: config, store: store, inbox: inbox, writer: writer, reader: reader, metrics: metrics, port: port)
        _ = try engine.bootstrapIfNeeded(adminToken: Self.adminToken, store: store)
    }

    /// Stops the writer; the store stays for a restart in the same directory.
    func stop() {
        writer.stop()
        engine = nil
    }

    deinit { if engine != nil { writer.stop() } }

    // MARK: - Driving it

    /// A new session, signed in with `token` when given.
    func connect(token: String? = nil, peer: String = "test") throws -> Int {
        let id = engine.opened(peer: peer)
        if let token { _ = try call(id, "auth", ["token": .string(token)]) }
        return id
    }

    /// Sends a request and returns its id; the reply comes with `settle`.
    @discardableResult
    func send(_ session: Int, _ op: String, _ args: JSON = [:]) -> String {
        let id = "r\(nextRequest)"
        nextRequest += 1
        let frame: JSON = ["id": .string(id), "op": .string(op), "args": args]
        engine.received(session, frame.encodedBytes)
        return id
    }

    /// Runs the engine until nothing is in flight: writer commits and reader
    /// answers are drained from the inbox as the service thread would.
    func settle(timeout: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        // The stored requestKeys' fingerprints, read in the background after a start, count too.
        while !engine.inflight.isEmpty || !engine.pendingReads.isEmpty || !engine.replies.complete {
            guard woken.wait(timeout: .now() + 0.05) == .success || Date() < deadline else {
                throw HarnessError(description: "the engine did not settle in \(timeout) s")
            }
            engine.drainInbox()
        }
        engine.drainInbox()
    }

    /// Takes every frame waiting for a session, as its socket would.
    @discardableResult
    func take(_ session: Int) throws -> [JSON] {
        var out: [JSON] = []
        loop: while true {
            switch engine.nextOutput(session) {
            case .nothing: break loop
            case .frame(let m, _):
                out.append(try JSON.parse(UnsafeBufferPointer(start: m.payload, count: m.count)))
            case .close(let code, let reason):
                out.append(["closed": .int(Int64(code)), "reason": .string(reason)])
                break loop
            }
        }
        received[session, default: []].append(contentsOf: out)
        return out
    }

    /// Sends, settles and returns the request's reply (events before it stay in `received`).
    func call(_ session: Int, _ op: String, _ args: JSON = [:]) throws -> JSON {
        let id = send(session, op, args)
        try settle()
        let frames = try take(session)
        guard let reply = frames.first(where: { $0["re"]?.stringValue == id }) else {
            throw HarnessError(description: "no reply to \(op) among \(frames.map(\.encodedString))")
        }
        return reply
    }

    /// `call` that must answer ok; returns the result.
    func ok(_ session: Int, _ op: String, _ args: JSON = [:]) throws -> JSON {
        let reply = try call(session, op, args)
        guard reply["ok"] == .bool(true), let result = reply["result"] else {
            throw HarnessError(description: "\(op) failed: \(reply.encodedString)")
        }
        return result
    }

    /// An organizer and one of its meetings; returns (organizer session, meeting id).
    func organizerWithMeeting() throws -> (Int, String) {
        let admin = try connect(token: Self.adminToken)
        let token = try ok(admin, "account.create", ["name": "黄山市投资促进局", "kind": "organizer"])["token"]!.stringValue!
        let organizer = try connect(token: token)
        let meeting = try ok(organizer, "meeting.create", Self.meetingArgs)["meeting"]!["id"]!.stringValue!
        return (organizer, meeting)
    }

    static let meetingArgs: JSON = [
        "title": "新能源储能项目线上路演",
        "company": ["name": "皖南新能源科技有限公司", "contact": "李四", "phone": "13800000000"],
        "project": ["name": "储能电池生产基地", "category": "industrial", "industry": "新能源", "investment": 12.5],
        "startsAt": "2030-12-01T06:00:00Z", "durationMinutes": 120,
        "system": ["name": "腾讯会议", "room": "987-654-321", "link": "https://meeting.tencent.com/dm/abc"],
    ]

    /// Each stream as served against the same stream replayed from the store
    /// (what a restart would load): the streams whose state differs.
    func streamsDifferingFromReplay() throws -> [String] {
        var differing: [String] = []
        for (stream, events) in try store.allStreams() {
            let replayed = StreamState.applying(events.map(\.event), to: nil)
            if engine.streams[stream]?.state != replayed || engine.streams[stream]?.seq != events.last?.seq { differing.append(stream) }
        }
        return differing
    }

    struct HarnessError: Error, CustomStringConvertible {
        let description: String
    }
}

extension Metrics {
    /// One sample's value in the rendering, by its name as written
    /// (`roadshow_x_total`, `roadshow_y_seconds_count`); nil when absent.
    func sample(_ name: String) -> Double? {
        for line in String(decoding: render(), as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == name { return Double(parts[1]) }
        }
        return nil
    }
}
