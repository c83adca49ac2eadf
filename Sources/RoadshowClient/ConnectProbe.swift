import Foundation

/// libwebsockets reports a failed connect only as "Unable to connect" (or not at
/// all when the name does not resolve). After such a failure one plain TCP
/// connect to the same address finds out why, in the system's words:
/// "connection refused", "no route to host", "name not resolved".
enum ConnectProbe {
    /// Why a TCP connection to host:port fails, or nil if it now succeeds.
    static func diagnose(host: String, port: Int, timeoutSeconds: Int = 2) -> String? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            return "the host name \"\(host)\" could not be resolved (\(String(cString: gai_strerror(status))))"
        }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = 0
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let e = entry {
            let fd = socket(e.pointee.ai_family, e.pointee.ai_socktype, e.pointee.ai_protocol)
            if fd >= 0 {
                var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                let result = connect(fd, e.pointee.ai_addr, e.pointee.ai_addrlen)
                lastError = result == 0 ? 0 : errno
                close(fd)
                if result == 0 { return nil }
            } else {
                lastError = errno
            }
            entry = e.pointee.ai_next
        }
        switch lastError {
        case ECONNREFUSED: return "connection refused (nothing listens on port \(port))"
        case ETIMEDOUT, EINPROGRESS, EAGAIN: return "no answer from \(host):\(port) (timed out)"
        default: return String(cString: strerror(lastError)).lowercased()
        }
    }
}
