import Foundation
import RoadshowCore

/// The HTTP answers the engine gives: `GET /healthz`, `GET /metrics` and
/// `GET /api/ops` (the op table, the vocabulary and the page's rules).
extension Engine {
    struct HTTPAnswer {
        let status: Int
        let contentType: String
        let body: [UInt8]
    }

    /// The paths answered here rather than from `web/`.
    static let httpPaths = ["/healthz", "/metrics", "/api/ops"]

    func http(path: String) -> HTTPAnswer {
        checkThread()
        switch path {
        case "/healthz":
            let healthy = writer.isHealthy && !draining
            let body: JSON = [
                "ok": .bool(healthy),
                "store": .string(writer.isHealthy ? "writable" : "failing"),
                "connections": .int(Int64(sessions.count)),
                "streams": .int(Int64(streams.count)),
                "uptimeSeconds": .int(Int64(Date().timeIntervalSince(startedAt))),
                "calendar": calendarHealth,
            ]
            return HTTPAnswer(status: healthy ? 200 : 503, contentType: "application/json", body: body.encodedBytes)
        case "/metrics":
            return HTTPAnswer(status: 200, contentType: "text/plain; version=0.0.4", body: Array(metrics.render().utf8))
        case "/api/ops":
            return HTTPAnswer(status: 200, contentType: "application/json", body: Self.catalogue)
        default:
            return HTTPAnswer(status: 404, contentType: "text/plain", body: Array("not found\n".utf8))
        }
    }

    /// The working-day calendar's state: the source, the years covered, and
    /// whether this year or the next lacks data (deadlines then count Monday–Friday).
    var calendarHealth: JSON {
        let today = policy.calendar.day(of: now)
        guard let first = CalendarDay(year: today.year, month: 1, day: 1), let last = CalendarDay(year: today.year + 1, month: 12, day: 31) else {
            return policy.calendarState()
        }
        return policy.calendarState(years: policy.calendar.yearsWithoutData(from: first, to: last))
    }

    /// The op table never changes while serving: encoded once.
    static let catalogue = OpTable.catalogue.encodedBytes
}

/// Which browser origins may open the WebSocket: the server's own (`http://`
/// or `https://` + the Host it used) or a configured one.
struct OriginPolicy {
    let allowed: Set<String>

    func allows(_ origin: String, host: String) -> Bool {
        if !host.isEmpty, origin == "http://\(host)" || origin == "https://\(host)" { return true }
        return allowed.contains(origin)
    }
}
