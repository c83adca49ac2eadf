import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow contacts ...`: the contact exchange with consent (mechanism 7
/// §4(2)): a participant shares its card, the host prompts the exchange, and
/// anyone in the meeting reads the contact sheet it may see, also as .vcf/.csv.
struct ContactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Share your contact card, prompt the exchange, read the contact sheet (通讯录).",
        discussion: """
            A card is shared with the government side (the organizer side and the units;
            never the company) or with everyone, or withdrawn (--audience none). The sheet
            lists what each person shared that you may see.
            """,
        subcommands: [Share.self, Prompt.self, Sheet.self]
    )

    enum AudienceChoice: String, ExpressibleByArgument, CaseIterable { case none, government, everyone }

    struct Share: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Share your card (as the participant of your invite token), change it, or withdraw it.",
            discussion: """
                Fields not given come from your card as shared, else from the roster; "" leaves
                one off the card.

                Examples:
                  ROADSHOW_TOKEN=<your invite token> roadshow contacts share M-7Q2K --audience government
                  roadshow contacts share M-7Q2K --audience everyone --phone "139 0000 0002" --email "" --json
                  roadshow contacts share M-7Q2K --audience none
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Option(help: "With whom: none (withdraw), government, everyone.") var audience: AudienceChoice
        @Option(help: "The name on the card.") var name: String?
        @Option(help: "The unit on the card.") var unit: String?
        @Option(help: "A job title; \"\" leaves it off.") var title: String?
        @Option(help: "A phone number; \"\" leaves it off.") var phone: String?
        @Option(help: "An e-mail address; \"\" leaves it off.") var email: String?

        func run() async throws {
            var args: [String: JSON] = ["meeting": .string(meeting), "audience": .string(audience.rawValue)]
            for (k, v) in [("name", name), ("unit", unit), ("title", title), ("phone", phone), ("email", email)] {
                if let v { args[k] = .string(v) }
            }
            let audience = audience
            try await Output.run(client) { session in
                let result = try await session.call("contacts.share", .object(args))
                if client.json { return Output.printJSON(result) }
                if audience == .none {
                    print("Your card is withdrawn" + Output.seqNote(result))
                } else {
                    print("Shared your card with \(audience == .government ? "the government side (政府方)" : "everyone (全体)"): \(ContactsCommand.line(result["share"]?["card"]))" + Output.seqNote(result))
                }
            }
        }
    }

    struct Prompt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask everyone to share their card (host); allow the company's card for the units.",
            discussion: """
                Examples:
                  roadshow contacts prompt M-7Q2K
                  roadshow contacts prompt M-7Q2K --company-card yes
                  roadshow contacts prompt M-7Q2K --no-prompt --company-card no
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Option(name: .customLong("company-card"), help: "Share the company's card with the government side: yes or no.") var companyCard: YesNo?
        @Flag(name: .customLong("no-prompt"), help: "Only change --company-card; do not prompt everyone.") var noPrompt = false

        func run() async throws {
            var args: [String: JSON] = ["meeting": .string(meeting), "prompt": .bool(!noPrompt)]
            if let companyCard { args["companyCard"] = .bool(companyCard == .yes) }
            try await Output.run(client) { session in
                let result = try await session.call("contacts.prompt", .object(args))
                if client.json { return Output.printJSON(result) }
                let company = result["exchange"]?["companyCard"]?.boolValue == true
                print("Contact exchange: \(noPrompt ? "" : "everyone is asked to share their card; ")the company's card is \(company ? "" : "not ")shared with the units" + Output.seqNote(result))
            }
        }
    }

    struct Sheet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The contact sheet (通讯录) you may see; --vcf / --csv write it for a phone or a spreadsheet.",
            discussion: """
                The .vcf is vCard 4.0 (RFC 6350, UTF-8) that a phone imports; the .csv is UTF-8
                with a BOM for Excel and WPS.

                Examples:
                  roadshow contacts sheet M-7Q2K
                  roadshow contacts sheet M-7Q2K --vcf 通讯录.vcf --csv 通讯录.csv
                  roadshow contacts sheet M-7Q2K --json
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Option(help: ArgumentHelp("Write the sheet as vCard (.vcf) here.", valueName: "file")) var vcf: String?
        @Option(help: ArgumentHelp("Write the sheet as CSV here.", valueName: "file")) var csv: String?

        func run() async throws {
            let meeting = meeting
            try await Output.run(client) { session in
                let result = try await session.call("contacts.sheet", ["meeting": .string(meeting)])
                for (format, path) in [("vcf", vcf), ("csv", csv)] {
                    guard let path else { continue }
                    let file = try await session.call("contacts.sheet", ["meeting": .string(meeting), "format": .string(format)])
                    try LiveFormat.write(file["text"]?.stringValue ?? "", to: path)
                    Output.error("Wrote \(file["count"]?.intValue ?? 0) card(s) to \(path)")
                }
                if client.json { return Output.printJSON(result) }
                let rows = result["contacts"]?.arrayValue ?? []
                if rows.isEmpty { return print("No card is shared with you yet. The host can prompt the exchange: `roadshow contacts prompt \(meeting)`.") }
                var table = TextTable([.init("Name", maxWidth: 20), .init("Unit", maxWidth: 30), .init("Title", maxWidth: 20), .init("Phone"), .init("E-mail"), .init("Shared with")])
                for r in rows {
                    let audience = ContactAudience(rawValue: r["audience"]?.stringValue ?? "").map { "\($0.rawValue) \($0.zh)" } ?? ""
                    table.add([r["name"]?.stringValue ?? "", r["unit"]?.stringValue ?? "", r["title"]?.stringValue ?? "",
                               r["phone"]?.stringValue ?? "", r["email"]?.stringValue ?? "", audience])
                }
                print(table.render())
            }
        }
    }

    /// "王五 · 黄山高新区 · 科长 · 138 0000 0001 · w@example.gov.cn"
    static func line(_ card: JSON?) -> String {
        ["name", "unit", "title", "phone", "email"].compactMap { card?[$0]?.stringValue }.joined(separator: " · ")
    }
}
