import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow invite MEETING`: ready-to-send invitation texts and the calendar file.
struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Print ready-to-send invitations (中文 / English) and write the calendar file.",
        discussion: """
            Each invitation says what, when (in the server's zone, Asia/Shanghai by
            default), the meeting system and room, the display name to rename to
            (name-unit, 姓名+单位), the pre-meeting steps and the etiquette of mechanism 7.
            Without --participant it prints one invitation per person on the roster (with
            a participant's own token: theirs).

            Plain invitations do not contain the personal link (it is shown only once,
            when the person is added). --new-link issues a new personal link and prints
            the invitation with it: the person's old link stops working at once (without
            --participant: for everyone on the roster).

            --ics FILE also writes an iCalendar file (.ics, with a reminder 30 minutes
            before) for the participant, or a general one without --participant.

            With --json it prints the op's result (roster.invitation, or roster.link with
            --new-link) with the "participant" it is for; for several people
            {"invitations": [...]}.

            Examples:
              roadshow invite M-7Q2K --participant P-AB12CD34 --lang zh
              roadshow invite M-7Q2K > invitations.txt
              roadshow invite M-7Q2K --participant P-AB12CD34 --ics 路演.ics
              roadshow invite M-7Q2K --participant P-AB12CD34 --new-link
            """
    )

    enum Language: String, ExpressibleByArgument, CaseIterable {
        case zh, en, both
        var codes: [String] { self == .both ? ["zh", "en"] : [rawValue] }
    }

    @OptionGroup var client: ClientOptions

    @Argument(help: "The meeting's id, e.g. M-7Q2K.")
    var meeting: String

    @Option(help: "Only this participant's invitation (default: everyone on the roster).")
    var participant: String?

    @Option(help: ArgumentHelp("Also write the meeting's calendar file (.ics) here.", valueName: "file"))
    var ics: String?

    @Flag(
        name: .customLong("new-link"),
        help: "Issue a new personal link and put it in the invitation (the old link stops working).")
    var newLink = false

    @Option(help: "Which language: zh, en or both.")
    var lang: Language = .both

    func run() async throws {
        try await Output.run(client) { session in
            // Whose invitations: the one given, the caller's own (a participant token), or everyone's.
            var targets: [String?] = []
            var names: [String: String] = [:]
            if let participant {
                targets = [participant]
            } else if try await session.actor()["kind"]?.stringValue == "participant" {
                targets = [nil]
            } else {
                let (_, snapshot) = try await LiveFormat.snapshot(session, meeting)
                names = LiveFormat.names(snapshot)
                targets = (snapshot["roster"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
                if targets.isEmpty {
                    Output.error("Nobody is on the roster of \(meeting) yet: add people with `roadshow roster add`.")
                }
            }

            var results: [JSON] = []
            for target in targets {
                var args: [String: JSON] = ["meeting": .string(meeting)]
                if let target { args["participant"] = .string(target) }
                var result = try await session.call(newLink ? "roster.link" : "roster.invitation", .object(args))
                if let target, result["participant"] == nil, case .object(var fields) = result {
                    // roster.invitation does not say whom it is for: add it, for --json and the headings.
                    var who: [String: JSON] = ["id": .string(target)]
                    if let name = names[target] { who["displayName"] = .string(name) }
                    fields["participant"] = .object(who)
                    result = .object(fields)
                }
                results.append(result)
                if newLink {
                    let p = result["participant"]
                    let who = [p?["id"]?.stringValue, p?["displayName"]?.stringValue].compactMap { $0 }.joined(separator: " ")
                    Output.error("warning: issued a new personal link for \(who); the old link no longer works")
                }
            }

            if let ics {
                var args: [String: JSON] = ["meeting": .string(meeting)]
                if let participant { args["participant"] = .string(participant) }
                let result = try await session.call("export.ics", .object(args))
                try LiveFormat.write(result["text"]?.stringValue ?? "", to: ics)
                Output.error("Wrote the calendar file \(ics)")
            }

            if client.json {
                if participant != nil || targets == [nil], let only = results.first {
                    return Output.printJSON(only)
                }
                return Output.printJSON(["invitations": .array(results)])
            }
            let texts = zip(targets, results).flatMap { target, result in
                lang.codes.map { code in (target, result, code, result["invitation"]?[code]?.stringValue ?? "") }
            }
            for (i, (target, result, code, text)) in texts.enumerated() {
                if texts.count > 1 {
                    if i > 0 { print("") }
                    let p = result["participant"]
                    let who = [p?["id"]?.stringValue ?? target, p?["displayName"]?.stringValue].compactMap { $0 }
                    print("==== \(who.isEmpty ? "invitation" : who.joined(separator: " ")) (\(code)) ====")
                }
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}
