import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// `serve --tls-cert/--tls-key` (issue 10, point 12): https and wss through
/// libwebsockets' OpenSSL, with a self-signed certificate made for the test.
@Suite("TLS")
struct TLSTests {
    static func run(_ tool: String, _ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("https serves the page and /healthz; wss carries the protocol; plain http on the TLS port gets nothing",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func tls() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        let (status, output) = try Self.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        #expect(status == 0, "\(output)")
        let server = try TestServer(directory: dir) {
            $0.tlsCertificatePath = cert
            $0.tlsKeyPath = key
        }
        defer { server.stop() }
        let port = server.server.port
        let (healthStatus, health) = try Self.run("/usr/bin/curl", ["-sS", "--cacert", cert, "https://127.0.0.1:\(port)/healthz"])
        #expect(healthStatus == 0 && health.contains("\"ok\":true"), "\(health)")
        let (_, page) = try Self.run("/usr/bin/curl", ["-sS", "--cacert", cert, "-D", "-", "https://127.0.0.1:\(port)/"])
        #expect(page.contains("200") && page.lowercased().contains("content-security-policy"))
        let (plainStatus, _) = try Self.run("/usr/bin/curl", ["-sS", "--max-time", "5", "http://127.0.0.1:\(port)/healthz"])
        #expect(plainStatus != 0, "plain http on the TLS port must not answer")

        // wss through the CLI (its own process: the client's TLS context reads
        // ROADSHOW_CA_FILE when it is made), trusting the test's certificate.
        let env = ["ROADSHOW_SERVER": "wss://127.0.0.1:\(port)/ws", "ROADSHOW_TOKEN": TestServer.adminToken, "ROADSHOW_CA_FILE": cert]
        let made = try await CLIRunner.run(["account", "create", "--name", "黄山市投资促进局", "--kind", "organizer", "--json"], env: env)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.json?["token"]?.stringValue?.hasPrefix("rs_o_") == true)
        // Without the CA the certificate is refused.
        var untrusted = env
        untrusted.removeValue(forKey: "ROADSHOW_CA_FILE")
        let refused = try await CLIRunner.run(["account", "list"], env: untrusted)
        #expect(refused.status != 0 && refused.stderr.contains("TLS"), "\(refused.stderr)")
    }
}
