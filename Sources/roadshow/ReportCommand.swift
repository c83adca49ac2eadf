import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow report ...`: the documents made from all dispatch records — today the
/// monthly bulletin (每月信息专报, mechanism 6 §3).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports over the dispatch records: the monthly bulletin (每月信息专报).",
        subcommands: [Monthly.self]
    )

    struct Monthly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The monthly bulletin (每月信息专报) for one month, as Markdown or a Word document.",
            discussion: """
                For one calendar month in the server's zone, over the records and meetings you
                may see (an organizer: its own; the admin: all): projects in talks (初步接洽 +
                方案洽谈), signed and started at the month's end, by stage and by district; newly
                signed and started; roadshows held; records dispatched; feedback overdue;
                escalations still open; records shelved with their reasons. The Markdown has the
                bulletin's header (第 N 期, the issuing unit, the date) and its distribution
                (送 / 发 / 抄送, mechanism 6 §7). --issue defaults to the month's number, --issuer
                to your account's name. Printed to stdout, or written to --out FILE; with --out
                the counts are printed too. --docx FILE writes it as a Word document (A4, the
                official layout); --lang zh (default) or en picks its language.

                Examples:
                  roadshow report monthly --month 2026-11
                  roadshow report monthly --month 2026-11 --issue 11 --issuer 黄山市投资促进局 \\
                    --out 每月信息专报-2026-11.md
                  roadshow report monthly --month 2026-11 --docx 每月信息专报-2026-11.docx
                  roadshow report monthly --month 2026-11 --json | jq .counts
                """
        )

        @OptionGroup var client: ClientOptions
        @OptionGroup var document: DocumentOptions
        @Option(help: ArgumentHelp("The month, YYYY-MM (not after the current one).", valueName: "YYYY-MM")) var month: String
        @Option(help: "The issue number, 第 N 期 (1–999; default the month's number).") var issue: Int?
        @Option(help: "The issuing unit (default: your account's name).") var issuer: String?
        @Option(name: [.customLong("out"), .customLong("output"), .customShort("o")], help: ArgumentHelp("Write it to this file.", valueName: "file"))
        var out: String?

        func validate() throws {
            let parts = month.split(separator: "-", omittingEmptySubsequences: false)
            guard month.count == 7, parts.count == 2, parts[0].count == 4, parts[1].count == 2,
                let year = Int(parts[0]), let m = Int(parts[1]), (2000...2099).contains(year), (1...12).contains(m)
            else {
                throw ValidationError("--month is a month as YYYY-MM, e.g. 2026-11 (got \"\(month)\")")
            }
            if let issue, !(1...999).contains(issue) { throw ValidationError("--issue is the issue number, 1 to 999") }
        }

        func run() async throws {
            try await Output.run(client, hints: Self.hints) { session in
                var args = document.args
                args["month"] = .string(month)
                if let issue { args["issue"] = .int(Int64(issue)) }
                if let issuer { args["issuer"] = .string(issuer) }
                let result = try await session.call("report.monthly", .object(args))
                if try document.finishDocx(result, json: client.json, what: "the monthly bulletin for \(month)") { return }
                let text = result["markdown"]?.stringValue ?? ""
                if let out {
                    try LiveFormat.write(text, to: out)
                    if client.json { return Output.printJSON(result) }
                    print("Wrote the monthly bulletin for \(month) (第 \(Labels.number(result["issue"])) 期, \(result["issuer"]?.stringValue ?? "")) to \(out)")
                    print(Self.counts(result))
                    return
                }
                if client.json { return Output.printJSON(result) }
                Output.document(text)
            }
        }

        static func hints(_ error: RoadshowError) -> [String] {
            switch error.code {
            case .forbidden:
                ["每月信息专报由组织单位或管理员生成 / the bulletin is made by an organizer or the admin"]
            case .badRequest where error.field == "args.month":
                ["月份格式为 YYYY-MM，且不晚于本月 / give a month as YYYY-MM, not after the current one"]
            default:
                []
            }
        }

        /// The bulletin's numbers as a small table.
        static func counts(_ result: JSON) -> String {
            let c = result["counts"]
            let n = { (key: String) in Labels.number(c?[key]).isEmpty ? "0" : Labels.number(c?[key]) }
            var table = TextTable([.init("What 项目"), .init("Count", alignment: .right)])
            table.add("in talks 在谈 (初步接洽+方案洽谈)", n("inTalks"))
            for stage in DispatchStage.allCases {
                table.add("  \(stage.rawValue) \(stage.zh)", Labels.number(c?["byStage"]?[stage.rawValue]).isEmpty ? "0" : Labels.number(c?["byStage"]?[stage.rawValue]))
            }
            table.add("newly signed 本月新签约", n("newlySigned"))
            table.add("newly started 本月新开工", n("newlyStarted"))
            table.add("roadshows held 本月路演", n("roadshowsHeld"))
            table.add("dispatched 本月转办", n("dispatched"))
            table.add("feedback overdue 反馈逾期", n("feedbackOverdue"))
            table.add("open escalations 未答复提级", n("openEscalations"))
            table.add("shelved 本月暂搁置", n("shelved"))
            var lines = [table.render()]
            let districts = c?["byDistrict"]?.objectValue ?? [:]
            if !districts.isEmpty {
                lines.append("By district 分区县: " + districts.sorted { $0.key < $1.key }.map { "\($0.key) \(Labels.number($0.value))" }.joined(separator: ", "))
            }
            return lines.joined(separator: "\n")
        }
    }
}
