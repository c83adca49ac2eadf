import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow av ...`: the pre-meeting joint AV test (会前联调, mechanism 7 §3).
struct AVCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "av",
        abstract: "The pre-meeting joint AV test (会前联调): who is ready, and the host's checks.",
        discussion: """
            Everyone joins the meeting room early, renames to name + unit (姓名+单位), and the
            organizer tests each person's microphone and speaker one by one. Evidence
            comes from the participant's own self-test on their page and from your checks
            here; for each check the latest evidence counts. Ready = joined, renamed, mic
            and speaker passed (the camera is optional).
            """,
        subcommands: [Status.self, Mark.self, Retest.self]
    )

    static func mark(
        _ client: ClientOptions, meeting: String, participant: String, check: AVCheckKind, result: AVResult, note: String?
    ) async throws {
        try await Output.run(client) { session in
            var args: [String: JSON] = [
                "meeting": .string(meeting), "participant": .string(participant), "check": .string(check.rawValue),
                "result": .string(result.rawValue),
            ]
            if let note { args["note"] = .string(note) }
            let reply = try await session.call("av.mark", .object(args))
            if client.json { return Output.printJSON(reply) }
            let p = reply["participant"] ?? .null
            let name = p["displayName"]?.stringValue.map { " \($0)" } ?? ""
            let noteText = note.map { " — \($0)" } ?? ""
            print("\(participant)\(name): \(check.rawValue) \(check.zh) \(symbol(result.rawValue)) \(result.rawValue)\(noteText)\(Output.seqNote(reply))")
            print(readiness(p))
        }
    }

    /// ✓ pass, ✗ fail, · pending or not yet checked.
    static func symbol(_ result: String?) -> String {
        switch result {
        case "pass": "✓"
        case "fail": "✗"
        default: "·"
        }
    }

    /// "ready", or "missing: mic 麦克风, speaker 扬声器" (without the Chinese when `short`).
    static func readiness(_ p: JSON, short: Bool = false) -> String {
        if p["attending"]?.boolValue == false { return "not attending" }
        if p["readiness"]?["ready"]?.boolValue == true { return "ready" }
        let missing = (p["readiness"]?["missing"]?.arrayValue ?? []).compactMap(\.stringValue)
        return "missing: " + missing.map { short ? $0 : LiveFormat.label(AVCheckKind.self, $0) }.joined(separator: ", ")
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the AV test roster by unit: who is ready and what is missing.",
            discussion: """
                Columns: the display name each person should show (name-unit), their last
                self-test (microphone peak in dBFS, and when), each check — joined, renamed,
                mic, speaker, camera — as ✓ pass, ✗ fail or · pending / not yet checked, then
                ready or what is missing. Notes (the host's, or what the self-test saw) follow
                in the last column. People who said they will not attend are listed but not
                counted in "N of M ready".

                With --json it prints {"meeting", "seq", "ready", "expected", "roster":
                [...]}, each roster entry as in the meeting's snapshot (with its "av" and
                "readiness").

                Examples:
                  roadshow av status M-7Q2K
                  roadshow av status M-7Q2K --json | jq '.ready, .expected'
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id, e.g. M-7Q2K.") var meeting: String

        func run() async throws {
            try await Output.run(client) { session in
                let (result, snapshot) = try await LiveFormat.snapshot(session, meeting)
                let roster = snapshot["roster"]?.arrayValue ?? []
                let expected = roster.filter { $0["attending"]?.boolValue != false }
                let ready = expected.filter { $0["readiness"]?["ready"]?.boolValue == true }.count
                if client.json {
                    return Output.printJSON([
                        "meeting": .string(meeting), "seq": result["seq"] ?? .null, "ready": .int(Int64(ready)),
                        "expected": .int(Int64(expected.count)), "roster": .array(roster),
                    ])
                }
                print("\(meeting)  \(snapshot["title"]?.stringValue ?? "")  (\(Labels.phase(snapshot["phase"]?.stringValue)))")
                if roster.isEmpty {
                    return print("Nobody on the roster yet. Add people with `roadshow roster add`.")
                }
                print(Self.table(roster, local: client.local, now: LiveFormat.serverNow(result)))
                let absent = roster.count - expected.count
                print("\(ready) of \(expected.count) ready" + (absent > 0 ? " (\(absent) not attending, not counted)" : ""))
                if ready < expected.count, snapshot["phase"]?.stringValue == "rehearsal" || snapshot["phase"]?.stringValue == "preparing" {
                    print("Mark checks with `roadshow av mark \(meeting) PARTICIPANT CHECK pass|fail`.")
                }
            }
        }

        /// Grouped by unit (units in the order they first appear on the roster).
        static func table(_ roster: [JSON], local: LocalTime, now: Date) -> String {
            var units: [String] = []
            var byUnit: [String: [JSON]] = [:]
            for p in roster {
                let unit = p["unit"]?.stringValue ?? ""
                if byUnit[unit] == nil { units.append(unit) }
                byUnit[unit, default: []].append(p)
            }
            var table = TextTable([
                .init("Unit", maxWidth: 24), .init("ID"), .init("Display name", maxWidth: 36), .init("Role"),
                .init("Self-test"), .init("Joined"), .init("Renamed"), .init("Mic"), .init("Speaker"), .init("Camera"),
                .init("Ready"), .init("Notes", maxWidth: 60),
            ])
            for unit in units {
                for (i, p) in (byUnit[unit] ?? []).enumerated() {
                    let checks = p["av"]?["checks"]
                    let id: String = p["id"]?.stringValue ?? ""
                    let shown: String = p["displayName"]?.stringValue ?? ""
                    let role: String = p["role"]?.stringValue ?? ""
                    let test: String = selfTest(p["av"]?["selfTest"], local: local, now: now)
                    var cells: [String] = [i == 0 ? unit : "", id, shown, role, test]
                    var notes: [String] = []
                    for kind in AVCheckKind.allCases {
                        let check = checks?[kind.rawValue]
                        cells.append(AVCommand.symbol(check?["result"]?.stringValue))
                        if let note = check?["note"]?.stringValue { notes.append("\(kind.rawValue): \(note)") }
                    }
                    cells.append(AVCommand.readiness(p, short: true))
                    cells.append(notes.joined(separator: "; "))
                    table.add(cells)
                }
            }
            return table.render()
        }

        /// "-32.5 dBFS 14:03", "mic ✗ 14:03", or "" when there was none.
        static func selfTest(_ test: JSON?, local: LocalTime, now: Date) -> String {
            guard let test, !test.isNull else { return "" }
            let at = LiveFormat.time(test["at"]?.stringValue, local: local, today: now)
            var parts: [String] = []
            if let peak = test["mic"]?["peakDb"], !peak.isNull {
                parts.append("\(Labels.number(peak)) dBFS")
            }
            if test["mic"]?["ok"]?.boolValue == false { parts.append("mic ✗") }
            if parts.isEmpty { parts.append(test["mic"]?["ok"]?.boolValue == true ? "mic ✓" : "done") }
            parts.append(at)
            return parts.joined(separator: " ")
        }
    }

    struct Mark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the result of one check of one participant (host).",
            discussion: """
                Checks: joined 已入会, renamed 已改名 (shows name-unit), mic 麦克风, speaker 扬声器,
                camera 摄像头 (optional). Results: pass, fail, pending (ask for a retest).
                Participant ids (P-…) are in `roadshow av status` and `roadshow roster list`.

                Examples:
                  roadshow av mark M-7Q2K P-AB12CD34 joined pass
                  roadshow av mark M-7Q2K P-AB12CD34 renamed pass
                  roadshow av mark M-7Q2K P-AB12CD34 mic fail --note "有回声，请戴耳机"
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The participant's id, e.g. P-AB12CD34.") var participant: String
        @Argument(help: "The check: joined, renamed, mic, speaker or camera.") var check: AVCheckKind
        @Argument(help: "The result: pass, fail or pending.") var result: AVResult
        @Option(help: "A note, e.g. what to fix.") var note: String?

        func run() async throws {
            try await AVCommand.mark(client, meeting: meeting, participant: participant, check: check, result: result, note: note)
        }
    }

    struct Retest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask for a check again: sets it back to pending.",
            discussion: """
                The same as `roadshow av mark MEETING PARTICIPANT CHECK pending`. The
                participant is not ready until the check passes again (from your mark or their
                next self-test).

                Examples:
                  roadshow av retest M-7Q2K P-AB12CD34 mic
                  roadshow av retest M-7Q2K P-AB12CD34 speaker --note "换了耳机，再试一次"
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id.") var meeting: String
        @Argument(help: "The participant's id, e.g. P-AB12CD34.") var participant: String
        @Argument(help: "The check: joined, renamed, mic, speaker or camera.") var check: AVCheckKind
        @Option(help: "A note, e.g. what to change before the retest.") var note: String?

        func run() async throws {
            try await AVCommand.mark(client, meeting: meeting, participant: participant, check: check, result: .pending, note: note)
        }
    }
}
