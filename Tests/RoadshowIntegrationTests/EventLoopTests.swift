import Foundation
import RoadshowClient
import RoadshowCore
import RoadshowServer
import Testing

/// The server on each of its event loops (`serve --event-loop`): libev, the
/// default, and poll, the fallback. The rest of the suite runs on the default.
@Suite("Event loops")
struct EventLoopTests {
    static let loops: [ServerConfiguration.EventLoop] = [.libev, .poll]

    @Test("the libev plugin is installed here, so libev is the default")
    func preferred() {
        #expect(ServerConfiguration.EventLoop.libevAvailable, "lws's libev plugin is missing: make deps installs libwebsockets-evlib-ev")
        #expect(ServerConfiguration.EventLoop.preferred == .libev)
        let server = try? TestServer()
        #expect(server?.server.eventLoop == .libev)
        server?.stop()
    }

    @Test("a WebSocket round trip, a subscription's event, HTTP and a clean stop", arguments: loops)
    func roundTrip(_ loop: ServerConfiguration.EventLoop) async throws {
        let server = try TestServer { $0.eventLoop = loop }
        #expect(server.server.eventLoop == loop)
        let organizer = try await server.connect(token: try await server.organizerToken())
        let pong = try await organizer.call("ping", [:])
        #expect(pong["serverTime"]?.stringValue != nil)
        // An event reaches a subscriber on another connection (a wake from the writer thread).
        let meeting = try await server.createMeeting(organizer)
        let watcher = try await server.connect(token: server.lastOrganizerToken)
        let collector = EventCollector(watcher)
        _ = try await watcher.call("stream.subscribe", ["stream": .string(meeting)])
        _ = try await organizer.call("meeting.update", ["meeting": .string(meeting), "startsAt": "2026-12-02T15:00:00+08:00"])
        let events = await collector.wait(for: 1)
        #expect(events.first?.seq != nil)
        let (body, response) = try await HTTP.get(server.httpBase + "/healthz")
        #expect(response.status == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("\"ok\":true"))
        organizer.close()
        watcher.close()
        server.stop()
    }

    @Test("a peer that answers nothing is pinged, then dropped; one that answers stays", arguments: loops)
    func keepalive(_ loop: ServerConfiguration.EventLoop) async throws {
        // Ping after 1 s of silence, drop after 2 s (a sweep every 1/6 s).
        let server = try TestServer {
            $0.eventLoop = loop
            $0.keepaliveSeconds = 1
        }
        let answering = try await server.admin()
        let port = server.server.port
        let silent = await withCheckedContinuation { (done: CheckedContinuation<SilentPeer.Outcome, Never>) in
            Thread { done.resume(returning: SilentPeer.run(port: port, waitSeconds: 6)) }.start()
        }
        #expect(silent.upgraded)
        #expect(silent.pingAfter.map { $0 >= 0.8 && $0 < 3 } == true, "ping after \(String(describing: silent.pingAfter)) s")
        #expect(silent.closedAfter.map { $0 >= 1.8 && $0 < 5 } == true, "closed after \(String(describing: silent.closedAfter)) s")
        // The lws client answered every ping: still connected.
        let pong = try await answering.call("ping", [:])
        #expect(pong["serverTime"]?.stringValue != nil)
        let (metrics, _) = try await HTTP.get(server.httpBase + "/metrics")
        #expect(String(decoding: metrics, as: UTF8.self).contains("roadshow_keepalive_hangups_total 1\n"))
        answering.close()
        server.stop()
    }
}

/// A raw WebSocket client that upgrades and then never sends a byte.
enum SilentPeer {
    struct Outcome: Sendable {
        var upgraded = false
        /// Seconds after the upgrade that a ping frame came, and that the server closed.
        var pingAfter: Double?
        var closedAfter: Double?
    }

    static func run(port: Int, waitSeconds: Double) -> Outcome {
        var outcome = Outcome()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return outcome }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return outcome }
        let request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: roadshow.v1\r\n\r\n"
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var upgradedAt: Date?
        let deadline = Date().addingTimeInterval(waitSeconds)
        while Date() < deadline {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                if let upgradedAt { outcome.closedAfter = Date().timeIntervalSince(upgradedAt) }
                break
            }
            if n < 0 { continue }
            received += buffer[0..<n]
            if upgradedAt == nil {
                let text = String(decoding: received, as: UTF8.self)
                guard let end = text.range(of: "\r\n\r\n") else { continue }
                guard text.hasPrefix("HTTP/1.1 101") else { return outcome }
                outcome.upgraded = true
                upgradedAt = Date()
                received = Array(received[text.utf8.distance(from: text.startIndex, to: end.upperBound)...])
            }
            // Server frames are unmasked: a ping is 0x89 then its length.
            if outcome.pingAfter == nil, let at = upgradedAt, received.first == 0x89 {
                outcome.pingAfter = Date().timeIntervalSince(at)
                received.removeFirst(min(received.count, 2 + Int(received.count > 1 ? received[1] & 0x7f : 0)))
            }
        }
        return outcome
    }
}
