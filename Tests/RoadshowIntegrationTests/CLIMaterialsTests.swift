import Foundation
import RoadshowClient
import RoadshowCore
import RoadshowServer
import Testing

/// Project materials (issue 12 point 5) through a real server and the real
/// CLI: the organizer uploads a PDF (streamed over HTTP, its SHA-256 the
/// server's), lists it, a unit downloads it with its own invite token (the
/// bytes equal, its read receipt in `receipts`), an upload over the server's
/// limit fails with the server's message and stores nothing, a hostile file
/// name downloads under a safe one, and no download replaces a file without --force.
@Suite struct CLIMaterialsTests {
    /// One run of the binary, its stdout as bytes (a download may go there).
    struct Ran {
        let status: Int32
        let stdout: Data
        let stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
        var json: JSON? { try? JSON.parse(text.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// `roadshow args…` in `directory` (CLIRunner's binary and environment; its
    /// own working directory, stdout kept as bytes).
    static func roadshow(_ args: [String], env: [String: String], in directory: URL? = nil) async throws -> Ran {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-materials-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = try CLIRunner.binary()
        process.arguments = args
        process.environment = CLIRunner.environment(env)
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { p in continuation.resume(returning: p.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            let pid = process.processIdentifier
            Task {
                try? await Task.sleep(for: .seconds(120))
                if process.isRunning, process.processIdentifier == pid { process.terminate() }
            }
        }
        try out.close()
        try err.close()
        return Ran(status: status, stdout: try Data(contentsOf: outURL),
                   stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// A small but real PDF (one page, "Roadshow"), padded in a comment to
    /// `size` bytes so that the upload takes many 64 KiB pieces.
    static func pdf(size: Int) -> [UInt8] {
        let head = Array("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n".utf8)
        let tail = Array("trailer<</Root 1 0 R>>\n%%EOF\n".utf8)
        var rng = SystemRandomNumberGenerator()
        var bytes = head + Array("%".utf8)
        while bytes.count < size - tail.count - 1 {
            // Printable bytes in a comment line, a line break now and then.
            bytes.append(bytes.count % 120 == 0 ? 0x0A : UInt8(0x21 + rng.next() % 90))
        }
        bytes.append(0x0A)
        return bytes + tail
    }

    static func hex(_ bytes: [UInt8]) -> String { SHA256.hash(bytes).map { String(format: "%02x", $0) }.joined() }

    @Test("upload, list, a unit's download and receipt, the limit, a hostile name, no overwrite, remove")
    func materials() async throws {
        let server = try TestServer()
        let orgToken = try await server.organizerToken()
        let org = try await server.connect(token: orgToken)
        let meeting = try await server.createMeeting(org)
        let unit = try await server.addParticipant(org, meeting: meeting, name: "王五", unit: "黄山高新区管委会")
        let other = try await server.addParticipant(org, meeting: meeting, name: "赵六", unit: "歙县经济开发区")
        let company = try await server.addParticipant(org, meeting: meeting, name: "李四", unit: "皖南新能源科技有限公司", role: "company")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-materials-\(UUID().uuidString)")
        let downloads = dir.appendingPathComponent("下载")
        try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = ["ROADSHOW_SERVER": server.url, "ROADSHOW_TZ": "Asia/Shanghai"]
        let asOrg = base.merging(["ROADSHOW_TOKEN": orgToken]) { $1 }
        let asUnit = base.merging(["ROADSHOW_TOKEN": unit.token]) { $1 }

        // The organizer uploads a 3 MiB PDF: streamed, and the server's SHA-256 is the file's.
        let deck = Self.pdf(size: 3 << 20 + 12345)
        let deckPath = dir.appendingPathComponent("deck.pdf").path
        try Data(deck).write(to: URL(fileURLWithPath: deckPath))
        let up = try await Self.roadshow(["materials", "upload", meeting, deckPath, "--name", "项目路演.pdf", "--json"], env: asOrg)
        #expect(up.status == 0, "\(up.stderr)")
        let material = try #require(up.json?["material"], "\(up.text)")
        let id = try #require(material["id"]?.stringValue)
        #expect(material["name"]?.stringValue == "项目路演.pdf")
        #expect(material["bytes"]?.intValue == Int64(deck.count))
        #expect(material["sha256"]?.stringValue == Self.hex(deck))
        #expect(material["audience"]?.stringValue == "government")
        #expect(material["contentType"]?.stringValue == "application/pdf")
        #expect(up.json?["seq"]?.intValue != nil)

        // The same name and bytes again: the existing material, no new event.
        let eventsBefore = try server.storedEvents(meeting).count
        let again = try await Self.roadshow(["materials", "upload", meeting, deckPath, "--name", "项目路演.pdf"], env: asOrg)
        #expect(again.status == 0 && again.text.contains("Already uploaded") && again.text.contains(id), "\(again.text) \(again.stderr)")
        #expect(try server.storedEvents(meeting).count == eventsBefore)

        // The list, as a table and as JSON.
        let listed = try await Self.roadshow(["materials", "list", meeting], env: asOrg)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.text.contains(id) && listed.text.contains("项目路演.pdf") && listed.text.contains("3.0 MiB")
                && listed.text.contains("government 仅政府方") && listed.text.contains("Asia/Shanghai"), "\(listed.text)")
        let listedJSON = try await Self.roadshow(["materials", "list", meeting, "--json"], env: asOrg)
        #expect(listedJSON.json?["materials"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id])

        // Nobody has opened it: 0 of 2 units, both named in the reminder.
        let none = try await Self.roadshow(["materials", "receipts", meeting, "--json"], env: asOrg)
        #expect(none.status == 0, "\(none.stderr)")
        #expect(none.json?["opened"]?.intValue == 0 && none.json?["of"]?.intValue == 2, "\(none.text)")

        // The unit downloads it with its own invite token, into the current
        // directory under the server's name: the bytes are the same.
        let got = try await Self.roadshow(["materials", "get", meeting, id], env: asUnit, in: downloads)
        #expect(got.status == 0, "\(got.stderr)")
        let saved = downloads.appendingPathComponent("项目路演.pdf")
        #expect(try Data(contentsOf: saved) == Data(deck))
        #expect(try FileManager.default.contentsOfDirectory(atPath: downloads.path) == ["项目路演.pdf"], "no partial file left behind")

        // Its receipt: the unit opened every file meant for the units; the other did not.
        let receipts = try await Self.roadshow(["materials", "receipts", meeting, "--json"], env: asOrg)
        #expect(receipts.status == 0, "\(receipts.stderr)")
        let r = try #require(receipts.json)
        #expect(r["materials"] == [JSON.string(id)])
        #expect(r["opened"]?.intValue == 1 && r["of"]?.intValue == 2, "\(r)")
        #expect(r["notOpened"] == ["歙县经济开发区"])
        let opener = r["units"]?.arrayValue?.first { $0["unit"]?.stringValue == "黄山高新区管委会" }
        #expect(opener?["openedAll"]?.boolValue == true && opener?["opened"] == [JSON.string(id)])
        #expect(opener?["participants"]?.arrayValue?.first?["id"]?.stringValue == unit.id)
        #expect(r["reminder"]?.stringValue?.contains("歙县经济开发区") == true)
        #expect(!(r["reminder"]?.stringValue?.contains("黄山高新区管委会") ?? true))
        let text = try await Self.roadshow(["materials", "receipts", meeting, "--lang", "en"], env: asOrg)
        #expect(text.status == 0 && text.text.contains("1 of 2 units have opened them"), "\(text.text) \(text.stderr)")
        let zh = try await Self.roadshow(["materials", "receipts", meeting], env: asOrg)
        #expect(zh.text.contains("2 个单位中已有 1 个查看了资料") && zh.text.contains("歙县经济开发区"), "\(zh.text)")
        _ = other

        // Never replaced without --force; with it, replaced.
        try Data("mine".utf8).write(to: saved)
        let refused = try await Self.roadshow(["materials", "get", meeting, id], env: asUnit, in: downloads)
        #expect(refused.status != 0 && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try Data(contentsOf: saved) == Data("mine".utf8))
        let explicit = downloads.appendingPathComponent("副本.pdf").path
        try Data("mine too".utf8).write(to: URL(fileURLWithPath: explicit))
        let refusedOutput = try await Self.roadshow(["materials", "get", meeting, id, "--output", explicit], env: asUnit)
        #expect(refusedOutput.status != 0 && refusedOutput.stderr.contains("--force"), "\(refusedOutput.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: explicit)) == Data("mine too".utf8))
        let forced = try await Self.roadshow(["materials", "get", meeting, id, "--output", explicit, "--force"], env: asUnit)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: explicit)) == Data(deck))
        // To stdout, byte for byte.
        let piped = try await Self.roadshow(["materials", "get", meeting, id, "--output", "-"], env: asUnit)
        #expect(piped.status == 0 && piped.stdout == Data(deck), "\(piped.stderr)")

        // Over the server's per-file limit (20 MiB by default): its message, a
        // nonzero exit, nothing stored.
        let huge = dir.appendingPathComponent("huge.pdf").path
        try Data(Self.pdf(size: (20 << 20) + 1)).write(to: URL(fileURLWithPath: huge))
        let beforeHuge = try server.storedEvents(meeting).count
        let tooLarge = try await Self.roadshow(["materials", "upload", meeting, huge], env: asOrg)
        #expect(tooLarge.status != 0)
        #expect(tooLarge.stderr.contains("error: too_large:") && tooLarge.stderr.contains("(field: body)"), "\(tooLarge.stderr)")
        let tooLargeZh = try await Self.roadshow(["materials", "upload", meeting, huge], env: asOrg.merging(["ROADSHOW_LANG": "zh"]) { $1 })
        #expect(tooLargeZh.status != 0 && tooLargeZh.stderr.hasPrefix("错误：") && tooLargeZh.stderr.contains("（字段 body）"), "\(tooLargeZh.stderr)")
        #expect(try server.storedEvents(meeting).count == beforeHuge)
        let stillOne = try await Self.roadshow(["materials", "list", meeting, "--json"], env: asOrg)
        #expect(stillOne.json?["materials"]?.arrayValue?.count == 1)

        // Hostile names: kept as the server cleans them (a path separator
        // becomes "-"), downloaded under a safe name in the directory asked
        // for (no path, quotes, semicolons or leading dots), nothing elsewhere.
        var hostileIDs: [String] = []
        let hostileNames = [
            (#""; rm -rf /.pdf"#, #""; rm -rf -.pdf"#), (#""; rm -rf *; echo ".pdf"#, #""; rm -rf *; echo ".pdf"#), ("..隐藏.pdf", "..隐藏.pdf"),
        ]
        for (index, (hostile, kept)) in hostileNames.enumerated() {
            let evil = try await Self.roadshow(["materials", "upload", meeting, deckPath, "--name", hostile, "--audience", "everyone", "--json"], env: asOrg)
            #expect(evil.status == 0, "\(evil.stderr)")
            let evilID = try #require(evil.json?["material"]?["id"]?.stringValue)
            hostileIDs.append(evilID)
            #expect(evil.json?["material"]?["name"]?.stringValue == kept)
            let jail = dir.appendingPathComponent("jail\(index)")
            try FileManager.default.createDirectory(at: jail, withIntermediateDirectories: true)
            let safe = try await Self.roadshow(["materials", "get", meeting, evilID, "--json"], env: asUnit, in: jail)
            #expect(safe.status == 0, "\(safe.stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: jail.path)
            #expect(names.count == 1, "\(names)")
            let name = try #require(names.first)
            #expect(!name.contains("/") && !name.contains("\"") && !name.contains(";") && !name.contains("*") && !name.hasPrefix(".")
                    && !name.hasPrefix("-") && name.hasSuffix(".pdf") && name.count > 4, "\(name)")
            #expect(safe.json?["name"]?.stringValue == name && safe.json?["path"]?.stringValue == jail.appendingPathComponent(name).path)
            #expect(try Data(contentsOf: jail.appendingPathComponent(name)) == Data(deck))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["deck.pdf", "huge.pdf", "jail0", "jail1", "jail2", "下载"])
        let evilID = hostileIDs[0]

        // The organizer's own file is not the units': 404, told as the server says.
        let internalPath = dir.appendingPathComponent("评估.docx").path
        try Data("not really a docx".utf8).write(to: URL(fileURLWithPath: internalPath))
        let internalUp = try await Self.roadshow(["materials", "upload", meeting, internalPath, "--audience", "organizer", "--json"], env: asOrg)
        #expect(internalUp.status == 0, "\(internalUp.stderr)")
        let internalID = try #require(internalUp.json?["material"]?["id"]?.stringValue)
        let hidden = try await Self.roadshow(["materials", "get", meeting, internalID, "--output", dir.appendingPathComponent("x").path], env: asUnit)
        #expect(hidden.status != 0 && hidden.stderr.contains("error: not_found:"), "\(hidden.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
        let unitList = try await Self.roadshow(["materials", "list", meeting, "--json"], env: asUnit)
        #expect(unitList.json?["materials"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id] + hostileIDs, "\(unitList.text)")

        // The company uploads only for everyone; a type the server does not take names its field.
        let asCompany = base.merging(["ROADSHOW_TOKEN": company.token]) { $1 }
        let companyGov = try await Self.roadshow(["materials", "upload", meeting, deckPath, "--audience", "government"], env: asCompany)
        #expect(companyGov.status != 0 && companyGov.stderr.contains("(field: audience)"), "\(companyGov.stderr)")
        // A unit may not upload; the company may, for everyone.
        let unitUp = try await Self.roadshow(["materials", "upload", meeting, deckPath, "--audience", "everyone"], env: asUnit)
        #expect(unitUp.status != 0 && unitUp.stderr.contains("error: forbidden:"), "\(unitUp.stderr)")
        let brochure = dir.appendingPathComponent("企业简介.png").path
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]).write(to: URL(fileURLWithPath: brochure))
        let companyUp = try await Self.roadshow(["materials", "upload", meeting, brochure, "--audience", "everyone", "--json"], env: asCompany)
        #expect(companyUp.status == 0 && companyUp.json?["material"]?["preview"]?.stringValue == "image", "\(companyUp.stderr)")
        let companyFile = try #require(companyUp.json?["material"]?["id"]?.stringValue)
        // Removing is the managers' (docs/protocol.md: "the company asks the
        // organizer"), the company's own file too; the organizer removes it.
        for file in [hostileIDs[1], companyFile] {
            let refused = try await Self.roadshow(["materials", "remove", meeting, file], env: asCompany)
            #expect(refused.status != 0 && refused.stderr.contains("error: forbidden:"), "\(refused.stderr)")
        }
        let byOrganizer = try await Self.roadshow(["materials", "remove", meeting, companyFile, "--json"], env: asOrg)
        #expect(byOrganizer.status == 0 && byOrganizer.json?["seq"]?.intValue != nil, "\(byOrganizer.stderr)")
        let exe = dir.appendingPathComponent("setup.exe").path
        try Data([0x4D, 0x5A, 0, 0]).write(to: URL(fileURLWithPath: exe))
        let badType = try await Self.roadshow(["materials", "upload", meeting, exe], env: asOrg)
        #expect(badType.status != 0 && badType.stderr.contains("(field: name)"), "\(badType.stderr)")
        // A wrong token: 401, and the hint.
        let stranger = try await Self.roadshow(["materials", "upload", meeting, deckPath], env: base.merging(["ROADSHOW_TOKEN": "rs_p_not_a_token_at_all_0000"]) { $1 })
        #expect(stranger.status != 0 && stranger.stderr.contains("error: unauthenticated:"), "\(stranger.stderr)")

        // Removed: gone from the list, no longer served.
        let removed = try await Self.roadshow(["materials", "remove", meeting, evilID], env: asOrg)
        #expect(removed.status == 0 && removed.text.contains("Removed \(evilID)"), "\(removed.stderr)")
        let gone = try await Self.roadshow(["materials", "get", meeting, evilID, "--output", "-"], env: asUnit)
        #expect(gone.status != 0 && gone.stdout.isEmpty && gone.stderr.contains("not_found"), "\(gone.stderr)")
        let after = try await Self.roadshow(["materials", "list", meeting, "--json"], env: asOrg)
        #expect(after.json?["materials"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id, hostileIDs[1], hostileIDs[2], internalID])
    }

