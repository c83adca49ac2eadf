import ArgumentParser
import RoadshowClient
import RoadshowCore

/// `roadshow meeting ...`: creating, listing and showing meetings.
struct MeetingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meeting",
        abstract: "Create, list, show and advance roadshow meetings.",
        subcommands: [MeetingCreateCommand.self, List.self, Show.self, MeetingUpdateCommand.self, MeetingAdvanceCommand.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the meetings you may see, soonest first.",
            discussion: """
                Phases: preparing 会议准备, rehearsal 会前联调, live 会中, ended 会后跟进,
                dispatched 已转办, closed 已结束.

                Examples:
                  roadshow meeting list
                  roadshow meeting list --phase preparing
                  roadshow meeting list --json
                """
        )

        @OptionGroup var client: ClientOptions

        @Option(help: "Only meetings in this phase.")
        var phase: Phase?

        func run() async throws {
            try await Output.run(client) { session in
                var args: [String: JSON] = [:]
                if let phase { args["phase"] = .string(phase.rawValue) }
                let result = try await session.callAllPages("meeting.list", args, rows: "meetings")
                if client.json { return Output.printJSON(result) }
                let meetings = (result["meetings"]?.arrayValue ?? []).sorted {
                    ($0["startsAt"]?.stringValue ?? "") < ($1["startsAt"]?.stringValue ?? "")
                }
                if meetings.isEmpty {
                    return print(phase == nil ? "No meetings yet. Create one with `roadshow meeting create`." : "No meetings in that phase.")
                }
                print(MeetingView.list(meetings, local: client.local))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one meeting: its details, prep checklist and roster.",
            discussion: """
                Examples:
                  roadshow meeting show M-7Q2K
                  roadshow meeting show M-7Q2K --json     # the whole snapshot
                """
        )

        @OptionGroup var client: ClientOptions

        @Argument(help: "The meeting's id, e.g. M-7Q2K.")
        var meeting: String

        func run() async throws {
            try await Output.run(client) { session in
                let result = try await session.call("meeting.get", ["meeting": .string(meeting)])
                if client.json { return Output.printJSON(result) }
                let snapshot = result["snapshot"] ?? .null
                print(MeetingView.summary(snapshot, seq: result["seq"]?.intValue, local: client.local))
                print("")
                print(MeetingView.checklist(
                    snapshot["checklist"]?.arrayValue ?? [], names: MeetingView.actorNames(snapshot), local: client.local))
                print("")
                print(MeetingView.roster(snapshot["roster"]?.arrayValue ?? [], local: client.local))
                // The materials in one line; who opened them for those who may see it (checklist item C-7).
                let files = snapshot["materials"]?["files"]?.arrayValue ?? []
                let ops = snapshot["viewer"]?["ops"]?.arrayValue?.compactMap(\.stringValue) ?? []
                var line = files.isEmpty
                    ? "Materials: none yet." + (ops.contains("materials.remove") ? " Upload with `roadshow materials upload \(meeting) FILE`." : "")
                    : "Materials: \(files.count) file(s); list them with `roadshow materials list \(meeting)`."
                if !files.isEmpty, ops.contains("materials.receipts") {
                    let r = try await session.call("materials.receipts", ["meeting": .string(meeting)])
                    line += " \(r["opened"]?.intValue ?? 0) of \(r["of"]?.intValue ?? 0) units have opened them"
                    if let pending = r["notOpened"]?.arrayValue?.compactMap(\.stringValue), !pending.isEmpty {
                        line += " (not yet: \(pending.joined(separator: ", ")))"
                    }
                    line += "."
                }
                print("")
                print(line)
            }
        }
    }
}
