import ArgumentParser
import RoadshowClient
import RoadshowCore

/// `roadshow meeting advance`: the meeting's next phase, or the list of what stands in the way.
struct MeetingAdvanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advance",
        abstract: "Move a meeting to its next phase: rehearsal, live, ended, or closed without a dispatch.",
        discussion: """
            Phases go in order: preparing 会议准备 → rehearsal 会前联调 → live 会中 → ended 会后跟进.
            Going live needs the prep checklist done and every expected participant ready
            in the AV test; ending needs the minutes to hold the company's investment
            intent and the next contact. When something is missing, the command lists it
            (kind, id, what, missing AV checks) and exits 1. Finish those, or go ahead
            anyway with --force and a --reason; the reason and what was skipped are kept
            and appear in the minutes.

            After the follow-up (会后跟进) a meeting is either dispatched to a handling unit
            (`roadshow dispatch create`, it becomes dispatched 已转办) or closed without a
            dispatch (已结束) with --to closed and a --reason saying why.

            Examples:
              roadshow meeting advance M-7Q2K --to rehearsal
              roadshow meeting advance M-7Q2K --to live
              roadshow meeting advance M-7Q2K --to live --force \\
                --reason "企业负责人时间有限，高新区代表电话接入"
              roadshow meeting advance M-7Q2K --to ended
              roadshow meeting advance M-7Q2K --to closed --reason "企业暂无落地意向，保持联系"
            """
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The meeting's id, e.g. M-7Q2K.")
    var meeting: String

    @Option(help: "The phase to move to: rehearsal, live, ended (the next one), or closed after ended.")
    var to: Phase

    @Flag(help: "Go ahead even though something is not done (needs --reason).")
    var force = false

    @Option(help: "Why the meeting goes ahead anyway, or why it closes without a dispatch (kept with the phase change).")
    var reason: String?

    func validate() throws {
        if force && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--force needs --reason: say why the meeting goes ahead anyway")
        }
    }

    func run() async throws {
        var blocked: RoadshowError?
        try await Output.run(client) { session in
            var args: [String: JSON] = ["meeting": .string(meeting), "to": .string(to.rawValue)]
            if force { args["force"] = .bool(true) }
            if let reason { args["reason"] = .string(reason) }
            let result: JSON
            do {
                result = try await session.call("meeting.advance", .object(args))
            } catch let error as RoadshowError where error.code == .conflict && error.details?["blockers"]?.arrayValue != nil {
                blocked = error
                return
            }
            if client.json { return Output.printJSON(result) }
            let phase = result["meeting"]?["phase"]?.stringValue ?? to.rawValue
            print("\(meeting) is now \(Labels.phase(phase))\(Output.seqNote(result))")
            if let transition = result["transition"], transition["forced"]?.boolValue == true {
                let skipped = transition["blockers"]?.arrayValue ?? []
                print("Forced past \(skipped.count) unfinished item(s); reason: \(transition["reason"]?.stringValue ?? "")")
                print(Self.blockerTable(skipped))
            }
        }
        if let blocked {
            if client.json {
                Output.report(blocked, server: client.serverURL)
            } else {
                Self.explain(blocked, meeting: meeting, to: to)
            }
            throw ExitCode.failure
        }
    }

    /// The error line, the blockers as a list and what to do, on stderr.
    static func explain(_ error: RoadshowError, meeting: String, to: Phase) {
        let blockers = error.details?["blockers"]?.arrayValue ?? []
        Output.error("error: \(error.code.rawValue): \(error.message)")
        Output.error("")
        Output.error("Not done before moving to \(Labels.phase(to.rawValue)) (\(blockers.count)):")
        Output.error(blockerTable(blockers))
        Output.error("")
        var hints: [String] = []
        if blockers.contains(where: { $0["kind"]?.stringValue == "checklist" }) {
            hints.append("tick off the checklist items: roadshow checklist done \(meeting) ITEM")
        }
        if blockers.contains(where: { $0["kind"]?.stringValue == "participant" }) {
            hints.append("finish the AV test: roadshow av status \(meeting), then roadshow av mark \(meeting) PARTICIPANT CHECK pass")
        }
        if blockers.contains(where: { $0["kind"]?.stringValue == "roster" }) {
            hints.append("add the participants: roadshow roster add \(meeting) --name NAME --unit UNIT --role ROLE")
        }
        if blockers.contains(where: { $0["kind"]?.stringValue == "minutes" }) {
            hints.append("record them: roadshow minutes add \(meeting) --kind intent|next_contact TEXT")
        }
        Output.error("hint: finish them first —")
        for hint in hints { Output.error("  - " + hint) }
        Output.error(
            "hint: or go ahead anyway, with a reason that is kept in the minutes:\n"
                + "  roadshow meeting advance \(meeting) --to \(to.rawValue) --force --reason \"...\"")
    }

    /// Kind, id, what, and the AV checks still missing.
    static func blockerTable(_ blockers: [JSON]) -> String {
        var table = TextTable([.init("Kind"), .init("ID"), .init("What", maxWidth: 60), .init("Missing")])
        for b in blockers {
            let missing = (b["missing"]?.arrayValue ?? []).compactMap(\.stringValue)
                .map { LiveFormat.label(AVCheckKind.self, $0) }.joined(separator: ", ")
            table.add(b["kind"]?.stringValue ?? "", b["id"]?.stringValue ?? "", b["text"]?.stringValue ?? "", missing)
        }
        return table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }
}
