import Foundation

/// An exclusive advisory lock beside the database (`<database>.lock`), held
/// by a running server for as long as it runs: a second server on the same
/// file refuses to start, and `roadshow restore` refuses to replace a
/// database in use. The kernel drops the lock when the process ends, however
/// it ends (kill -9 included), so a stale lock file means nothing.
public final class DatabaseLock: @unchecked Sendable {
    private let fd: Int32
    public let path: String

    /// Takes the lock, or returns nil when another process holds it.
    public init?(database: String) {
        path = database + ".lock"
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        self.fd = fd
    }

    private let guardLock = NSLock()
    private var held = true

    /// Gives the lock up (once; also on deinit).
    public func release() {
        guardLock.lock()
        defer { guardLock.unlock() }
        guard held else { return }
        held = false
        flock(fd, LOCK_UN)
        close(fd)
    }

    deinit { release() }
}
