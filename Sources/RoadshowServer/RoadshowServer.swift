import CLibWebSockets
import Foundation
import Logging
import RoadshowCore
import RoadshowStore
import Synchronization

/// A running Roadshow server: the service thread (engine and lws adapter, both
/// born, used and destroyed there), the writer thread and the store. `start`
/// returns once it listens; `stop` finishes what was received (committed and
/// answered) and shuts down.
///
/// Teardown order, on the service thread: the loop ends → the streams that
/// moved since their last snapshot are snapshotted (committed states only) →
/// the writer commits what it holds and stops → the snapshotter stops → the
/// waker forgets the context → the context is destroyed. So nothing wakes a destroyed context, and the context outlives
/// the writer.
public final class RoadshowServer: Sendable {
    public let port: Int
    /// The admin token, when this start created it (the first start on an empty database).
    public let createdAdminToken: String?
    public let configuration: ServerConfiguration
    /// The event loop serving (`configuration.eventLoop`, or the preferred one).
    public let eventLoop: ServerConfiguration.EventLoop
    private let inbox: Inbox
    private let waker: Waker
    private let writer: Writer
    private let serviceDone = DispatchSemaphore(value: 0)
    private let stopped = Locked(false)
    /// Held while serving: one server per database file.
    private let lock: DatabaseLock?

    public static func start(_ config: ServerConfiguration) throws -> RoadshowServer {
        try RoadshowServer(config)
    }

    /// What the service thread reports once it listens (or could not start).
    private struct Started: Sendable {
        var port = 0
        var createdAdminToken: String?
        var error: (any Error)?
    }

    private init(_ config: ServerConfiguration) throws {
        self.configuration = config
        let adminToken = try Self.adminTokenForFirstStart(config)
        let inviteKey = try Self.inviteKey(config)
        if config.databasePath != ":memory:" {
            guard let lock = DatabaseLock(database: config.databasePath) else {
                throw LwsServer.StartError(description: "another roadshow server is using \(config.databasePath); stop it first (or pass another --db)")
            }
            self.lock = lock
        } else {
            self.lock = nil
        }
        let store = try EventStore.open(path: config.databasePath)
        let metrics = Metrics()
        let inbox = Inbox()
        let waker = Waker { lws_cancel_service($0.pointer) }
        let writer = Writer(store: store, inbox: inbox, metrics: metrics, logger: config.logger) { waker.wake() }
        let reader = Reader(store: store, inbox: inbox) { waker.wake() }
        let snapshotter = config.snapshotSweepSeconds > 0
            ? Snapshotter(store: store, logger: config.logger, sweepSeconds: config.snapshotSweepSeconds) { waker.wake() } : nil
        self.inbox = inbox
        self.waker = waker
        self.writer = writer

        Self.raiseFileLimit()
        let webRoot = URL(fileURLWithPath: config.webRoot).standardizedFileURL.path
        let started = Locked(Started())
        let ready = DispatchSemaphore(value: 0)
        writer.start()
        let thread = Thread { [serviceDone] in
            let transport = LwsServer(config: config, metrics: metrics)
            do {
                let engine = try Engine(
                    config: config, store: store, inbox: inbox, writer: writer, reader: reader, metrics: metrics, port: transport,
                    inviteKey: inviteKey, snapshotter: snapshotter)
                engine.materialFiles = try MaterialFiles(root: config.resolvedMaterialsPath)
                engine.wake = { waker.wake() }
                var created: String?
                if !engine.hasAccounts {
                    let token = adminToken ?? { var rng = SystemRandomNumberGenerator(); return Identifiers.token(kind: .admin, using: &rng) }()
                    _ = try engine.bootstrapIfNeeded(adminToken: token, store: store)
                    created = token
                }
                let port = try transport.listen(webRoot: webRoot, engine: engine)
                engine.listenPort = port
                waker.attach(transport.context)
                started.withLock { $0.port = port; $0.createdAdminToken = created }
                ready.signal()
                while !engine.drained {
                    if !transport.serviceOnce() { break }
                    metrics.add(metrics.serviceWakeups)
                }
                // Committed states only (what landed), so never ahead of the log.
                engine.snapshotAtStop()
            } catch {
                started.withLock { $0.error = error }
                ready.signal()
            }
            writer.stop()
            snapshotter?.stop()
            waker.attach(nil)
            transport.destroy()
            serviceDone.signal()
        }
        thread.name = "roadshow-service"
        thread.start()
        ready.wait()
        let result = started.withLock { $0 }
        if let error = result.error {
            serviceDone.wait()
            throw error
        }
        self.port = result.port
        self.createdAdminToken = result.createdAdminToken
        self.eventLoop = config.eventLoop ?? .preferred
        if config.eventLoop == nil, eventLoop == .poll {
            config.logger.warning("lws's libev plugin (\(LwsServer.libevPluginPath), Debian package libwebsockets-evlib-ev) is not installed: serving on poll, whose every wake-up walks every connection")
        }
        config.logger.info("listening on http://\(config.host):\(port) (database \(config.databasePath), event loop \(eventLoop.rawValue))")
    }

