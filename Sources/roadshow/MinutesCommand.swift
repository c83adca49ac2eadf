import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow minutes ...`: the meeting's minutes (会议记录) and their Markdown export.
struct MinutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minutes",
        abstract: "Keep the minutes: add, list, edit, remove entries; export them as Markdown.",
        discussion: """
            Kinds (mechanism 7 §4): intent 投资合作意向, needs 落地需求, prospects 发展前景, decision
            议定事项, action 后续分工 (with --owner and --due), contact 联系方式, next_contact 下次沟通
            (time and way of the next contact), note 记录. The organizer, the host and the
            recorder keep them, from the joint test until the follow-up. Ending the
            meeting needs an intent and a next_contact entry.
            """,
        subcommands: [Add.self, List.self, Edit.self, Remove.self, Export.self]
    )

    /// Sections in the order the minutes are read.
    static let sections: [MinutesEntry.Kind] = [.intent, .needs, .prospects, .decision, .action, .contact, .nextContact, .note]

    static func describe(_ entry: JSON?) -> String {
        guard let entry else { return "?" }
        var line = "\(entry["id"]?.stringValue ?? "?") [\(LiveFormat.label(MinutesEntry.Kind.self, entry["kind"]?.stringValue))]"
        line += " " + TextTable.singleLine(DisplayWidth.truncate(entry["text"]?.stringValue ?? "", to: 60))
        var extra: [String] = []
        if let owner = entry["owner"]?.stringValue { extra.append("owner \(owner)") }
        if let due = entry["due"]?.stringValue { extra.append("due \(due)") }
        if let item = entry["agendaItem"]?.stringValue { extra.append("agenda \(item)") }
        if !extra.isEmpty { line += " (\(extra.joined(separator: ", ")))" }
        return line
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an entry to the minutes (organizer, host or recorder).",
            discussion: """
                While an agenda item runs, the entry is filed under it unless --agenda-item
                says otherwise.

                Examples:
                  roadshow minutes add M-7Q2K --kind intent "企业拟投资12.5亿元建设动力电池生产基地"
                  roadshow minutes add M-7Q2K --kind needs "用地约200亩，需配套220kV变电站"
                  roadshow minutes add M-7Q2K --kind action "提供园区用地及电力配套方案" \\
                    --owner 高新区管委会 --due 2026-12-15
                  roadshow minutes add M-7Q2K --kind next_contact "12月10日前赴企业实地考察" \\
                    --owner 张伟 --due 2026-12-10
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Option(help: "intent, needs, prospects, decision, action, contact, next_contact or note.") var kind: MinutesEntry.Kind
        @Argument(help: "What was said or agreed.") var text: String
        @Option(help: "Who follows it up (actions, next contact).") var owner: String?
        @Option(help: ArgumentHelp("By when, YYYY-MM-DD.", valueName: "date")) var due: String?
        @Option(name: .customLong("agenda-item"), help: "The agenda item it belongs to, e.g. G-2.") var agendaItem: String?

        func run() async throws {
            try await Output.run(client) { session in
                var args: [String: JSON] = ["meeting": .string(meeting), "kind": .string(kind.rawValue), "text": .string(text)]
                if let owner { args["owner"] = .string(owner) }
                if let due { args["due"] = .string(due) }
                if let agendaItem { args["agendaItem"] = .string(agendaItem) }
                let result = try await session.call("minutes.add", .object(args))
                if client.json { return Output.printJSON(result) }
                print("Added \(MinutesCommand.describe(result["entry"]))\(Output.seqNote(result))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the minutes by section.",
            discussion: """
                Sections: intent, needs, prospects, decision, action, contact, next_contact,
                note. With --json it prints {"minutes": [...]}, the minutes of the meeting's
                snapshot.

                Examples:
                  roadshow minutes list M-7Q2K
                  roadshow minutes list M-7Q2K --json
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String

        func run() async throws {
            try await Output.run(client) { session in
                let (result, snapshot) = try await LiveFormat.snapshot(session, meeting)
                let minutes = snapshot["minutes"]?.arrayValue ?? []
                if client.json { return Output.printJSON(["minutes": .array(minutes)]) }
                print(Self.render(
                    minutes, names: LiveFormat.names(snapshot), agenda: snapshot["agenda"]?.arrayValue ?? [],
                    now: LiveFormat.serverNow(result), local: client.local))
            }
        }

        static func render(_ minutes: [JSON], names: [String: String], agenda: [JSON], now: Date, local: LocalTime) -> String {
            if minutes.isEmpty { return "No minutes yet. Add entries with `roadshow minutes add MEETING --kind KIND TEXT`." }
            var titles: [String: String] = [:]
            for item in agenda {
                if let id = item["id"]?.stringValue { titles[id] = item["title"]?.stringValue ?? id }
            }
            var blocks: [String] = ["Minutes (\(minutes.count) entries)"]
            var empty: [String] = []
            for kind in MinutesCommand.sections {
                let entries = minutes.filter { $0["kind"]?.stringValue == kind.rawValue }
                if entries.isEmpty {
                    empty.append("\(kind.rawValue) \(kind.zh)")
                    continue
                }
                blocks += ["", "\(kind.zh) \(kind.en) (\(kind.rawValue))"]
                var table = TextTable([
                    .init("ID"), .init("Text", maxWidth: 60), .init("Owner", maxWidth: 20), .init("Due"),
                    .init("Agenda", maxWidth: 24), .init("By", maxWidth: 24), .init("At"),
                ])
                for e in entries {
                    let item = e["agendaItem"]?.stringValue.map { "\($0) \(titles[$0] ?? "")" } ?? ""
                    var at = LiveFormat.time(e["at"]?.stringValue, local: local, today: now)
                    if e["editedAt"]?.stringValue != nil { at += " (edited)" }
                    table.add(
                        e["id"]?.stringValue ?? "", e["text"]?.stringValue ?? "", e["owner"]?.stringValue ?? "",
                        e["due"]?.stringValue ?? "", item, e["by"]?.stringValue.map { names[$0] ?? $0 } ?? "", at)
                }
                blocks += table.render().split(separator: "\n").map { "  " + $0 }
            }
            if !empty.isEmpty { blocks += ["", "Nothing yet under: " + empty.joined(separator: ", ")] }
            return blocks.joined(separator: "\n")
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an entry: its text, kind, owner, due date or agenda item.",
            discussion: """
                An empty --owner "" or --due "" clears it.

                Examples:
                  roadshow minutes edit M-7Q2K N-3 --text "用地约180亩"
                  roadshow minutes edit M-7Q2K N-5 --kind action --owner 招商二科 --due 2026-12-20
                  roadshow minutes edit M-7Q2K N-5 --due ""
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The entry's id, e.g. N-3.") var entry: String
        @Option(help: "The new text.") var text: String?
        @Option(help: "The new kind.") var kind: MinutesEntry.Kind?
        @Option(help: "Who follows it up (\"\" clears).") var owner: String?
        @Option(help: ArgumentHelp("By when, YYYY-MM-DD (\"\" clears).", valueName: "date")) var due: String?
        @Option(name: .customLong("agenda-item"), help: "The agenda item it belongs to, e.g. G-2.") var agendaItem: String?

        func run() async throws {
            try await Output.run(client) { session in
                var args: [String: JSON] = ["meeting": .string(meeting), "entry": .string(entry)]
                if let text { args["text"] = .string(text) }
                if let kind { args["kind"] = .string(kind.rawValue) }
                if let owner { args["owner"] = .string(owner) }
                if let due { args["due"] = .string(due) }
                if let agendaItem { args["agendaItem"] = .string(agendaItem) }
                let result = try await session.call("minutes.edit", .object(args))
                if client.json { return Output.printJSON(result) }
                print("Edited \(MinutesCommand.describe(result["entry"]))\(Output.seqNote(result))")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an entry from the minutes.",
            discussion: """
                Example:
                  roadshow minutes remove M-7Q2K N-4
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The entry's id, e.g. N-4.") var entry: String

        func run() async throws {
            try await Output.run(client) { session in
                let result = try await session.call("minutes.remove", ["meeting": .string(meeting), "entry": .string(entry)])
                if client.json { return Output.printJSON(result) }
                print("Removed \(entry) from the minutes of \(meeting)\(Output.seqNote(result))")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The meeting record (会议纪要) as Markdown or a Word document.",
            discussion: """
                In one language (--lang zh, the default, or en), in the official layout: the
                meeting's facts, 出席 and 列席, the agenda planned against actual, what was
                discussed, 议定事项 (who does what by when), the next contact and speaking time
                per unit; times in the server's zone. The organizer's copy ends with the
                internal remarks (a forced start, AV notes); the company's holds only the
                minutes shared with it. Printed to stdout, written to --output FILE, or
                written as a .docx with --docx FILE.

                Examples:
                  roadshow minutes export M-7Q2K
                  roadshow minutes export M-7Q2K --output 会议纪要.md
                  roadshow minutes export M-7Q2K --docx 会议纪要.docx
                  roadshow minutes export M-7Q2K --lang en --docx minutes.docx
                """
        )

        @OptionGroup var client: ClientOptions
        @OptionGroup var document: DocumentOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write it to this file.", valueName: "file"))
        var output: String?

        func run() async throws {
            try await Output.run(client) { session in
                var args = document.args
                args["meeting"] = .string(meeting)
                let result = try await session.call("export.minutes", .object(args))
                if try document.finishDocx(result, json: client.json, what: "the minutes of \(meeting)") { return }
                let text = result["text"]?.stringValue ?? ""
                if let output {
                    try LiveFormat.write(text, to: output)
                    if client.json { return Output.printJSON(result) }
                    print("Wrote the minutes of \(meeting) to \(output)")
                    return
                }
                if client.json { return Output.printJSON(result) }
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}
