import ArgumentParser
import Foundation
import GRDB
import RoadshowCore
import RoadshowStore

/// The database file's own commands: they work on the file, not over the
/// WebSocket (a backup is taken while the server runs; a restore needs it stopped).
struct DatabaseOption: ParsableArguments {
    @Option(help: ArgumentHelp("The SQLite database file (env ROADSHOW_DB; default ./data/roadshow.sqlite).", valueName: "path"))
    var db: String?

    var path: String {
        if let db, !db.isEmpty { return db }
        if let d = ProcessInfo.processInfo.environment["ROADSHOW_DB"], !d.isEmpty { return d }
        return "./data/roadshow.sqlite"
    }

    /// The database, opened to read only (no migration runs).
    func openReadOnly(_ path: String) throws -> DatabasePool {
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("there is no database at \(path)") }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        return try DatabasePool(path: path, configuration: config)
    }
}

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a database: seqs contiguous, the hash chain intact, the query tables and stream snapshots equal to a rebuild from the log.",
        discussion: """
            Reads only; safe while the server runs. Exits 1 and says where it breaks (stream and seq)
            when something is wrong.

            Examples:
              roadshow verify
              roadshow verify --db /backups/roadshow-2026-12-01.sqlite --json
            """)

    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
        let path = database.path
        let pool = try database.openReadOnly(path)
        let result = try EventChain.verify(pool)
        // The materials' files the meetings list: present and whole.
        let listed = try MaterialFiles.listed(in: pool)
        let fileProblems = listed.isEmpty ? [] : try MaterialFiles(root: MaterialFiles.root(forDatabase: path), clearIncoming: false).problems(listed)
        let problems = result.problems.map(\.description) + fileProblems
        if json {
            print(JSON.object([
                "database": .string(path), "events": .int(Int64(result.events)), "streams": .int(Int64(result.streams)),
                "snapshots": .int(Int64(result.snapshots)), "materials": .int(Int64(listed.count)),
                "ok": .bool(problems.isEmpty), "problems": .array(problems.map { .string($0) }),
            ]).encodedString)
        } else if problems.isEmpty {
            print("\(path): ok — \(result.events) events in \(result.streams) streams; seqs contiguous, hash chain intact, tables equal to a rebuild, \(result.snapshots) snapshot(s) equal to a replay, \(listed.count) materials file(s) whole")
        } else {
            print("\(path): \(problems.count) problem(s) in \(result.events) events:")
            for p in problems.prefix(50) { print("  \(p)") }
        }
        if !problems.isEmpty { throw ExitCode.failure }
    }
}

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to FILE with SQLite's online backup (safe while the server runs), then verify the copy.",
        discussion: """
            The meetings' materials files go beside the copy (FILE's name with .files), each
            checked against its SHA-256. The invite key (the file links are derived from) is
            copied beside it only with --with-invite-key: keep it out of copies that leave the machine.

            Examples:
              roadshow backup /backups/roadshow-$(date +%F).sqlite
              roadshow backup --db data/roadshow.sqlite --with-invite-key /secure/roadshow.sqlite
            """)

    @OptionGroup var database: DatabaseOption
    @Argument(help: ArgumentHelp("Where to write the copy (must not exist).", valueName: "file")) var file: String
    @Flag(name: .customLong("with-invite-key"), help: "Also copy the invite key, as FILE's name with .invite-key.")
    var withInviteKey = false

    func run() throws {
        guard !FileManager.default.fileExists(atPath: file) else { throw ValidationError("\(file) exists already; choose a new name") }
        let source = try database.openReadOnly(database.path)
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: file).deletingLastPathComponent(), withIntermediateDirectories: true)
        let destination = try DatabaseQueue(path: file)
        try source.backup(to: destination)
        try destination.close()
        let copy = try database.openReadOnly(file)
        let check = try EventChain.verify(copy)
        guard check.problems.isEmpty else {
            throw ValidationError("the copy does not verify: \(check.problems.prefix(3).map(\.description).joined(separator: "; "))")
        }
        // The materials the copy lists, beside it (each checked against its hash on the way).
        var note = ""
        let listed = try MaterialFiles.listed(in: copy)
        if !listed.isEmpty {
            let from = try MaterialFiles(root: MaterialFiles.root(forDatabase: database.path), clearIncoming: false)
            let to = try MaterialFiles(root: MaterialFiles.root(forDatabase: file))
            do { try to.copy(listed, from: from) } catch {
                throw ValidationError("the database was copied to \(file), but not every materials file: \(error); run roadshow verify on \(database.path)")
            }
            note = ", \(listed.count) materials file(s) to \(to.root)"
        }
        if withInviteKey {
            let key = URL(fileURLWithPath: database.path).deletingPathExtension().path + ".invite-key"
            let target = URL(fileURLWithPath: file).deletingPathExtension().path + ".invite-key"
            try FileManager.default.copyItem(atPath: key, toPath: target)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
            note = ", and the invite key to \(target)"
        }
        print("Backed up \(database.path) to \(file)\(note): \(check.events) events in \(check.streams) streams, verified")
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the database with a backup (the server must be stopped); the backup is verified first.",
        discussion: """
            The database being replaced is kept beside it as <name>.before-restore-<time>. The
            backup's materials files (beside it, as `roadshow backup` wrote them) are checked and
            copied in first; a backup missing one is refused.

            Example:
              roadshow restore /backups/roadshow-2026-12-01.sqlite
            """)

    @OptionGroup var database: DatabaseOption
    @Argument(help: ArgumentHelp("The backup to restore.", valueName: "file")) var file: String

    func run() throws {
        let target = database.path
        let backup = try database.openReadOnly(file)
        let check = try EventChain.verify(backup)
        guard check.problems.isEmpty else {
            throw ValidationError("\(file) does not verify, nothing restored: \(check.problems.prefix(3).map(\.description).joined(separator: "; "))")
        }
        let listed = try MaterialFiles.listed(in: backup)
        let backupFiles = try MaterialFiles(root: MaterialFiles.root(forDatabase: file), clearIncoming: false)
        let missing = backupFiles.problems(listed)
        guard missing.isEmpty else {
            throw ValidationError("\(file)'s materials files are not all there, nothing restored: \(missing.prefix(3).joined(separator: "; "))")
        }
        guard let lock = DatabaseLock(database: target) else {
            throw ValidationError("a roadshow server is using \(target); stop it first, then restore")
        }
        defer { lock.release() }
        let fm = FileManager.default
        try fm.createDirectory(at: URL(fileURLWithPath: target).deletingLastPathComponent(), withIntermediateDirectories: true)
        if fm.fileExists(atPath: target) {
            let stamp = Timestamp.format(Date()).replacingOccurrences(of: ":", with: "-")
            let keep = URL(fileURLWithPath: target).deletingPathExtension().path + ".before-restore-\(stamp).sqlite"
            // Fold the old file's WAL in first, so the kept copy is whole.
            let old = try DatabaseQueue(path: target)
            try old.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try old.close()
            try fm.moveItem(atPath: target, toPath: keep)
            for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: target + suffix) }
            print("Kept the database it replaces as \(keep)")
        }
        // The files first: they only add to what is there, and none is listed until the database is in place.
        if !listed.isEmpty {
            try MaterialFiles(root: MaterialFiles.root(forDatabase: target)).copy(listed, from: backupFiles)
        }
        let tmp = target + ".restoring"
        try? fm.removeItem(atPath: tmp)
        let source = try database.openReadOnly(file)
        let destination = try DatabaseQueue(path: tmp)
        try source.backup(to: destination)
        try destination.close()
        guard rename(tmp, target) == 0 else { throw ValidationError("could not move the restored copy into place at \(target)") }
        print("Restored \(file) to \(target): \(check.events) events in \(check.streams) streams, \(listed.count) materials file(s); start the server")
    }
}
