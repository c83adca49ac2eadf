import CLibWebSockets
import Foundation
import Logging
import RoadshowCore
import RoadshowStore

/// A running Roadshow server: the lws service thread, the writer thread and
/// the store. `start` returns once it listens; `stop` finishes what was
/// received (committed and answered) and shuts down.
public final class RoadshowServer: @unchecked Sendable {
    public let port: Int
    /// The admin token, when this start created it (the first start on an empty database).
    public let createdAdminToken: String?
    public let configuration: ServerConfiguration
    private let hub: Hub
    private let transport: Transport
    private let writer: Writer
    private let serviceDone = DispatchSemaphore(value: 0)
    private let stopLock = NSLock()
    private var stopped = false

    public static func start(_ config: ServerConfiguration) throws -> RoadshowServer {
        try RoadshowServer(config)
    }

    private init(_ config: ServerConfiguration) throws {
        self.configuration = config
        let store = try EventStore.open(path: config.databasePath)
        let metrics = Metrics()
        let hub = Hub(config: config, store: store, metrics: metrics)
        try hub.load()

        var created: String?
        if hub.streams[AccountDirectory.stream] == nil {
            let token: String
            if let given = config.adminToken {
                guard given.count >= 16, !given.contains(where: \.isWhitespace) else {
                    throw Transport.StartError(description: "ROADSHOW_ADMIN_TOKEN must be at least 16 characters without spaces")
                }
                token = given
            } else {
                var rng = SystemRandomNumberGenerator()
                token = Identifiers.token(kind: .admin, using: &rng)
            }
            _ = try hub.bootstrapIfNeeded(adminToken: token)
            created = token
        }
        self.createdAdminToken = created

        // lws sizes its connection tables from the soft file limit when the
        // context is created: raise it to the hard limit first.
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }

        let webRoot = URL(fileURLWithPath: config.webRoot).standardizedFileURL.path
        let transport = Transport()
        self.transport = transport
        self.port = try transport.create(config: config, webRoot: webRoot, hub: hub)
        hub.context = transport.context
        hub.listenPort = port
        self.hub = hub

        let contextBox = ContextBox(transport.context!)
        let writer = Writer(store: store, inbox: hub.inbox, metrics: metrics, logger: config.logger) {
            lws_cancel_service(contextBox.context)
        }
        self.writer = writer
        hub.writer = writer
        writer.start()

        let thread = Thread { [hub, transport, serviceDone] in
            hub.bindToCurrentThread()
            while !hub.drained {
                if lws_service(transport.context, 0) < 0 { break }
            }
            transport.destroy()
            serviceDone.signal()
        }
        thread.name = "roadshow-service"
        thread.start()
        config.logger.info("listening on http://\(config.host):\(port) (database \(config.databasePath))")
    }

    public var isHealthy: Bool { writer.isHealthy }

    /// Stops accepting requests, commits and answers what was received, then
    /// closes everything. Safe to call more than once.
    public func stop() {
        stopLock.lock()
        defer { stopLock.unlock() }
        guard !stopped else { return }
        stopped = true
        hub.inbox.post(.shutdown)
        let contextBox = ContextBox(transport.context!)
        // Keep waking the loop until it has drained (at most ~5 s), then let it end.
        let deadline = DispatchTime.now() + .seconds(5)
        while serviceDone.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            if DispatchTime.now() > deadline {
                hub.inbox.post(.shutdown)
                hub.forceStop = true
            }
            lws_cancel_service(contextBox.context)
        }
        writer.stop()
        configuration.logger.info("stopped")
    }
}

/// The lws context pointer, for `lws_cancel_service` — the one lws call that
/// is safe from any thread.
struct ContextBox: @unchecked Sendable {
    let context: OpaquePointer
    init(_ context: OpaquePointer) { self.context = context }
}
