import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// RoadshowConnection against a real server: calls, errors, events, and the
/// connection-closing guards (1009 / 1003 / 1007).
@Suite(.serialized)
struct ClientConnectionTests {
    @Test func authenticatesAndCalls() async throws {
        let server = try ClientTestServer()
        let c = try await RoadshowConnection.connect(url: server.url)
        defer { c.close() }
        let auth = try await c.call("auth", ["token": .string(ClientTestServer.adminToken)])
        #expect(auth["actor"]?["kind"] == "admin")
        let pong = try await c.call("ping")
        #expect(pong["serverTime"]?.stringValue != nil)
        let raw = try await c.callRaw("ping", id: "my-id-1")
        #expect(raw["re"] == "my-id-1")
        #expect(raw["ok"] == true)
    }

    @Test func serverErrorsAreRoadshowErrors() async throws {
        let server = try ClientTestServer()
        let c = try await RoadshowConnection.connect(url: server.url)
        defer { c.close() }
        await #expect(throws: RoadshowError.self) { try await c.call("meeting.list") }
        do {
            _ = try await c.call("meeting.list")
        } catch let error as RoadshowError {
            #expect(error.code == .unauthenticated)
        }
        _ = try await c.call("auth", ["token": .string(ClientTestServer.adminToken)])
        do {
            _ = try await c.call("meeting.get", ["meeting": "M-NOPE"])
            Issue.record("meeting.get of an unknown meeting succeeded")
        } catch let error as RoadshowError {
            #expect(error.code == .notFound)
        }
        do {
            _ = try await c.call("no.such.op")
            Issue.record("an unknown op succeeded")
        } catch let error as RoadshowError {
            #expect(error.code == .unknownOp)
        }
        // The connection survives bad requests.
        #expect(try await c.call("ping")["serverTime"]?.stringValue != nil)
    }

    @Test func rawFramesGetTheirReplies() async throws {
        let server = try ClientTestServer()
        let c = try await RoadshowConnection.connect(url: server.url)
        defer { c.close() }
        let reply = try await c.exchange(raw: #"{"id":"x1","op":"ping","args":[1]}"#, replyTo: "x1")
        #expect(reply["ok"] == false)
        #expect(reply["error"]?["code"] == "bad_request")
        try await c.send(raw: "{not json")
        var strays = c.strayReplies.makeAsyncIterator()
        let stray = await strays.next()
        #expect(stray?["re"] == .null)
        #expect(stray?["error"]?["code"] == "bad_request")
    }

    @Test func refusedConnectionSaysWhatToDo() async throws {
        // A port that was just free: nothing listens there.
        let server = try ClientTestServer()
        let url = server.url
        server.stop()
        do {
            _ = try await RoadshowConnection.connect(url: url, timeout: .seconds(3))
            Issue.record("connected to a stopped server")
        } catch let error as RoadshowClientError {
            guard case .cannotConnect = error else {
                Issue.record("expected cannotConnect, got \(error)")
                return
            }
            #expect(error.description.contains("connection refused"))
            #expect(error.description.contains("roadshow serve"))
            #expect(error.description.contains(url))
        }
    }

    @Test func wrongPathIsExplained() async throws {
        let server = try ClientTestServer()
        do {
            _ = try await RoadshowConnection.connect(url: "ws://127.0.0.1:\(server.port)/nope", timeout: .seconds(3))
            Issue.record("a WebSocket at /nope was accepted")
        } catch let error as RoadshowClientError {
            switch error {
            case .handshakeFailed, .upgradeRefused: #expect(error.description.contains("/ws"))
            default: Issue.record("expected a handshake failure, got \(error)")
            }
        }
    }

    @Test func invalidAddressIsRejectedBeforeConnecting() async throws {
        await #expect(throws: RoadshowClientError.self) {
            _ = try await RoadshowConnection.connect(url: "http://127.0.0.1:8080/ws")
        }
    }

