import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// The options every command that talks to a server shares.
struct ClientOptions: ParsableArguments {
    static let defaultServer = "ws://127.0.0.1:8080/ws"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The server's WebSocket address (env ROADSHOW_SERVER; default \(defaultServer)).", valueName: "url"))
    var server: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Your access token: an organizer's, the admin's or a personal invite token (env ROADSHOW_TOKEN).",
            valueName: "token"))
    var token: String?

    @Flag(name: .long, help: "Print the op's result as JSON instead of tables.")
    var json = false

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    var serverURL: String {
        if let server, !server.isEmpty { return server }
        if let fromEnv = environment["ROADSHOW_SERVER"], !fromEnv.isEmpty { return fromEnv }
        return Self.defaultServer
    }

    var resolvedToken: String? {
        if let token, !token.isEmpty { return token }
        if let fromEnv = environment["ROADSHOW_TOKEN"], !fromEnv.isEmpty { return fromEnv }
        return nil
    }

    func validate() throws {
        guard resolvedToken != nil else {
            throw ValidationError(
                "no access token: pass --token TOKEN or set ROADSHOW_TOKEN (the admin token is printed when `roadshow serve` first starts; organizer tokens come from `roadshow account create`)"
            )
        }
        do { _ = try ServerAddress(parsing: serverURL) } catch { throw ValidationError("\(error)") }
        do { _ = try LocalTime.fromEnvironment() } catch { throw ValidationError("\(error)") }
    }

    /// The zone times are shown and read in.
    var local: LocalTime {
        (try? LocalTime.fromEnvironment()) ?? LocalTime(identifier: LocalTime.defaultZone)!
    }

    /// A session authenticated with the token; lws's own logging is silenced
    /// (set ROADSHOW_LWS_LOG to a level, e.g. 7, to see it).
    func session() -> RoadshowSession {
        LibwebsocketsLog.setLevel(Int32(environment["ROADSHOW_LWS_LOG"] ?? "") ?? 0)
        return RoadshowSession(url: serverURL, token: resolvedToken ?? "", retries: 2)
    }
}
