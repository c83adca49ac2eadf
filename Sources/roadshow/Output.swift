import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// How every client command ends: its output on stdout; on failure one
/// `error: <code>: <message>` line (and the field it is about) on stderr and exit code 1.
enum Output {
    static func printJSON(_ json: JSON) { print(json.encodedString) }

    /// One line to stdout, unbuffered.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Runs a command's body against a session, closing the session at the end
    /// and turning failures into the one-line error.
    /// `hints` turns a server error into what to do next (one "hint: …" line each).
    static func run(
        _ options: ClientOptions, hints: (RoadshowError) -> [String] = { _ in [] },
        _ body: (RoadshowSession) async throws -> Void
    ) async throws {
        let session = options.session()
        do {
            try await body(session)
            await session.close()
        } catch {
            await session.close()
            report(error, server: options.serverURL)
            if let e = error as? RoadshowError {
                for hint in hints(e) { Output.error("hint: " + hint) }
            }
            throw ExitCode.failure
        }
    }

    /// The zone the server shows times in (its `auth` answer's `timeZone`), so that
    /// the CLI's times and due days read as the server's documents do; the CLI's
    /// own zone when the server does not say.
    static func serverZone(_ session: RoadshowSession, fallback: LocalTime) async throws -> LocalTime {
        _ = try await session.actor()
        if let id = await session.authResult?["timeZone"]?.stringValue, let zone = LocalTime(identifier: id) { return zone }
        return fallback
    }

    /// Writes bytes to stdout exactly as they are (no newline added).
    static func raw(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// A document (Markdown) to stdout, ending in one newline.
    static func document(_ text: String) {
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    }

    /// The language errors are told in: `ROADSHOW_LANG` (zh or en), else the
    /// locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: zh_CN.UTF-8 → zh), else English.
    /// A command's own `--lang` sets it too.
    nonisolated(unsafe) static var language: String = {
        let env = ProcessInfo.processInfo.environment
        if let given = env["ROADSHOW_LANG"]?.lowercased(), given == "zh" || given == "en" { return given }
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = env[key], !v.isEmpty { return v.lowercased().hasPrefix("zh") ? "zh" : "en" }
        }
        return "en"
    }()

    static func report(_ error: any Error, server: String) {
        switch error {
        case let e as RoadshowError:
            let all = e.errors.isEmpty ? [e] : e.errors
            if language == "zh" {
                // The server's Chinese text for each faulty field, the field named after it.
                for one in all {
                    var line = "错误：\(one.text("zh"))"
                    if let field = one.field { line += "（字段 \(field)）" }
                    Output.error(line)
                }
            } else {
                for one in all {
                    var line = "error: \(one.code.rawValue): \(one.message)"
                    if let field = one.field { line += " (field: \(field))" }
                    Output.error(line)
                }
            }
            if let details = e.details { Output.error("details: \(details.encodedString)") }
            if e.code == .unauthenticated {
                Output.error(language == "zh"
                    ? "提示：请检查 --token 或 ROADSHOW_TOKEN；参会人的邀请链接重新生成后，旧令牌即失效"
                    : "hint: check --token or ROADSHOW_TOKEN; a participant's token stops working when its link is reissued")
            }
        case let e as RoadshowClientError:
            Output.error("error: \(e)")
            switch e {
            case .cannotConnect, .handshakeFailed, .upgradeRefused:
                Output.error("hint: the server address comes from --server or ROADSHOW_SERVER (now \(server))")
            default:
                break
            }
        case let e as LocalTime.ZoneError:
            Output.error("error: \(e)")
        default:
            Output.error("error: \(error)")
        }
    }

    /// The seq a mutating result carries, as " (seq N)".
    static func seqNote(_ result: JSON) -> String {
        result["seq"]?.intValue.map { " (seq \($0))" } ?? ""
    }
}
