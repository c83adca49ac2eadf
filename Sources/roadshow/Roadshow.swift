import ArgumentParser

@main
struct Roadshow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roadshow",
        abstract: "Online investment roadshows: prepare, run and follow up meetings (机制7 项目线上路演).",
        discussion: """
            Every command except `serve` talks to a running server over its WebSocket address
            (--server, or ROADSHOW_SERVER; default ws://127.0.0.1:8080/ws) with your token
            (--token, or ROADSHOW_TOKEN). Times are shown in Asia/Shanghai; set ROADSHOW_TZ
            to another zone name to change that. --json prints the op's result as JSON.

            Examples:
              export ROADSHOW_TOKEN=rs_a_...        # the admin token printed by the first `roadshow serve`
              roadshow account create --name 市投资促进局 --kind organizer
              export ROADSHOW_TOKEN=rs_o_...        # the organizer token it printed
              roadshow meeting create --title "新能源电池项目线上路演" --company 某某新能源科技有限公司 \\
                --project "动力电池生产基地" --category industrial --starts-at "2026-12-01 14:00" \\
                --duration 90 --system 腾讯会议
              roadshow meeting show M-7Q2K
              roadshow watch M-7Q2K
            """,
        subcommands: [
            ServeCommand.self, AccountCommand.self, MeetingCommand.self, ChecklistCommand.self, RosterCommand.self,
            WatchCommand.self,
        ]
    )
}