    /// `ROADSHOW_ADMIN_TOKEN`, checked; nil to make a random one on the first start.
    private static func adminTokenForFirstStart(_ config: ServerConfiguration) throws -> String? {
        guard let given = config.adminToken else { return nil }
        // Long and random-looking: it opens everything. Sixteen "a"s is not a secret.
        guard given.count >= 24, Set(given).count >= 10, !given.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw LwsServer.StartError(description: """
                ROADSHOW_ADMIN_TOKEN must be at least 24 characters with at least 10 different ones and no spaces \
                (it has \(given.count) characters, \(Set(given).count) different); make one with: openssl rand -base64 24
                """)
        }
        return given
    }

    /// The key invite links are derived from: read from its file, or made and
    /// written (mode 0600, atomically) on the first start. A key file that is
    /// there but unreadable or malformed stops the start: making a new key
    /// would silently change every link that can be shown again.
    static func inviteKey(_ config: ServerConfiguration) throws -> InviteKey {
        if config.databasePath == ":memory:" {
            var rng = SystemRandomNumberGenerator()
            return InviteKey.random(using: &rng)
        }
        let path = config.resolvedInviteKeyPath
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            guard let data = fm.contents(atPath: path), let key = InviteKey(fileText: String(decoding: data, as: UTF8.self)) else {
                throw LwsServer.StartError(description: "the invite key file \(path) is not a key (64 hex digits); restore it from a backup, or move it away to make a new one (links shown so far then stop working)")
            }
            return key
        }
        var rng = SystemRandomNumberGenerator()
        let key = InviteKey.random(using: &rng)
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let tmp = path + ".tmp"
        guard fm.createFile(atPath: tmp, contents: Data(key.fileText.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw LwsServer.StartError(description: "cannot write the invite key file \(path)")
        }
        let fd = open(tmp, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
        guard rename(tmp, path) == 0 else {
            throw LwsServer.StartError(description: "cannot write the invite key file \(path)")
        }
        return key
    }

    /// lws sizes its connection tables from the soft file limit when the
    /// context is created: raise it to the hard limit first.
    private static func raiseFileLimit() {
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }

    public var isHealthy: Bool { writer.isHealthy }

    /// Stops accepting requests, commits and answers what was received, then
    /// closes everything. Safe to call more than once, from any thread.
    public func stop() {
        let first = stopped.withLock { was in
            defer { was = true }
            return !was
        }
        guard first else { return }
        inbox.post(.shutdown)
        // Keep waking the loop until it has drained (at most ~5 s), then make it end.
        let deadline = DispatchTime.now() + .seconds(5)
        var forced = false
        while serviceDone.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            if !forced, DispatchTime.now() > deadline {
                inbox.post(.forceStop)
                forced = true
            }
            waker.wake()
        }
        lock?.release()
        configuration.logger.info("stopped")
    }
}
