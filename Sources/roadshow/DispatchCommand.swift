import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow dispatch ...`: the project-dispatch record (项目调度, mechanisms 2,
/// 3, 5, 6) a roadshow hands off to — created from an ended meeting, fed by the
/// handling unit, escalated, answered, closed and reopened.
struct DispatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Project-dispatch records: hand a project to a handling unit and follow it to its close.",
        discussion: """
            A record (D-…) is made from an ended meeting and assigned to one handling unit
            (办理单位, a unit account). The unit posts feedback (平台反馈) every period with
            this period's concrete progress, the current stage and the commissioner
            (一对一专员: name, unit, title, phone); "正在对接中"-style boilerplate or a copy of
            the last feedback is refused. What the county cannot solve is escalated to the
            city, then the province (提级调度), and answered within 15 days. Industrial
            projects close as started 已开工 or shelved 暂搁置 (a shelved one can be
            reopened), non-industrial ones as matter_connected 事项已对接.

            Stages: initial_contact 初步接洽, negotiating 方案洽谈, signed 已签约, started
            已开工, shelved 暂搁置 (industrial); matter_connected 事项已对接 (non-industrial).
            Times and due days are shown in the server's zone.

            Examples:
              roadshow dispatch create --meeting M-7Q2K --handling-unit A-HETVVZ \\
                --stage initial_contact --commissioner-name 张伟 \\
                --commissioner-unit 黄山高新区管委会 --commissioner-title 招商科科长 \\
                --commissioner-phone "138 0559 1234"
              roadshow dispatch list --overdue
              roadshow dispatch show --record D-7Q2K9M
              roadshow dispatch feedback --record D-7Q2K9M --stage negotiating \\
                --text "11月20日企业来园区考察选址，已提供两块备选地块的规划条件，企业12月5日前反馈选址意见"
            """,
        subcommands: [
            Create.self, List.self, Show.self, Feedback.self, Escalate.self, Answer.self, Close.self, Reopen.self,
            Export.self, Remind.self,
        ]
    )

    enum RecordStatus: String, ExpressibleByArgument, CaseIterable {
        case open, closed
    }

    /// The filters `dispatch list` and `dispatch export` share (the args of `dispatch.list`).
    struct Filters: ParsableArguments {
        @Option(help: "Only records in this stage.") var stage: DispatchStage?
        @Flag(help: "Only overdue records (逾期).") var overdue = false
        @Flag(name: .customLong("not-overdue"), help: "Only records that are not overdue.") var notOverdue = false
        @Option(help: "Only records of this handling unit (its account id A-…).") var unit: String?
        @Option(help: "Only industrial or non_industrial records.") var category: ProjectCategory?
        @Option(help: "Only records of this district (exactly).") var district: String?
        @Option(help: "Only open or closed records (default both).") var status: RecordStatus?
        @Option(help: "Text in the company's or the project's name, or the record id.") var search: String?

        func validate() throws {
            if overdue && notOverdue { throw ValidationError("--overdue and --not-overdue exclude each other: give one of them") }
        }

        var args: [String: JSON] {
            var args: [String: JSON] = [:]
            if let stage { args["stage"] = .string(stage.rawValue) }
            if overdue { args["overdue"] = .bool(true) }
            if notOverdue { args["overdue"] = .bool(false) }
            if let unit { args["unit"] = .string(unit) }
            if let category { args["category"] = .string(category.rawValue) }
            if let district { args["district"] = .string(district) }
            if let status { args["status"] = .string(status.rawValue) }
            if let search { args["q"] = .string(search) }
            return args
        }
    }

    /// The commissioner (一对一专员) every record and every feedback names.
    struct Commissioner: ParsableArguments {
        @Option(name: .customLong("commissioner-name"), help: "The commissioner's name (一对一专员).") var name: String?
        @Option(name: .customLong("commissioner-unit"), help: "The commissioner's unit.") var unit: String?
        @Option(name: .customLong("commissioner-title"), help: "The commissioner's title (职务).") var title: String?
        @Option(
            name: .customLong("commissioner-phone"),
            help: "A mobile (138 0000 0000) or a landline with its area code (0559-2345678).")
        var phone: String?

        var given: [String: String] {
            var fields: [String: String] = [:]
            if let name { fields["name"] = name }
            if let unit { fields["unit"] = unit }
            if let title { fields["title"] = title }
            if let phone { fields["phone"] = phone }
            return fields
        }

        var missing: [String] {
            [("name", name), ("unit", unit), ("title", title), ("phone", phone)].filter { $0.1 == nil }.map { "--commissioner-\($0.0)" }
        }

        /// The given fields over `current` (the record's commissioner).
        func merged(over current: JSON?) -> JSON {
            var fields: [String: JSON] = [:]
            for key in ["name", "unit", "title", "phone"] {
                if let value = given[key] {
                    fields[key] = .string(value)
                } else if let value = current?[key]?.stringValue {
                    fields[key] = .string(value)
                }
            }
            return .object(fields)
        }
    }

    /// What to do next when the server refuses a dispatch op.
    static func hints(record: String?) -> (RoadshowError) -> [String] {
        { error in
            let id = record ?? "D-…"
            switch error.code {
            case .forbidden:
                return [
                    "办理单位只能看到和反馈分配给本单位的记录；答复、办结、重新打开、催办由组织单位办理 / a unit sees and feeds back only its own records; answers, closing, reopening and reminders are the organizer's"
                ]
            case .notFound where error.field == "args.record" || error.message.contains("dispatch record"):
                return ["查看可见的记录 / see the records you may see: roadshow dispatch list"]
            case .notFound where error.field == "args.handlingUnit":
                return ["办理单位须是 unit 类账号 / the handling unit is a unit account: roadshow account list (admin)"]
            case .badRequest where error.field == "args.handlingUnit":
                return ["办理单位须是 unit 类账号，可由管理员创建 / it must be a unit account: roadshow account create --name … --kind unit"]
            case .badRequest where error.field?.hasPrefix("args.commissioner") == true:
                return ["专员电话须为11位手机号或带区号的固定电话 / the phone is an 11-digit mobile (138 0000 0000) or a landline with its area code (0559-2345678)"]
            case .conflict where error.message.contains("closed"):
                return [
                    "已办结的记录不再接受反馈；暂搁置的可先重新打开 / a closed record takes no more; a shelved one can be reopened: roadshow dispatch reopen --record \(id) --reason \"…\""
                ]
            case .conflict where error.message.contains("not overdue"):
                return ["催办单只针对已逾期的记录 / a reminder is for an overdue record; see when it is due: roadshow dispatch show --record \(id)"]
            case .conflict where error.field == "args.to":
                return ["逐级提级：区县→市→省 / escalate one level at a time: county → city → province; see the level with roadshow dispatch show --record \(id)"]
            default:
                return []
            }
        }
    }

    // MARK: - create

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hand an ended meeting's project to a handling unit as a dispatch record (转办).",
            discussion: """
                The record takes the meeting's category, its minutes (intent, needs, prospects,
                decisions), its actions, the units' assessments and the company's intent; the
                meeting becomes dispatched 已转办. --handling-unit is a unit account's id (the
                admin's `roadshow account list`). --district defaults to the company's intended
                district (`followup intent --district`), --summary to the minutes' intent.
                Only the organizer that owns the meeting (or the admin) dispatches it.

                Examples:
                  roadshow dispatch create --meeting M-7Q2K --handling-unit A-HETVVZ \\
                    --stage initial_contact --commissioner-name 张伟 \\
                    --commissioner-unit 黄山高新区管委会 --commissioner-title 招商科科长 \\
                    --commissioner-phone "138 0559 1234"
                  roadshow dispatch create --meeting M-8R3L --handling-unit A-HETVVZ \\
                    --stage matter_connected --commissioner-name 李娜 \\
                    --commissioner-unit 市商务局 --commissioner-title 副科长 \\
                    --commissioner-phone 0559-2345678 --district 屯溪区 \\
                    --summary "协助企业对接跨境电商政策" --json
                """
        )

        @OptionGroup var client: ClientOptions
        @Option(help: "The ended meeting's id, e.g. M-7Q2K.") var meeting: String
        @Option(name: .customLong("handling-unit"), help: "The handling unit's account id (A-…), a unit account.") var handlingUnit: String
        @OptionGroup var commissioner: Commissioner
        @Option(help: "The record's stage now, a stage of the meeting's category.") var stage: DispatchStage
        @Option(help: "The district or county (default: the company's intended district).") var district: String?
        @Option(help: "A summary for the handling unit (default: the minutes' intent).") var summary: String?

        func validate() throws {
            let missing = commissioner.missing
            if !missing.isEmpty {
                throw ValidationError("a dispatch record names its commissioner (一对一专员): give \(missing.joined(separator: ", "))")
            }
        }

        func run() async throws {
            try await Output.run(client, hints: DispatchCommand.hints(record: nil)) { session in
                var args: [String: JSON] = [
                    "meeting": .string(meeting), "handlingUnit": .string(handlingUnit),
                    "commissioner": commissioner.merged(over: nil), "stage": .string(stage.rawValue),
                ]
                if let district { args["district"] = .string(district) }
                if let summary { args["summary"] = .string(summary) }
                let result = try await session.call("dispatch.create", .object(args))
                if client.json { return Output.printJSON(result) }
                let zone = try await Output.serverZone(session, fallback: client.local)
                let record = result["record"] ?? .null
                let id = record["id"]?.stringValue ?? "D-…"
                print("Dispatched \(meeting) as \(id) to \(record["handlingUnit"]?["name"]?.stringValue ?? handlingUnit)\(Output.seqNote(result))")
                print(DispatchView.summary(record, zone: zone))
                print("\(meeting) is now \(Labels.phase("dispatched")).")
                print("Next: the handling unit posts feedback: roadshow dispatch feedback --record \(id) --stage STAGE --text \"…\"")
            }
        }
    }

    // MARK: - list

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the dispatch records you may see, what is due first.",
            discussion: """
                Overdue records first (most days overdue first), then by the next due day,
                closed ones last. The Overdue column counts calendar days and working days on
                the official calendar (逾期 N 天 / N 个工作日); "!" marks overdue, "~" due within
                3 working days. Below the table: how many records are in each stage. An
                organizer sees its own records, a unit the records assigned to it, the admin all.

                Examples:
                  roadshow dispatch list
                  roadshow dispatch list --overdue
                  roadshow dispatch list --stage negotiating --district 黄山高新区
                  roadshow dispatch list --status open --unit A-HETVVZ --search 储能
                  roadshow dispatch list --json
                """
        )

        @OptionGroup var client: ClientOptions
        @OptionGroup var filters: Filters

        func run() async throws {
            try await Output.run(client, hints: DispatchCommand.hints(record: nil)) { session in
                let result = try await session.callAllPages("dispatch.list", filters.args, rows: "records")
                if client.json { return Output.printJSON(result) }
                let records = result["records"]?.arrayValue ?? []
                if records.isEmpty {
                    print(filters.args.isEmpty
                        ? "No dispatch records yet. Dispatch an ended meeting with `roadshow dispatch create`."
                        : "No dispatch records match these filters.")
                } else {
                    print(DispatchView.table(records))
                }
                print("")
                print(DispatchView.counts(result["counts"]))
                if let note = DispatchView.calendarNote(result["calendar"], rows: records) { print(note) }
            }
        }
    }

    // MARK: - show

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one record with its timeline: feedback, escalations, answers, closing, reopening.",
            discussion: """
                The record's details, what is due next, then everything that happened to it in
                time order, in the server's zone. With --json it prints dispatch.get's result
                ({record, seq, serverTime, calendar}).

                Examples:
                  roadshow dispatch show --record D-7Q2K9M
                  roadshow dispatch show --record D-7Q2K9M --json | jq '.record.feedback[-1]'
                """
        )

        @OptionGroup var client: ClientOptions
        @Option(help: "The record's id, e.g. D-7Q2K9M.") var record: String

        func run() async throws {
            try await Output.run(client, hints: DispatchCommand.hints(record: record)) { session in
                let result = try await session.call("dispatch.get", ["record": .string(record)])
                if client.json { return Output.printJSON(result) }
                let zone = try await Output.serverZone(session, fallback: client.local)
                let r = result["record"] ?? .null
                print(DispatchView.summary(r, zone: zone))
                if let minutes = DispatchView.minutes(r) { print(""); print(minutes) }
                print("")
                print("Timeline 办理经过 (\(zone.timeZone.identifier))")
                print(DispatchView.timeline(r, zone: zone))
                if let note = DispatchView.calendarNote(result["calendar"], rows: [r]) { print(""); print(note) }
            }
        }
    }

    // MARK: - feedback

    struct Feedback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Post this period's feedback (平台反馈) on a record, as its handling unit.",
            discussion: """
                Say what happened this period: who met whom and when, what was agreed, what is
                needed next and by when. Feedback that is only boilerplate ("正在对接中",
                "正在与企业联系", "following up"…), too short, or a copy of the last feedback is
                refused: the command prints why and exits 1, and nothing is stored. The stage and
                the commissioner given become the record's. The commissioner defaults to the
                record's current one, so usually only --text and --stage are needed. Feedback is
                never edited: correct a mistake with a new one that --corrects it.

                Examples:
                  roadshow dispatch feedback --record D-7Q2K9M --stage negotiating \\
                    --text "11月20日企业来园区考察选址，已提供两块备选地块的规划条件，企业12月5日前反馈选址意见"
                  roadshow dispatch feedback --record D-7Q2K9M --stage negotiating \\
                    --commissioner-name 李娜 --commissioner-phone "139 0559 8765" \\
                    --text "专员变更为李娜；12月3日与企业财务总监视频会议，确认首期投资5亿元"
                  roadshow dispatch feedback --record D-7Q2K9M --stage negotiating \\
                    --corrects F-2 --text "更正：考察日期为11月21日，备选地块为三块"
                """
        )

        @OptionGroup var client: ClientOptions
        @Option(help: "The record's id, e.g. D-7Q2K9M.") var record: String
        @Option(help: "This period's concrete progress (up to 4000 characters).") var text: String
        @Option(help: "The record's stage now.") var stage: DispatchStage
        @OptionGroup var commissioner: Commissioner
        @Option(help: "The feedback this one corrects, e.g. F-2.") var corrects: String?

        func run() async throws {
            var rejected: RoadshowError?
            try await Output.run(client, hints: DispatchCommand.hints(record: record)) { session in
                var current: JSON?
                if !commissioner.missing.isEmpty {
                    current = try await session.call("dispatch.get", ["record": .string(record)])["record"]?["commissioner"]
                }
                var args: [String: JSON] = [
                    "record": .string(record), "text": .string(text), "stage": .string(stage.rawValue),
                    "commissioner": commissioner.merged(over: current),
                ]
                if let corrects { args["corrects"] = .string(corrects) }
                let result: JSON
                do {
                    result = try await session.call("dispatch.feedback", .object(args))
                } catch let error as RoadshowError where error.code == .rejectedFeedback {
                    rejected = error
                    return
                }
                if client.json { return Output.printJSON(result) }
                let f = result["feedback"]
                let c = f?["commissioner"]
                var line = "Posted \(f?["id"]?.stringValue ?? "feedback") on \(record): stage \(Labels.stage(f?["stage"]?.stringValue)), "
                line += "commissioner \(DispatchView.commissioner(c))"
                if let fixed = f?["corrects"]?.stringValue { line += ", corrects \(fixed)" }
                print(line + Output.seqNote(result))
                for similar in f?["similarTo"]?.arrayValue ?? [] {
                    Output.error(
                        "warning: 与本单位在 \(similar["record"]?.stringValue ?? "?") 上的反馈高度相似（\(similar["similarity"]?.doubleValue.map(DispatchView.percent) ?? "?")），组织单位会看到提示 / "
                            + "very similar to your feedback on \(similar["record"]?.stringValue ?? "?"); the organizer sees it flagged")
                }
                print("Next due 下次截止: \(DispatchView.due(result["record"]?["due"]))")
            }
            if let rejected {
                DispatchView.explainRejection(rejected, record: record, stage: stage.rawValue)
                throw ExitCode.failure
            }
        }
    }

    // MARK: - escalate, answer

    struct Escalate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Escalate a problem the current level cannot solve (提级调度): county → city → province.",
            discussion: """
                A record starts at county level (区县). Each escalation is to be answered within 15
                calendar days (mechanism 2 §4), and while it is open the record's feedback is due
                within 15 days too. --problem is the problem to solve (default: the reason).
                The handling unit or the organizer escalates; the organizer records the answer
                with `roadshow dispatch answer`.

                Examples:
                  roadshow dispatch escalate --record D-7Q2K9M --to city \\
                    --reason "项目用地涉及基本农田调整，区级无审批权限" \\
                    --problem "请市自然资源和规划局协调用地指标"
                  roadshow dispatch escalate --record D-7Q2K9M --to province --reason "需省级能耗指标"
                """
        )

        @OptionGroup var client: ClientOptions
        @Option(help: "The record's id, e.g. D-7Q2K9M.") var record: String
        @Option(help: "The level above the record's current one: city or province.") var to: EscalationLevel
        @Option(help: "Why the current level cannot solve it.") var reason: String
        @Option(help: "The problem to solve (default: the reason).") var problem: String?

        func validate() throws {
            if to == .county { throw ValidationError("--to is the level above: city (市) or province (省); every record starts at county (区县)") }
        }

        func run() async throws {
            try await Output.run(client, hints: DispatchCommand.hints(record: record)) { session in
                var args: [String: JSON] = ["record": .string(record), "to": .string(to.rawValue), "reason": .string(reason)]
                if let problem { args["problem"] = .string(problem) }
                let result = try await session.call("dispatch.escalate", .object(args))
                if client.json { return Output.printJSON(result) }
                let e = result["escalation"]
                print(
                    "Escalated \(record) from \(Labels.level(e?["from"]?.stringValue)) to \(Labels.level(e?["to"]?.stringValue)) as "
                        + "\(e?["id"]?.stringValue ?? "E-?"): answer due by \(e?["due"]?.stringValue ?? "?")\(Output.seqNote(result))")
                print("Next due 下次截止: \(DispatchView.due(result["record"]?["due"]))")
                print("The organizer answers it: roadshow dispatch answer --record \(record) --escalation \(e?["id"]?.stringValue ?? "E-…") --text \"…\"")
            }
        }
    }

    struct Answer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the answer to an escalation; its 15-day clock stops.",
            discussion: """
                For the organizer that owns the record (or the admin). The escalation ids are in
                `roadshow dispatch show`.

                Examples:
                  roadshow dispatch answer --record D-7Q2K9M --escalation E-1 \\
                    --text "市自然资源和规划局已同意调整，12月底前完成用地预审"
                """
        )

        @OptionGroup var client: ClientOptions
        @Option(help: "The record's id, e.g. D-7Q2K9M.") var record: String
        @Option(help: "The escalation, e.g. E-1.") var escalation: String
        @Option(help: "The answer (up to 2000 characters).") var text: String

        func run() async throws {
            try await Output.run(client, hints: DispatchCommand.hints(record: record)) { session in
                let result = try await session.call(
                    "dispatch.answer", ["record": .string(record), "escalation": .string(escalation), "text": .string(text)])
                if client.json { return Output.printJSON(result) }
                let e = result["escalation"]
                print("Answered \(e?["id"]?.stringValue ?? escalation) on \(record) (raised to \(Labels.level(e?["to"]?.stringValue)))\(Output.seqNote(result))")
                print("Next due 下次截止: \(DispatchView.due(result["record"]?["due"]))")
            }
        }
    }

    // MARK: - close, reopen

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a record (办结): started or shelved, or matter_connected for a non-industrial one.",
            discussion: """
                Industrial records close as started 已开工 or shelved 暂搁置; a shelved one needs
                a --reason (why the project is not going ahead) and can be reopened later.
                Non-industrial records close as matter_connected 事项已对接. A closed record takes
                no more feedback. For the organizer that owns the record (or the admin).

                Examples:
                  roadshow dispatch close --record D-7Q2K9M --outcome started
                  roadshow dispatch close --record D-7Q2K9M --outcome shelved \\
                    --reason "企业因融资未到位暂缓投资"
                  roadshow dispatch close --record D-8R3LXW --outcome matter_connected
                """
        )

        @OptionGroup var client: ClientOptions
        @Option(help: "The record's id, e.g. D-7Q2K9M.") var record: String
        @Option(help: "started, shelved or matter_connected.") var outcome: DispatchStage
        @Option(help: "Why (required for shelved).") var reason: String?

        func validate() throws {
            guard [.started, .shelved, .matterConnected].contains(outcome) else {
                throw ValidationError("--outcome is how the record closes: started (已开工) or shelved (暂搁置), or matter_connected (事项已对接) for a non-industrial record")
            }
            if outcome == .shelved && (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw ValidationError("--outcome shelved needs --reason: why is the project not going ahead? (暂搁置须说明原因)")
            }
        }

        func run() async throws {
            try await Output.run(client, hints: DispatchCommand.hints(record: record)) { session in
                var args: [String: JSON] = ["record": .string(record), "outcome": .string(outcome.rawValue)]
                if let reason { args["reason"] = .string(reason) }
                let result = try await session.call("dispatch.close", .object(args))
                if client.json { return Output.printJSON(result) }
                let closure = result["record"]?["closure"]
                var line = "Closed \(record) as \(Labels.stage(closure?["outcome"]?.stringValue ?? outcome.rawValue))"
                if let why = closure?["reason"]?.stringValue { line += ": \(why)" }
                print(line + Output.seqNote(result))
                if outcome == .shelved {
                    print("It can be reopened: roadshow dispatch reopen --record \(record) --reason \"…\"")
                }
            }
        }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reopen a shelved record; its feedback clock starts again from today.",
            discussion: """
                It goes back to the stage it had before it was shelved, or to --stage. For the
                organizer that owns the record (or the admin).

                Examples:
                  roadshow dispatch reopen --record D-7Q2K9M --reason "企业融资到位，重新启动选址"
                  roadshow dispatch reopen --record D-7Q2K9M --reason "企业已签约意向协议" --stage signed
                """
        )

        @OptionGroup var client: ClientOptions
        @Option(help: "The record's id, e.g. D-7Q2K9M.") var record: String
        @Option(help: "Why it is back.") var reason: String
        @Option(help: "The stage it goes back to (default: the one before it was shelved).") var stage: DispatchStage?

        func validate() throws {
            if stage == .shelved { throw ValidationError("--stage is the stage it goes back to; it cannot be shelved") }
        }

        func run() async throws {
            try await Output.run(client, hints: DispatchCommand.hints(record: record)) { session in
                var args: [String: JSON] = ["record": .string(record), "reason": .string(reason)]
                if let stage { args["stage"] = .string(stage.rawValue) }
                let result = try await session.call("dispatch.reopen", .object(args))
                if client.json { return Output.printJSON(result) }
                let r = result["record"]
                print("Reopened \(record): stage \(Labels.stage(r?["stage"]?.stringValue)), \(Labels.recordStatus(r?["status"]?.stringValue))\(Output.seqNote(result))")
                print("Next due 下次截止: \(DispatchView.due(r?["due"]))")
            }
        }
    }

    // MARK: - export, remind

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The records of `dispatch list` as CSV for Excel and WPS.",
            discussion: """
                Same filters and order as `dispatch list`. UTF-8 with a byte-order mark and CRLF
                line ends, so Excel and WPS open the Chinese correctly; a cell starting with =, +,
                -, @ is written with a leading ' so a spreadsheet shows it instead of running
                it. The bytes are written exactly as the server made them: to --out FILE, or to
                stdout.

                Examples:
                  roadshow dispatch export --out 项目调度台账.csv
                  roadshow dispatch export --overdue --out 逾期项目.csv
                  roadshow dispatch export --status open --district 黄山高新区 > 高新区在办项目.csv
                """
        )

        @OptionGroup var client: ClientOptions
        @OptionGroup var filters: Filters
        @Option(name: [.customLong("out"), .customLong("output"), .customShort("o")], help: ArgumentHelp("Write it to this file.", valueName: "file"))
        var out: String?

        func run() async throws {
            try await Output.run(client, hints: DispatchCommand.hints(record: nil)) { session in
                let result = try await session.call("export.dispatch", .object(filters.args))
                let text = result["text"]?.stringValue ?? ""
                if let out {
                    try LiveFormat.write(text, to: out)
                    if client.json { return Output.printJSON(result) }
                    print("Wrote \(Labels.number(result["rows"])) record(s) to \(out) (CSV, UTF-8 with BOM, for Excel / WPS)")
                    return
                }
                if client.json { return Output.printJSON(result) }
                Output.raw(text)
            }
        }
    }

    struct Remind: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A reminder notice (催办单) for an overdue record, as Markdown.",
            discussion: """
                The record, the handling unit, the commissioner and phone, what is due (feedback
                or an escalation's answer), since when, and the days overdue in working days on
                the official calendar and in calendar days. Only for an overdue record; for the
                organizer that owns it (or the admin). Printed to stdout, or written to --out.

                Examples:
                  roadshow dispatch remind --record D-7Q2K9M
                  roadshow dispatch remind --record D-7Q2K9M --out 催办单-D-7Q2K9M.md
                """
        )

        @OptionGroup var client: ClientOptions
        @Option(help: "The record's id, e.g. D-7Q2K9M.") var record: String
        @Option(name: [.customLong("out"), .customLong("output"), .customShort("o")], help: ArgumentHelp("Write it to this file.", valueName: "file"))
        var out: String?

        func run() async throws {
            try await Output.run(client, hints: DispatchCommand.hints(record: record)) { session in
                let result = try await session.call("dispatch.remind", ["record": .string(record)])
                let text = result["markdown"]?.stringValue ?? ""
                if let out {
                    try LiveFormat.write(text, to: out)
                    if client.json { return Output.printJSON(result) }
                    print("Wrote the reminder notice for \(record) to \(out): \(DispatchView.due(result["notice"]?["due"]))")
                    return
                }
                if client.json { return Output.printJSON(result) }
                Output.document(text)
            }
        }
    }
}

/// How dispatch records read in a terminal.
enum DispatchView {
    /// "张伟 (黄山高新区管委会 招商科科长, 138 0559 1234)".
    static func commissioner(_ c: JSON?) -> String {
        guard let c else { return "" }
        let rest = [[c["unit"]?.stringValue, c["title"]?.stringValue].compactMap { $0 }.joined(separator: " "), c["phone"]?.stringValue ?? ""]
            .filter { !$0.isEmpty }
        return (c["name"]?.stringValue ?? "") + (rest.isEmpty ? "" : " (\(rest.joined(separator: ", ")))")
    }

    /// What is due next, in words: "2026-12-22 feedback 平台反馈, 5 day(s) left" or the days overdue.
    static func due(_ due: JSON?) -> String {
        guard let due, !due.isNull else { return "-" }
        let status = due["status"]?.stringValue
        if status == "closed" { return Labels.dueStatus("closed") }
        var text = due["next"]?.stringValue ?? "-"
        if let kind = due["kind"]?.stringValue { text += " \(Labels.dueKind(kind))" }
        switch status {
        case "overdue"?:
            text += ", " + overdue(due)
        case "due_soon"?:
            text += ", \(Labels.dueStatus("due_soon"))"
            if let left = due["daysLeft"]?.intValue { text += " (\(left) day(s) left)" }
        default:
            if let left = due["daysLeft"]?.intValue { text += ", \(left) day(s) left" }
        }
        if due["estimated"]?.boolValue == true { text += " *" }
        return text
    }

    /// "overdue 12 days, 8 working days 逾期12天（8个工作日）".
    static func overdue(_ due: JSON?) -> String {
        let days = due?["daysOverdue"]?.intValue ?? 0
        let working = due?["workingDaysOverdue"]?.intValue ?? 0
        return "overdue \(days) day(s), \(working) working day(s) 逾期\(days)天（\(working)个工作日）"
    }

    /// The list's Overdue cell: "!" with the days, "~" when due soon.
    static func overdueCell(_ due: JSON?) -> String {
        switch due?["status"]?.stringValue {
        case "overdue"?:
            return "! \(due?["daysOverdue"]?.intValue ?? 0)d / \(due?["workingDaysOverdue"]?.intValue ?? 0)wd 逾期"
        case "due_soon"?:
            return "~ \(due?["daysLeft"]?.intValue.map { "\($0)d left" } ?? "soon") 即将到期"
        default:
            return ""
        }
    }

    static func table(_ rows: [JSON]) -> String {
        var table = TextTable([
            .init("ID"), .init("Company 企业", maxWidth: 24), .init("Project 项目", maxWidth: 24), .init("Stage 阶段"),
            .init("Handling unit 办理单位", maxWidth: 24), .init("Next due 下次截止"), .init("Overdue 逾期"),
            .init("Status 状态"),
        ])
        for r in rows {
            let due = r["due"]
            var next = due?["next"]?.stringValue ?? "-"
            if due?["estimated"]?.boolValue == true { next += " *" }
            table.add(
                r["id"]?.stringValue ?? "", r["company"]?["name"]?.stringValue ?? "", r["project"]?["name"]?.stringValue ?? "",
                Labels.stage(r["stage"]?.stringValue), r["handlingUnit"]?["name"]?.stringValue ?? "",
                r["status"]?.stringValue == "closed" ? "-" : next, overdueCell(due), Labels.recordStatus(r["status"]?.stringValue))
        }
        return table.render()
    }

    /// The counts below the list: totals, then every stage.
    static func counts(_ counts: JSON?) -> String {
        let n = { (key: String) in counts?[key]?.intValue ?? 0 }
        var lines = [
            "\(n("total")) record(s) 共\(n("total"))条: open 办理中 \(n("open")), closed 已办结 \(n("closed")), overdue 已逾期 \(n("overdue")), due soon 即将到期 \(n("dueSoon"))"
        ]
        var table = TextTable([.init("Stage 阶段"), .init("Records", alignment: .right)])
        let byStage = counts?["byStage"]?.objectValue ?? [:]
        var shown = Set<String>()
        for stage in DispatchStage.allCases {
            shown.insert(stage.rawValue)
            table.add("\(stage.rawValue) \(stage.zh)", String(byStage[stage.rawValue]?.intValue ?? 0))
        }
        for (code, value) in byStage.sorted(by: { $0.key < $1.key }) where !shown.contains(code) {
            table.add(code, String(value.intValue ?? 0))
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }

    /// A note when working days were counted without official holiday data.
    static func calendarNote(_ calendar: JSON?, rows: [JSON]) -> String? {
        let estimated = rows.contains { $0["due"]?["estimated"]?.boolValue == true }
        let missing = (calendar?["yearsWithoutData"]?.arrayValue ?? []).compactMap { $0.intValue }.map(String.init)
        guard estimated || calendar?["fallback"]?.boolValue == true else { return nil }
        let years = missing.isEmpty ? "" : " (\(missing.joined(separator: ", ")))"
        return "* estimated: no official holiday data\(years); Monday–Friday were counted as working days 无官方节假日数据，按周一至周五估算"
    }

    /// The record's own fields as aligned lines.
    static func summary(_ r: JSON, zone: LocalTime) -> String {
        var pairs: [(String, String)] = []
        pairs.append(("status 状态", Labels.recordStatus(r["status"]?.stringValue)))
        pairs.append(("stage 阶段", Labels.stage(r["stage"]?.stringValue)))
        pairs.append(("category 类别", Labels.category(r["category"]?.stringValue)))
        pairs.append(("level 层级", Labels.level(r["level"]?.stringValue)))
        var company = r["company"]?["name"]?.stringValue ?? ""
        let contact = [r["company"]?["contact"]?.stringValue, r["company"]?["phone"]?.stringValue].compactMap { $0 }
        if !contact.isEmpty { company += " (contact: \(contact.joined(separator: ", ")))" }
        pairs.append(("company 企业", company))
        var project = [r["project"]?["name"]?.stringValue, r["project"]?["industry"]?.stringValue].compactMap { $0 }
        if let investment = r["project"]?["investment"], !investment.isNull { project.append("\(Labels.number(investment)) 亿元") }
        pairs.append(("project 项目", project.joined(separator: " · ")))
        pairs.append(("handling unit 办理单位", [r["handlingUnit"]?["id"]?.stringValue, r["handlingUnit"]?["name"]?.stringValue].compactMap { $0 }.joined(separator: " ")))
        pairs.append(("commissioner 专员", commissioner(r["commissioner"])))
        if let district = r["district"]?.stringValue { pairs.append(("district 区县", district)) }
        if let summary = r["summary"]?.stringValue, !summary.isEmpty { pairs.append(("summary 摘要", summary)) }
        var meeting = r["meeting"]?.stringValue ?? ""
        if let title = r["meetingTitle"]?.stringValue { meeting += " \(title)" }
        if let at = r["meetingAt"]?.stringValue { meeting += " (\(zone.format(wire: at)))" }
        pairs.append(("meeting 来源会议", meeting))
        if let owner = r["ownerName"]?.stringValue { pairs.append(("organizer 组织单位", owner)) }
        pairs.append(("due 下次截止", due(r["due"])))
        let open = (r["escalations"]?.arrayValue ?? []).filter { $0["answer"] == nil }
        if !open.isEmpty {
            pairs.append(("open escalations 未答复提级", open.map { "\($0["id"]?.stringValue ?? "") → \(Labels.level($0["to"]?.stringValue)), due \($0["due"]?.stringValue ?? "?")" }.joined(separator: "; ")))
        } else if let n = r["openEscalations"]?.intValue, n > 0 {
            pairs.append(("open escalations 未答复提级", String(n)))
        }
        pairs.append(("updated 更新", zone.format(wire: r["updatedAt"]?.stringValue)))
        let header = "\(r["id"]?.stringValue ?? "")  \(r["company"]?["name"]?.stringValue ?? "") · \(r["project"]?["name"]?.stringValue ?? "")"
        return ([header] + MeetingView.keyValues(pairs)).joined(separator: "\n")
    }

    /// What the record carries over from the meeting's minutes.
    static func minutes(_ r: JSON) -> String? {
        let m = r["minutes"]
        var lines: [String] = []
        for (key, label) in [("intent", "投资合作意向 Intent"), ("needs", "落地需求 Needs"), ("prospects", "发展前景 Prospects"), ("decisions", "议定事项 Decisions")] {
            let texts = (m?[key]?.arrayValue ?? []).compactMap(\.stringValue)
            if texts.isEmpty { continue }
            lines.append("  \(label):")
            lines += texts.map { "    - " + TextTable.singleLine($0) }
        }
        let actions = r["actions"]?.arrayValue ?? []
        if !actions.isEmpty { lines.append("  后续分工 Actions:") }
        for a in actions {
            var text = "    - " + TextTable.singleLine(a["text"]?.stringValue ?? "")
            let extra = [a["owner"]?.stringValue.map { "owner \($0)" }, a["due"]?.stringValue.map { "due \($0)" }].compactMap { $0 }
            if !extra.isEmpty { text += " (\(extra.joined(separator: ", ")))" }
            lines.append(text)
        }
        return lines.isEmpty ? nil : (["From the meeting 会议纪要摘要"] + lines).joined(separator: "\n")
    }

    struct Entry {
        let at: String
        let order: Int
        let title: String
        let who: String
        let details: [String]
    }

    /// Everything that happened to the record, oldest first: created, feedback,
    /// escalations, answers, closing, reopenings.
    static func entries(_ r: JSON) -> [Entry] {
        var names: [String: String] = [:]
        if let owner = r["owner"]?.stringValue, let name = r["ownerName"]?.stringValue { names[owner] = name }
        if let unit = r["handlingUnit"]?["id"]?.stringValue, let name = r["handlingUnit"]?["name"]?.stringValue { names[unit] = name }
        func who(_ id: String?, _ name: String?) -> String { name ?? id.map { names[$0] ?? $0 } ?? "" }

        var out: [Entry] = []
        var order = 0
        func add(_ at: String?, _ title: String, _ by: String, _ details: [String]) {
            order += 1
            out.append(Entry(at: at ?? "", order: order, title: title, who: by, details: details))
        }
        var firstStage = r["stages"]?.arrayValue?.first?["stage"]?.stringValue
        if firstStage == nil { firstStage = r["stage"]?.stringValue }
        add(
            r["createdAt"]?.stringValue, "created 转办", who(r["createdBy"]?.stringValue, nil),
            ["to \(r["handlingUnit"]?["name"]?.stringValue ?? "?"), stage \(Labels.stage(firstStage)), from meeting \(r["meeting"]?.stringValue ?? "?")"])
        for f in r["feedback"]?.arrayValue ?? [] {
            var details = [TextTable.singleLine(f["text"]?.stringValue ?? "")]
            var meta = "stage \(Labels.stage(f["stage"]?.stringValue)); commissioner \(commissioner(f["commissioner"]))"
            if let fixed = f["corrects"]?.stringValue { meta += "; corrects \(fixed) 更正" }
            details.append(meta)
            for s in f["similarTo"]?.arrayValue ?? [] {
                details.append("! similar to the unit's feedback on \(s["record"]?.stringValue ?? "?") (\(s["similarity"]?.doubleValue.map(percent) ?? "?")) 与其他记录反馈雷同")
            }
            add(f["at"]?.stringValue, "feedback \(f["id"]?.stringValue ?? "") 反馈", who(f["by"]?.stringValue, f["byName"]?.stringValue), details)
        }
        for e in r["escalations"]?.arrayValue ?? [] {
            let id = e["id"]?.stringValue ?? ""
            var details = ["reason 原因: " + TextTable.singleLine(e["reason"]?.stringValue ?? "")]
            if let problem = e["problem"]?.stringValue, problem != e["reason"]?.stringValue {
                details.append("problem 问题: " + TextTable.singleLine(problem))
            }
            details.append("answer due 答复期限 \(e["due"]?.stringValue ?? "?")" + (e["answer"] == nil ? " — not answered yet 未答复" : ""))
            add(
                e["at"]?.stringValue,
                "escalated \(id) 提级 \(Labels.level(e["from"]?.stringValue)) → \(Labels.level(e["to"]?.stringValue))",
                who(e["by"]?.stringValue, e["byName"]?.stringValue), details)
            if let answer = e["answer"], !answer.isNull {
                add(
                    answer["at"]?.stringValue, "answered \(id) 答复", who(answer["by"]?.stringValue, answer["byName"]?.stringValue),
                    [TextTable.singleLine(answer["text"]?.stringValue ?? "")])
            }
        }
        for reopening in r["reopenings"]?.arrayValue ?? [] {
            add(
                reopening["at"]?.stringValue, "reopened 重新打开", who(reopening["by"]?.stringValue, reopening["byName"]?.stringValue),
                ["reason 原因: " + TextTable.singleLine(reopening["reason"]?.stringValue ?? ""), "back to stage \(Labels.stage(reopening["stage"]?.stringValue))"])
        }
        // Every closing so far (`closures`, when the server keeps the history), else the current one.
        var closings = r["closures"]?.arrayValue ?? []
        if let current = r["closure"], !current.isNull, !closings.contains(current) { closings.append(current) }
        for closure in closings {
            var details: [String] = []
            if let reason = closure["reason"]?.stringValue { details.append("reason 原因: " + TextTable.singleLine(reason)) }
            if let previous = closure["previousStage"]?.stringValue { details.append("stage before 办结前阶段: \(Labels.stage(previous))") }
            add(
                closure["at"]?.stringValue, "closed 办结 as \(Labels.stage(closure["outcome"]?.stringValue))",
                who(closure["by"]?.stringValue, closure["byName"]?.stringValue), details)
        }
        return out.sorted { $0.at == $1.at ? $0.order < $1.order : $0.at < $1.at }
    }

    static func timeline(_ r: JSON, zone: LocalTime) -> String {
        entries(r).map { e in
            var line = "  \(zone.format(wire: e.at))  \(e.title)"
            if !e.who.isEmpty { line += "  by \(e.who)" }
            return ([line] + e.details.map { "      " + $0 }).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// 0.912 → "91%" (rounded down, so 84.9% never reads as the 85% threshold).
    static func percent(_ fraction: Double) -> String { "\(Int((fraction * 100 + 1e-9).rounded(.down)))%" }

    /// A refused feedback on stderr: the server's message, the reason, what to write instead.
    static func explainRejection(_ error: RoadshowError, record: String, stage: String) {
        let details = error.details
        let reason = details?["reason"]?.stringValue
        Output.error("error: \(error.code.rawValue): \(error.message)" + (error.field.map { " (field: \($0))" } ?? ""))
        var why = "reason 原因: \(Labels.feedbackRejection(reason))"
        if reason == "copy", let s = details?["similarity"]?.doubleValue {
            why += " — similarity 相似度 \(percent(s))"
            if let t = details?["threshold"]?.doubleValue { why += " (\(percent(t)) or more counts as a copy)" }
        }
        if let substance = details?["substance"]?.intValue, let minimum = details?["minimum"]?.intValue {
            why += " — \(substance) character(s) of substance, at least \(minimum)"
        }
        Output.error(why)
        let phrases = (details?["phrases"]?.arrayValue ?? []).compactMap(\.stringValue)
        if !phrases.isEmpty { Output.error("boilerplate found 套话: " + phrases.joined(separator: ", ")) }
        Output.error("Nothing was stored 未保存.")
        Output.error(
            "hint: 写明本期具体进展后重新提交 / write this period's concrete progress and post it again:\n"
                + "  roadshow dispatch feedback --record \(record) --stage \(stage) --text \"12月3日……（何时、与谁、谈了什么、结果、下一步）\"")
    }
}
