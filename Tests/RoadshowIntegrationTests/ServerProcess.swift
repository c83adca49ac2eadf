import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// `roadshow serve` as a separate process, for tests that kill it.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let output = Pipe()

    /// The built `roadshow` executable, next to the test bundle.
    static var executable: URL {
        if let given = ProcessInfo.processInfo.environment["ROADSHOW_BIN"] { return URL(fileURLWithPath: given) }
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("roadshow")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return TestServer.repositoryRoot.appendingPathComponent(".build/debug/roadshow")
    }

    init(database: String, adminToken: String = TestServer.adminToken, arguments: [String] = []) throws {
        process.executableURL = Self.executable
        process.arguments = ["serve", "--port", "0", "--db", database, "--web", TestServer.repositoryRoot.appendingPathComponent("web").path, "--log-level", "error"] + arguments
        var env = ProcessInfo.processInfo.environment
        env["ROADSHOW_ADMIN_TOKEN"] = adminToken
        process.environment = env
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line says where it serves: "Roadshow is serving http://127.0.0.1:PORT/".
        var text = ""
        let handle = output.fileHandleForReading
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("\n"), Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: #"http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) else {
            process.terminate()
            throw Failure(description: "the server printed no URL: \(text)")
        }
        let url = String(text[range])
        port = Int(url.split(separator: ":").last!.dropLast())!
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    var url: String { "ws://127.0.0.1:\(port)/ws" }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then SIGKILL if the server has not stopped within 15 s (a test
    /// must never hang on a server that ignores its stop).
    @discardableResult
    func terminate() -> Bool {
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }
}

extension ServerProcess {
    /// A server process on a new database in a new temporary directory.
    static func fresh(_ prefix: String) throws -> (server: ServerProcess, dir: URL, db: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        let db = dir.appendingPathComponent("roadshow.sqlite").path
        return (try ServerProcess(database: db), dir, db)
    }

    /// A connection signed in with `token` (default: the admin's).
    func connect(token: String = TestServer.adminToken) async throws -> RoadshowConnection {
        let c = try await RoadshowConnection.connect(url: url)
        _ = try await c.call("auth", ["token": .string(token)])
        return c
    }

    /// A new organizer account (made by the admin): its token and a connection signed in with it.
    func organizer(_ name: String = "局") async throws -> (token: String, connection: RoadshowConnection) {
        let admin = try await connect()
        defer { admin.close() }
        let token = try #require(try await admin.call("account.create", ["name": .string(name), "kind": "organizer"])["token"]?.stringValue)
        return (token, try await connect(token: token))
    }
}
