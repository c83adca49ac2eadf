import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow meeting create`: a new meeting with its default prep checklist.
struct MeetingCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a meeting; it starts in preparation with the default prep checklist.",
        discussion: """
            --starts-at takes RFC 3339 (2026-12-01T14:00:00+08:00) or a local time
            "2026-12-01 14:00" in Asia/Shanghai (or the zone in ROADSHOW_TZ).
            --investment is the planned investment in 亿元 (100 million CNY).
            --kind is the kind of online meeting: project_pitch 企业项目路演 (the
            default), exchange 线上交流 or symposium 线上座谈; `roadshow agenda
            suggest` then fills the agenda that kind usually follows.

            Examples:
              roadshow meeting create --title 新能源电池项目线上路演 \\
                --company 某某新能源科技有限公司 --company-contact 王经理 \\
                --company-phone 13800138000 --project 动力电池生产基地 \\
                --category industrial --industry 新能源 --investment 12.5 \\
                --starts-at "2026-12-01 14:00" --duration 90 \\
                --system 腾讯会议 --room 123-456-789
              roadshow meeting create --title 跨境电商政策对接会 \\
                --company 某贸易公司 --project 市场拓展 \\
                --category non_industrial --duration 60 \\
                --starts-at 2026-12-03T09:30:00+08:00 \\
                --system Zoom --link https://zoom.us/j/123 --json
              roadshow meeting create --title 园区企业线上座谈 --kind symposium \
                --company 某园区企业 --project 扩产需求 --category industrial \
                --starts-at "2026-12-05 10:00" --duration 90 --system 腾讯会议
            """
    )

    @OptionGroup var client: ClientOptions

    @Option(help: "The meeting's title.")
    var title: String

    @Option(help: "The kind of meeting: project_pitch (企业项目路演, default), exchange (线上交流), symposium (线上座谈).")
    var kind: MeetingKind?

    @Option(help: "The company (企业/客商) presenting.")
    var company: String

    @Option(name: .customLong("company-contact"), help: "The company's contact person.")
    var companyContact: String?

    @Option(name: .customLong("company-phone"), help: "The contact's phone.")
    var companyPhone: String?

    @Option(help: "The project's name.")
    var project: String

    @Option(help: "The project's category (产业投资类 or 非产业投资类).")
    var category: ProjectCategory

    @Option(help: "The project's industry.")
    var industry: String?

    @Option(help: "Planned investment in 亿元.")
    var investment: Double?

    @Option(name: .customLong("starts-at"), help: ArgumentHelp("When it starts.", valueName: "time"))
    var startsAt: String

    @Option(help: ArgumentHelp("Planned length in minutes.", valueName: "minutes"))
    var duration: Int

    @Option(help: "The meeting system, e.g. 腾讯会议, Zoom, 企业微信.")
    var system: String

    @Option(help: "The room (meeting number) in that system.")
    var room: String?

    @Option(help: "The join link of that system's room.")
    var link: String?

    func validate() throws {
        guard client.local.parse(startsAt) != nil else {
            throw ValidationError(
                "--starts-at \"\(startsAt)\" is not a time: use 2026-12-01T14:00:00+08:00 or \"2026-12-01 14:00\" (\(client.local.timeZone.identifier))"
            )
        }
        guard duration > 0 else { throw ValidationError("--duration is in minutes and must be positive") }
    }

    var arguments: JSON {
        var companyFields: [String: JSON] = ["name": .string(company)]
        if let companyContact { companyFields["contact"] = .string(companyContact) }
        if let companyPhone { companyFields["phone"] = .string(companyPhone) }
        var projectFields: [String: JSON] = ["name": .string(project), "category": .string(category.rawValue)]
        if let industry { projectFields["industry"] = .string(industry) }
        if let investment { projectFields["investment"] = .double(investment) }
        var systemFields: [String: JSON] = ["name": .string(system)]
        if let room { systemFields["room"] = .string(room) }
        if let link { systemFields["link"] = .string(link) }
        var o: [String: JSON] = [
            "title": .string(title),
            "company": .object(companyFields),
            "project": .object(projectFields),
            "startsAt": .string(client.local.rfc3339(client.local.parse(startsAt)!)),
            "durationMinutes": .int(Int64(duration)),
            "system": .object(systemFields),
        ]
        if let kind { o["kind"] = .string(kind.rawValue) }
        return .object(o)
    }

    func run() async throws {
        try await Output.run(client) { session in
            let result = try await session.call("meeting.create", arguments)
            if client.json { return Output.printJSON(result) }
            let meeting = result["meeting"] ?? .null
            print("Created meeting \(meeting["id"]?.stringValue ?? "?")\(Output.seqNote(result))")
            print(MeetingView.summary(meeting, seq: nil, local: client.local))
            print("Next: `roadshow meeting show \(meeting["id"]?.stringValue ?? "M-…")` for its prep checklist; `roadshow roster add` to invite people.")
        }
    }
}
