import ArgumentParser
import RoadshowClient
import RoadshowCore

/// `roadshow checklist ...`: the meeting's prep checklist (会议准备).
struct ChecklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checklist",
        abstract: "Add, tick off, reopen and remove prep checklist items.",
        discussion: "`roadshow meeting show MEETING` lists the items with their ids (C-1, C-2, ...).",
        subcommands: [Add.self, Done.self, Undo.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an item to a meeting's checklist.",
            discussion: """
                Examples:
                  roadshow checklist add M-7Q2K "向参会单位发送项目资料"
                  roadshow checklist add M-7Q2K "确认主持人" --phase preparing \\
                    --owner 李科长 --due 2026-11-28
                """
        )

        @OptionGroup var client: ClientOptions

        @Argument(help: "The meeting's id, e.g. M-7Q2K.")
        var meeting: String

        @Argument(help: "What is to be done.")
        var text: String

        @Option(help: "The phase the item belongs to (default: preparing).")
        var phase: Phase?

        @Option(help: "Who is responsible.")
        var owner: String?

        @Option(help: ArgumentHelp("Due date, YYYY-MM-DD.", valueName: "date"))
        var due: String?

        func run() async throws {
            try await Output.run(client) { session in
                var args: [String: JSON] = ["meeting": .string(meeting), "text": .string(text)]
                if let phase { args["phase"] = .string(phase.rawValue) }
                if let owner { args["owner"] = .string(owner) }
                if let due { args["due"] = .string(due) }
                let result = try await session.call("checklist.add", .object(args))
                if client.json { return Output.printJSON(result) }
                let item = result["item"]
                print("Added \(item?["id"]?.stringValue ?? "?") \"\(item?["text"]?.stringValue ?? text)\" to \(meeting)\(Output.seqNote(result))")
            }
        }
    }

    /// Shared by `done` and `undo`: checklist.set with done true or false.
    static func set(_ client: ClientOptions, meeting: String, item: String, done: Bool, note: String?) async throws {
        try await Output.run(client) { session in
            var args: [String: JSON] = ["meeting": .string(meeting), "item": .string(item), "done": .bool(done)]
            if let note { args["note"] = .string(note) }
            let result = try await session.call("checklist.set", .object(args))
            if client.json { return Output.printJSON(result) }
            let text = result["item"]?["text"]?.stringValue.map { " \"\($0)\"" } ?? ""
            print("\(done ? "Done" : "Reopened"): \(item)\(text) in \(meeting)\(Output.seqNote(result))")
        }
    }

    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tick an item off.",
            discussion: """
                Examples:
                  roadshow checklist done M-7Q2K C-3
                  roadshow checklist done M-7Q2K C-5 --note "企业已确认投资意向"
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The item's id, e.g. C-3.") var item: String
        @Option(help: "A note on how it was done.") var note: String?

        func run() async throws { try await ChecklistCommand.set(client, meeting: meeting, item: item, done: true, note: note) }
    }

    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark an item as not done again.",
            discussion: """
                Example:
                  roadshow checklist undo M-7Q2K C-3
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The item's id, e.g. C-3.") var item: String

        func run() async throws { try await ChecklistCommand.set(client, meeting: meeting, item: item, done: false, note: nil) }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an item from the checklist.",
            discussion: """
                Example:
                  roadshow checklist remove M-7Q2K C-13
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The item's id, e.g. C-13.") var item: String

        func run() async throws {
            try await Output.run(client) { session in
                let result = try await session.call("checklist.remove", ["meeting": .string(meeting), "item": .string(item)])
                if client.json { return Output.printJSON(result) }
                print("Removed \(item) from \(meeting)\(Output.seqNote(result))")
            }
        }
    }
}
