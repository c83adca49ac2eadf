import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow followup ...`: after the meeting (会后跟进, mechanism 7 §5) — each
/// attending unit's assessment, the company's further intent, and the report
/// to the leadership.
struct FollowupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup",
        abstract: "After the meeting: units' assessments, the company's intent, the report to leadership.",
        discussion: """
            Once a meeting is ended (会后跟进), mechanism 7 §5 asks the organizer to
            report it to the unit's leadership (向领导汇报), to ask each attending unit
            whether the project is feasible and whether it is willing to host it (承接意向),
            and to ask the company whether it wants deeper talks, where it intends to
            settle (拟落户区县) and which other units it needs. Then the project is either
            dispatched to a handling unit (`roadshow dispatch create`) or the meeting is
            closed without a dispatch, with a reason:
              roadshow meeting advance M-7Q2K --to closed --reason "企业暂无落地意向"

            The follow-up belongs to the government side: the company's own invite link
            does not see it.

            Examples:
              roadshow followup show --meeting M-7Q2K
              roadshow followup assess --meeting M-7Q2K --unit 黄山高新区 \\
                --feasible yes --willing yes --comment "园区有约200亩工业用地，可满足项目需求"
              roadshow followup intent --meeting M-7Q2K --further-talks yes \\
                --district 黄山高新区 --unit-needed 市自然资源和规划局 \\
                --unit-needed 国网黄山供电公司
              roadshow followup report --meeting M-7Q2K --out 路演情况报告.md
            """,
        subcommands: [Show.self, Assess.self, Intent.self, Report.self]
    )

    /// Whose assessments are still missing, and the follow-up checklist, from a snapshot.
    static func pendingUnits(_ followup: JSON?) -> [String] {
        let units = (followup?["units"]?.arrayValue ?? []).compactMap(\.stringValue)
        let assessed = Set((followup?["assessments"]?.arrayValue ?? []).compactMap { $0["unit"]?.stringValue })
        return units.filter { !assessed.contains($0) }
    }

    static func feasible(_ value: Bool?) -> String {
        switch value {
        case true?: "yes 可行"
        case false?: "no 不可行"
        case nil: "-"
        }
    }

    static func willing(_ value: Bool?) -> String {
        switch value {
        case true?: "yes 有承接意向"
        case false?: "no 无承接意向"
        case nil: "-"
        }
    }

    static func furtherTalks(_ value: Bool?) -> String {
        switch value {
        case true?: "yes 有进一步洽谈意向"
        case false?: "no 暂无进一步洽谈意向"
        case nil: "-"
        }
    }

    /// What to do when a follow-up op is refused.
    static func hints(meeting: String) -> (RoadshowError) -> [String] {
        { error in
            switch error.code {
            case .conflict where error.message.contains("dispatched"):
                return ["会议已转办，跟进已结束；转办记录见 roadshow dispatch list / the meeting was dispatched: see `roadshow dispatch list`"]
            case .conflict where error.message.contains("after the meeting"):
                return ["会后跟进在会议结束后进行 / the follow-up starts once the meeting is ended: roadshow meeting advance \(meeting) --to ended"]
            case .notFound where error.field == "args.unit":
                return ["--unit 须与名单上参会单位的单位名称完全一致，或填其参会人编号 P-… / give the unit exactly as on the roster, or its participant id: roadshow roster list \(meeting)"]
            case .forbidden:
                return ["参会单位只能填写本单位的评估；其他由组织单位或主持人填写 / a unit's own link assesses only for that unit; the organizer or the host records the others"]
            default:
                return []
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the follow-up: who has assessed, the company's intent, the follow-up checklist.",
            discussion: """
                With --json it prints {"followup": ..., "checklist": [...]} — the follow-up of
                the meeting's snapshot and its follow-up checklist items (phase ended).

                Examples:
                  roadshow followup show --meeting M-7Q2K
                  roadshow followup show --meeting M-7Q2K --json
                """
        )

        @OptionGroup var client: ClientOptions
        @Option(help: "The meeting's id, e.g. M-7Q2K.") var meeting: String

        func run() async throws {
            try await Output.run(client, hints: FollowupCommand.hints(meeting: meeting)) { session in
                let (_, snapshot) = try await LiveFormat.snapshot(session, meeting)
                let followup = snapshot["followup"]
                let checklist = (snapshot["checklist"]?.arrayValue ?? []).filter { $0["phase"]?.stringValue == "ended" }
                if client.json {
                    return Output.printJSON(["followup": followup ?? .null, "checklist": .array(checklist)])
                }
                print("\(meeting)  \(snapshot["title"]?.stringValue ?? "")  \(Labels.phase(snapshot["phase"]?.stringValue))")
                guard let followup, !followup.isNull else {
                    let phase = snapshot["phase"]?.stringValue.flatMap(Phase.init(rawValue:))
                    if let phase, !phase.isOpen {
                        return print("The follow-up belongs to the government side; this token does not see it (跟进情况仅政府方可见).")
                    }
                    return print("No follow-up yet: it starts when the meeting is ended (会后跟进).")
                }
                print(FollowupCommand.render(followup, local: client.local))
                if !checklist.isEmpty {
                    print("")
                    print(MeetingView.checklist(checklist, names: MeetingView.actorNames(snapshot), local: client.local))
                }
            }
        }
    }

    /// The assessments table, the units still to assess and the company's intent.
    static func render(_ followup: JSON, local: LocalTime) -> String {
        var lines: [String] = []
        let assessments = followup["assessments"]?.arrayValue ?? []
        let units = followup["units"]?.arrayValue ?? []
        lines.append("")
        lines.append("参会单位评估 Units' assessments (\(assessments.count) of \(units.count))")
        if assessments.isEmpty {
            lines.append("  none yet")
        } else {
            var table = TextTable([
                .init("Unit 单位", maxWidth: 24), .init("Feasible 可行性"), .init("Willing to host 承接意向"),
                .init("Comment 意见", maxWidth: 50), .init("By", maxWidth: 24), .init("At"),
            ])
            for a in assessments {
                table.add(
                    a["unit"]?.stringValue ?? "", feasible(a["feasible"]?.boolValue), willing(a["willingToHost"]?.boolValue),
                    a["comment"]?.stringValue ?? "", a["byName"]?.stringValue ?? a["by"]?.stringValue ?? "",
                    local.format(wire: a["at"]?.stringValue))
            }
            lines += table.render().split(separator: "\n").map { "  " + $0 }
        }
        let pending = pendingUnits(followup)
        if !pending.isEmpty { lines.append("  still to assess 待评估: " + pending.joined(separator: ", ")) }
        lines.append("")
        lines.append("企业进一步意向 Company's further intent")
        if let intent = followup["intent"], !intent.isNull {
            var pairs: [(String, String)] = [("further talks 进一步洽谈", furtherTalks(intent["furtherTalks"]?.boolValue))]
            if let d = intent["district"]?.stringValue { pairs.append(("district 拟落户区县", d)) }
            let needed = (intent["unitsNeeded"]?.arrayValue ?? []).compactMap(\.stringValue)
            if !needed.isEmpty { pairs.append(("units needed 需对接单位", needed.joined(separator: ", "))) }
            if let c = intent["comment"]?.stringValue { pairs.append(("comment 说明", c)) }
            if let r = intent["recommendation"]?.stringValue { pairs.append(("recommendation 建议", r)) }
            pairs.append(("recorded", local.format(wire: intent["at"]?.stringValue)))
            lines += MeetingView.keyValues(pairs)
        } else {
            lines.append("  not recorded yet: roadshow followup intent --meeting MEETING --further-talks yes|no")
        }
        return lines.joined(separator: "\n")
    }

    struct Assess: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an attending unit's assessment and whether it is willing to host the project.",
            discussion: """
                --unit is the unit exactly as on the roster (role unit 参会单位), or that
                person's participant id P-…. A second assessment for the same unit replaces the
                first. The organizer or the host records it for any unit; a unit's own invite
                token (ROADSHOW_TOKEN=rs_p_…) only for its own unit. When every attending unit
                has assessed, the follow-up checklist item is ticked by itself.

                Examples:
                  roadshow followup assess --meeting M-7Q2K --unit 黄山高新区 \\
                    --feasible yes --willing yes --comment "园区有约200亩工业用地，可满足项目需求"
                  # with the unit's own invite token, for its own unit
                  roadshow followup assess --meeting M-7Q2K --unit P-4JNF98CY \\
                    --feasible no --willing no --comment "本区无匹配的工业用地指标"
                """
        )

        @OptionGroup var client: ClientOptions
        @Option(help: "The meeting's id, e.g. M-7Q2K.") var meeting: String
        @Option(help: "The attending unit, as on the roster, or its participant id P-….") var unit: String
        @Option(help: "Is the project feasible for this unit: yes or no (是/否).") var feasible: YesNo
        @Option(help: "Is the unit willing to host it (承接意向): yes or no.") var willing: YesNo
        @Option(help: "The unit's reasons (up to 1000 characters).") var comment: String

        func validate() throws {
            if comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw ValidationError("--comment must say why: the unit's reasons are part of the report to leadership")
            }
        }

        func run() async throws {
            try await Output.run(client, hints: FollowupCommand.hints(meeting: meeting)) { session in
                let result = try await session.call(
                    "followup.assess",
                    [
                        "meeting": .string(meeting), "unit": .string(unit), "feasible": .bool(feasible.bool),
                        "willingToHost": .bool(willing.bool), "comment": .string(comment),
                    ])
                if client.json { return Output.printJSON(result) }
                let a = result["assessment"]
                print(
                    "Assessed for \(a?["unit"]?.stringValue ?? unit): feasible \(FollowupCommand.feasible(a?["feasible"]?.boolValue)), "
                        + "willing to host \(FollowupCommand.willing(a?["willingToHost"]?.boolValue))\(Output.seqNote(result))")
                // What is still missing (a unit's own token may see the follow-up too).
                if let (_, snapshot) = try? await LiveFormat.snapshot(session, meeting), let followup = snapshot["followup"] {
                    let pending = FollowupCommand.pendingUnits(followup)
                    if pending.isEmpty {
                        print("Every attending unit has assessed 各参会单位均已评估.")
                    } else {
                        print("Still to assess 待评估: \(pending.joined(separator: ", "))")
                    }
                }
            }
        }
    }

    struct Intent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the company's further intent: deeper talks, intended district, units it needs.",
            discussion: """
                Calling it again replaces the intent. --recommendation is the organizer's
                recommendation for the report to leadership; without it the report derives one
                (dispatch to the district when the company wants talks and a unit is willing to
                host, else keep in touch). --district becomes the dispatch record's district
                unless `dispatch create --district` says otherwise.

                Examples:
                  roadshow followup intent --meeting M-7Q2K --further-talks yes \\
                    --district 黄山高新区 --unit-needed 市自然资源和规划局 \\
                    --unit-needed 国网黄山供电公司 --comment "企业希望12月中旬前实地考察"
                  roadshow followup intent --meeting M-7Q2K --further-talks no \\
                    --recommendation "建议保持联系，暂不转办"
                """
        )

        @OptionGroup var client: ClientOptions
        @Option(help: "The meeting's id, e.g. M-7Q2K.") var meeting: String
        @Option(name: .customLong("further-talks"), help: "Does the company want deeper talks: yes or no.") var furtherTalks: YesNo
        @Option(help: "The district or county it intends to settle in (拟落户区县).") var district: String?
        @Option(name: .customLong("unit-needed"), help: "Another unit the company needs (repeat for each).") var unitsNeeded: [String] = []
        @Option(help: "A comment on the company's intent.") var comment: String?
        @Option(help: "The recommendation for the report to leadership (建议).") var recommendation: String?

        func validate() throws {
            if unitsNeeded.count > 20 { throw ValidationError("--unit-needed may be given at most 20 times") }
        }

        func run() async throws {
            try await Output.run(client, hints: FollowupCommand.hints(meeting: meeting)) { session in
                var args: [String: JSON] = ["meeting": .string(meeting), "furtherTalks": .bool(furtherTalks.bool)]
                if let district { args["district"] = .string(district) }
                if !unitsNeeded.isEmpty { args["unitsNeeded"] = .array(unitsNeeded.map { .string($0) }) }
                if let comment { args["comment"] = .string(comment) }
                if let recommendation { args["recommendation"] = .string(recommendation) }
                let result = try await session.call("followup.intent", .object(args))
                if client.json { return Output.printJSON(result) }
                let intent = result["intent"]
                print("Recorded the company's intent for \(meeting)\(Output.seqNote(result))")
                var pairs: [(String, String)] = [("further talks 进一步洽谈", FollowupCommand.furtherTalks(intent?["furtherTalks"]?.boolValue))]
                if let d = intent?["district"]?.stringValue { pairs.append(("district 拟落户区县", d)) }
                let needed = (intent?["unitsNeeded"]?.arrayValue ?? []).compactMap(\.stringValue)
                if !needed.isEmpty { pairs.append(("units needed 需对接单位", needed.joined(separator: ", "))) }
                if let r = intent?["recommendation"]?.stringValue { pairs.append(("recommendation 建议", r)) }
                print(MeetingView.keyValues(pairs).joined(separator: "\n"))
                print("Next: `roadshow followup report --meeting \(meeting) --out 路演情况报告.md` for the leadership;")
                if furtherTalks == .yes {
                    print("      `roadshow dispatch create --meeting \(meeting) --handling-unit A-… …` to hand it to a handling unit.")
                } else {
                    print("      or close it without a dispatch: `roadshow meeting advance \(meeting) --to closed --reason \"…\"`.")
                }
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The report to leadership (路演情况报告) as Markdown or a Word document.",
            discussion: """
                The meeting's facts, attendance, the company's intent, needs and prospects, the
                decisions and actions, each unit's assessment and willingness to host, the
                company's further intent and intended district, a recommendation, and space for
                the leader's instruction (领导批示). Times in the server's zone. For the
                organizer, the host and the recorder, from the end of the meeting on. Printed
                to stdout, written to --out FILE (Markdown), or written as a Word document
                with --docx FILE (A4, 仿宋 body, 黑体 headings, page numbers). One language:
                --lang zh (default) or en.

                Examples:
                  roadshow followup report --meeting M-7Q2K
                  roadshow followup report --meeting M-7Q2K --out 路演情况报告.md
                  roadshow followup report --meeting M-7Q2K --docx 路演情况报告.docx
                  roadshow followup report --meeting M-7Q2K --json | jq -r .report.title
                """
        )

        @OptionGroup var client: ClientOptions
        @OptionGroup var document: DocumentOptions
        @Option(help: "The meeting's id, e.g. M-7Q2K.") var meeting: String
        @Option(name: [.customLong("out"), .customLong("output"), .customShort("o")], help: ArgumentHelp("Write it to this file.", valueName: "file"))
        var out: String?

        func run() async throws {
            try await Output.run(client, hints: FollowupCommand.hints(meeting: meeting)) { session in
                var args = document.args
                args["meeting"] = .string(meeting)
                let result = try await session.call("followup.report", .object(args))
                if try document.finishDocx(result, json: client.json, what: "the report to leadership on \(meeting)") { return }
                let text = result["markdown"]?.stringValue ?? ""
                if let out {
                    try LiveFormat.write(text, to: out)
                    if client.json { return Output.printJSON(result) }
                    print("Wrote the report to leadership on \(meeting) to \(out)")
                    if let r = result["report"]?["recommendation"]?.stringValue { print("recommendation 建议: \(r)") }
                    return
                }
                if client.json { return Output.printJSON(result) }
                Output.document(text)
            }
        }
    }
}
