import ArgumentParser
import RoadshowClient
import RoadshowCore

/// `roadshow roster ...`: who takes part in a meeting, each with a personal invite link.
struct RosterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Add, list and remove a meeting's participants; issue their invite links.",
        discussion: """
            Each participant gets a personal invite link (/#/join/<token>) to the meeting's page.
            The link is shown once; `roadshow roster link` issues a new one (the old stops working).
            """,
        subcommands: [Add.self, List.self, Remove.self, Link.self]
    )

    /// The participant and the link from a roster.add / roster.link result.
    static func printInvite(_ result: JSON, client: ClientOptions, verb: String, meeting: String) {
        let p = result["participant"]
        let token = result["token"]?.stringValue ?? ""
        let link = inviteLink(result, client: client)
        print("\(verb) \(p?["id"]?.stringValue ?? "?") \(p?["displayName"]?.stringValue ?? p?["name"]?.stringValue ?? "") in \(meeting)\(Output.seqNote(result))")
        print("invite link: \(link)")
        print("token:       \(token)")
        print("Shown only now: send the link to this person; it signs them in as themselves.")
    }

    /// The server's link when it gives an absolute one, else this server's page address + /#/join/<token>.
    static func inviteLink(_ result: JSON, client: ClientOptions) -> String {
        if let link = result["link"]?.stringValue, link.hasPrefix("http://") || link.hasPrefix("https://") { return link }
        let token = result["token"]?.stringValue ?? ""
        guard let address = try? ServerAddress(parsing: client.serverURL) else { return "/#/join/" + token }
        return address.inviteLink(token: token)
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a participant and print their personal invite link.",
            discussion: """
                Roles: host 主持人, recorder 记录员, company 企业, unit 参会单位, observer 列席.
                The display name in the meeting system becomes name + unit (姓名+单位).

                Examples:
                  roadshow roster add M-7Q2K --name 张伟 --unit 市投资促进局 --role host
                  roadshow roster add M-7Q2K --name 王芳 --unit 高新区管委会 \\
                    --role unit --title 副主任 --phone 13900139000 \\
                    --email wangfang@example.gov.cn
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Option(help: "The person's name.") var name: String
        @Option(help: "Their unit (company, department, district...).") var unit: String
        @Option(help: "Their role in the meeting.") var role: RosterRole
        @Option(help: "Their job title.") var title: String?
        @Option(help: "Their phone.") var phone: String?
        @Option(help: "Their e-mail.") var email: String?

        func run() async throws {
            try await Output.run(client) { session in
                var args: [String: JSON] = [
                    "meeting": .string(meeting), "name": .string(name), "unit": .string(unit), "role": .string(role.rawValue),
                ]
                if let title { args["title"] = .string(title) }
                if let phone { args["phone"] = .string(phone) }
                if let email { args["email"] = .string(email) }
                let result = try await session.call("roster.add", .object(args))
                if client.json { return Output.printJSON(result) }
                RosterCommand.printInvite(result, client: client, verb: "Added", meeting: meeting)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a meeting's participants.",
            discussion: """
                With --json it prints {"roster": [...]}, the roster of the meeting's snapshot.

                Examples:
                  roadshow roster list M-7Q2K
                  roadshow roster list M-7Q2K --json
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String

        func run() async throws {
            try await Output.run(client) { session in
                let result = try await session.call("meeting.get", ["meeting": .string(meeting)])
                let roster = result["snapshot"]?["roster"] ?? .array([])
                if client.json { return Output.printJSON(["roster": roster]) }
                print(MeetingView.roster(roster.arrayValue ?? [], local: client.local))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a participant; their invite link stops working.",
            discussion: """
                Example:
                  roadshow roster remove M-7Q2K P-4
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The participant's id, e.g. P-4.") var participant: String

        func run() async throws {
            try await Output.run(client) { session in
                let result = try await session.call(
                    "roster.remove", ["meeting": .string(meeting), "participant": .string(participant)])
                if client.json { return Output.printJSON(result) }
                print("Removed \(participant) from \(meeting)\(Output.seqNote(result))")
            }
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a new invite link for a participant; the old link stops working.",
            discussion: """
                Use it when a link was lost or went to the wrong person.

                Example:
                  roadshow roster link M-7Q2K P-4
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The participant's id, e.g. P-4.") var participant: String

        func run() async throws {
            try await Output.run(client) { session in
                let result = try await session.call(
                    "roster.link", ["meeting": .string(meeting), "participant": .string(participant)])
                if client.json { return Output.printJSON(result) }
                RosterCommand.printInvite(result, client: client, verb: "New link for", meeting: meeting)
            }
        }
    }
}
