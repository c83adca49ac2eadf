import Foundation
import RoadshowCore

/// The meetings' uploaded files, beside the database: content-addressed by
/// SHA-256 (`<root>/sha256/ab/abcdef…`), so the same deck uploaded to two
/// meetings is kept once and a file's name says what its bytes must hash to.
///
/// An upload is written to `<root>/incoming/` first, synced, hashed, and only
/// then renamed into place (and the directory synced): a file under `sha256/`
/// is always whole. The event that lists it is committed after that, so a
/// server killed mid-upload leaves at most a part in `incoming/` — which no
/// URL reaches, and which the next start deletes — or a whole file that no
/// event names, which nobody can fetch either (files are served by a
/// meeting's event, never by path).
public final class MaterialFiles: Sendable {
    public let root: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// An upload being received: an open file in `incoming/`.
    public struct Incoming: Sendable {
        public let fd: Int32
        public let path: String
    }

    /// Where the files of the database at `databasePath` live: `<name>.files`
    /// beside it (`data/roadshow.sqlite` → `data/roadshow.files`).
    public static func root(forDatabase databasePath: String) -> String {
        URL(fileURLWithPath: databasePath).deletingPathExtension().path + ".files"
    }

    /// Opens (and makes) the directories; with `clearIncoming`, deletes what
    /// a killed server left half-received.
    public init(root: String, clearIncoming: Bool = true) throws {
        self.root = root
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: root + "/sha256", withIntermediateDirectories: true)
            try fm.createDirectory(atPath: root + "/incoming", withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot make the materials directory \(root): \(error.localizedDescription)")
        }
        if clearIncoming, let left = try? fm.contentsOfDirectory(atPath: root + "/incoming") {
            for name in left { unlink(root + "/incoming/" + name) }
        }
    }

    public func path(sha256 hex: String) -> String {
        "\(root)/sha256/\(hex.prefix(2))/\(hex)"
    }

    public func has(sha256 hex: String) -> Bool {
        FileManager.default.fileExists(atPath: path(sha256: hex))
    }

    /// A new file in `incoming/`, open for writing.
    public func begin() throws -> Incoming {
        var random = SystemRandomNumberGenerator()
        let name = String(random.next(), radix: 36) + String(random.next(), radix: 36)
        let path = "\(root)/incoming/\(name)"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot make \(path): \(String(cString: strerror(errno)))") }
        return Incoming(fd: fd, path: path)
    }

    /// Appends bytes to an incoming file (all of them, or throws).
    public static func write(_ incoming: Incoming, _ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = Foundation.write(incoming.fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "writing an upload failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }

    /// Deletes an incoming file (refused or abandoned).
    public func discard(_ incoming: Incoming) {
        close(incoming.fd)
        unlink(incoming.path)
    }

    /// What a stored upload is.
    public struct Stored: Sendable, Equatable {
        public let sha256: String
        public let bytes: Int64
    }

    /// Syncs an incoming file, hashes it and moves it to its place (or drops
    /// it, when those bytes are kept already). Blocking: not on the service thread.
    public func store(_ incoming: Incoming) throws -> Stored {
        defer { unlink(incoming.path) }
        guard fsync(incoming.fd) == 0 else {
            close(incoming.fd)
            throw Failure(description: "syncing an upload failed: \(String(cString: strerror(errno)))")
        }
        close(incoming.fd)
        guard let data = FileManager.default.contents(atPath: incoming.path) else {
            throw Failure(description: "an upload could not be read back from \(incoming.path)")
        }
        let hex = Self.hex(SHA256.hash(data))
        let target = path(sha256: hex)
        if !has(sha256: hex) {
            let dir = (target as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            guard rename(incoming.path, target) == 0 else {
                throw Failure(description: "cannot move an upload into \(target): \(String(cString: strerror(errno)))")
            }
            Self.syncDirectory(dir)
            Self.syncDirectory((dir as NSString).deletingLastPathComponent)
        }
        return Stored(sha256: hex, bytes: Int64(data.count))
    }

    /// Copies bytes into place under their hash (a restore, a backup),
    /// checking they hash to it; the copy is synced before it is renamed.
    public func put(sha256 hex: String, from source: String) throws {
        guard !has(sha256: hex) else { return }
        guard let data = FileManager.default.contents(atPath: source) else { throw Failure(description: "cannot read \(source)") }
        guard Self.hex(SHA256.hash(data)) == hex else { throw Failure(description: "\(source) does not hash to \(hex): the copy is damaged") }
        let incoming = try begin()
        do {
            try data.withUnsafeBytes { try Self.write(incoming, $0) }
            let stored = try store(incoming)
            guard stored.sha256 == hex else { throw Failure(description: "\(source) changed while it was copied") }
        } catch {
            discard(incoming)
            throw error
        }
    }

    /// Whether the kept file for `hex` is whole: present and hashing to its name.
    public func verify(sha256 hex: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path(sha256: hex)) else { return false }
        return Self.hex(SHA256.hash(data)) == hex
    }

    public static func hex(_ digest: [UInt8]) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

import GRDB

extension MaterialFiles {
    /// A file a meeting lists now (added and not removed).
    public struct Listed: Sendable, Equatable {
        public let meeting: String
        public let material: String
        public let sha256: String
    }

    /// Every file the database's meetings list now, from their events.
    public static func listed(in db: any DatabaseReader) throws -> [Listed] {
        try db.read { db in
            var out: [String: Listed] = [:]
            var order: [String] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT stream, type, data FROM events WHERE type IN ('materials.added', 'materials.removed') ORDER BY stream, seq
                """)
            while let row = try rows.next() {
                let stream: String = row["stream"]
                let type: String = row["type"]
                let text: String = row["data"]
                let data = try JSON.parse(text)
                guard let id = data["material"]?["id"]?.stringValue else { continue }
                let key = stream + "/" + id
                if type == "materials.added", let sha = data["material"]?["sha256"]?.stringValue {
                    if out[key] == nil { order.append(key) }
                    out[key] = Listed(meeting: stream, material: id, sha256: sha)
                } else {
                    out.removeValue(forKey: key)
                }
            }
            return order.compactMap { out[$0] }
        }
    }

    /// What is wrong with the files the database lists: missing, or not
    /// hashing to their name. Empty when all are whole.
    public func problems(_ listed: [Listed]) -> [String] {
        var out: [String] = []
        var checked: [String: Bool] = [:]
        for l in listed {
            let whole = checked[l.sha256] ?? verify(sha256: l.sha256)
            checked[l.sha256] = whole
            if !whole {
                out.append(has(sha256: l.sha256)
                    ? "\(l.meeting) \(l.material): the file \(path(sha256: l.sha256)) does not hash to its name (damaged)"
                    : "\(l.meeting) \(l.material): the file \(path(sha256: l.sha256)) is missing")
            }
        }
        return out
    }

    /// Copies the listed files from `source` (each checked against its hash);
    /// how many were copied (those already here are not).
    @discardableResult
    public func copy(_ listed: [Listed], from source: MaterialFiles) throws -> Int {
        var n = 0
        for sha in Set(listed.map(\.sha256)).sorted() where !has(sha256: sha) {
            try put(sha256: sha, from: source.path(sha256: sha))
            n += 1
        }
        return n
    }
}
