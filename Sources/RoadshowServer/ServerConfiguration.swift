import CLibWebSockets
import Foundation
import Logging
import RoadshowCore
import RoadshowStore

/// How `roadshow serve` runs.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests); `RoadshowServer.port` tells which.
    public var port: Int
    public var databasePath: String
    public var webRoot: String
    /// The admin token to use on the first start (`ROADSHOW_ADMIN_TOKEN`); nil makes a random one.
    public var adminToken: String?
    /// Browser origins allowed besides the server's own (`http://host:port`).
    public var allowedOrigins: [String]
    /// The zone times are shown in (invitations, exports): an IANA name.
    public var timeZone: String
    /// The address people open, for links in invitations (default http://host:port).
    public var publicURL: String?
    public var limits: Limits
    public var logger: Logger
    /// The working-day calendar (`serve --holidays FILE`); nil: the built-in data.
    public var holidays: WorkingDays?
    /// How often a record's feedback is due (`serve --feedback-period`).
    public var feedbackPeriod: DispatchPolicy.Period = .monthly
    /// The issuing unit of bulletins and reminders (`serve --issuer`); nil: the organizer's account name.
    public var issuer: String?
    /// The file holding the key invite links are derived from (`serve
    /// --invite-key`); nil: `<database name>.invite-key` beside the database.
    /// Created (mode 0600) on the first start. Keep it out of database backups
    /// that leave the machine: with the database alone no link can be made.
    public var inviteKeyPath: String?
    /// Serve https and wss with this certificate (PEM, the chain after it) and
    /// key (`serve --tls-cert` / `--tls-key`); nil: plain http and ws.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// When set, `GET /metrics` answers only `Authorization: Bearer <this>`
    /// (`serve --metrics-token`, env `ROADSHOW_METRICS_TOKEN`); nil: open.
    public var metricsToken: String?
    /// Tests only (`serve --autobahn-echo`, hidden): a WebSocket echo endpoint
    /// at `/echo` for the Autobahn conformance cases, with no subprotocol, no
    /// sign-in and none of the caps (AutobahnEcho.swift, docs/reliability.md
    /// point 9). Off: the server has no such endpoint.
    public var autobahnEcho = false
    /// How the service thread waits on its sockets (`serve --event-loop`);
    /// nil: `EventLoop.preferred`.
    public var eventLoop: EventLoop?
    /// A WebSocket connection that has sent nothing (no frame, no pong) for
    /// this long gets a ping; one still silent after twice this is dropped.
    /// One sweep over all connections every sixth of it does both.
    public var keepaliveSeconds = 30.0
    /// The server's clock: `Date()`, or a test's.
    public var clock: @Sendable () -> Date = { Date() }
    /// Stream snapshots (docs/architecture.md, "Snapshots"): a stream's state
    /// is stored again once it is this many events past its last snapshot
    /// (`serve --snapshot-every`, hidden; 0: only at the sweeps and the stop)…
    public var snapshotEvery: Int64 = 500
    /// …and every this many seconds for every stream that moved since, and at
    /// a clean stop. 0: no snapshots are written (start-up still reads them).
    public var snapshotSweepSeconds: Double = 60

    /// Where uploaded materials are kept (`MaterialFiles`): beside the database unless set.
    public var materialsPath: String?
    public var resolvedMaterialsPath: String { materialsPath ?? MaterialFiles.root(forDatabase: databasePath) }

    /// Where the invite key is kept.
    public var resolvedInviteKeyPath: String {
        if let inviteKeyPath { return inviteKeyPath }
        let db = URL(fileURLWithPath: databasePath)
        return db.deletingPathExtension().path + ".invite-key"
    }

    /// The follow-up policy this configuration makes: calendar in the server's zone.
    public var policy: DispatchPolicy {
        let zone = TimeZone(identifier: timeZone) ?? WorkingDays.chinaTimeZone
        let calendar = holidays.map { $0.counting(in: zone) } ?? WorkingDays(timeZone: zone)
        return DispatchPolicy(calendar: calendar, feedbackPeriod: feedbackPeriod, issuer: issuer)
    }

    /// The service thread's event loop (docs/architecture.md, "The transport").
    public enum EventLoop: String, Sendable, CaseIterable {
        /// lws on a libev loop (epoll): a wake-up costs what is ready, not
        /// what is open. Needs lws's libev plugin (Debian package
        /// libwebsockets-evlib-ev).
        case libev
        /// lws's own poll() loop: every wake-up walks every open socket, in
        /// the kernel and in lws. The fallback.
        case poll

        /// Whether lws's libev plugin loads on this machine.
        public static let libevAvailable = rs_lws_libev_available() != 0
        /// libev where its plugin is installed, poll elsewhere.
        public static var preferred: EventLoop { libevAvailable ? .libev : .poll }
    }

    public struct Limits: Sendable {
        /// Largest request frame, reassembled (PROTOCOL.md: 64 KiB).
        public var maxMessageBytes = 64 * 1024
        /// A connection whose outgoing queue grows past these is disconnected;
        /// it resumes with `since`. Bytes are what count; the frame count is
        /// only a backstop far above any burst of replies.
        public var maxQueuedMessages = 200_000
        public var maxQueuedBytes = 16 * 1024 * 1024
        /// A connection with more than 1 MiB waiting that has taken nothing
        /// for this long is disconnected too.
        public var stallSeconds = 30.0
        /// Requests per second a connection may make, and the burst it may save up.
        public var requestsPerSecond = 50.0
        public var requestBurst = 200.0
        /// What one participant may use across all its connections: requests
        /// per second (and the burst it may save up), and reply bytes per
        /// second (and their burst) — so opening more connections does not
        /// buy more of the service thread. Accounts are not budgeted. 0: none.
        public var participantRequestsPerSecond = 60.0
        public var participantRequestBurst = 240.0
        public var participantReplyBytesPerSecond = 2.0 * 1024 * 1024
        public var participantReplyBurst = 8.0 * 1024 * 1024
        /// Connections the server keeps open at once; more are closed at once
        /// with 4013 "try again later". 0: no cap.
        public var maxConnections = 20_000
        /// Connections from one address (loopback exempt: behind a reverse
        /// proxy every client is loopback, and the proxy caps them). 0: no cap.
        public var maxConnectionsPerAddress = 500
        /// Connections signed in with one token at once (tabs, phones). 0: no cap.
        public var maxConnectionsPerToken = 50
        /// The largest uploaded file, and the most a meeting's files may hold in all.
        public var materialFileBytes: Int64 = 20 * 1024 * 1024
        public var meetingMaterialsBytes: Int64 = 100 * 1024 * 1024
        public init() {}
    }

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databasePath: String = "./data/roadshow.sqlite",
        webRoot: String = "./web", adminToken: String? = nil, allowedOrigins: [String] = [],
        timeZone: String = "Asia/Shanghai", publicURL: String? = nil,
        limits: Limits = Limits(), logger: Logger = Logger(label: "roadshow")
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.webRoot = webRoot
        self.adminToken = adminToken
        self.allowedOrigins = allowedOrigins
        self.timeZone = timeZone
        self.publicURL = publicURL
        self.limits = limits
        self.logger = logger
    }
}
