import Foundation
import RoadshowClient
import RoadshowCore
import RoadshowStore
import Testing

/// The wire contract through the real server, the real database and the
/// project's own WebSocket client.
@Suite("Protocol through the real server")
struct ProtocolTests {
    @Test("one client mutates, a subscribed second client receives the events in order")
    func fanOutInOrder() async throws {
        let server = try TestServer()
        let organizer = try await server.connect(token: try await server.organizerToken())
        let meeting = try await server.createMeeting(organizer)

        let watcher = try await server.connect(token: TestServer.adminToken)
        let collector = EventCollector(watcher)
        let sub = try await watcher.call("stream.subscribe", ["stream": .string(meeting)])
        let start = try #require(sub["seq"]?.intValue)
        #expect(sub["snapshot"]?["checklist"]?.arrayValue?.count == 12)

        for i in 1...5 {
            _ = try await organizer.call("checklist.add", ["meeting": .string(meeting), "text": .string("准备事项 \(i)")])
        }
        _ = try await organizer.call("checklist.set", ["meeting": .string(meeting), "item": "C-1", "done": true])
        let p = try await server.addParticipant(organizer, meeting: meeting, name: "王五", unit: "黄山高新区")

        let events = await collector.wait(for: 7)
        #expect(events.count == 7)
        #expect(events.compactMap(\.seq) == Array((start + 1)...(start + 7)))
        #expect(events.map { $0["event"]?.stringValue } == Array(repeating: "checklist.item_added", count: 5) + ["checklist.item_set", "roster.added"])
        #expect(events.allSatisfy { $0["stream"]?.stringValue == meeting })
        #expect(events[5]["data"]?["item"]?["done"] == .bool(true))
        #expect(events[6]["data"]?["participant"]?["id"]?.stringValue == p.id)
        #expect(events[6]["data"]?["participant"]?["displayName"]?.stringValue == "王五-黄山高新区")
        // The stored log matches what was delivered.
        let stored = try server.storedEvents(meeting)
        #expect(stored.map(\.seq) == Array(1...(start + 7)))
    }

    @Test("snapshot, then a dropped connection resumes with since: nothing missed, nothing repeated")
    func resumeWithSince() async throws {
        let server = try TestServer()
        let organizer = try await server.connect(token: try await server.organizerToken())
        let meeting = try await server.createMeeting(organizer)

        var watcher = try await server.connect(token: TestServer.adminToken)
        var collector = EventCollector(watcher)
        let sub = try await watcher.call("stream.subscribe", ["stream": .string(meeting)])
        let snapshotSeq = try #require(sub["seq"]?.intValue)
        _ = try await organizer.call("checklist.add", ["meeting": .string(meeting), "text": "甲"])
        _ = try await organizer.call("checklist.add", ["meeting": .string(meeting), "text": "乙"])
        let firstBatch = await collector.wait(for: 2)
        #expect(firstBatch.compactMap(\.seq) == [snapshotSeq + 1, snapshotSeq + 2])
        let lastSeen = try #require(firstBatch.last?.seq)

        // The connection drops; changes happen meanwhile.
        watcher.close()
        _ = await watcher.closed(within: .seconds(5))
        for t in ["丙", "丁", "戊"] {
            _ = try await organizer.call("checklist.add", ["meeting": .string(meeting), "text": .string(t)])
        }

        watcher = try await server.connect(token: TestServer.adminToken)
        collector = EventCollector(watcher)
        let resumed = try await watcher.call("stream.subscribe", ["stream": .string(meeting), "since": .int(lastSeen)])
        #expect(resumed["seq"]?.intValue == lastSeen + 3)
        #expect(resumed["snapshot"] == nil)
        let missed = await collector.wait(for: 3)
        #expect(missed.compactMap(\.seq) == [lastSeen + 1, lastSeen + 2, lastSeen + 3])
        #expect(missed.compactMap { $0["data"]?["item"]?["text"]?.stringValue } == ["丙", "丁", "戊"])

        // Live events follow the replayed ones without a gap.
        _ = try await organizer.call("checklist.add", ["meeting": .string(meeting), "text": "己"])
        let all = await collector.wait(for: 4)
        #expect(all.compactMap(\.seq) == [lastSeen + 1, lastSeen + 2, lastSeen + 3, lastSeen + 4])
        try await Task.sleep(for: .milliseconds(200))
        #expect(collector.events.count == 4)
    }

