import Foundation
@testable import RoadshowClient
import RoadshowCore
import Testing

/// The client's pure parts: addresses, backoff, reassembly, request keys, event lines.
struct ClientPiecesTests {
    @Test func parsesServerAddresses() throws {
        let a = try ServerAddress(parsing: "ws://127.0.0.1:8080/ws")
        #expect(a.host == "127.0.0.1" && a.port == 8080 && a.path == "/ws" && !a.secure)
        #expect(a.hostHeader == "127.0.0.1:8080")
        #expect(a.inviteLink(token: "rs_p_abc") == "http://127.0.0.1:8080/#/join/rs_p_abc")
        let b = try ServerAddress(parsing: "wss://roadshow.example.gov.cn/ws")
        #expect(b.port == 443 && b.secure && b.webBase == "https://roadshow.example.gov.cn")
        let c = try ServerAddress(parsing: "ws://[::1]:9000")
        #expect(c.host == "::1" && c.port == 9000 && c.path == "/" && c.hostHeader == "[::1]:9000")
        #expect(throws: RoadshowClientError.self) { try ServerAddress(parsing: "http://127.0.0.1:8080/ws") }
        #expect(throws: RoadshowClientError.self) { try ServerAddress(parsing: "ws://host:99999/ws") }
        #expect(throws: RoadshowClientError.self) { try ServerAddress(parsing: "127.0.0.1:8080") }
    }

    @Test func backoffDoublesUpToItsCap() {
        let b = Backoff(initial: .milliseconds(250), maximum: .seconds(2), jitter: 0)
        #expect((1...6).map { b.baseDelay(attempt: $0) } == [
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(2), .seconds(2),
        ])
        let jittered = Backoff(initial: .seconds(1), maximum: .seconds(10), jitter: 0.2)
        for _ in 0..<50 {
            let d = jittered.delay(attempt: 1)
            #expect(d >= .milliseconds(800) && d <= .milliseconds(1200))
        }
    }

    @Test func reassemblesFragmentsAndRefusesOversizedMessages() {
        var assembler = MessageAssembler(limit: 10)
        func feed(_ text: String, final: Bool, binary: Bool = false) -> MessageAssembler.Outcome {
            Array(text.utf8).withUnsafeBytes { assembler.append($0, binary: binary, final: final) }
        }
        #expect(feed("{\"a\"", final: false) == .partial)
        #expect(feed(":1}", final: true) == .message(Array("{\"a\":1}".utf8), binary: false))
        #expect(feed("abc", final: true, binary: true) == .message(Array("abc".utf8), binary: true))
        #expect(feed("123456", final: false) == .partial)
        #expect(feed("7890X", final: false) == .tooLarge)
        #expect(feed("rest", final: true) == .tooLarge)
        // The next message starts clean.
        #expect(feed("ok", final: true) == .message(Array("ok".utf8), binary: false))
    }

    @Test func requestKeysAreRandomAndOnlyForMutations() {
        let keys = Set((0..<100).map { _ in RequestKey.make() })
        #expect(keys.count == 100)
        #expect(keys.allSatisfy { $0.hasPrefix("rk_") && $0.count <= 64 })
        #expect(RequestKey.isMutating("checklist.set"))
        #expect(RequestKey.isMutating("roster.add"))
        #expect(!RequestKey.isMutating("meeting.get"))
        #expect(!RequestKey.isMutating("auth"))
    }

    @Test func serverErrorObjectsBecomeRoadshowErrors() {
        let e = RoadshowError(wire: ["code": "forbidden", "message": "not yours", "field": "args.meeting"])
        #expect(e.code == .forbidden && e.message == "not yours" && e.field == "args.meeting")
        let unknown = RoadshowError(wire: ["code": "teapot", "message": "short and stout"])
        #expect(unknown.code == .internal && unknown.message == "teapot: short and stout")
    }

    @Test func eventLinesNameWhatChanged() {
        let event: JSON = [
            "event": "checklist.item_set", "stream": "M-7Q2K", "seq": 12, "at": "2026-12-01T06:03:05.000Z", "by": "P-3",
            "data": ["item": ["id": "C-4", "text": "确认企业投资意向", "done": true, "phase": "preparing", "note": "已确认"]],
        ]
        let line = EventLine.render(event, local: LocalTime(identifier: "Asia/Shanghai")!)
        #expect(line == "   12  2026-12-01 14:03:05  checklist.item_set      P-3       [x] C-4 确认企业投资意向 — 已确认")
        let roster: JSON = [
            "event": "roster.added", "seq": 3, "by": "O-1",
            "data": ["participant": ["id": "P-2", "name": "王芳", "unit": "高新区管委会", "role": "unit"]],
        ]
        #expect(EventLine.summary(roster) == "P-2 王芳 (高新区管委会) unit 参会单位")
        let removed: JSON = ["event": "checklist.item_removed", "data": ["item": ["id": "C-9"]]]
        #expect(EventLine.summary(removed) == "C-9 (removed)")
    }

    @Test func clientErrorsReadLikeAdvice() {
        let e = RoadshowClientError.cannotConnect(url: "ws://127.0.0.1:8080/ws", reason: "connection refused")
        #expect(e.description == "cannot reach the server at ws://127.0.0.1:8080/ws: connection refused — is `roadshow serve` running?")
        #expect(e.isTransient)
        #expect(CloseInfo(code: 1009, reason: "", initiatedLocally: false).description == "1009 (message too big)")
    }
}
