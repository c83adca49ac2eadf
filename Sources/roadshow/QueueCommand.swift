import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow queue ...`: raised hands and the floor during the live meeting.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Raised hands and the floor: raise, upvote, grant, next, release.",
        discussion: """
            Participants raise a hand to speak, to ask a question (with its text) or for a
            point of order (程序性问题, always first); questions can be upvoted. The host (the
            organizer, or a participant with the host role) grants the floor — to an
            entry, or with `next` to the first in line or the most upvoted question — and
            releases it; the speaker may release it too. raise, lower and upvote are done
            with a participant's own token (ROADSHOW_TOKEN=rs_p_… from their invite link).
            """,
        subcommands: [List.self, Raise.self, Lower.self, Upvote.self, Grant.self, Next.self, Release.self, Remove.self]
    )

    enum Order: String, ExpressibleByArgument, CaseIterable { case order, votes }

    /// "Q-3 王芳-高新区管委会 question 提问: “能否提供用地指标？”"
    static func describe(_ entry: JSON?) -> String {
        guard let entry else { return "?" }
        var words = [entry["id"]?.stringValue ?? "", entry["displayName"]?.stringValue ?? ""]
        words.append(LiveFormat.label(QueueEntry.Kind.self, entry["kind"]?.stringValue))
        var text = words.filter { !$0.isEmpty }.joined(separator: " ")
        if let t = entry["text"]?.stringValue { text += ": “\(t)”" }
        return text
    }

    /// The floor after a grant: who, what, and the limit.
    static func floorLine(_ floor: JSON?) -> String {
        guard let floor, !floor.isNull else { return "Nobody has the floor." }
        var line = "Floor: \(floor["displayName"]?.stringValue ?? "?") (\(LiveFormat.label(QueueEntry.Kind.self, floor["kind"]?.stringValue)))"
        if let t = floor["text"]?.stringValue { line += ": “\(t)”" }
        if let limit = floor["limitSeconds"]?.intValue { line += "; limit \(LiveFormat.clock(Int(limit)))" }
        return line
    }

    /// How a finished speech reads: "王芳-高新区管委会 spoke 1:23 (over the 1:00 limit)".
    static func speechLine(_ speech: JSON?) -> String? {
        guard let speech, !speech.isNull else { return nil }
        var line = "\(speech["displayName"]?.stringValue ?? "?") spoke \(LiveFormat.clock(Int(speech["seconds"]?.intValue ?? 0)))"
        if speech["overLimit"]?.boolValue == true { line += " (over the limit)" }
        return line
    }

    static func call(_ client: ClientOptions, _ op: String, _ args: [String: JSON], lines: @escaping (JSON) -> [String])
        async throws
    {
        try await Output.run(client) { session in
            let result = try await session.call(op, .object(args))
            if client.json { return Output.printJSON(result) }
            var out = lines(result)
            if !out.isEmpty { out[0] += Output.seqNote(result) }
            for line in out { print(line) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show who has the floor and the queue in order, with votes.",
            discussion: """
                The floor: who, since when, time so far and the limit per speech (from the
                running agenda item). The queue: in the order the floor goes (points of order
                first, then first come, first served), with each question's upvotes. With
                --json it prints {"floor", "queue": [...], "serverTime"} from the meeting's
                snapshot.

                Examples:
                  roadshow queue list M-7Q2K
                  roadshow queue list M-7Q2K --json
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String

        func run() async throws {
            try await Output.run(client) { session in
                let (result, snapshot) = try await LiveFormat.snapshot(session, meeting)
                let floor = snapshot["floor"] ?? .null
                let queue = snapshot["queue"]?.arrayValue ?? []
                if client.json {
                    return Output.printJSON(["floor": floor, "queue": .array(queue), "serverTime": result["serverTime"] ?? .null])
                }
                print(Self.render(floor: floor, queue: queue, now: LiveFormat.serverNow(result), local: client.local))
            }
        }

        static func render(floor: JSON, queue: [JSON], now: Date, local: LocalTime) -> String {
            var lines: [String] = []
            if floor.isNull {
                lines.append("Floor: nobody")
            } else {
                var line = "Floor: \(floor["displayName"]?.stringValue ?? "?") (\(LiveFormat.label(QueueEntry.Kind.self, floor["kind"]?.stringValue)))"
                if let t = floor["text"]?.stringValue { line += " “\(TextTable.singleLine(t))”" }
                line += ", since \(LiveFormat.time(floor["grantedAt"]?.stringValue, local: local, today: now, seconds: true))"
                let elapsed = LiveFormat.elapsed(since: floor["grantedAt"]?.stringValue, now: now) ?? 0
                line += ", \(LiveFormat.clock(elapsed)) so far"
                if let limit = floor["limitSeconds"]?.intValue {
                    let left = Int(limit) - elapsed
                    line += ", limit \(LiveFormat.clock(Int(limit)))"
                    line += left >= 0 ? " (\(LiveFormat.clock(left)) left)" : " (over by \(LiveFormat.clock(-left)))"
                }
                lines.append(line)
            }
            if queue.isEmpty {
                lines.append("Queue: empty")
                return lines.joined(separator: "\n")
            }
            lines.append("Queue (\(queue.count)):")
            var table = TextTable([
                .init("#", alignment: .right), .init("ID"), .init("Kind"), .init("Who", maxWidth: 30),
                .init("Text", maxWidth: 50), .init("Votes", alignment: .right), .init("Raised"), .init("Waiting", alignment: .right),
            ])
            for (i, e) in queue.enumerated() {
                let kind = e["kind"]?.stringValue
                table.add(
                    String(i + 1), e["id"]?.stringValue ?? "", LiveFormat.label(QueueEntry.Kind.self, kind),
                    e["displayName"]?.stringValue ?? "", e["text"]?.stringValue ?? "",
                    kind == "question" ? String(e["votes"]?.arrayValue?.count ?? 0) : "",
                    LiveFormat.time(e["raisedAt"]?.stringValue, local: local, today: now, seconds: true),
                    LiveFormat.elapsed(since: e["raisedAt"]?.stringValue, now: now).map(LiveFormat.clock) ?? "")
            }
            lines.append(table.render())
            return lines.joined(separator: "\n")
        }
    }

    struct Raise: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Raise your hand (participant token).",
            discussion: """
                Kinds: speak 发言, question 提问 (needs --text), point_of_order 程序性问题.

                Examples:
                  ROADSHOW_TOKEN=rs_p_... roadshow queue raise M-7Q2K --kind speak
                  ROADSHOW_TOKEN=rs_p_... roadshow queue raise M-7Q2K --kind question \\
                    --text "项目用地需求大约多少亩？"
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Option(help: "speak, question or point_of_order.") var kind: QueueEntry.Kind = .speak
        @Option(help: "Your question, or what you want to say.") var text: String?

        func validate() throws {
            if kind == .question && (text ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("a question needs --text: write the question")
            }
        }

        func run() async throws {
            var args: [String: JSON] = ["meeting": .string(meeting), "kind": .string(kind.rawValue)]
            if let text { args["text"] = .string(text) }
            try await QueueCommand.call(client, "queue.raise", args) { result in
                let position = result["position"]?.intValue.map { ", number \($0) in the queue" } ?? ""
                return ["Raised \(QueueCommand.describe(result["entry"]))\(position)"]
            }
        }
    }

    struct Lower: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lower your hand: leave the queue (participant token).",
            discussion: """
                Example:
                  ROADSHOW_TOKEN=rs_p_... roadshow queue lower M-7Q2K
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String

        func run() async throws {
            try await QueueCommand.call(client, "queue.lower", ["meeting": .string(meeting)]) { _ in ["Lowered your hand"] }
        }
    }

    struct Upvote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upvote someone else's question (participant token; one vote each).",
            discussion: """
                Example:
                  ROADSHOW_TOKEN=rs_p_... roadshow queue upvote M-7Q2K Q-3
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The queue entry, e.g. Q-3.") var entry: String

        func run() async throws {
            try await QueueCommand.call(client, "queue.upvote", ["meeting": .string(meeting), "entry": .string(entry)]) { result in
                let votes = result["entry"]?["votes"]?.arrayValue?.count ?? 0
                return ["Upvoted \(QueueCommand.describe(result["entry"])); \(votes) vote(s)"]
            }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give the floor to one entry of the queue (host).",
            discussion: """
                Whoever had the floor before is done speaking.

                Example:
                  roadshow queue grant M-7Q2K Q-3
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The queue entry, e.g. Q-3.") var entry: String

        func run() async throws {
            try await QueueCommand.call(client, "queue.grant", ["meeting": .string(meeting), "entry": .string(entry)]) {
                [QueueCommand.floorLine($0["floor"])]
            }
        }
    }

    struct Next: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give the floor to the next in line, or to the most upvoted question (host).",
            discussion: """
                Examples:
                  roadshow queue next M-7Q2K
                  roadshow queue next M-7Q2K --by votes
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Option(help: "order (the queue's order) or votes (the most upvoted question).") var by: Order = .order

        func run() async throws {
            var args: [String: JSON] = ["meeting": .string(meeting)]
            if by == .votes { args["by"] = "votes" }
            try await QueueCommand.call(client, "queue.next", args) { [QueueCommand.floorLine($0["floor"])] }
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End the current speech: nobody has the floor (host, or the speaker).",
            discussion: """
                Example:
                  roadshow queue release M-7Q2K
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String

        func run() async throws {
            try await QueueCommand.call(client, "queue.release", ["meeting": .string(meeting)]) { result in
                ["Released the floor" + (QueueCommand.speechLine(result["speech"]).map { ": \($0)" } ?? "")]
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take an entry out of the queue (host).",
            discussion: """
                Example:
                  roadshow queue remove M-7Q2K Q-4
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The queue entry, e.g. Q-4.") var entry: String

        func run() async throws {
            let entry = entry
            try await QueueCommand.call(client, "queue.remove", ["meeting": .string(meeting), "entry": .string(entry)]) { _ in
                ["Removed \(entry) from the queue"]
            }
        }
    }
}
