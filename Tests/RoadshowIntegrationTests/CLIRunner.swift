import Foundation
import RoadshowCore

/// Runs the built `roadshow` binary as a person would, for the CLI tests. The
/// binary is found next to the test bundle (the build products folder), or at
/// ROADSHOW_BIN.
enum CLIRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        var json: JSON? { try? JSON.parse(stdout.trimmingCharacters(in: .whitespacesAndNewlines)) }
        var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }

    struct NotBuilt: Error, CustomStringConvertible {
        let looked: [String]
        var description: String {
            "the roadshow binary was not found (looked at \(looked.joined(separator: ", "))); run `swift build --build-tests` first, or set ROADSHOW_BIN"
        }
    }

    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let given = ProcessInfo.processInfo.environment["ROADSHOW_BIN"] { candidates.append(URL(fileURLWithPath: given)) }
        for base in [Bundle.main.bundleURL, Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])] {
            guard let base else { continue }
            var dir = base.deletingLastPathComponent()
            // Inside a bundle (…/X.xctest/Contents/MacOS/X): walk up to the products folder.
            while dir.path.contains(".xctest") { dir = dir.deletingLastPathComponent() }
            candidates.append(dir.appendingPathComponent("roadshow"))
        }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) { return found }
        throw NotBuilt(looked: candidates.map(\.path))
    }

    /// The environment the CLI sees: no inherited ROADSHOW_* settings, then `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ROADSHOW_") && !$0.key.hasPrefix("LC_") }
        // English messages unless a test asks for another language, whatever this machine's locale.
        env["LANG"] = "C.UTF-8"
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Runs `roadshow args...` to its end (killed after `timeout`).
    static func run(_ args: [String], env: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = try binary()
        process.arguments = args
        process.environment = environment(env)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { p in continuation.resume(returning: p.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            let pid = process.processIdentifier
            Task {
                try? await Task.sleep(for: timeout)
                if process.isRunning, process.processIdentifier == pid { process.terminate() }
            }
        }
        try out.close()
        try err.close()
        return Result(
            status: status,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// A running `roadshow` (e.g. `watch`) whose output lines are read as they come.
    final class Running: @unchecked Sendable {
        let process = Process()
        let stdoutLines: AsyncStream<String>
        private let lock = NSLock()
        private var _stderr = ""

        var stderr: String { lock.withLock { _stderr } }

        init(_ args: [String], env: [String: String]) throws {
            let (lines, sink) = AsyncStream.makeStream(of: String.self)
            stdoutLines = lines
            let outPipe = Pipe()
            let errPipe = Pipe()
            process.executableURL = try CLIRunner.binary()
            process.arguments = args
            process.environment = CLIRunner.environment(env)
            process.standardOutput = outPipe
            process.standardError = errPipe
            process.standardInput = FileHandle.nullDevice
            let buffer = LineBuffer()
            outPipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                    sink.finish()
                    return
                }
                for line in buffer.append(data) { sink.yield(line) }
            }
            errPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                    return
                }
                self?.lock.withLock { self?._stderr += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
        }

        /// Waits until stderr contains `text` (or `timeout` passes); true if it did.
        func waitForStderr(_ text: String, timeout: Duration = .seconds(20)) async throws -> Bool {
            let deadline = ContinuousClock.now + timeout
            while !stderr.contains(text) {
                if ContinuousClock.now > deadline { return false }
                try await Task.sleep(for: .milliseconds(20))
            }
            return true
        }

        func stop() {
            if process.isRunning { process.terminate() }
        }

        deinit { stop() }
    }

    /// Splits a byte stream into lines.
    final class LineBuffer: @unchecked Sendable {
        private var pending: [UInt8] = []

        func append(_ data: Data) -> [String] {
            pending.append(contentsOf: data)
            var lines: [String] = []
            while let newline = pending.firstIndex(of: 0x0A) {
                lines.append(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
            return lines
        }
    }
}
