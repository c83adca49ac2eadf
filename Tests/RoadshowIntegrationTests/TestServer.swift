import Foundation
import Logging
import RoadshowClient
import RoadshowCore
import RoadshowServer
import RoadshowStore
import Synchronization
import Testing

/// A real server on a free port with its own temporary database, for one test.
final class TestServer: Sendable {
    static let adminToken = "test-admin-token-0123456789"
    let server: RoadshowServer
    let directory: URL
    let databasePath: String

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    init(limits: ServerConfiguration.Limits = .init(), directory: URL? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        let dir = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        self.directory = dir
        self.databasePath = dir.appendingPathComponent("roadshow.sqlite").path
        var logger = Logger(label: "roadshow-test", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        var config = ServerConfiguration(
            host: "127.0.0.1", port: 0, databasePath: databasePath,
            webRoot: Self.repositoryRoot.appendingPathComponent("web").path,
            adminToken: Self.adminToken, limits: limits, logger: logger)
        configure(&config)
        server = try RoadshowServer.start(config)
    }

    var url: String { "ws://127.0.0.1:\(server.port)/ws" }
    var httpBase: String { "http://127.0.0.1:\(server.port)" }

    func stop() { server.stop() }

    deinit { server.stop() }

    /// A connection, signed in with `token` when given.
    func connect(token: String? = nil, origin: String? = nil) async throws -> RoadshowConnection {
        let c = try await RoadshowConnection.connect(url: url, origin: origin)
        if let token { _ = try await c.call("auth", ["token": .string(token)]) }
        return c
    }

    func admin() async throws -> RoadshowConnection { try await connect(token: Self.adminToken) }

    /// A new organizer account; returns its token.
    func organizerToken(_ name: String = "黄山市投资促进局") async throws -> String {
        let admin = try await admin()
        defer { admin.close() }
        let r = try await admin.call("account.create", ["name": .string(name), "kind": "organizer"])
        let token = try #require(r["token"]?.stringValue)
        organizerTokens.withLock { $0.append(token) }
        return token
    }

    private let organizerTokens = Mutex<[String]>([])
    var lastOrganizerToken: String? { organizerTokens.withLock { $0.last } }

    static let meetingArgs: JSON = [
        "title": "新能源储能项目线上路演",
        "company": ["name": "皖南新能源科技有限公司", "contact": "李四", "phone": "138 0000 0000"],
        "project": ["name": "储能电池生产基地", "category": "industrial", "industry": "新能源", "investment": 12.5],
        "startsAt": "2026-12-01T14:00:00+08:00",
        "durationMinutes": 90,
        "system": ["name": "腾讯会议", "room": "123-456-789", "link": "https://meeting.tencent.com/dm/abc"],
    ]

    /// Creates a meeting as `organizer`; returns its id.
    func createMeeting(_ organizer: RoadshowConnection) async throws -> String {
        let r = try await organizer.call("meeting.create", Self.meetingArgs)
        return try #require(r["meeting"]?["id"]?.stringValue)
    }

    /// Adds a participant; returns (participant id, token).
    func addParticipant(_ organizer: RoadshowConnection, meeting: String, name: String, unit: String, role: String = "unit")
        async throws -> (id: String, token: String)
    {
        let r = try await organizer.call("roster.add", [
            "meeting": .string(meeting), "name": .string(name), "unit": .string(unit), "role": .string(role),
        ])
        return (try #require(r["participant"]?["id"]?.stringValue), try #require(r["token"]?.stringValue))
    }

    /// The events stored for a stream, read from the database file directly.
    func storedEvents(_ stream: String) throws -> [RecordedEvent] {
        let store = try EventStore.open(path: databasePath)
        return try store.events(stream: stream, after: 0)
    }

    func storedEventCount() throws -> Int {
        let store = try EventStore.open(path: databasePath)
        return try store.allStreams().reduce(0) { $0 + $1.events.count }
    }
}

/// Collects a connection's events in the background so a test can wait for a number of them.
final class EventCollector: Sendable {
    private final class Box: Sendable { let events = Mutex<[JSON]>([]) }
    private let box = Box()
    private let task: Task<Void, Never>

    init(_ connection: RoadshowConnection) {
        let events = connection.events
        let box = self.box
        task = Task { for await e in events { box.events.withLock { $0.append(e) } } }
    }

    deinit { task.cancel() }

    var events: [JSON] { box.events.withLock { $0 } }

    /// Waits until at least `count` events arrived (or `timeout` passed) and returns all so far.
    func wait(for count: Int, timeout: Duration = .seconds(10)) async -> [JSON] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let now = events
            if now.count >= count { return now }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return events
    }
}

extension JSON {
    var seq: Int64? { self["seq"]?.intValue }
}

/// A clock a test sets: the server decides and computes due dates with it.
final class TestClock: Sendable {
    private let date: Mutex<Date>
    init(_ text: String) { date = Mutex(Timestamp.parse(text)!) }
    var now: Date { date.withLock { $0 } }
    func set(_ text: String) { date.withLock { $0 = Timestamp.parse(text)! } }
    func advance(days: Double) { date.withLock { $0 = $0.addingTimeInterval(days * 86_400) } }
}
