import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow watch STREAM`: follow a meeting or dispatch record live.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print a stream's events as they happen, one line each.",
        discussion: """
            Lines read: seq, time (Asia/Shanghai or ROADSHOW_TZ), event, who did it, and a short
            summary. With --json each line is the raw event frame. When the connection drops,
            watch says "reconnecting…" on stderr and resumes by itself after the last event it
            printed: nothing is missed and nothing printed twice. Stop it with Ctrl-C.

            Examples:
              roadshow watch M-7Q2K
              roadshow watch M-7Q2K --since 0          # every event from the start, then live
              roadshow watch M-7Q2K --json | jq -c 'select(.event == "checklist.item_set")'
            """
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The stream: a meeting (M-…) or dispatch record (D-…) id.")
    var stream: String

    @Option(help: "Start after this seq (0: from the first event) instead of from now.")
    var since: Int64?

    func validate() throws {
        if let since, since < 0 { throw ValidationError("--since must be 0 or more") }
    }

    func run() async throws {
        LibwebsocketsLog.setLevel(Int32(ProcessInfo.processInfo.environment["ROADSHOW_LWS_LOG"] ?? "") ?? 0)
        let local = client.local
        let watcher = StreamWatcher(url: client.serverURL, token: client.resolvedToken ?? "", stream: stream, since: since)
        do {
            for try await update in watcher.updates() {
                switch update {
                case .snapshot(let snapshot, let seq):
                    let title = snapshot["title"]?.stringValue.map { " \($0)" } ?? ""
                    Output.error("watching \(stream)\(title) from seq \(seq) (Ctrl-C to stop)")
                case .subscribed(let since, let seq):
                    Output.error("watching \(stream) after seq \(since) (now at \(seq))")
                case .event(let event):
                    // Written at once (not through stdio's buffer), also into a pipe.
                    Output.line(client.json ? event.encodedString : EventLine.render(event, local: local))
                case .reconnecting(let attempt, let reason, let delay):
                    let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
                    Output.error("reconnecting… (\(reason); try \(attempt) in \(String(format: "%.1f", seconds)) s)")
                }
            }
        } catch {
            Output.report(error, server: client.serverURL)
            throw ExitCode.failure
        }
    }
}
