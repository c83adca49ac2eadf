import Foundation

/// A server's WebSocket URL taken apart: `ws://127.0.0.1:8080/ws`,
/// `wss://roadshow.example.gov.cn/ws`, `ws://[::1]:8080/ws`.
public struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
    public let secure: Bool
    public let host: String
    public let port: Int
    /// The request path, with the query if any; "/" when the URL has none.
    public let path: String

    public init(parsing text: String) throws(RoadshowClientError) {
        let url = text.trimmingCharacters(in: .whitespaces)
        let rest: Substring
        if url.lowercased().hasPrefix("ws://") {
            secure = false
            rest = url.dropFirst(5)
        } else if url.lowercased().hasPrefix("wss://") {
            secure = true
            rest = url.dropFirst(6)
        } else if url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://") {
            throw .invalidURL(text, "use ws:// or wss:// (the WebSocket address, e.g. ws://127.0.0.1:8080/ws)")
        } else {
            throw .invalidURL(text, "expected ws://HOST:PORT/ws")
        }
        let authority: Substring
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) {
            authority = rest[..<slash]
            let p = String(rest[slash...])
            path = p.hasPrefix("/") ? p : "/" + p
        } else {
            authority = rest
            path = "/"
        }
        if authority.contains("@") { throw .invalidURL(text, "user names in the URL are not supported") }
        var hostPart: Substring
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidURL(text, "unclosed [ in the IPv6 address") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() } else if !after.isEmpty {
                throw .invalidURL(text, "unexpected text after the IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
        }
        if hostPart.isEmpty { throw .invalidURL(text, "the host is missing") }
        host = String(hostPart)
        if let portPart {
            guard let p = Int(portPart), (1...65535).contains(p) else {
                throw .invalidURL(text, "the port must be a number from 1 to 65535")
            }
            port = p
        } else {
            port = secure ? 443 : 80
        }
    }

    /// The value of the Host header: the host, and the port unless it is the scheme's default.
    public var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? h : "\(h):\(port)"
    }

    /// The page's base address on the same server: `http://127.0.0.1:8080`.
    public var webBase: String { (secure ? "https://" : "http://") + hostHeader }

    public var description: String { (secure ? "wss://" : "ws://") + hostHeader + path }
}

extension ServerAddress {
    /// A participant's personal invite link on this server's page: `http://HOST:PORT/#/join/<token>`.
    public func inviteLink(token: String) -> String { webBase + "/#/join/" + token }
}