    @Test func oversizedMessageClosesWith1009() async throws {
        let server = try ClientTestServer()
        let c = try await server.connect()
        let padding = String(repeating: "x", count: 70 * 1024)
        try await c.send(raw: #"{"id":"big","op":"ping","args":{"pad":""# + padding + #""}}"#)
        let info = await c.closed(within: .seconds(10))
        #expect(info?.code == 1009)
        #expect(c.closeCode == 1009)
        await #expect(throws: RoadshowClientError.self) { try await c.call("ping") }
    }

    @Test func binaryFrameClosesWith1003() async throws {
        let server = try ClientTestServer()
        let c = try await server.connect()
        try await c.sendBinary([0x7B, 0x7D])
        let info = await c.closed(within: .seconds(10))
        #expect(info?.code == 1003)
    }

    @Test func invalidUTF8ClosesWith1007() async throws {
        let server = try ClientTestServer()
        let c = try await server.connect()
        try await c.sendText(bytes: Array(#"{"id":"u","op":"ping","args":{"x":""#.utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8))
        let info = await c.closed(within: .seconds(10))
        #expect(info?.code == 1007)
    }

    @Test func subscriberGetsEventsInOrder() async throws {
        let server = try ClientTestServer()
        let token = try await server.organizerToken()
        let writer = try await server.connect(token: token)
        let reader = try await server.connect(token: token)
        defer {
            writer.close()
            reader.close()
        }
        let meeting = try await server.createMeeting(on: writer)
        let subscribed = try await reader.call("stream.subscribe", ["stream": .string(meeting)])
        let startSeq = subscribed["seq"]!.intValue!
        #expect(subscribed["snapshot"]?["id"]?.stringValue == meeting)
        for i in 1...5 {
            _ = try await writer.call("checklist.add", ["meeting": .string(meeting), "text": .string("第\(i)项")])
        }
        var seen: [Int64] = []
        for await event in reader.events {
            #expect(event["stream"]?.stringValue == meeting)
            #expect(event["event"] == "checklist.item_added")
            seen.append(event["seq"]!.intValue!)
            if seen.count == 5 { break }
        }
        #expect(seen == Array((startSeq + 1)...(startSeq + 5)))
    }

    @Test func concurrentCallsAreMatchedToTheirReplies() async throws {
        let server = try ClientTestServer()
        let c = try await server.connect()
        defer { c.close() }
        let results = try await withThrowingTaskGroup(of: JSON.self) { group in
            for _ in 0..<50 { group.addTask { try await c.callRaw("ping") } }
            var replies: [JSON] = []
            for try await r in group { replies.append(r) }
            return replies
        }
        #expect(results.count == 50)
        #expect(Set(results.compactMap { $0["re"]?.stringValue }).count == 50)
    }

    @Test func silentServerTimesOutTheHandshake() async throws {
        // A socket that listens but never answers: the kernel accepts the TCP
        // connection, nobody speaks HTTP.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        #expect(bound && listen(fd, 8) == 0)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let started = ContinuousClock.now
        do {
            _ = try await RoadshowConnection.connect(url: "ws://127.0.0.1:\(port)/ws", timeout: .milliseconds(500))
            Issue.record("a server that never answers completed the handshake")
        } catch let error as RoadshowClientError {
            guard case .timedOut = error else {
                Issue.record("expected timedOut, got \(error)")
                return
            }
            #expect(error.description.contains("0.5 s"))
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func manyConnectionsShareOneServiceThread() async throws {
        let server = try ClientTestServer()
        let count = 200
        let connections = try await withThrowingTaskGroup(of: RoadshowConnection.self) { group in
            for _ in 0..<count { group.addTask { try await server.connect() } }
            var all: [RoadshowConnection] = []
            for try await c in group { all.append(c) }
            return all
        }
        #expect(connections.count == count)
        let pongs = try await withThrowingTaskGroup(of: JSON.self) { group in
            for c in connections { group.addTask { try await c.call("ping") } }
            var n = 0
            for try await p in group where p.objectValue != nil { n += 1 }
            return n
        }
        #expect(pongs == count)
        for c in connections { c.close() }
        for c in connections { #expect(await c.closed(within: .seconds(10))?.code == 1000) }
    }
}
