import Foundation
import RoadshowClient
import RoadshowCore
import RoadshowServer
import Testing

/// The HTTP edge (issue 10, point 5): security headers on every answer,
/// files only from inside web/, and the WebSocket's Origin check against the
/// server's own origins, not the request's Host.
@Suite("HTTP edge")
struct HTTPEdgeTests {
    /// One raw HTTP/1.1 exchange on a new TCP connection: the response's head and body.
    static func raw(port: Int, _ request: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect") }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            out += buffer[0..<n]
            let text = String(decoding: out, as: UTF8.self)
            // A 101 never ends; a response with a body ends at its length (or the close).
            if text.hasPrefix("HTTP/1.1 101") && text.contains("\r\n\r\n") { break }
            if let head = text.range(of: "\r\n\r\n"), let len = text.range(of: #"(?i)content-length: (\d+)"#, options: .regularExpression) {
                let n = Int(text[len].split(separator: " ").last!) ?? 0
                if out.count >= text.utf8.distance(from: text.utf8.startIndex, to: head.upperBound.samePosition(in: text.utf8)!) + n { break }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func get(_ port: Int, _ path: String, host: String? = nil) throws -> String {
        try raw(port: port, "GET \(path) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n\r\n")
    }

    @Test("every answer carries the security headers; the page has no inline script")
    func headers() throws {
        let server = try TestServer()
        let port = server.server.port
        for path in ["/", "/app.js", "/api/ops", "/healthz", "/nope"] {
            let r = try Self.get(port, path).lowercased()
            #expect(r.contains("content-security-policy: default-src 'self'; script-src 'self'"), "\(path)")
            #expect(r.contains("frame-ancestors 'none'"), "\(path)")
            #expect(r.contains("x-content-type-options: nosniff"), "\(path)")
            #expect(r.contains("x-frame-options: deny"), "\(path)")
            #expect(r.contains("referrer-policy: no-referrer"), "\(path)")
        }
        let page = try Self.get(port, "/")
        #expect(page.hasPrefix("HTTP/1.1 200"))
        #expect(page.lowercased().contains("content-type: text/html"))
        // No inline script: every <script> has a src.
        let scripts = page.components(separatedBy: "<script").dropFirst()
        #expect(!scripts.isEmpty && scripts.allSatisfy { $0.prefix(while: { $0 != ">" }).contains("src=") })
        #expect(try Self.get(port, "/app.js").lowercased().contains("content-type: text/javascript"))
    }

    @Test("files only from inside web/: no symlink out, no .., nothing hidden, no unknown types")
    func filesStayInside() throws {
        let web = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: web.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "<!doctype html><title>t</title>".write(to: web.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try "ok".write(to: web.appendingPathComponent("sub/a.txt"), atomically: true, encoding: .utf8)
        try "secret".write(to: web.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        try "x".write(to: web.appendingPathComponent("tool.sh"), atomically: true, encoding: .utf8)
        let outside = web.deletingLastPathComponent().appendingPathComponent("roadshow-outside-\(UUID().uuidString).txt")
        try "outside the web root".write(to: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: web.appendingPathComponent("leak.txt").path, withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: web.appendingPathComponent("inside.txt").path, withDestinationPath: web.appendingPathComponent("sub/a.txt").path)
        let server = try TestServer { $0.webRoot = web.path }
        let port = server.server.port
        #expect(try Self.get(port, "/").hasPrefix("HTTP/1.1 200"))
        #expect(try Self.get(port, "/sub/a.txt").hasSuffix("ok"))
        #expect(try Self.get(port, "/inside.txt").hasSuffix("ok"), "a symlink that stays inside is fine")
        for path in ["/leak.txt", "/../\(outside.lastPathComponent)", "/sub/../../\(outside.lastPathComponent)", "/%2e%2e/\(outside.lastPathComponent)",
                     "/.env", "/tool.sh", "/sub/", "/index.html%00.txt"] {
            let r = try Self.get(port, path)
            // lws itself drops some (a NUL in the path) without an answer.
            #expect(r.isEmpty || r.hasPrefix("HTTP/1.1 404") || r.hasPrefix("HTTP/1.1 403") || r.hasPrefix("HTTP/1.1 400"), "\(path): \(r.prefix(40))")
            #expect(!r.contains("outside the web root") && !r.contains("secret"), "\(path)")
        }
    }

    @Test("the WebSocket's Origin is checked against the server's own origins, not the Host header (DNS rebinding)")
    func originNotHost() throws {
        let server = try TestServer()
        let port = server.server.port
        func upgrade(origin: String, host: String) throws -> String {
            try Self.raw(port: port, """
                GET /ws HTTP/1.1\r
                Host: \(host)\r
                Upgrade: websocket\r
                Connection: Upgrade\r
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
                Sec-WebSocket-Version: 13\r
                Sec-WebSocket-Protocol: roadshow.v1\r
                Origin: \(origin)\r
                \r

                """)
        }
        #expect(try upgrade(origin: "http://127.0.0.1:\(port)", host: "127.0.0.1:\(port)").hasPrefix("HTTP/1.1 101"))
        #expect(try upgrade(origin: "http://localhost:\(port)", host: "localhost:\(port)").hasPrefix("HTTP/1.1 101"))
        // A rebinding name: Host and Origin agree, and it is still refused.
        #expect(!(try upgrade(origin: "http://evil.example:\(port)", host: "evil.example:\(port)").hasPrefix("HTTP/1.1 101")))
        #expect(!(try upgrade(origin: "http://evil.example", host: "127.0.0.1:\(port)").hasPrefix("HTTP/1.1 101")))
    }

    @Test("a WebSocket naming no subprotocol is refused; with the Autobahn echo (tests only) /echo takes it, and nothing else changes")
    func autobahnEchoOnlyWithItsFlag() throws {
        func upgrade(_ port: Int, path: String, subprotocol: String? = nil, origin: String? = nil) throws -> String {
            var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            if let subprotocol { request += "Sec-WebSocket-Protocol: \(subprotocol)\r\n" }
            if let origin { request += "Origin: \(origin)\r\n" }
            return try Self.raw(port: port, request + "\r\n")
        }
        for echo in [false, true] {
            let server = try TestServer { $0.autobahnEcho = echo }
            let port = server.server.port
            #expect(try upgrade(port, path: "/echo").hasPrefix("HTTP/1.1 101") == echo, "echo \(echo)")
            #expect(!(try upgrade(port, path: "/ws").hasPrefix("HTTP/1.1 101")), "echo \(echo)")
            #expect(!(try upgrade(port, path: "/echo", subprotocol: "roadshow.v1").hasPrefix("HTTP/1.1 101")), "echo \(echo)")
            #expect(!(try upgrade(port, path: "/ws", subprotocol: "autobahn-echo").hasPrefix("HTTP/1.1 101")), "echo \(echo)")
            #expect(try upgrade(port, path: "/ws", subprotocol: "roadshow.v1").hasPrefix("HTTP/1.1 101"), "echo \(echo)")
            #expect(!(try upgrade(port, path: "/ws", subprotocol: "roadshow.v1", origin: "http://evil.example").hasPrefix("HTTP/1.1 101")), "echo \(echo)")
            #expect(try Self.get(port, "/healthz").hasPrefix("HTTP/1.1 200"), "echo \(echo)")
            server.stop()
        }
    }

    @Test("an admin token that is short or repetitive stops the first start, saying how to make one")
    func weakAdminToken() throws {
        for weak in [String(repeating: "a", count: 16), String(repeating: "ab", count: 20), "short-token"] {
            #expect {
                _ = try TestServer { $0.adminToken = weak }
            } throws: { error in
                "\(error)".contains("openssl rand")
            }
        }
    }

    @Test("with a metrics token, /metrics answers only that bearer")
    func metricsToken() throws {
        let server = try TestServer { $0.metricsToken = "metrics-secret-0123456789" }
        let port = server.server.port
        #expect(try Self.get(port, "/metrics").hasPrefix("HTTP/1.1 401"))
        let wrong = try Self.raw(port: port, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer nope\r\nConnection: close\r\n\r\n")
        #expect(wrong.hasPrefix("HTTP/1.1 401"))
        let right = try Self.raw(port: port, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer metrics-secret-0123456789\r\nConnection: close\r\n\r\n")
        #expect(right.hasPrefix("HTTP/1.1 200") && right.contains("roadshow_connections_open"))
        #expect(try Self.get(port, "/healthz").hasPrefix("HTTP/1.1 200"), "health stays open")
    }

    @Test("through the real transport, a connection over the cap is closed at once with 4013, try again later")
    func overTheCapThroughLws() async throws {
        var limits = ServerConfiguration.Limits()
        limits.maxConnections = 1
        let server = try TestServer(limits: limits)
        let first = try await server.admin()
        let second = try await server.connect()
        let closed = await second.closed(within: .seconds(5))
        #expect(closed?.code == 4013, "\(String(describing: closed))")
        #expect(closed?.reason.contains("try again in a minute") == true)
        _ = try await first.call("ping")
    }
    @Test("roadshow.v1 answers a close frame of one byte with 1002 and a close reason that is not UTF-8 with 1007")
    func closeFrames() throws {
        let server = try TestServer()
        for (payload, expected) in [([UInt8(0x03)], UInt16(1002)), ([0x03, 0xE8, 0xC3, 0x28], 1007), ([0x03, 0xE8] + Array("再见".utf8), 1000)] {
            let ws = try RawWebSocket(port: server.server.port)
            defer { ws.close() }
            try ws.send(opcode: 0x8, payload)
            var code: UInt16? = nil
            while let frame = try ws.readFrame() {
                if frame.opcode == 0x8 {
                    code = frame.payload.count >= 2 ? UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) : nil
                    break
                }
            }
            #expect(code == expected, "close payload \(payload): got \(code.map(String.init) ?? "none")")
        }
    }
}
