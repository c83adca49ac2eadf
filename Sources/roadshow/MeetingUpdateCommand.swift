import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow meeting update`: correct a meeting's details (reschedule, a new
/// room or link, the company's contact). Only what is given changes; open
/// pages and CLIs see it at once.
struct MeetingUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Correct a meeting's details: time, length, system, room, link, title, company contact.",
        discussion: """
            Only the options given change; the rest stays. --starts-at takes RFC 3339
            or a local time "2026-12-01 14:00" in the server's zone (ROADSHOW_TZ).
            Pass an empty value to clear an optional field (--room "").
            Details can change until the meeting has ended.

            Examples:
              roadshow meeting update M-7Q2K --starts-at "2026-12-02 15:00" --duration 120
              roadshow meeting update M-7Q2K --room 987-654-321 --link https://meeting.tencent.com/dm/xyz
              roadshow meeting update M-7Q2K --kind exchange
              roadshow meeting update M-7Q2K --company-contact 王经理 --company-phone "139 0000 0000" --json
            """
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The meeting's id, e.g. M-7Q2K.")
    var meeting: String

    @Option(help: "A new title.") var title: String?
    @Option(help: "A new kind: project_pitch (企业项目路演), exchange (线上交流), symposium (线上座谈).") var kind: MeetingKind?
    @Option(name: .customLong("starts-at"), help: ArgumentHelp("A new start time.", valueName: "time")) var startsAt: String?
    @Option(help: ArgumentHelp("A new planned length in minutes.", valueName: "minutes")) var duration: Int?
    @Option(help: "A new meeting system, e.g. 腾讯会议.") var system: String?
    @Option(help: "A new room (meeting number); \"\" clears it.") var room: String?
    @Option(help: "A new join link; \"\" clears it.") var link: String?
    @Option(name: .customLong("company-contact"), help: "The company's contact person; \"\" clears it.") var companyContact: String?
    @Option(name: .customLong("company-phone"), help: "The contact's phone; \"\" clears it.") var companyPhone: String?

    func validate() throws {
        if let startsAt, client.local.parse(startsAt) == nil {
            throw ValidationError(
                "--starts-at \"\(startsAt)\" is not a time: use 2026-12-01T14:00:00+08:00 or \"2026-12-01 14:00\" (\(client.local.timeZone.identifier))")
        }
        if let duration, duration <= 0 { throw ValidationError("--duration is in minutes and must be positive") }
        if arguments.objectValue?.count == 1 {
            throw ValidationError("nothing to change: give at least one of --title, --kind, --starts-at, --duration, --system, --room, --link, --company-contact, --company-phone")
        }
    }

    var arguments: JSON {
        var o: [String: JSON] = ["meeting": .string(meeting)]
        if let title { o["title"] = .string(title) }
        if let kind { o["kind"] = .string(kind.rawValue) }
        if let startsAt, let date = client.local.parse(startsAt) { o["startsAt"] = .string(client.local.rfc3339(date)) }
        if let duration { o["durationMinutes"] = .int(Int64(duration)) }
        var systemFields: [String: JSON] = [:]
        if let system { systemFields["name"] = .string(system) }
        if let room { systemFields["room"] = .string(room) }
        if let link { systemFields["link"] = .string(link) }
        if !systemFields.isEmpty { o["system"] = .object(systemFields) }
        var companyFields: [String: JSON] = [:]
        if let companyContact { companyFields["contact"] = .string(companyContact) }
        if let companyPhone { companyFields["phone"] = .string(companyPhone) }
        if !companyFields.isEmpty { o["company"] = .object(companyFields) }
        return .object(o)
    }

    func run() async throws {
        try await Output.run(client) { session in
            let result = try await session.call("meeting.update", arguments)
            if client.json { return Output.printJSON(result) }
            print("Updated meeting \(meeting)\(Output.seqNote(result))")
            print(MeetingView.summary(result["meeting"] ?? .null, seq: nil, local: client.local))
            print("Invitees see the change on their pages now; send a fresh invitation or .ics if the time or link changed (`roadshow invite`).")
        }
    }
}