    @Test("the HTTP client against the server as it is: a GET's body to a new file, a streamed POST's status, no server")
    func httpClient() async throws {
        let server = try TestServer()
        let address = try ServerAddress(parsing: server.url)
        #expect(address.httpPrefix == "")
        #expect(try ServerAddress(parsing: "wss://example.gov.cn/roadshow/ws").httpPrefix == "/roadshow")

        let health = try await HTTPClient.send(HTTPRequest(method: "GET", target: "/healthz"), server: address)
        #expect(health.status == 200 && health.json?["ok"]?.boolValue == true, "\(health.status)")

        // The page, to a file that must not exist yet; then refused, as the file is there.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("index.html").path
        let fetched = try await HTTPClient.send(HTTPRequest(method: "GET", target: "/", sink: .newFile(path: page)), server: address)
        #expect(fetched.status == 200 && fetched.bytesToSink == fetched.contentLength && fetched.bytesToSink > 0)
        let onDisk = try Data(contentsOf: TestServer.repositoryRoot.appendingPathComponent("web/index.html"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: page)) == onDisk)
        await #expect(throws: HTTPClientError.self) {
            try await HTTPClient.send(HTTPRequest(method: "GET", target: "/", sink: .newFile(path: page)), server: address)
        }

        // A 2 MiB body to a path nothing serves: the server's status comes back
        // whether it read the body or answered first.
        let body = dir.appendingPathComponent("body.bin").path
        try Data(Self.pdf(size: 2 << 20)).write(to: URL(fileURLWithPath: body))
        let posted = try await HTTPClient.send(
            HTTPRequest(method: "POST", target: "/no-such-endpoint", bearerToken: "x", body: .file(path: body)), server: address)
        #expect(posted.status == 404)