    @Test("resume from seq 0 replays the whole stream from the database")
    func resumeFromStart() async throws {
        let server = try TestServer()
        let organizer = try await server.connect(token: try await server.organizerToken())
        let meeting = try await server.createMeeting(organizer)
        let watcher = try await server.connect(token: TestServer.adminToken)
        let collector = EventCollector(watcher)
        let r = try await watcher.call("stream.subscribe", ["stream": .string(meeting), "since": 0])
        let seq = try #require(r["seq"]?.intValue)
        let events = await collector.wait(for: Int(seq))
        #expect(events.compactMap(\.seq) == Array(1...seq))
        #expect(events.first?["event"]?.stringValue == "meeting.created")
    }

    @Test("a participant is scoped to its meeting and acts only as itself")
    func participantScope() async throws {
        let server = try TestServer()
        let organizer = try await server.connect(token: try await server.organizerToken())
        let mine = try await server.createMeeting(organizer)
        let other = try await server.createMeeting(organizer)
        let p = try await server.addParticipant(organizer, meeting: mine, name: "赵六", unit: "市发改委")
        let participant = try await server.connect(token: p.token)

        for (op, args) in [
            ("meeting.get", ["meeting": JSON.string(other)]),
            ("stream.subscribe", ["stream": .string(other)]),
            ("checklist.add", ["meeting": .string(other), "text": "x"]),
            ("roster.confirm", ["meeting": .string(other), "attending": true]),
        ] as [(String, JSON)] {
            await #expect(throws: RoadshowError.self) { try await participant.call(op, args) }
            let reply = try await participant.callRaw(op, args)
            #expect(reply["error"]?["code"]?.stringValue == "forbidden", "\(op)")
        }
        // Organizer ops on its own meeting are forbidden too.
        for (op, args) in [
            ("checklist.add", ["meeting": JSON.string(mine), "text": "x"]),
            ("roster.add", ["meeting": .string(mine), "name": "a", "unit": "b", "role": "unit"]),
            ("meeting.create", TestServer.meetingArgs),
            ("account.create", ["name": "x", "kind": "organizer"]),
            ("account.list", [:]),
        ] as [(String, JSON)] {
            let reply = try await participant.callRaw(op, args)
            #expect(reply["error"]?["code"]?.stringValue == "forbidden", "\(op)")
        }
        // Its own meeting works, and it confirms as itself.
        let list = try await participant.call("meeting.list")
        #expect(list["meetings"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [mine])
        let confirmed = try await participant.call("roster.confirm", ["meeting": .string(mine), "attending": true, "clientInstalled": true])
        #expect(confirmed["participant"]?["id"]?.stringValue == p.id)
        #expect(confirmed["participant"]?["attending"] == .bool(true))
        // An organizer cannot confirm for a participant.
        let byOrganizer = try await organizer.callRaw("roster.confirm", ["meeting": .string(mine), "attending": true])
        #expect(byOrganizer["error"]?["code"]?.stringValue == "forbidden")
    }

