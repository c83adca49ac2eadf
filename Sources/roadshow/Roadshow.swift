import ArgumentParser

@main
struct Roadshow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roadshow",
        abstract: "Online investment roadshows: prepare, run and follow up meetings (机制7 项目线上路演).",
        discussion: """
            Every command except `serve` talks to a running server at its WebSocket
            address (--server or ROADSHOW_SERVER; default ws://127.0.0.1:8080/ws),
            with your token (--token or ROADSHOW_TOKEN). Times are shown in
            Asia/Shanghai; ROADSHOW_TZ names another zone. --json prints the
            op's result as JSON.

            Examples:
              # the admin token is printed by the first `roadshow serve`
              export ROADSHOW_TOKEN=rs_a_...
              roadshow account create --name 市投资促进局 --kind organizer
              # then work as that organizer, with the token it printed
              export ROADSHOW_TOKEN=rs_o_...
              roadshow meeting create --title 新能源电池项目线上路演 \\
                --company 某某新能源科技有限公司 --project 动力电池生产基地 \\
                --category industrial --starts-at "2026-12-01 14:00" \\
                --duration 90 --system 腾讯会议
              roadshow meeting show M-7Q2K
              roadshow watch M-7Q2K
              # after the meeting: the follow-up, the dispatch record, the monthly bulletin
              roadshow followup report --meeting M-7Q2K --docx 路演情况报告.docx
              roadshow dispatch list --overdue
              roadshow report monthly --month 2026-11 --out 每月信息专报.md
            """,
        subcommands: [
            ServeCommand.self, BenchCommand.self, AccountCommand.self, MeetingCommand.self, ChecklistCommand.self, RosterCommand.self,
            WatchCommand.self, AVCommand.self, InviteCommand.self, AgendaCommand.self, QueueCommand.self,
            MinutesCommand.self, PresenceCommand.self, ContactsCommand.self, MaterialsCommand.self, FollowupCommand.self, DispatchCommand.self, ReportCommand.self,
            VerifyCommand.self, BackupCommand.self, RestoreCommand.self,
        ]
    )
}
