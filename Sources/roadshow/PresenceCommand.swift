import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow presence ...`: attendance during the joint test and the meeting.
struct PresenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presence",
        abstract: "Attendance: say you are present, away or have left; list who is here.",
        discussion: """
            The etiquette asks everyone to stay online, and to explain a short or early
            leave (--reason). Presence is kept during the joint test (会前联调) and the
            meeting (会中).
            """,
        subcommands: [SetStatus.self, List.self]
    )

    struct SetStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set your own presence (participant token).",
            discussion: """
                Statuses: present 在线, away 暂离, left 已离会.

                Examples:
                  ROADSHOW_TOKEN=rs_p_... roadshow presence set M-7Q2K present
                  ROADSHOW_TOKEN=rs_p_... roadshow presence set M-7Q2K away --reason "接听紧急电话，5分钟后回来"
                  ROADSHOW_TOKEN=rs_p_... roadshow presence set M-7Q2K left --reason "另有公务，提前离会"
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "present, away or left.") var status: Presence.Status
        @Option(help: "Why you step away or leave.") var reason: String?

        func run() async throws {
            try await Output.run(client) { session in
                var args: [String: JSON] = ["meeting": .string(meeting), "status": .string(status.rawValue)]
                if let reason { args["reason"] = .string(reason) }
                let result = try await session.call("presence.set", .object(args))
                if client.json { return Output.printJSON(result) }
                let who = result["participant"]?["displayName"]?.stringValue ?? "You"
                let why = reason.map { " — \($0)" } ?? ""
                print("\(who): \(status.rawValue) \(status.zh)\(why)\(Output.seqNote(result))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show attendance: status, since when, first joined, left, and reasons.",
            discussion: """
                Only people expected to attend are counted; "not seen" means they have not
                said they are present yet. With --json it prints {"roster": [...]} with each
                person's "presence" (status, since, reason, and the log of changes).

                Examples:
                  roadshow presence list M-7Q2K
                  roadshow presence list M-7Q2K --json
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String

        func run() async throws {
            try await Output.run(client) { session in
                let (result, snapshot) = try await LiveFormat.snapshot(session, meeting)
                let roster = snapshot["roster"]?.arrayValue ?? []
                if client.json { return Output.printJSON(["roster": .array(roster)]) }
                print(Self.render(roster, now: LiveFormat.serverNow(result), local: client.local))
            }
        }

        static func render(_ roster: [JSON], now: Date, local: LocalTime) -> String {
            if roster.isEmpty { return "Nobody on the roster yet." }
            var table = TextTable([
                .init("ID"), .init("Display name", maxWidth: 36), .init("Role"), .init("Status"), .init("Since"),
                .init("Joined"), .init("Left"), .init("Reasons", maxWidth: 60),
            ])
            var counts: [String: Int] = [:]
            for p in roster {
                let presence = p["presence"]
                let status = presence?["status"]?.stringValue
                if p["attending"]?.boolValue != false { counts[status ?? "unseen", default: 0] += 1 }
                let log = presence?["log"]?.arrayValue ?? []
                let joined = log.first { $0["status"]?.stringValue == "present" }?["at"]?.stringValue
                let left = status == "left" ? presence?["since"]?.stringValue : nil
                let reasons = log.compactMap { change -> String? in
                    guard let reason = change["reason"]?.stringValue else { return nil }
                    let at = LiveFormat.time(change["at"]?.stringValue, local: local, today: now)
                    return "\(at) \(change["status"]?.stringValue ?? ""): \(reason)"
                }
                var statusText = status.map { LiveFormat.label(Presence.Status.self, $0) } ?? "not seen"
                if p["attending"]?.boolValue == false { statusText += " (not attending)" }
                table.add(
                    p["id"]?.stringValue ?? "", p["displayName"]?.stringValue ?? "", p["role"]?.stringValue ?? "", statusText,
                    LiveFormat.time(presence?["since"]?.stringValue, local: local, today: now),
                    LiveFormat.time(joined, local: local, today: now), LiveFormat.time(left, local: local, today: now),
                    reasons.joined(separator: "; "))
            }
            let summary = ["present", "away", "left", "unseen"].map { key in
                "\(counts[key] ?? 0) \(key == "unseen" ? "not seen" : key)"
            }.joined(separator: ", ")
            return "Attendance: \(summary)\n" + table.render()
        }
    }
}
