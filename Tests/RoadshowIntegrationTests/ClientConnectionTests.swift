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
        #expect(pong == [:])
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
        #expect(try await c.call("ping") == [:])
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
}
