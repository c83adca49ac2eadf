import ArgumentParser
import Foundation
import Logging
import RoadshowCore
import RoadshowServer

/// `roadshow serve`: runs the server in the foreground until SIGINT or SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Roadshow server: the page, the WebSocket protocol, /healthz and /metrics.",
        discussion: """
            On the first start with an empty database it prints the admin token once \
            (or uses ROADSHOW_ADMIN_TOKEN when that is set). Stop it with Ctrl-C: \
            requests already received are committed and answered first.

            Examples:
              roadshow serve
              roadshow serve --port 9000 --db /var/lib/roadshow/roadshow.sqlite
              ROADSHOW_ADMIN_TOKEN=$(openssl rand -hex 20) roadshow serve
            """)

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (env ROADSHOW_PORT; default 8080; 0 picks a free one).")
    var port: Int?

    @Option(help: ArgumentHelp("The SQLite database file (env ROADSHOW_DB; its directory is created).", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("The directory of the browser page.", valueName: "dir"))
    var web = "./web"

    @Option(name: .customLong("allow-origin"), help: ArgumentHelp(
        "Another browser origin allowed to connect, e.g. https://roadshow.example.gov.cn (repeatable).", valueName: "origin"))
    var allowedOrigins: [String] = []

    @Option(help: ArgumentHelp(
        "The time zone for invitations and exports, an IANA name (env ROADSHOW_TZ; default Asia/Shanghai).", valueName: "zone"))
    var timezone: String?

    @Option(name: .customLong("public-url"), help: ArgumentHelp(
        "The address people open, for links in invitations (default http://HOST:PORT).", valueName: "url"))
    var publicURL: String?

    @Option(help: ArgumentHelp(
        "A newer working-day calendar (the JSON of tools/holidays/holidays.json, e.g. from a newer chinese-calendar release) instead of the built-in one.",
        valueName: "file"))
    var holidays: String?

    @Option(name: .customLong("feedback-period"), help: ArgumentHelp(
        "How often a dispatch record's feedback is due: monthly (default), <n>d calendar days, or <n>wd working days.",
        valueName: "period"))
    var feedbackPeriod = "monthly"

    @Option(help: ArgumentHelp("The issuing unit named on monthly bulletins and reminder notices (default: the organizer's account name).", valueName: "name"))
    var issuer: String?

    @Option(name: .customLong("max-connections"), help: ArgumentHelp(
        "Connections open at once; more are closed with 4013 \"try again later\" (default 20000; 0: no cap).", valueName: "n"))
    var maxConnections = ServerConfiguration.Limits().maxConnections

    @Option(name: .customLong("max-connections-per-address"), help: ArgumentHelp(
        "Connections from one address; loopback is exempt, so behind a reverse proxy cap them there (default 500; 0: no cap).",
        valueName: "n"))
    var maxConnectionsPerAddress = ServerConfiguration.Limits().maxConnectionsPerAddress

    @Option(name: .customLong("max-connections-per-token"), help: ArgumentHelp(
        "Connections signed in with one token at once (default 50; 0: no cap).", valueName: "n"))
    var maxConnectionsPerToken = ServerConfiguration.Limits().maxConnectionsPerToken

    @Option(name: .customLong("material-max-mib"), help: ArgumentHelp(
        "The largest file one upload to a meeting's materials may be, in MiB (default 20).", valueName: "MiB"))
    var materialMaxMiB = Int(ServerConfiguration.Limits().materialFileBytes / 1_048_576)

    @Option(name: .customLong("meeting-materials-max-mib"), help: ArgumentHelp(
        "The most one meeting's materials may hold in all, in MiB (default 100).", valueName: "MiB"))
    var meetingMaterialsMaxMiB = Int(ServerConfiguration.Limits().meetingMaterialsBytes / 1_048_576)

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp(
        "Serve https and wss with this certificate (PEM; with --tls-key). Or keep plain http behind a TLS reverse proxy (README).",
        valueName: "file"))
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The private key of --tls-cert (PEM).", valueName: "file"))
    var tlsKey: String?

    @Option(name: .customLong("metrics-token"), help: ArgumentHelp(
        "Serve /metrics only to `Authorization: Bearer <token>` (env ROADSHOW_METRICS_TOKEN; default: open).", valueName: "token"))
    var metricsToken: String?

    @Option(name: .customLong("invite-key"), help: ArgumentHelp(
        "The file with the key invite links are derived from (env ROADSHOW_INVITE_KEY; default: beside the database, <name>.invite-key; made on the first start). Keep it out of database backups that leave the machine.",
        valueName: "file"))
    var inviteKey: String?

    /// Tests only: the Autobahn echo endpoint at /echo (docs/reliability.md point 9).
    @Flag(name: .customLong("autobahn-echo"), help: ArgumentHelp(
        "Tests only: also serve a WebSocket echo endpoint at /echo for the Autobahn conformance cases.", visibility: .hidden))
    var autobahnEcho = false

    /// Tests and measurements: when a stream's snapshot is stored again (docs/architecture.md, "Snapshots").
    @Option(name: .customLong("snapshot-every"), help: ArgumentHelp(
        "Store a stream's snapshot again once it is this many events past the last one (default 500; 0: only every minute and at the stop).",
        valueName: "n", visibility: .hidden))
    var snapshotEvery: Int64?

    @Option(name: .customLong("event-loop"), help: ArgumentHelp(
        "How the server waits on its sockets: libev (epoll; the default where lws's libev plugin, Debian package libwebsockets-evlib-ev, is installed) or poll (lws's built-in poll loop, the fallback: every wake-up walks every connection).",
        valueName: "libev|poll"))
    var eventLoop: String?

    @Option(name: .customLong("keepalive"), help: ArgumentHelp(
        "Seconds of silence after which a WebSocket gets a ping; twice this and it is dropped (default 30).",
        valueName: "seconds", visibility: .hidden))
    var keepalive: Double?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    var resolvedPort: Int {
        if let port { return port }
        if let p = environment["ROADSHOW_PORT"].flatMap(Int.init) { return p }
        return 8080
    }

    var resolvedDatabase: String {
        if let db, !db.isEmpty { return db }
        if let d = environment["ROADSHOW_DB"], !d.isEmpty { return d }
        return "./data/roadshow.sqlite"
    }

    var resolvedTimeZone: String {
        if let timezone, !timezone.isEmpty { return timezone }
        if let z = environment["ROADSHOW_TZ"], !z.isEmpty { return z }
        return "Asia/Shanghai"
    }

    func validate() throws {
        guard TimeZone(identifier: resolvedTimeZone) != nil else {
            throw ValidationError("--timezone \(resolvedTimeZone) is not a time zone name; use one like Asia/Shanghai or Europe/Berlin")
        }
        guard (1...2048).contains(materialMaxMiB) else {
            throw ValidationError("--material-max-mib must be between 1 and 2048 (MiB per file)")
        }
        guard meetingMaterialsMaxMiB >= materialMaxMiB else {
            throw ValidationError("--meeting-materials-max-mib (\(meetingMaterialsMaxMiB)) must be at least --material-max-mib (\(materialMaxMiB))")
        }
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together: give both (PEM files) or neither")
        }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw ValidationError("--public-url must start with http:// or https://")
        }
        if let raw = environment["ROADSHOW_PORT"], port == nil, Int(raw) == nil {
            throw ValidationError("ROADSHOW_PORT must be a port number, not \"\(raw)\"")
        }
        guard (0...65535).contains(resolvedPort) else { throw ValidationError("--port must be between 0 and 65535") }
        if let eventLoop {
            guard let loop = ServerConfiguration.EventLoop(rawValue: eventLoop) else {
                throw ValidationError("--event-loop must be libev or poll")
            }
            if loop == .libev, !ServerConfiguration.EventLoop.libevAvailable {
                throw ValidationError("--event-loop libev needs lws's libev plugin (Debian package libwebsockets-evlib-ev); install it, or pass --event-loop poll")
            }
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: web, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--web \(web) is not a directory; run from the project folder or pass --web PATH")
        }
        guard DispatchPolicy.Period(feedbackPeriod) != nil else {
            throw ValidationError("--feedback-period must be monthly, <n>d (calendar days, e.g. 30d) or <n>wd (working days, e.g. 20wd), n from 1 to 366")
        }
        if let holidays { _ = try loadHolidays(holidays) }
        for origin in allowedOrigins where !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) {
            throw ValidationError("--allow-origin \(origin) must start with http:// or https://")
        }
    }

    /// The calendar from `--holidays`, or a validation error naming what is wrong.
    func loadHolidays(_ path: String) throws -> WorkingDays {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("--holidays \(path): cannot read the file")
        }
        do throws(WorkingDays.DataError) {
            return try WorkingDays(json: [UInt8](data))
        } catch {
            throw ValidationError("--holidays \(path): \(error.description); see tools/holidays/README.md for the format")
        }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "roadshow")
        logger.logLevel = level

        // Signals are caught before anything is printed, so a stop request that
        // follows the printed URL is never lost.
        let stop = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }

        let adminFromEnv = environment["ROADSHOW_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let config = ServerConfiguration(
            host: host, port: resolvedPort, databasePath: resolvedDatabase, webRoot: web,
            adminToken: adminFromEnv, allowedOrigins: allowedOrigins, timeZone: resolvedTimeZone,
            publicURL: publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }, logger: logger)
        var configured = config
        configured.holidays = try holidays.map(loadHolidays)
        configured.feedbackPeriod = DispatchPolicy.Period(feedbackPeriod) ?? .monthly
        configured.issuer = issuer
        configured.limits.maxConnections = max(0, maxConnections)
        configured.limits.maxConnectionsPerAddress = max(0, maxConnectionsPerAddress)
        configured.limits.maxConnectionsPerToken = max(0, maxConnectionsPerToken)
        configured.limits.materialFileBytes = Int64(materialMaxMiB) * 1_048_576
        configured.limits.meetingMaterialsBytes = Int64(meetingMaterialsMaxMiB) * 1_048_576
        configured.tlsCertificatePath = tlsCert
        configured.tlsKeyPath = tlsKey
        configured.metricsToken = (metricsToken ?? environment["ROADSHOW_METRICS_TOKEN"]).flatMap { $0.isEmpty ? nil : $0 }
        configured.autobahnEcho = autobahnEcho
        if let snapshotEvery { configured.snapshotEvery = max(0, snapshotEvery) }
        configured.eventLoop = eventLoop.flatMap(ServerConfiguration.EventLoop.init(rawValue:))
        if let keepalive { configured.keepaliveSeconds = max(0, keepalive) }
        configured.inviteKeyPath = inviteKey ?? environment["ROADSHOW_INVITE_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let server: RoadshowServer
        do {
            server = try RoadshowServer.start(configured)
        } catch {
            throw ValidationError("cannot start: \(error)")
        }

        let shown = host == "0.0.0.0" ? "127.0.0.1" : host
        var lines = [
            "Roadshow is serving \(tlsCert == nil ? "http" : "https")://\(shown):\(server.port)/",
            "  WebSocket: \(tlsCert == nil ? "ws" : "wss")://\(shown):\(server.port)/ws   database: \(resolvedDatabase)",
            "  Invite key: \(configured.resolvedInviteKeyPath)",
        ]
        if autobahnEcho {
            lines.append("  Autobahn echo (tests only): \(tlsCert == nil ? "ws" : "wss")://\(shown):\(server.port)/echo")
        }
        if let token = server.createdAdminToken {
            if adminFromEnv != nil {
                lines.append("  Admin token: the value of ROADSHOW_ADMIN_TOKEN")
            } else {
                lines.append("  Admin token (shown once, save it now): \(token)")
            }
            lines.append("  Open the page and sign in with it, or: export ROADSHOW_TOKEN=<token>")
        } else {
            lines.append("  Sign in with the admin token printed on the first start.")
        }
        let calendar = configured.policy.calendar
        let thisYear = calendar.day(of: Date()).year
        let missing = [thisYear, thisYear + 1].filter { !calendar.hasData(for: $0) }
        if !missing.isEmpty {
            lines.append("  Working-day calendar: no official data for \(missing.map(String.init).joined(separator: ", ")); deadlines count Monday–Friday there (pass --holidays FILE)")
        }
        lines.append("  Press Ctrl-C to stop.")
        print(lines.joined(separator: "\n"))
        fflush(nil)

        stop.wait()
        logger.info("stopping: finishing requests already received")
        server.stop()
        _ = sources
    }
}