    @Test("an organizer sees and controls only its own meetings")
    func organizerScope() async throws {
        let server = try TestServer()
        let a = try await server.connect(token: try await server.organizerToken("甲局"))
        let b = try await server.connect(token: try await server.organizerToken("乙局"))
        let meetingA = try await server.createMeeting(a)
        _ = try await server.createMeeting(b)
        let listB = try await b.call("meeting.list")
        #expect(listB["meetings"]?.arrayValue?.count == 1)
        #expect(!(listB["meetings"]?.arrayValue?.contains { $0["id"]?.stringValue == meetingA } ?? true))
        let reply = try await b.callRaw("checklist.add", ["meeting": .string(meetingA), "text": "x"])
        #expect(reply["error"]?["code"]?.stringValue == "forbidden")
        let admin = try await server.admin()
        #expect(try await admin.call("meeting.list")["meetings"]?.arrayValue?.count == 2)
    }

    @Test("bad requests get the contract's answer, keep the connection, and store nothing")
    func badRequests() async throws {
        let server = try TestServer()
        let c = try await server.connect()

        // An op before auth.
        let early = try await c.callRaw("meeting.list")
        #expect(early["error"]?["code"]?.stringValue == "unauthenticated")
        let ping = try await c.callRaw("ping")
        #expect(ping["error"]?["code"]?.stringValue == "unauthenticated")
        let badToken = try await c.callRaw("auth", ["token": "rs_o_not_a_real_token"])
        #expect(badToken["error"]?["code"]?.stringValue == "unauthenticated")
        let signedIn = try await c.call("auth", ["token": .string(try await server.organizerToken())])
        #expect(signedIn["timeZone"] == "Asia/Shanghai", "auth names the zone the page shows times in")
        let before = try server.storedEventCount()

        // Malformed JSON: an error with re null, on the same connection.
        let strays = c.strayReplies
        try await c.send(raw: "{\"id\": \"x1\", \"op\": ")
        var iterator = strays.makeAsyncIterator()
        let malformed = try #require(await iterator.next())
        #expect(malformed["ok"] == .bool(false))
        #expect(malformed["error"]?["code"]?.stringValue == "bad_request")
        #expect(malformed["re"] == .null)

        let unknown = try await c.callRaw("meeting.explode", [:])
        #expect(unknown["error"]?["code"]?.stringValue == "unknown_op")

        var missing = TestServer.meetingArgs
        if case .object(var o) = missing { o["title"] = nil; missing = .object(o) }
        let noTitle = try await c.callRaw("meeting.create", missing)
        #expect(noTitle["error"]?["code"]?.stringValue == "bad_request")
        #expect(noTitle["error"]?["field"]?.stringValue == "args.title")

        var mistyped = TestServer.meetingArgs
        if case .object(var o) = mistyped { o["durationMinutes"] = "ninety"; mistyped = .object(o) }
        let badType = try await c.callRaw("meeting.create", mistyped)
        #expect(badType["error"]?["field"]?.stringValue == "args.durationMinutes")

        var nested = TestServer.meetingArgs
        if case .object(var o) = nested { o["company"] = ["name": 42]; nested = .object(o) }
        let badNested = try await c.callRaw("meeting.create", nested)
        #expect(badNested["error"]?["field"]?.stringValue == "args.company.name")

        let badTime = try await c.callRaw("meeting.create", {
            guard case .object(var o) = TestServer.meetingArgs else { return .null }
            o["startsAt"] = "next tuesday"
            return .object(o)
        }())
        #expect(badTime["error"]?["field"]?.stringValue == "args.startsAt")

        let argsNotObject = try await c.exchange(raw: #"{"id":"n1","op":"meeting.list","args":[1]}"#, replyTo: "n1")
        #expect(argsNotObject["error"]?["field"]?.stringValue == "args")

        // Still connected, nothing stored.
        #expect(try await c.call("ping")["serverTime"]?.stringValue != nil)
        #expect(try server.storedEventCount() == before)
    }

    @Test("an over-64-KiB message closes with 1009 and stores nothing")
    func tooLarge() async throws {
        let server = try TestServer()
        let token = try await server.organizerToken()
        let c = try await server.connect(token: token)
        let before = try server.storedEventCount()
        let big = String(repeating: "长", count: 30_000)  // 90,000 bytes of UTF-8
        let frame: JSON = ["id": "big", "op": "meeting.create", "args": ["title": .string(big)]]
        try await c.send(raw: frame.encodedString)
        let info = await c.closed(within: .seconds(5))
        #expect(info?.code == 1009)
        #expect(try server.storedEventCount() == before)
        // Exactly 64 KiB is still fine: a ping padded to the limit gets its reply.
        let d = try await server.connect(token: token)
        let pad = String(repeating: " ", count: 64 * 1024 - #"{"id":"p","op":"ping"}"#.utf8.count)
        let reply = try await d.exchange(raw: #"{"id":"p","op":"ping"}"# + pad, replyTo: "p")
        #expect(reply["ok"] == .bool(true))
    }

    @Test("a binary frame closes with 1003, invalid UTF-8 with 1007")
    func badFrames() async throws {
        let server = try TestServer()
        let token = try await server.organizerToken()
        let binary = try await server.connect(token: token)
        try await binary.sendBinary(Array(#"{"id":"b","op":"ping"}"#.utf8))
        #expect(await binary.closed(within: .seconds(5))?.code == 1003)

        let invalid = try await server.connect(token: token)
        try await invalid.sendText(bytes: Array(#"{"id":"u","op":"ping","x":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))
        #expect(await invalid.closed(within: .seconds(5))?.code == 1007)
    }

    @Test("a repeated requestKey returns the first reply and appends nothing")
    func requestKeyRepeat() async throws {
        let server = try TestServer()
        let organizer = try await server.connect(token: try await server.organizerToken())
        let meeting = try await server.createMeeting(organizer)
        let args: JSON = ["meeting": .string(meeting), "text": "确认会议系统", "requestKey": "retry-1"]
        let first = try await organizer.call("checklist.add", args)
        let count = try server.storedEvents(meeting).count
        // Same connection, and a new connection after a "reconnect".
        let again = try await organizer.call("checklist.add", args)
        let reconnected = try await server.connect(token: try #require(server.lastOrganizerToken))
        let afterReconnect = try await reconnected.call("checklist.add", args)
        #expect(again == first)
        #expect(afterReconnect == first)
        #expect(try server.storedEvents(meeting).count == count)
        // A different key appends.
        var next = args
        if case .object(var o) = next { o["requestKey"] = "retry-2"; next = .object(o) }
        let third = try await organizer.call("checklist.add", next)
        #expect(third["seq"]?.intValue == (first["seq"]?.intValue ?? 0) + 1)
    }

    @Test("repeats sent before the first reply (meeting.create too) all get the first reply; a key reused for another op is refused")
    func concurrentRepeats() async throws {
        let server = try TestServer()
        let organizer = try await server.connect(token: try await server.organizerToken())
        var args = TestServer.meetingArgs
        if case .object(var o) = args { o["requestKey"] = "create-once"; args = .object(o) }
        let create = args
        // Five copies at once: the first is still being committed when the others arrive.
        let replies = try await withThrowingTaskGroup(of: JSON.self) { group in
            for _ in 0..<5 { group.addTask { try await organizer.call("meeting.create", create) } }
            return try await group.reduce(into: [JSON]()) { $0.append($1) }
        }
        let ids = Set(replies.compactMap { $0["meeting"]?["id"]?.stringValue })
        #expect(ids.count == 1, "one meeting, the same reply to every copy: \(ids)")
        #expect(Set(replies.map(\.encodedString)).count == 1)
        let list = try await organizer.call("meeting.list")
        #expect(list["meetings"]?.arrayValue?.count == 1)

        // The same key for a different op: refused, while the first reply is in memory too.
        let meeting = try #require(ids.first)
        let added = try await organizer.call("checklist.add", ["meeting": .string(meeting), "text": "x", "requestKey": "k-1"])
        #expect(added["seq"] != nil)
        let count = try server.storedEvents(meeting).count
        let reused = try await organizer.callRaw("checklist.remove", ["meeting": .string(meeting), "item": "C-1", "requestKey": "k-1"])
        #expect(reused["error"]?["code"]?.stringValue == "conflict")
        #expect(reused["error"]?["field"]?.stringValue == "args.requestKey")
        #expect(try server.storedEvents(meeting).count == count)
    }

    @Test("a command that cannot be stored fails alone: the commands grouped with it are committed")
    func badCommandDoesNotSinkItsGroup() async throws {
        let server = try TestServer()
        let token = try await server.organizerToken()
        let organizer = try await server.connect(token: token)
        var retried = false
        for attempt in 0..<5 where !retried {
            // Six meetings; another process appends the next event of the first one
            // behind the server's back, so the server's next command there cannot be stored.
            var meetings: [String] = []
            for _ in 0..<6 { meetings.append(try await server.createMeeting(organizer)) }
            let sabotaged = meetings[0]
            let store = try EventStore.open(path: server.databasePath)
            let next = Int64(try server.storedEvents(sabotaged).count + 1)
            try store.commit([Commit(events: [RecordedEvent(
                stream: sabotaged, seq: next, at: Date(), by: "outside", event: .checklistItemRemoved(id: "C-1"))])])
            // The writer is kept busy so that the commands arrive together.
            var writers: [RoadshowConnection] = []
            for _ in 0..<6 { writers.append(try await server.connect(token: token)) }
            let clients = writers
            let replies = await withTaskGroup(of: (Int, JSON?).self) { group in
                for (i, m) in meetings.enumerated() {
                    for k in 0..<4 {
                        group.addTask {
                            let r = try? await clients[i].callRaw("checklist.add", ["meeting": .string(m), "text": .string("a\(attempt)-\(k)")])
                            return (i, r)
                        }
                    }
                }
                return await group.reduce(into: [(Int, JSON?)]()) { $0.append($1) }
            }
            for (i, r) in replies {
                let code = r?["error"]?["code"]?.stringValue
                if i == 0 {
                    #expect(code == "internal" || code == nil, "the sabotaged meeting's commands fail, or wait behind the failure")
                } else {
                    #expect(r?["ok"] == true, "meeting \(i): \(String(describing: r))")
                }
            }
            // Everything acknowledged on the other meetings is stored.
            for m in meetings.dropFirst() {
                #expect(try server.storedEvents(m).count == 13 + 4)
            }
            let (metrics, _) = try await HTTP.get("\(server.httpBase)/metrics")
            let text = String(decoding: metrics, as: UTF8.self)
            retried = !text.contains("roadshow_group_retries_total 0\n")
        }
        #expect(retried, "no failing command was ever grouped with others in five tries")
    }

    @Test("the requestKey reply survives a restart, without the token it once carried")
    func requestKeyAfterRestart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-test-\(UUID().uuidString)")
        var server = try TestServer(directory: dir)
        let token = try await server.organizerToken()
        var organizer = try await server.connect(token: token)
        let meeting = try await server.createMeeting(organizer)
        let args: JSON = ["meeting": .string(meeting), "name": "孙七", "unit": "市经信局", "role": "unit", "requestKey": "add-sun"]
        let first = try await organizer.call("roster.add", args)
        #expect(first["token"]?.stringValue != nil)
        organizer.close()
        server.stop()

        server = try TestServer(directory: dir)
        organizer = try await server.connect(token: token)
        let again = try await organizer.call("roster.add", args)
        #expect(again["participant"] == first["participant"])
        #expect(again["seq"] == first["seq"])
        #expect(again["token"] == nil)
        #expect(again["redacted"] == ["invitation", "link", "token", "url"])
        #expect(again["url"] == nil && again["invitation"] == nil)
        let snapshot = try await organizer.call("meeting.get", ["meeting": .string(meeting)])
        #expect(snapshot["snapshot"]?["roster"]?.arrayValue?.count == 1)
        // The invite token still works after the restart.
        let participant = try await server.connect(token: try #require(first["token"]?.stringValue))
        #expect(try await participant.call("meeting.list")["meetings"]?.arrayValue?.count == 1)
    }

    @Test("a replaced invite link stops working and its open connection is closed")
    func rosterLinkReissue() async throws {
        let server = try TestServer()
        let organizer = try await server.connect(token: try await server.organizerToken())
        let meeting = try await server.createMeeting(organizer)
        let p = try await server.addParticipant(organizer, meeting: meeting, name: "周八", unit: "歙县")
        let old = try await server.connect(token: p.token)
        let r = try await organizer.call("roster.link", ["meeting": .string(meeting), "participant": .string(p.id)])
        let newToken = try #require(r["token"]?.stringValue)
        #expect(newToken != p.token)
        #expect(r["link"]?.stringValue == "/#/join/\(newToken)")
        #expect(await old.closed(within: .seconds(5))?.code == 1008)
        let retry = try await server.connect()
        #expect(try await retry.callRaw("auth", ["token": .string(p.token)])["error"]?["code"]?.stringValue == "unauthenticated")
        _ = try await retry.call("auth", ["token": .string(newToken)])
    }

    @Test("concurrent writers on several streams all commit; seqs stay contiguous (group commit)")
    func groupCommit() async throws {
        let server = try TestServer()
        let token = try await server.organizerToken()
        let setup = try await server.connect(token: token)
        var meetings: [String] = []
        for _ in 0..<4 { meetings.append(try await server.createMeeting(setup)) }
        let perClient = 25
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, meeting) in meetings.enumerated() {
                for k in 0..<2 {
                    group.addTask {
                        let c = try await server.connect(token: token)
                        for n in 0..<perClient {
                            _ = try await c.call("checklist.add", ["meeting": .string(meeting), "text": .string("item \(i)-\(k)-\(n)")])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        for meeting in meetings {
            let events = try server.storedEvents(meeting)
            #expect(events.map(\.seq) == Array(1...Int64(events.count)))
            #expect(events.count == 13 + 2 * perClient)
        }
    }

    @Test("/healthz answers JSON 200 while the store is writable; /metrics is Prometheus text; the page is served")
    func httpEndpoints() async throws {
        let server = try TestServer()
        let (health, healthResponse) = try await HTTP.get("\(server.httpBase)/healthz")
        #expect(healthResponse.status == 200)
        #expect(healthResponse.contentType?.hasPrefix("application/json") == true)
        #expect(try JSON.parse(health)["ok"] == .bool(true))
        let (metrics, _) = try await HTTP.get("\(server.httpBase)/metrics")
        #expect(String(decoding: metrics, as: UTF8.self).contains("# TYPE roadshow_events_committed_total counter"))
        let (page, pageResponse) = try await HTTP.get("\(server.httpBase)/")
        #expect(pageResponse.status == 200)
        #expect(String(decoding: page, as: UTF8.self).contains("<html"))
    }

    @Test("browser origins: the server's own is accepted, a foreign one refused unless allowed")
    func origins() async throws {
        let server = try TestServer()
        let own = try await RoadshowConnection.connect(url: server.url, origin: "http://127.0.0.1:\(server.server.port)")
        #expect(try await own.callRaw("ping")["error"]?["code"]?.stringValue == "unauthenticated")
        await #expect(throws: (any Error).self) {
            _ = try await RoadshowConnection.connect(url: server.url, origin: "http://evil.example")
        }
    }
}

@Suite("Accounts")
struct AccountTests {
    @Test("the admin reissues a lost account token: the old one stops working and its connection closes")
    func reissue() async throws {
        let server = try TestServer()
        let admin = try await server.admin()
        let created = try await admin.call("account.create", ["name": "歙县招商中心", "kind": "organizer"])
        let id = try #require(created["account"]?["id"]?.stringValue)
        let old = try #require(created["token"]?.stringValue)
        let session = try await server.connect(token: old)
        let r = try await admin.call("account.reissue", ["account": .string(id)])
        let new = try #require(r["token"]?.stringValue)
        #expect(new != old && new.hasPrefix("rs_o_"))
        #expect(await session.closed(within: .seconds(5))?.code == 1008)
        let retry = try await server.connect()
        #expect(try await retry.callRaw("auth", ["token": .string(old)])["error"]?["code"]?.stringValue == "unauthenticated")
        #expect(try await retry.call("auth", ["token": .string(new)])["actor"]?["id"]?.stringValue == id)
        // Only the admin may, and not for the admin itself.
        let byOrganizer = try await retry.callRaw("account.reissue", ["account": .string(id)])
        #expect(byOrganizer["error"]?["code"]?.stringValue == "forbidden")
        let adminItself = try await admin.callRaw("account.reissue", ["account": "A-ADMIN"])
        #expect(adminItself["error"]?["code"]?.stringValue == "conflict")
    }

    @Test("a requestKey on a read is accepted and ignored")
    func requestKeyOnReads() async throws {
        let server = try TestServer()
        let admin = try await server.admin()
        let list = try await admin.call("meeting.list", ["requestKey": "k-1"])
        #expect(list["meetings"] == [])
        let typo = try await admin.callRaw("meeting.list", ["phases": "live"])
        #expect(typo["error"]?["field"]?.stringValue == "args.phases")
    }
}

@Suite("Contact details")
struct ContactPrivacyTests {
    @Test("participants see other people's phone and e-mail left out; the organizer and the host see them")
    func contactsHidden() async throws {
        let server = try TestServer()
        let organizer = try await server.connect(token: try await server.organizerToken())
        let meeting = try await server.createMeeting(organizer)
        let m = JSON.string(meeting)
        let a = try await organizer.call("roster.add", ["meeting": m, "name": "张三", "unit": "市商务局", "role": "unit", "phone": "139 1111 2222", "email": "zs@example.gov.cn"])
        let aToken = try #require(a["token"]?.stringValue)
        let host = try await server.addParticipant(organizer, meeting: meeting, name: "周主持", unit: "市投资促进局", role: "host")

        let participant = try await server.connect(token: aToken)
        let watcher = EventCollector(participant)
        let snap = try await participant.call("stream.subscribe", ["stream": m])["snapshot"]
        // Its own contacts are there.
        #expect(snap?["roster"]?.arrayValue?.first { $0["name"] == "张三" }?["phone"] == "139 1111 2222")

        let b = try await organizer.call("roster.add", ["meeting": m, "name": "李四", "unit": "歙县", "role": "unit", "phone": "138 3333 4444"])
        let event = await watcher.wait(for: 1).first
        #expect(event?["event"] == "roster.added")
        #expect(event?["data"]?["participant"]?["name"] == "李四")
        #expect(event?["data"]?["participant"]?["phone"] == nil)
        let again = try await participant.call("meeting.get", ["meeting": m])["snapshot"]?["roster"]?.arrayValue ?? []
        #expect(again.first { $0["name"] == "李四" }?["phone"] == nil)
        #expect(again.first { $0["name"] == "张三" }?["email"] == "zs@example.gov.cn")

        // The organizer and a host participant see them.
        let full = try await organizer.call("meeting.get", ["meeting": m])["snapshot"]?["roster"]?.arrayValue ?? []
        #expect(full.first { $0["name"] == "李四" }?["phone"] == "138 3333 4444")
        let hostConn = try await server.connect(token: host.token)
        let hostView = try await hostConn.call("meeting.get", ["meeting": m])["snapshot"]?["roster"]?.arrayValue ?? []
        #expect(hostView.first { $0["name"] == "张三" }?["phone"] == "139 1111 2222")
        _ = b
    }
}
