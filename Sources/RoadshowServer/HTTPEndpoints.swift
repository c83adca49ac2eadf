import Foundation
import RoadshowCore

/// `GET /healthz` and `GET /metrics`, and the browser origin check.
extension Hub {
    func httpResponse(path: String) -> (status: Int, contentType: String, body: String) {
        switch path {
        case "/healthz":
            let healthy = writer.isHealthy && !draining
            let body: JSON = [
                "ok": .bool(healthy),
                "store": .string(writer.isHealthy ? "writable" : "failing"),
                "connections": .int(Int64(connections.count)),
                "streams": .int(Int64(streams.count)),
                "uptimeSeconds": .int(Int64(Date().timeIntervalSince(startedAt))),
            ]
            return (healthy ? 200 : 503, "application/json", body.encodedString)
        case "/metrics":
            return (200, "text/plain; version=0.0.4", metrics.render())
        default:
            return (404, "text/plain", "not found\n")
        }
    }

    /// A browser may connect from the server's own origin (`http://` + the Host
    /// it used) or from a configured one.
    func originAllowed(_ origin: String, host: String) -> Bool {
        if !host.isEmpty, origin == "http://\(host)" || origin == "https://\(host)" { return true }
        return config.allowedOrigins.contains(origin)
    }
}
