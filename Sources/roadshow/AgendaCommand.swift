import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow agenda ...`: the meeting's agenda, planned and actual.
struct AgendaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda",
        abstract: "Plan the agenda, then run it live: start, next, finish.",
        discussion: """
            Items (G-1, G-2, ...) have a planned length in minutes, an optional speaker (a
            participant id) and an optional limit per speech while the item runs (the
            floor counts down). While the meeting is live (会中), one item runs at a time;
            `next` finishes it and starts the next planned one. `roadshow agenda list`
            shows planned against actual time.
            """,
        subcommands: [List.self, Add.self, Suggest.self, Update.self, Move.self, Remove.self, Start.self, Next.self, Finish.self]
    )

    /// "G-2 项目介绍 (20 min; speaker 王经理-某公司; 3:00 per speech)".
    static func describe(_ item: JSON?, names: [String: String] = [:]) -> String {
        guard let item else { return "?" }
        var details = ["\(Labels.number(item["minutes"])) min"]
        if let speaker = item["speaker"]?.stringValue { details.append("speaker \(names[speaker] ?? speaker)") }
        if let limit = item["speakingLimitSeconds"]?.intValue { details.append("\(LiveFormat.clock(Int(limit))) per speech") }
        return "\(item["id"]?.stringValue ?? "?") \(item["title"]?.stringValue ?? "") (\(details.joined(separator: "; ")))"
    }

    /// Runs a mutating agenda op and prints `line(result)`.
    static func call(
        _ client: ClientOptions, _ op: String, _ args: [String: JSON], line: @escaping (JSON) -> String
    ) async throws {
        try await Output.run(client) { session in
            let result = try await session.call(op, .object(args))
            if client.json { return Output.printJSON(result) }
            print(line(result) + Output.seqNote(result))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the agenda: planned against actual time, and the running item.",
            discussion: """
                Status: planned, running (with the time elapsed so far), done (with its actual
                length). Times are Asia/Shanghai (or ROADSHOW_TZ). With --json it prints
                {"agenda": [...], "serverTime"}, the agenda of the meeting's snapshot.

                Examples:
                  roadshow agenda list M-7Q2K
                  roadshow agenda list M-7Q2K --json
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String

        func run() async throws {
            try await Output.run(client) { session in
                let (result, snapshot) = try await LiveFormat.snapshot(session, meeting)
                let agenda = snapshot["agenda"]?.arrayValue ?? []
                if client.json {
                    return Output.printJSON(["agenda": .array(agenda), "serverTime": result["serverTime"] ?? .null])
                }
                print(Self.render(agenda, names: LiveFormat.names(snapshot), now: LiveFormat.serverNow(result), local: client.local))
            }
        }

        static func render(_ agenda: [JSON], names: [String: String], now: Date, local: LocalTime) -> String {
            if agenda.isEmpty { return "The agenda is empty. Add items with `roadshow agenda add MEETING TITLE --minutes N`." }
            var table = TextTable([
                .init("#", alignment: .right), .init("ID"), .init("Status"), .init("Item", maxWidth: 40),
                .init("Speaker", maxWidth: 36), .init("Planned", alignment: .right), .init("Actual", alignment: .right),
                .init("Started"), .init("Limit", alignment: .right),
            ])
            var plannedTotal = 0
            var actualTotal = 0
            var running: (item: JSON, elapsed: Int)?
            for (i, item) in agenda.enumerated() {
                let minutes = Int(item["minutes"]?.intValue ?? 0)
                plannedTotal += minutes
                let status = item["status"]?.stringValue ?? ""
                var actual = ""
                if status == "running", let elapsed = LiveFormat.elapsed(since: item["startedAt"]?.stringValue, now: now) {
                    actual = LiveFormat.clock(elapsed) + " so far"
                    actualTotal += elapsed
                    running = (item, elapsed)
                } else if let seconds = Self.actualSeconds(item) {
                    actual = LiveFormat.clock(seconds)
                    actualTotal += seconds
                }
                table.add(
                    String(i + 1), item["id"]?.stringValue ?? "", status, item["title"]?.stringValue ?? "",
                    item["speaker"]?.stringValue.map { names[$0] ?? $0 } ?? "", "\(minutes) min", actual,
                    LiveFormat.time(item["startedAt"]?.stringValue, local: local, today: now),
                    item["speakingLimitSeconds"]?.intValue.map { LiveFormat.clock(Int($0)) } ?? "")
            }
            let done = agenda.filter { $0["status"]?.stringValue == "done" }.count
            var lines = ["Agenda (\(done) of \(agenda.count) done; planned \(plannedTotal) min, actual so far \(LiveFormat.clock(actualTotal)))"]
            lines.append(table.render())
            if let running {
                let planned = Int(running.item["minutes"]?.intValue ?? 0) * 60
                let over = running.elapsed - planned
                let state = over > 0 ? "over by \(LiveFormat.clock(over))" : "\(LiveFormat.clock(-over)) left"
                lines.append(
                    "Running: \(running.item["id"]?.stringValue ?? "") \(running.item["title"]?.stringValue ?? ""), "
                        + "\(LiveFormat.clock(running.elapsed)) of \(planned / 60) min (\(state))")
            } else {
                lines.append("Nothing running.")
            }
            return lines.joined(separator: "\n")
        }

        static func actualSeconds(_ item: JSON) -> Int? {
            guard let s = item["startedAt"]?.stringValue.flatMap(Timestamp.parse),
                let f = item["finishedAt"]?.stringValue.flatMap(Timestamp.parse)
            else { return nil }
            return Int(f.timeIntervalSince(s).rounded())
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an item to the agenda.",
            discussion: """
                Examples:
                  roadshow agenda add M-7Q2K "主持人介绍参会单位" --minutes 5
                  roadshow agenda add M-7Q2K "企业项目推介" --minutes 20 --speaker P-AB12CD34
                  roadshow agenda add M-7Q2K "参会单位提问交流" --minutes 30 --speaking-limit 180
                  roadshow agenda add M-7Q2K "开场致辞" --minutes 3 --position 1
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The item's title.") var title: String
        @Option(help: "Planned length in minutes.") var minutes: Int
        @Option(help: "Who speaks to it: a participant id (P-…).") var speaker: String?
        @Option(
            name: .customLong("speaking-limit"),
            help: ArgumentHelp("A limit per speech while it runs, in seconds (15–3600).", valueName: "seconds"))
        var speakingLimit: Int?
        @Option(help: "Its place, 1 = first (default: last).") var position: Int?

        func run() async throws {
            var args: [String: JSON] = ["meeting": .string(meeting), "title": .string(title), "minutes": .int(Int64(minutes))]
            if let speaker { args["speaker"] = .string(speaker) }
            if let speakingLimit { args["speakingLimitSeconds"] = .int(Int64(speakingLimit)) }
            if let position { args["position"] = .int(Int64(position)) }
            let meeting = meeting
            try await AgendaCommand.call(client, "agenda.add", args) { "Added \(AgendaCommand.describe($0["item"])) to \(meeting)" }
        }
    }

    struct Suggest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill an empty agenda with the one the meeting's kind usually follows.",
            discussion: """
                project_pitch 企业项目路演: introduction, company pitch, Q&A by unit, next steps;
                exchange 线上交流: introduction, the company's needs, open exchange, follow-up points;
                symposium 线上座谈: round of units, discussion, conclusions.
                The items are ordinary ones: change, move or remove them afterwards.

                Examples:
                  roadshow agenda suggest M-7Q2K
                  roadshow agenda suggest M-7Q2K --language en --json
                """
        )

        enum Language: String, ExpressibleByArgument, CaseIterable { case zh, en }

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Option(help: "The language of the items' titles: zh (default) or en.") var language: Language?

        func run() async throws {
            var args: [String: JSON] = ["meeting": .string(meeting)]
            if let language { args["language"] = .string(language.rawValue) }
            let meeting = meeting
            try await AgendaCommand.call(client, "agenda.suggest", args) { result in
                let items = (result["items"]?.arrayValue ?? []).map { "  " + AgendaCommand.describe($0) }
                return (["Added the suggested agenda of a \(Labels.meetingKind(result["kind"]?.stringValue)) meeting to \(meeting):"] + items)
                    .joined(separator: "\n")
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an item's title, length, speaker or limit per speech.",
            discussion: """
                Examples:
                  roadshow agenda update M-7Q2K G-2 --minutes 25
                  roadshow agenda update M-7Q2K G-2 --speaker P-AB12CD34 --speaking-limit 120
                  roadshow agenda update M-7Q2K G-2 --no-speaker --no-speaking-limit
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The item's id, e.g. G-2.") var item: String
        @Option(help: "A new title.") var title: String?
        @Option(help: "Planned length in minutes.") var minutes: Int?
        @Option(help: "Who speaks to it: a participant id (P-…).") var speaker: String?
        @Flag(name: .customLong("no-speaker"), help: "No speaker for this item.") var noSpeaker = false
        @Option(
            name: .customLong("speaking-limit"),
            help: ArgumentHelp("A limit per speech while it runs, in seconds (15–3600).", valueName: "seconds"))
        var speakingLimit: Int?
        @Flag(name: .customLong("no-speaking-limit"), help: "No limit per speech.") var noSpeakingLimit = false

        func validate() throws {
            if noSpeaker && speaker != nil { throw ValidationError("--speaker and --no-speaker contradict each other") }
            if noSpeakingLimit && speakingLimit != nil {
                throw ValidationError("--speaking-limit and --no-speaking-limit contradict each other")
            }
        }

        func run() async throws {
            var args: [String: JSON] = ["meeting": .string(meeting), "item": .string(item)]
            if let title { args["title"] = .string(title) }
            if let minutes { args["minutes"] = .int(Int64(minutes)) }
            if let speaker { args["speaker"] = .string(speaker) }
            if noSpeaker { args["speaker"] = .null }
            if let speakingLimit { args["speakingLimitSeconds"] = .int(Int64(speakingLimit)) }
            if noSpeakingLimit { args["speakingLimitSeconds"] = .null }
            try await AgendaCommand.call(client, "agenda.update", args) { "Updated \(AgendaCommand.describe($0["item"]))" }
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move an item to another place in the agenda.",
            discussion: """
                Examples:
                  roadshow agenda move M-7Q2K G-4 --position 1
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The item's id, e.g. G-4.") var item: String
        @Option(help: "Its new place, 1 = first.") var position: Int

        func run() async throws {
            let (item, position) = (item, position)
            try await AgendaCommand.call(
                client, "agenda.move", ["meeting": .string(meeting), "item": .string(item), "position": .int(Int64(position))]
            ) { result in
                let order = (result["order"]?.arrayValue ?? []).compactMap(\.stringValue)
                return "Moved \(item) to place \(position)" + (order.isEmpty ? "" : "; order: \(order.joined(separator: ", "))")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an item from the agenda (not while it runs).",
            discussion: """
                Example:
                  roadshow agenda remove M-7Q2K G-5
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The item's id, e.g. G-5.") var item: String

        func run() async throws {
            let (meeting, item) = (meeting, item)
            try await AgendaCommand.call(client, "agenda.remove", ["meeting": .string(meeting), "item": .string(item)]) { _ in
                "Removed \(item) from \(meeting)"
            }
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start an item now (the running one, if any, finishes).",
            discussion: """
                Only while the meeting is live (会中). Use `next` to follow the planned order.

                Example:
                  roadshow agenda start M-7Q2K G-3
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The item's id, e.g. G-3.") var item: String

        func run() async throws {
            try await AgendaCommand.call(client, "agenda.start", ["meeting": .string(meeting), "item": .string(item)]) {
                "Now running: \(AgendaCommand.describe($0["item"]))"
            }
        }
    }

    struct Next: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Finish the running item and start the next planned one.",
            discussion: """
                Only while the meeting is live (会中). With nothing running it starts the first
                planned item.

                Example:
                  roadshow agenda next M-7Q2K
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String

        func run() async throws {
            try await AgendaCommand.call(client, "agenda.next", ["meeting": .string(meeting)]) {
                "Now running: \(AgendaCommand.describe($0["item"]))"
            }
        }
    }

    struct Finish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Finish the running item without starting another.",
            discussion: """
                Example:
                  roadshow agenda finish M-7Q2K
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String

        func run() async throws {
            let meeting = meeting
            try await AgendaCommand.call(client, "agenda.finish", ["meeting": .string(meeting)]) { _ in
                "Finished the running agenda item of \(meeting)"
            }
        }
    }
}
