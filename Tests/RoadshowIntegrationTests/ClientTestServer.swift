import Foundation
import Logging
import RoadshowClient
import RoadshowCore
import RoadshowServer

/// A real server for client tests: its own temporary database, a free port on
/// 127.0.0.1, a known admin token. `restart()` stops it and starts it again on
/// the same port and database, as an operator restarting the service would.
final class ClientTestServer: @unchecked Sendable {
    static let adminToken = "rs_test_admin_token_0123456789"

    let directory: URL
    private(set) var server: RoadshowServer
    private(set) var port: Int

    var url: String { "ws://127.0.0.1:\(port)/ws" }
    var databasePath: String { directory.appendingPathComponent("roadshow.sqlite").path }

    /// The repository's web/ folder (the page), found from this file's place.
    static var webRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("web").path
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        server = try RoadshowServer.start(Self.configuration(port: 0, database: directory.appendingPathComponent("roadshow.sqlite").path))
        port = server.port
    }

    static func configuration(port: Int, database: String) -> ServerConfiguration {
        var logger = Logger(label: "roadshow-client-test", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        // The client's tests open hundreds of connections with one token: no per-token cap here.
        var limits = ServerConfiguration.Limits()
        limits.maxConnectionsPerToken = 0
        return ServerConfiguration(
            host: "127.0.0.1", port: port, databasePath: database, webRoot: webRoot, adminToken: adminToken, limits: limits, logger: logger)
    }

    func stop() { server.stop() }

    /// Starts again on the same port and database (retrying while the port is still being released).
    func restart(after pause: Duration = .zero) async throws {
        server.stop()
        if pause > .zero { try await Task.sleep(for: pause) }
        var lastError: (any Error)?
        for _ in 0..<50 {
            do {
                server = try RoadshowServer.start(Self.configuration(port: port, database: databasePath))
                return
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw lastError!
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: helpers for tests

    /// An authenticated connection.
    func connect(token: String = adminToken) async throws -> RoadshowConnection {
        let c = try await RoadshowConnection.connect(url: url)
        _ = try await c.call("auth", ["token": .string(token)])
        return c
    }

    /// An organizer account's token.
    func organizerToken(name: String = "市投资促进局") async throws -> String {
        let admin = try await connect()
        defer { admin.close() }
        let result = try await admin.call("account.create", ["name": .string(name), "kind": "organizer"])
        return result["token"]!.stringValue!
    }

    /// A new meeting by `connection`'s actor; returns its id.
    func createMeeting(on connection: RoadshowConnection, title: String = "新能源电池项目线上路演") async throws -> String {
        let result = try await connection.call("meeting.create", Self.meetingArgs(title: title))
        return result["meeting"]!["id"]!.stringValue!
    }

    static func meetingArgs(title: String) -> JSON {
        [
            "title": .string(title),
            "company": ["name": "某某新能源科技有限公司", "contact": "王经理"],
            "project": ["name": "动力电池生产基地", "category": "industrial", "investment": 12.5],
            "startsAt": "2026-12-01T14:00:00+08:00",
            "durationMinutes": 90,
            "system": ["name": "腾讯会议", "room": "123-456-789"],
        ]
    }
}
