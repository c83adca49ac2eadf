import Foundation
import GRDB
import RoadshowClient
import RoadshowCore
import RoadshowStore
import Testing

/// Tamper evidence, backup and restore (issue 10, points 10 and 11), through
/// the real server and the CLI.
@Suite("Backup, restore and verify")
struct BackupVerifyTests {
    @Test("a backup taken while serving verifies; a changed row is found; restore needs the server stopped and brings the backup back")
    func backupRestoreVerify() async throws {
        var (server, dir, db) = try ServerProcess.fresh("roadshow-backup")
        let org = try await server.connect()
        let meeting = try #require(try await org.call("meeting.create", TestServer.meetingArgs)["meeting"]?["id"]?.stringValue)
        // Some changes before the backup; more keep coming while it is taken.
        for i in 0..<5 { _ = try await org.call("checklist.add", ["meeting": .string(meeting), "text": .string("备份中 \(i)")]) }
        let url = server.url
        let writer = Task {
            let c = try await RoadshowConnection.connect(url: url)
            _ = try await c.call("auth", ["token": .string(TestServer.adminToken)])
            for i in 5..<60 { _ = try await c.call("checklist.add", ["meeting": .string(meeting), "text": .string("备份中 \(i)")]) }
        }
        let backup = dir.appendingPathComponent("backups/one.sqlite").path
        let made = try await CLIRunner.run(["backup", "--db", db, backup])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("verified"))
        try await writer.value
        let refusedCopy = try await CLIRunner.run(["backup", "--db", db, backup])
        #expect(refusedCopy.status != 0 && refusedCopy.stderr.contains("exists already"))

        let live = try await CLIRunner.run(["verify", "--db", db, "--json"])
        #expect(live.status == 0, "\(live.stdout) \(live.stderr)")
        #expect(live.json?["ok"]?.boolValue == true)

        // A second server on the same file is refused; restore too, while it runs.
        let second = try? ServerProcess(database: db)
        #expect(second == nil, "a second server started on the same database")
        let busy = try await CLIRunner.run(["restore", "--db", db, backup])
        #expect(busy.status != 0 && busy.stderr.contains("stop it first"))

        // After the backup: one more change, then stop and restore.
        _ = try await org.call("checklist.add", ["meeting": .string(meeting), "text": "备份之后"])
        org.close()
        server.terminate()
        let restored = try await CLIRunner.run(["restore", "--db", db, backup])
        #expect(restored.status == 0, "\(restored.stderr)")
        server = try ServerProcess(database: db)
        let check = try await RoadshowConnection.connect(url: server.url)
        _ = try await check.call("auth", ["token": .string(TestServer.adminToken)])
        let texts = try await check.call("meeting.get", ["meeting": .string(meeting)])["snapshot"]?["checklist"]?.arrayValue?
            .compactMap { $0["text"]?.stringValue } ?? []
        #expect(!texts.contains("备份之后"), "the restore brought back the backup")
        #expect(texts.contains("备份中 0"))
        check.close()
        server.terminate()

        // Tampering: a row changed by hand is found, with its stream and seq.
        let copy = dir.appendingPathComponent("tampered.sqlite").path
        try FileManager.default.copyItem(atPath: backup, toPath: copy)
        let q = try DatabaseQueue(path: copy)
        try await q.write { db in
            try db.execute(sql: "DROP TRIGGER events_append_only_update")
            try db.execute(sql: "UPDATE events SET at = '2020-01-01T00:00:00.000Z' WHERE stream = ? AND seq = 5", arguments: [meeting])
            #expect(db.changesCount == 1)
        }
        try q.close()
        let found = try await CLIRunner.run(["verify", "--db", copy])
        #expect(found.status != 0)
        #expect(found.stdout.contains("\(meeting) seq 5: the hash does not follow"), "\(found.stdout)")
    }

    @Test("a backup carries the materials' files; restore brings them back; verify finds a damaged or missing file")
    func backupCarriesMaterials() async throws {
        var (server, dir, db) = try ServerProcess.fresh("roadshow-backup-files")
        defer { try? FileManager.default.removeItem(at: dir) }
        let org = try await server.connect()
        let meeting = try await TestServer.createMeetingWith(org)
        let base = "http://127.0.0.1:\(server.port)"
        let up = try await MaterialsFlowTests.upload(base, meeting, token: TestServer.adminToken, name: "项目介绍.pdf", body: MaterialsFlowTests.pdf)
        #expect(up.status == 201)
        let sha = try #require(up.json?["result"]?["material"]?["sha256"]?.stringValue)

        let backup = dir.appendingPathComponent("backups/with-files.sqlite").path
        let made = try await CLIRunner.run(["backup", "--db", db, backup])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("1 materials file(s)"), "\(made.stdout)")
        let copied = MaterialFiles.root(forDatabase: backup) + "/sha256/\(sha.prefix(2))/\(sha)"
        #expect(FileManager.default.contents(atPath: copied).map(Array.init) == MaterialsFlowTests.pdf)
        let ok = try await CLIRunner.run(["verify", "--db", backup, "--json"])
        #expect(ok.json?["ok"]?.boolValue == true && ok.json?["materials"]?.intValue == 1, "\(ok.stdout)")

        // Restored into a new place: the database and its file.
        org.close()
        server.terminate()
        let elsewhere = dir.appendingPathComponent("restored/roadshow.sqlite").path
        let restored = try await CLIRunner.run(["restore", "--db", elsewhere, backup])
        #expect(restored.status == 0, "\(restored.stderr)")
        server = try ServerProcess(database: elsewhere)
        let got = try await MaterialsFlowTests.fetch("http://127.0.0.1:\(server.port)", meeting, "F-1", token: TestServer.adminToken)
        #expect(got.status == 200 && got.body == MaterialsFlowTests.pdf)
        server.terminate()

        // A damaged copy is found by verify, and a backup missing its file is not restored.
        try Data("not the deck".utf8).write(to: URL(fileURLWithPath: copied))
        let damaged = try await CLIRunner.run(["verify", "--db", backup])
        #expect(damaged.status != 0 && damaged.stdout.contains("\(meeting) F-1"), "\(damaged.stdout)")
        try FileManager.default.removeItem(atPath: copied)
        let missing = try await CLIRunner.run(["verify", "--db", backup])
        #expect(missing.status != 0 && missing.stdout.contains("is missing"), "\(missing.stdout)")
        let refused = try await CLIRunner.run(["restore", "--db", dir.appendingPathComponent("again/roadshow.sqlite").path, backup])
        #expect(refused.status != 0 && refused.stderr.contains("nothing restored"), "\(refused.stderr)")
    }
}
