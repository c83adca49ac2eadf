import Foundation
import RoadshowClient
import RoadshowCore
import RoadshowServer
import RoadshowStore
import Testing

/// Project materials (issue 12 points 1 and 2) through the real server over
/// real HTTP and WebSocket: upload with its limits, who may fetch what (the
/// company never a government-side file, even with its exact URL), a unit's
/// open reaching the organizer live as a receipt, hostile names and HTML
/// inside a PDF served safely, and a `kill -9` in the middle of an upload.
@Suite struct MaterialsFlowTests {
    /// A tiny PDF (a real one: a page with a line of text).
    static let pdf: [UInt8] = Array("""
        %PDF-1.4
        1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
        2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
        3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj
        4 0 obj<</Length 44>>stream
        BT /F1 24 Tf 72 760 Td (Project deck) Tj ET
        endstream endobj
        5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj
        trailer<</Root 1 0 R>>
        %%EOF

        """.utf8)

    static func upload(
        _ base: String, _ meeting: String, token: String?, name: String, audience: String? = nil, body: [UInt8]
    ) async throws -> HTTP.Answer {
        var url = "\(base)/api/meetings/\(meeting)/materials?name=\(HTTP.query(name))"
        if let audience { url += "&audience=\(audience)" }
        return try await HTTP.send("POST", url, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:], body: body)
    }

    static func fetch(_ base: String, _ meeting: String, _ file: String, token: String?, inline: Bool = false) async throws -> HTTP.Answer {
        try await HTTP.send("GET", "\(base)/api/meetings/\(meeting)/materials/\(file)\(inline ? "?inline=1" : "")",
            headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }

    static func files(in dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).filter {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: dir + "/" + $0, isDirectory: &isDir) && !isDir.boolValue
        }
    }

    @Test("upload, audiences, a unit's open reaches the organizer live, receipts and the reminder, removal")
    func uploadOpenReceipt() async throws {
        let server = try TestServer()
        let orgToken = try await server.organizerToken()
        let org = try await server.connect(token: orgToken)
        let meeting = try await server.createMeeting(org)
        let mid = JSON.string(meeting)
        let unit = try await server.addParticipant(org, meeting: meeting, name: "王五", unit: "黄山高新区")
        let other = try await server.addParticipant(org, meeting: meeting, name: "张三", unit: "市商务局")
        let company = try await server.addParticipant(org, meeting: meeting, name: "李四", unit: "皖南新能源科技有限公司", role: "company")
        _ = try await org.call("stream.subscribe", ["stream": mid])
        let orgSees = EventCollector(org)
        let c = try await server.connect(token: company.token)
        _ = try await c.call("stream.subscribe", ["stream": mid])
        let companySees = EventCollector(c)
        let u = try await server.connect(token: unit.token)
        _ = try await u.call("stream.subscribe", ["stream": mid])
        let unitSees = EventCollector(u)

        // The organizer uploads the deck for the government side, and an internal note.
        let up = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "项目路演 deck.pdf", audience: "government", body: Self.pdf)
        #expect(up.status == 201, "\(String(decoding: up.body, as: UTF8.self))")
        let material = try #require(up.json?["result"]?["material"])
        #expect(material["id"]?.stringValue == "F-1")
        #expect(material["name"]?.stringValue == "项目路演 deck.pdf")
        #expect(material["contentType"]?.stringValue == "application/pdf")
        #expect(material["preview"]?.stringValue == "pdf")
        #expect(material["bytes"]?.intValue == Int64(Self.pdf.count))
        #expect(material["sha256"]?.stringValue == MaterialFiles.hex(SHA256.hash(Self.pdf)))
        let again = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "项目路演 deck.pdf", audience: "government", body: Self.pdf)
        #expect(again.status == 200 && again.json?["result"]?["material"]?["id"]?.stringValue == "F-1", "the same file again is the one there")
        let note = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "内部评估.docx", audience: "organizer", body: Array("PK internal".utf8))
        #expect(note.status == 201)

        // Live: the company gets neither, the unit only the deck, the organizer both.
        #expect(await companySees.wait(for: 2).compactMap { $0["event"]?.stringValue } == ["event.withheld", "event.withheld"])
        let unitEvents = await unitSees.wait(for: 2)
        #expect(unitEvents.compactMap { $0["event"]?.stringValue } == ["materials.added", "event.withheld"])
        #expect(!unitEvents.description.contains("内部评估"))
        #expect(await orgSees.wait(for: 2).compactMap { $0["event"]?.stringValue } == ["materials.added", "materials.added"])

        // The company cannot fetch either, even with the exact URL; nobody without a token.
        #expect(try await Self.fetch(server.httpBase, meeting, "F-1", token: company.token).status == 404)
        #expect(try await Self.fetch(server.httpBase, meeting, "F-2", token: unit.token).status == 404)
        let anonymous = try await Self.fetch(server.httpBase, meeting, "F-1", token: nil)
        #expect(anonymous.status == 401 && anonymous.json?["error"]?["text"]?["zh"]?.stringValue != nil)

        // The unit opens the deck: the bytes, safe headers, and the receipt reaches the organizer live.
        let got = try await Self.fetch(server.httpBase, meeting, "F-1", token: unit.token, inline: true)
        #expect(got.status == 200 && got.body == Self.pdf)
        #expect(got.header("content-type") == "application/pdf")
        #expect(got.header("content-disposition")?.hasPrefix("inline; filename=") == true)
        #expect(got.header("content-disposition")?.contains("filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E8%B7%AF%E6%BC%94%20deck.pdf") == true)
        #expect(got.header("x-content-type-options") == "nosniff")
        #expect(got.header("content-security-policy")?.hasPrefix("sandbox") == true)
        let opened = await orgSees.wait(for: 3)
        #expect(opened.last?["event"]?.stringValue == "materials.opened")
        #expect(opened.last?["data"]?["receipt"]?["unit"]?.stringValue == "黄山高新区")
        #expect(opened.last?["data"]?["receipt"]?["participant"]?.stringValue == unit.id)
        // The unit gets its own receipt (what it has opened); the company none.
        let ownReceipt = await unitSees.wait(for: 3).last
        #expect(ownReceipt?["event"]?.stringValue == "materials.opened" && ownReceipt?["data"]?["receipt"]?["participant"]?.stringValue == unit.id)
        #expect(await companySees.wait(for: 3).last?["event"]?.stringValue == "event.withheld")
        // A second open (a download) records nothing more.
        let download = try await Self.fetch(server.httpBase, meeting, "F-1", token: unit.token)
        #expect(download.header("content-disposition")?.hasPrefix("attachment; filename=") == true)

        // Receipts: one of two units, and the reminder names the other.
        let receipts = try await org.call("materials.receipts", ["meeting": mid])
        #expect(receipts["opened"]?.intValue == 1 && receipts["of"]?.intValue == 2)
        #expect(receipts["notOpened"]?.arrayValue?.compactMap(\.stringValue) == ["市商务局"])
        #expect(receipts["materials"]?.arrayValue?.compactMap(\.stringValue) == ["F-1"])
        #expect(receipts["reminder"]?.stringValue?.contains("市商务局") == true)
        #expect(receipts["reminder"]?.stringValue?.contains("项目路演 deck.pdf") == true)
        let en = try await org.call("materials.receipts", ["meeting": mid, "lang": "en"])
        #expect(en["reminder"]?.stringValue?.hasPrefix("Reminder:") == true)
        await #expect(throws: RoadshowError.self) { _ = try await u.call("materials.receipts", ["meeting": mid]) }
        let o = try await server.connect(token: other.token)
        _ = try await Self.fetch(server.httpBase, meeting, "F-1", token: other.token)
        // Its receipt is committed after the file is served.
        var openedNow: Int64? = nil
        for _ in 0..<250 {
            openedNow = try await org.call("materials.receipts", ["meeting": mid])["opened"]?.intValue
            if openedNow == 2 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(openedNow == 2)

        // Snapshots and the list, per viewer.
        let cs = try #require(try await c.call("meeting.get", ["meeting": mid])["snapshot"])
        #expect(cs["materials"]?["files"]?.arrayValue?.isEmpty == true && cs["materials"]?["receipts"]?.arrayValue?.isEmpty == true)
        let us = try #require(try await u.call("meeting.get", ["meeting": mid])["snapshot"])
        #expect(us["materials"]?["files"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["F-1"])
        // Its own receipt only, not the other unit's.
        #expect(us["materials"]?["receipts"]?.arrayValue?.compactMap { $0["participant"]?.stringValue } == [unit.id])
        let os = try #require(try await org.call("meeting.get", ["meeting": mid])["snapshot"])
        #expect(os["materials"]?["files"]?.arrayValue?.count == 2 && os["materials"]?["receipts"]?.arrayValue?.count == 2)
        #expect(try await o.call("materials.list", ["meeting": mid])["materials"]?.arrayValue?.count == 1)

        // Stored once each: two added, two opened (the second open wrote nothing).
        let types = try server.storedEvents(meeting).map(\.event.type)
        #expect(types.filter { $0 == "materials.added" }.count == 2 && types.filter { $0 == "materials.opened" }.count == 2)

        // Removal: gone from the list and from its URL.
        _ = try await org.call("materials.remove", ["meeting": mid, "material": "F-1"])
        #expect(try await Self.fetch(server.httpBase, meeting, "F-1", token: unit.token).status == 404)
        #expect(try await u.call("materials.list", ["meeting": mid])["materials"]?.arrayValue?.isEmpty == true)
        #expect(try await org.call("materials.receipts", ["meeting": mid])["of"]?.intValue == 2)
    }

    @Test("refused uploads say why in both languages and leave nothing behind: limits, type, token, who")
    func refusals() async throws {
        var limits = ServerConfiguration.Limits()
        limits.materialFileBytes = 64 * 1024
        limits.meetingMaterialsBytes = 96 * 1024
        let server = try TestServer(limits: limits)
        let orgToken = try await server.organizerToken()
        let org = try await server.connect(token: orgToken)
        let meeting = try await server.createMeeting(org)
        let unit = try await server.addParticipant(org, meeting: meeting, name: "王五", unit: "黄山高新区")
        let company = try await server.addParticipant(org, meeting: meeting, name: "李四", unit: "皖南新能源科技有限公司", role: "company")
        let before = try server.storedEvents(meeting).count
        let root = MaterialFiles.root(forDatabase: server.databasePath)

        let big = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "大文件.pdf", body: Array(repeating: 0x25, count: 64 * 1024 + 1))
        #expect(big.status == 413)
        #expect(big.json?["error"]?["code"]?.stringValue == "too_large" && big.json?["error"]?["reason"]?.stringValue == "file_limit")
        #expect(big.json?["error"]?["field"]?.stringValue == "body")
        #expect(big.json?["error"]?["text"]?["zh"]?.stringValue?.contains("压缩") == true)
        #expect(Self.files(in: root).isEmpty, "a refused upload left \(Self.files(in: root))")

        // Far over the limit: still read to its end, so the answer is not lost in a reset.
        let huge = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "巨大.pdf", body: Array(repeating: 0x25, count: 3_000_000))
        #expect(huge.status == 413 && huge.json?["error"]?["reason"]?.stringValue == "file_limit")
        // Chunked (no Content-Length): 411, saying so.
        let chunked = try Self.raw(port: server.server.port, "POST /api/meetings/\(meeting)/materials?name=c.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(orgToken)\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n%PDF-\r\n0\r\n\r\n")
        #expect(chunked.hasPrefix("HTTP/1.1 411"), "\(chunked.prefix(200))")
        #expect(chunked.contains("\"field\":\"Content-Length\""))
        #expect(Self.files(in: root).isEmpty, "a refused upload left \(Self.files(in: root))")

        let first = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "a.pdf", body: Array(repeating: 0x41, count: 60 * 1024))
        #expect(first.status == 201)
        let second = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "b.pdf", body: Array(repeating: 0x42, count: 60 * 1024))
        #expect(second.status == 413 && second.json?["error"]?["reason"]?.stringValue == "meeting_limit")

        let html = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "page.html", body: Array("<script>1</script>".utf8))
        #expect(html.status == 400 && html.json?["error"]?["field"]?.stringValue == "name" && html.json?["error"]?["reason"]?.stringValue == "type")
        let svg = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "logo.svg", body: Array("<svg/>".utf8))
        #expect(svg.status == 400)
        let noName = try await HTTP.send("POST", "\(server.httpBase)/api/meetings/\(meeting)/materials", headers: ["Authorization": "Bearer \(orgToken)"], body: Self.pdf)
        #expect(noName.status == 400 && noName.json?["error"]?["field"]?.stringValue == "name")
        let empty = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "empty.pdf", body: [])
        #expect(empty.status == 400)
        let badAudience = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "x.pdf", audience: "public", body: Self.pdf)
        #expect(badAudience.status == 400 && badAudience.json?["error"]?["field"]?.stringValue == "audience")
        #expect(try await Self.upload(server.httpBase, meeting, token: nil, name: "x.pdf", body: Self.pdf).status == 401)
        #expect(try await Self.upload(server.httpBase, meeting, token: "rs_p_forged", name: "x.pdf", body: Self.pdf).status == 401)
        let byUnit = try await Self.upload(server.httpBase, meeting, token: unit.token, name: "x.pdf", body: Self.pdf)
        #expect(byUnit.status == 403 && byUnit.json?["error"]?["text"]?["zh"]?.stringValue?.isEmpty == false)
        let companyGov = try await Self.upload(server.httpBase, meeting, token: company.token, name: "x.pdf", audience: "government", body: Self.pdf)
        #expect(companyGov.status == 400 && companyGov.json?["error"]?["reason"]?.stringValue == "company_everyone")
        #expect(try await Self.upload(server.httpBase, "M-ZZZZ", token: orgToken, name: "x.pdf", body: Self.pdf).status == 404)

        // Only the one good upload is stored: one event, one file.
        #expect(try server.storedEvents(meeting).count == before + 1)
        #expect(Self.files(in: root).filter { $0.hasPrefix("sha256/") }.count == 1)
        #expect(Self.files(in: root).filter { $0.hasPrefix("incoming/") }.isEmpty)

        // The company's own file is for everyone, and it sees it.
        let own = try await Self.upload(server.httpBase, "\(meeting)", token: company.token, name: "公司介绍.jpg", audience: "everyone", body: [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
        #expect(own.status == 201)
        #expect(own.json?["result"]?["material"]?["uploadedBy"]?["name"]?.stringValue == "李四")
    }

    @Test("a hostile file name and HTML inside a .pdf are served safely")
    func hostileFiles() async throws {
        let server = try TestServer()
        let orgToken = try await server.organizerToken()
        let org = try await server.connect(token: orgToken)
        let meeting = try await server.createMeeting(org)
        let unit = try await server.addParticipant(org, meeting: meeting, name: "王五", unit: "黄山高新区")
        let html = Array("<html><body><script>document.title='owned'</script></body></html>".utf8)
        let up = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "\"; rm -rf /.pdf", audience: "everyone", body: html)
        #expect(up.status == 201)
        let stored = try #require(up.json?["result"]?["material"]?["name"]?.stringValue)
        #expect(!stored.contains("/"))
        // A line break in the name ends it where lws decodes the argument: what is left ("a") has no type.
        let crlf = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "a\r\nSet-Cookie: x=1.pdf", audience: "everyone", body: Self.pdf)
        #expect(crlf.status == 400 && crlf.header("set-cookie") == nil)
        let quoted = try await Self.upload(server.httpBase, meeting, token: orgToken, name: "报告\\\"终版\";.pdf", audience: "everyone", body: Self.pdf)
        #expect(quoted.status == 201)
        for file in ["F-1", "F-2"] {
            for inline in [false, true] {
                let got = try await Self.fetch(server.httpBase, meeting, file, token: unit.token, inline: inline)
                #expect(got.status == 200)
                #expect(got.header("set-cookie") == nil)
                #expect(got.header("content-type") == "application/pdf", "never text/html, whatever is inside")
                #expect(got.header("x-content-type-options") == "nosniff")
                #expect(got.header("content-security-policy")?.contains("sandbox") == true)
                let disposition = try #require(got.header("content-disposition"))
                // One quoted ASCII fallback and one RFC 8187 value: nothing of the name breaks out.
                #expect(disposition.filter { $0 == "\"" }.count == 2, "\(disposition)")
                #expect(disposition.filter { $0 == ";" }.count == 2, "\(disposition)")
                #expect(!disposition.contains("/") && !disposition.contains("\r") && !disposition.contains("\n"))
                #expect(disposition.unicodeScalars.allSatisfy { $0.isASCII })
            }
        }
        #expect(try await Self.fetch(server.httpBase, meeting, "F-1", token: unit.token).body == html)
    }

    @Test("kill -9 during an upload: no half file anyone can fetch, the next start clears it; an acknowledged upload survives")
    func killDuringUpload() async throws {
        let (first, dir, db) = try ServerProcess.fresh("roadshow-materials")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (orgToken, org) = try await first.organizer()
        let meeting = try await TestServer.createMeetingWith(org)
        let root = MaterialFiles.root(forDatabase: db)

        // Headers and part of a 1 MB body, then the server dies.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(first.port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        #expect(connected == 0)
        let head = "POST /api/meetings/\(meeting)/materials?name=deck.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(orgToken)\r\nContent-Length: 1000000\r\n\r\n"
        let part = Array(head.utf8) + Array(repeating: UInt8(0x50), count: 300_000)
        var sent = 0
        while sent < part.count {
            let n = part.withUnsafeBytes { send(fd, $0.baseAddress! + sent, part.count - sent, 0) }
            if n <= 0 { break }
            sent += n
        }
        #expect(sent == part.count)
        // Wait until the server has written some of it to incoming/.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !Self.files(in: root + "/incoming").contains(where: {
            ((try? FileManager.default.attributesOfItem(atPath: root + "/incoming/" + $0)[.size]) as? Int ?? 0) > 0
        }) { usleep(20_000) }
        #expect(!Self.files(in: root + "/incoming").isEmpty, "the upload never reached the disk")
        first.kill9()
        close(fd)

        let second = try ServerProcess(database: db)
        #expect(Self.files(in: root + "/incoming").isEmpty, "the half upload is still there after a start")
        #expect(Self.files(in: root + "/sha256").isEmpty)
        let base = "http://127.0.0.1:\(second.port)"
        let o2 = try await second.connect(token: orgToken)
        #expect(try await o2.call("materials.list", ["meeting": .string(meeting)])["materials"]?.arrayValue?.isEmpty == true)
        #expect(try await Self.fetch(base, meeting, "F-1", token: orgToken).status == 404)

        // An upload answered 201 is there after another kill -9.
        let up = try await Self.upload(base, meeting, token: orgToken, name: "deck.pdf", body: Self.pdf)
        #expect(up.status == 201)
        second.kill9()
        let third = try ServerProcess(database: db)
        defer { third.terminate() }
        let got = try await Self.fetch("http://127.0.0.1:\(third.port)", meeting, "F-1", token: orgToken)
        #expect(got.status == 200 && got.body == Self.pdf)
    }
}

extension MaterialsFlowTests {
    /// A request sent as bytes on a new TCP connection; what came back until
    /// the server stopped sending for a second (or closed).
    static func raw(port: Int, _ request: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { throw ServerProcess.Failure(description: "cannot connect to \(port)") }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress!, bytes.count, 0) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension TestServer {
    /// A meeting made with the usual arguments on any connection (a process's too).
    static func createMeetingWith(_ organizer: RoadshowConnection) async throws -> String {
        let r = try await organizer.call("meeting.create", meetingArgs)
        return try #require(r["meeting"]?["id"]?.stringValue)
    }
}
