import Logging

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

    public struct Limits: Sendable {
        /// Largest request frame, reassembled (PROTOCOL.md: 64 KiB).
        public var maxMessageBytes = 64 * 1024
        /// A connection whose outgoing queue grows past these is disconnected; it resumes with `since`.
        public var maxQueuedMessages = 4096
        public var maxQueuedBytes = 16 * 1024 * 1024
        /// Requests per second a connection may make, and the burst it may save up.
        public var requestsPerSecond = 50.0
        public var requestBurst = 200.0
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
