import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// Contact exchange with consent (issue 12 point 3) through a real server and
/// the real CLI: the host prompts, cards are shared, the company's subscriber
/// never gets a government-only card (live or in its sheet), the .vcf parses
/// back with a real vCard parser (PyPI vobject) with Chinese intact, the CSV
/// with Python's csv module, and a withdrawn card is gone from what is served next.
@Suite struct ContactsFlowTests {
    static let repoRoot = CLIDispatchTests.repoRoot

    /// Tests/cli/read_vcf.py under .venv-vobject (`make vobject-deps`).
    static func readVCF(_ path: String) throws -> JSON {
        let python = repoRoot.appendingPathComponent(".venv-vobject/bin/python").path
        #expect(FileManager.default.isExecutableFile(atPath: python), "no \(python): run `make vobject-deps`")
        return try CLIDispatchTests.readWithPython(python, script: "Tests/cli/read_vcf.py", path)
    }

    @Test("prompt, share, live filtering for the company, the sheet as JSON / .vcf / .csv through the CLI, withdrawal")
    func exchange() async throws {
        let server = try TestServer()
        let orgToken = try await server.organizerToken()
        let org = try await server.connect(token: orgToken)
        let meeting = try await server.createMeeting(org)
        let mid = JSON.string(meeting)
        let host = try await server.addParticipant(org, meeting: meeting, name: "周主持", unit: "黄山市投资促进局", role: "host")
        let unit = try await server.addParticipant(org, meeting: meeting, name: "欧阳娜娜", unit: "黄山高新区管委会（招商服务中心）")
        let company = try await server.addParticipant(org, meeting: meeting, name: "李四", unit: "皖南新能源科技有限公司", role: "company")
        _ = try await org.call("roster.update", ["meeting": mid, "participant": .string(unit.id), "phone": "138 0000 0001", "title": "招商科科长"])

        let c = try await server.connect(token: company.token)
        _ = try await c.call("stream.subscribe", ["stream": mid])
        let companySees = EventCollector(c)
        let u = try await server.connect(token: unit.token)
        _ = try await u.call("stream.subscribe", ["stream": mid])
        let unitSees = EventCollector(u)

        // The host prompts and allows the company's card.
        let h = try await server.connect(token: host.token)
        let prompted = try await h.call("contacts.prompt", ["meeting": mid, "companyCard": true])
        #expect(prompted["exchange"]?["companyCard"]?.boolValue == true)

        // The unit shares with the government side only: the company's subscriber gets event.withheld.
        let cliUnit = ["ROADSHOW_SERVER": server.url, "ROADSHOW_TOKEN": unit.token, "ROADSHOW_TZ": "Asia/Shanghai"]
        let share = try await CLIRunner.run(["contacts", "share", meeting, "--audience", "government", "--email", "ouyang@example.gov.cn", "--json"], env: cliUnit)
        #expect(share.status == 0, "\(share.stderr)")
        #expect(share.json?["share"]?["card"]?["name"]?.stringValue == "欧阳娜娜")
        // The company shares with everyone.
        _ = try await c.call("contacts.share", ["meeting": mid, "audience": "everyone", "phone": "139 0000 0002"])

        let companyEvents = await companySees.wait(for: 3)
        #expect(companyEvents.compactMap { $0["event"]?.stringValue } == ["contacts.prompted", "event.withheld", "contacts.shared"])
        #expect(!companyEvents.description.contains("欧阳") && !companyEvents.description.contains("138 0000 0001"))
        let unitEvents = await unitSees.wait(for: 3)
        #expect(unitEvents.compactMap { $0["event"]?.stringValue } == ["contacts.prompted", "contacts.shared", "contacts.shared"])
        #expect(unitEvents[1]["data"]?["share"]?["card"]?["phone"]?.stringValue == "138 0000 0001")

        // The sheets: the company's has only its own card; the unit's has all three.
        let companySheet = try await c.call("contacts.sheet", ["meeting": mid])
        #expect(companySheet["contacts"]?.arrayValue?.compactMap { $0["participant"]?.stringValue } == [company.id])
        let companySnap = try #require(try await c.call("meeting.get", ["meeting": mid])["snapshot"])
        #expect(!companySnap["contacts"]!.encodedString.contains("欧阳"))
        let companyVCF = try await c.call("contacts.sheet", ["meeting": mid, "format": "vcf"])["text"]?.stringValue ?? ""
        #expect(!companyVCF.contains("欧阳") && companyVCF.contains("FN:李四"))
        let unitSheet = try await u.call("contacts.sheet", ["meeting": mid])
        #expect(unitSheet["contacts"]?.arrayValue?.compactMap { $0["source"]?.stringValue } == ["company", "participant", "participant"])

        // The organizer's .vcf and .csv through the CLI, read back by real parsers.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("contacts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let vcf = dir.appendingPathComponent("通讯录.vcf").path
        let csv = dir.appendingPathComponent("通讯录.csv").path
        let cliOrg = ["ROADSHOW_SERVER": server.url, "ROADSHOW_TOKEN": orgToken, "ROADSHOW_TZ": "Asia/Shanghai"]
        let sheet = try await CLIRunner.run(["contacts", "sheet", meeting, "--vcf", vcf, "--csv", csv], env: cliOrg)
        #expect(sheet.status == 0, "\(sheet.stderr)")
        #expect(sheet.stdout.contains("欧阳娜娜") && sheet.stdout.contains("government 仅政府方"), "\(sheet.stdout)")
        let parsed = try Self.readVCF(vcf)
        #expect(parsed["crlf"]?.boolValue == true)
        #expect((parsed["maxLineOctets"]?.intValue ?? 99) <= 75)
        let cards = parsed["cards"]?.arrayValue ?? []
        #expect(cards.compactMap { $0["fn"]?.stringValue } == ["李四", "欧阳娜娜", "李四"])
        let ouyang = cards.first { $0["fn"]?.stringValue == "欧阳娜娜" }
        #expect(ouyang?["org"]?.stringValue == "黄山高新区管委会（招商服务中心）")
        #expect(ouyang?["title"]?.stringValue == "招商科科长" && ouyang?["tel"]?.stringValue == "138 0000 0001")
        #expect(ouyang?["email"]?.stringValue == "ouyang@example.gov.cn" && ouyang?["version"]?.stringValue == "4.0")
        #expect(ouyang?["n"]?.arrayValue?.first?.stringValue == "欧阳娜娜")
        let table = try CLIDispatchTests.readCSV(csv)
        #expect(table["bom"]?.boolValue == true && table["crlf"]?.boolValue == true && table["bareLF"]?.boolValue == false)
        #expect(table["header"] == ["姓名", "单位", "职务", "电话", "电子邮箱", "共享范围"])
        #expect(table["rows"]?.arrayValue?.count == 3)
        #expect(table["rows"]?.arrayValue?[1] == ["欧阳娜娜", "黄山高新区管委会（招商服务中心）", "招商科科长", "138 0000 0001", "ouyang@example.gov.cn", "仅政府方"])

        // Withdrawn: gone from the next sheet, live for the unit, withheld for the company.
        let withdraw = try await CLIRunner.run(["contacts", "share", meeting, "--audience", "none"], env: cliUnit)
        #expect(withdraw.status == 0 && withdraw.stdout.contains("withdrawn"), "\(withdraw.stderr)")
        let after = try await org.call("contacts.sheet", ["meeting": mid, "format": "vcf"])
        #expect(after["count"]?.intValue == 2 && !(after["text"]?.stringValue ?? "").contains("欧阳"))
        #expect(await unitSees.wait(for: 4).last?["event"]?.stringValue == "contacts.withdrawn")
        #expect(await companySees.wait(for: 4).last?["event"]?.stringValue == "event.withheld")

        // A bad choice names its field and stores nothing.
        let before = try server.storedEvents(meeting).count
        await #expect(throws: RoadshowError.self) { try await u.call("contacts.share", ["meeting": mid, "audience": "friends"]) }
        let bad = try await CLIRunner.run(["contacts", "share", meeting, "--audience", "friends"], env: cliUnit)
        #expect(bad.status != 0 && bad.stderr.contains("--audience"))
        #expect(try server.storedEvents(meeting).count == before)
    }
}
