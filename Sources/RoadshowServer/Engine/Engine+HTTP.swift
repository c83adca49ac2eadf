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
            return HTTPAnswer(status: 200, contentType: "text/plain; version=0.0.4", body: metrics.render())
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

/// Which browser origins may open the WebSocket: the server's own — its
/// `--public-url`, and `http(s)://<listen address>:<port>` (with `localhost`,
/// `127.0.0.1` and `[::1]` for a loopback or any-address listener) — and the
/// configured ones. Never the request's own `Host` header: a page on a
/// rebinding DNS name sends a matching Host and Origin, and must be refused.
struct OriginPolicy {
    let allowed: Set<String>
    var own: Set<String> = []

    init(allowed: Set<String>) { self.allowed = allowed }

    func allows(_ origin: String) -> Bool {
        let o = origin.lowercased()
        return own.contains(o) || allowed.contains(o)
    }

    static func own(host: String, port: Int, publicURL: String?) -> Set<String> {
        var out: Set<String> = []
        if let publicURL, let url = URL(string: publicURL), let scheme = url.scheme?.lowercased(), let h = url.host?.lowercased() {
            let bracketed = h.contains(":") && !h.hasPrefix("[") ? "[\(h)]" : h
            out.insert(url.port.map { "\(scheme)://\(bracketed):\($0)" } ?? "\(scheme)://\(bracketed)")
        }
        let loopback = ["0.0.0.0", "::", "127.0.0.1", "localhost", "::1"].contains(host)
        let hosts = loopback ? ["127.0.0.1", "localhost", "[::1]"] : [host.contains(":") ? "[\(host)]" : host.lowercased()]
        for h in hosts {
            for scheme in ["http", "https"] {
                out.insert("\(scheme)://\(h):\(port)")
                if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) { out.insert("\(scheme)://\(h)") }
            }
        }
        return out
    }
}