        // A file that is not there, and a server that is not there.
        await #expect(throws: HTTPClientError.cannotRead(path: dir.appendingPathComponent("nope").path, reason: "No such file or directory")) {
            try await HTTPClient.send(HTTPRequest(method: "POST", target: "/x", body: .file(path: dir.appendingPathComponent("nope").path)), server: address)
        }
        server.stop()
        do {
            _ = try await HTTPClient.send(HTTPRequest(method: "GET", target: "/healthz"), server: address)
            Issue.record("a stopped server answered")
        } catch let error as RoadshowClientError {
            guard case .cannotConnect = error else { Issue.record("\(error)"); return }
        }
    }

    @Test("over https (ROADSHOW_CA_FILE): upload, download, and a refusal read to its end, the meeting's limit",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func overTLS() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-materials-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        let (made, output) = try TLSTests.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        #expect(made == 0, "\(output)")
        var limits = ServerConfiguration.Limits()
        limits.materialFileBytes = 1 << 20
        limits.meetingMaterialsBytes = 3 << 20
        let server = try TestServer(limits: limits, directory: dir.appendingPathComponent("server")) {
            $0.tlsCertificatePath = cert
            $0.tlsKeyPath = key
        }
        defer { server.stop() }
        // Set up through the CLI too: this process's own client does not trust the test's CA.
        let wss = "wss://127.0.0.1:\(server.server.port)/ws"
        let asAdmin = ["ROADSHOW_SERVER": wss, "ROADSHOW_TOKEN": TestServer.adminToken, "ROADSHOW_CA_FILE": cert]
        let account = try await Self.roadshow(["account", "create", "--name", "黄山市投资促进局", "--kind", "organizer", "--json"], env: asAdmin)
        let orgToken = try #require(account.json?["token"]?.stringValue, "\(account.stderr)")
        let asOrg = asAdmin.merging(["ROADSHOW_TOKEN": orgToken]) { $1 }
        let created = try await Self.roadshow([
            "meeting", "create", "--title", "储能电池项目线上路演", "--company", "皖南新能源科技有限公司", "--project", "储能电池生产基地",
            "--category", "industrial", "--starts-at", "2026-12-01 14:00", "--duration", "90", "--system", "腾讯会议", "--json",
        ], env: asOrg)
        let meeting = try #require(created.json?["meeting"]?["id"]?.stringValue, "\(created.stderr)")
        let added = try await Self.roadshow(["roster", "add", meeting, "--name", "王五", "--unit", "黄山高新区管委会", "--role", "unit", "--json"], env: asOrg)
        let unitToken = try #require(added.json?["token"]?.stringValue, "\(added.text) \(added.stderr)")
        let asUnit = asAdmin.merging(["ROADSHOW_TOKEN": unitToken]) { $1 }

        let deck = Self.pdf(size: 900_000)
        let deckPath = dir.appendingPathComponent("路演.pdf").path
        try Data(deck).write(to: URL(fileURLWithPath: deckPath))
        let up = try await Self.roadshow(["materials", "upload", meeting, deckPath, "--json"], env: asOrg)
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.json?["material"]?["sha256"]?.stringValue == Self.hex(deck))
        let id = try #require(up.json?["material"]?["id"]?.stringValue)
        let got = try await Self.roadshow(["materials", "get", meeting, id, "--output", "-"], env: asUnit)
        #expect(got.status == 0 && got.stdout == Data(deck), "\(got.stderr)")

        // 1.5 MiB against a 1 MiB limit: the server reads the body to its end
        // and refuses it; its answer arrives over TLS too.
        let over = dir.appendingPathComponent("over.pdf").path
        try Data(Self.pdf(size: 3 << 19)).write(to: URL(fileURLWithPath: over))
        let refused = try await Self.roadshow(["materials", "upload", meeting, over], env: asOrg)
        #expect(refused.status != 0 && refused.stderr.contains("error: too_large:") && refused.stderr.contains("(field: body)"), "\(refused.stderr)")
        // The meeting's limit (3 MiB): the fourth 900 kB file is one too many.
        for n in 2...3 {
            let more = dir.appendingPathComponent("路演\(n).pdf").path
            try Data(Self.pdf(size: 900_000 + n)).write(to: URL(fileURLWithPath: more))
            let ok = try await Self.roadshow(["materials", "upload", meeting, more], env: asOrg)
            #expect(ok.status == 0, "\(ok.stderr)")
        }
        let fourth = dir.appendingPathComponent("路演4.pdf").path
        try Data(Self.pdf(size: 900_004)).write(to: URL(fileURLWithPath: fourth))
        let full = try await Self.roadshow(["materials", "upload", meeting, fourth, "--json"], env: asOrg.merging(["ROADSHOW_LANG": "zh"]) { $1 })
        #expect(full.status != 0 && full.stderr.hasPrefix("错误：") && full.stderr.contains("（字段 body）"), "\(full.stderr)")

        // Without the CA the certificate is refused, in HTTP's words.
        var untrusted = asUnit
        untrusted.removeValue(forKey: "ROADSHOW_CA_FILE")
        let refusedTLS = try await Self.roadshow(["materials", "get", meeting, id, "--output", "-"], env: untrusted)
        #expect(refusedTLS.status != 0 && refusedTLS.stderr.contains("TLS handshake") && !refusedTLS.stderr.contains("WebSocket"), "\(refusedTLS.stderr)")
    }

    @Test("every materials command has --help with examples")
    func help() async throws {
        for sub in ["upload", "list", "get", "receipts", "remove"] {
            let help = try await Self.roadshow(["materials", sub, "--help"], env: [:])
            #expect(help.status == 0 && help.text.contains("Examples:") && help.text.contains("roadshow materials \(sub)"), "\(sub): \(help.text)")
            #expect(help.text.contains("<meeting>") && help.text.contains("--server") && help.text.contains("--json"))
        }
    }
}
