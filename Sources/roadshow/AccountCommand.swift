import ArgumentParser
import RoadshowClient
import RoadshowCore

/// `roadshow account ...`: the admin's organizer and unit accounts.
struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Create, list and re-key organizer and unit accounts (admin only).",
        subcommands: [Create.self, List.self, Reissue.self]
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case organizer, unit
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account and print its token (shown once).",
            discussion: """
                An organizer (会议组织单位) runs its own meetings; a unit (办理单位) receives
                dispatched projects. The token is printed once and stored only hashed: hand it
                over now.

                Examples:
                  roadshow account create --name 市投资促进局 --kind organizer
                  roadshow account create --name 高新区管委会 --kind unit --json
                """
        )

        @OptionGroup var client: ClientOptions

        @Option(help: "The account's name, e.g. the bureau's.")
        var name: String

        @Option(help: "The kind of account.")
        var kind: Kind

        func run() async throws {
            try await Output.run(client) { session in
                let result = try await session.call(
                    "account.create", ["name": .string(name), "kind": .string(kind.rawValue)])
                if client.json { return Output.printJSON(result) }
                let account = result["account"]
                print("Created \(account?["kind"]?.stringValue ?? kind.rawValue) account \(account?["id"]?.stringValue ?? "?") \(account?["name"]?.stringValue ?? name)\(Output.seqNote(result))")
                print("token: \(result["token"]?.stringValue ?? "?")")
                print("This token is shown only now: give it to the account's holder (ROADSHOW_TOKEN).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the accounts.",
            discussion: """
                Examples:
                  roadshow account list
                  roadshow account list --json
                """
        )

        @OptionGroup var client: ClientOptions

        func run() async throws {
            try await Output.run(client) { session in
                let result = try await session.call("account.list")
                if client.json { return Output.printJSON(result) }
                let accounts = result["accounts"]?.arrayValue ?? []
                if accounts.isEmpty { return print("No accounts yet. Create one with `roadshow account create`.") }
                var table = TextTable("ID", "Name", "Kind", "Created")
                for a in accounts {
                    table.add(
                        a["id"]?.stringValue ?? "", a["name"]?.stringValue ?? "", a["kind"]?.stringValue ?? "",
                        client.local.format(wire: a["createdAt"]?.stringValue))
                }
                print(table.render())
            }
        }
    }

    struct Reissue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give an account a new token when its token was lost (shown once).",
            discussion: """
                The old token stops working at once; pages and CLIs signed in with it are
                signed out. The admin token itself is set at the first start and cannot be
                reissued here.

                Examples:
                  roadshow account reissue A-D3749S
                  roadshow account reissue A-D3749S --json
                """
        )

        @OptionGroup var client: ClientOptions

        @Argument(help: "The account's id (see `roadshow account list`).")
        var account: String

        func run() async throws {
            try await Output.run(client) { session in
                let result = try await session.call("account.reissue", ["account": .string(account)])
                if client.json { return Output.printJSON(result) }
                let a = result["account"]
                print("New token for \(a?["id"]?.stringValue ?? account) \(a?["name"]?.stringValue ?? "")\(Output.seqNote(result))")
                print("token: \(result["token"]?.stringValue ?? "?")")
                print("The old token no longer works. This one is shown only now: give it to the account's holder.")
            }
        }
    }
}
