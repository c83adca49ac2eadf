import Foundation
import RoadshowCore
import Testing

@testable import RoadshowServer

/// Caps on connections in all, per address and per token (issue 10, point 3):
/// the one over a cap is closed at once with a reason that says what to do.
@Suite("Connection caps")
struct ConnectionCapTests {
    static func closeFrame(_ h: EngineHarness, _ session: Int) throws -> JSON? {
        try h.take(session).first { $0["closed"] != nil }
    }

    @Test("per address: the one over the cap is closed with 1008; other addresses and loopback are not capped")
    func perAddress() throws {
        var limits = ServerConfiguration.Limits()
        limits.maxConnectionsPerAddress = 2
        let h = try EngineHarness(limits: limits)
        let a = try h.connect(peer: "10.0.0.9")
        let b = try h.connect(peer: "10.0.0.9")
        let c = try h.connect(peer: "10.0.0.9")
        #expect(try Self.closeFrame(h, a) == nil && Self.closeFrame(h, b) == nil)
        let closed = try #require(try Self.closeFrame(h, c))
        #expect(closed["closed"]?.intValue == 1008)
        #expect(closed["reason"]?.stringValue?.contains("too many connections from your address (at most 2)") == true)
        #expect(try Self.closeFrame(h, try h.connect(peer: "10.0.0.10")) == nil)
        for _ in 0..<5 { #expect(try Self.closeFrame(h, try h.connect(peer: "127.0.0.1")) == nil) }
        // Once one has gone, the address may connect again.
        h.engine.closed(a)
        h.engine.closed(c)
        #expect(try Self.closeFrame(h, try h.connect(peer: "10.0.0.9")) == nil)
        #expect(h.metrics.sample("roadshow_connections_refused_total") == 1)
    }

    @Test("per token: a third sign-in with the same token is closed; another token is fine")
    func perToken() throws {
        var limits = ServerConfiguration.Limits()
        limits.maxConnectionsPerToken = 2
        let h = try EngineHarness(limits: limits)
        let one = try h.connect(token: EngineHarness.adminToken)
        _ = try h.connect(token: EngineHarness.adminToken)
        let third = try h.connect()
        h.send(third, "auth", ["token": .string(EngineHarness.adminToken)])
        try h.settle()
        let closed = try #require(try Self.closeFrame(h, third))
        #expect(closed["closed"]?.intValue == 1008)
        #expect(closed["reason"]?.stringValue?.contains("this token is open on too many connections (at most 2)") == true)
        // Signing in again with the same token on a connection that has it does not count twice.
        _ = try h.call(one, "auth", ["token": .string(EngineHarness.adminToken)])
        h.engine.closed(one)
        _ = try h.connect(token: EngineHarness.adminToken)
    }

    @Test("in all: over the cap is closed with 4013, try again later")
    func total() throws {
        var limits = ServerConfiguration.Limits()
        limits.maxConnections = 3
        let h = try EngineHarness(limits: limits)
        for _ in 0..<3 { #expect(try Self.closeFrame(h, try h.connect()) == nil) }
        let over = try #require(try Self.closeFrame(h, try h.connect()))
        #expect(over["closed"]?.intValue == 4013)
        #expect(over["reason"]?.stringValue?.contains("try again in a minute") == true)
    }
}
