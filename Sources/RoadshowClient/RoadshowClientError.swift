/// What can go wrong on the client's side of the wire, said so that a person
/// knows what to do. Errors the server answers with are `RoadshowError`s.
public enum RoadshowClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server address is not a usable ws:// URL.
    case invalidURL(String, String)
    /// No WebSocket connection could be made; the second value is the reason.
    case cannotConnect(url: String, reason: String)
    /// The server answered but did not accept the WebSocket upgrade.
    case upgradeRefused(url: String, reason: String)
    /// The TCP connection was made, then dropped during the handshake (a wrong
    /// path, TLS against plain ws, or a server going down).
    case handshakeFailed(url: String, reason: String)
    /// Nothing came back in time; `what` names what was waited for.
    case timedOut(url: String, what: String, seconds: Double)
    /// The connection is closed (or closed while a reply was awaited).
    case closed(url: String, CloseInfo?)
    /// The same request id is already waiting for its reply on this connection.
    case duplicateRequestId(String)

    public var description: String {
        switch self {
        case let .invalidURL(url, why):
            return "invalid server address \"\(url)\": \(why)"
        case let .cannotConnect(url, reason):
            return "cannot reach the server at \(url): \(reason) — is `roadshow serve` running?"
        case let .handshakeFailed(url, reason):
            return "the connection to \(url) broke off during the WebSocket handshake: \(reason) — is the address right (usually ws://HOST:PORT/ws)?"
        case let .upgradeRefused(url, reason):
            return "the server at \(url) refused the WebSocket connection: \(reason) — is the path right (usually /ws)?"
        case let .timedOut(url, what, seconds):
            return "timed out after \(Self.format(seconds)) s waiting for \(what) from \(url)"
        case let .closed(url, info?):
            return "the connection to \(url) closed: \(info)"
        case let .closed(url, nil):
            return "the connection to \(url) is closed"
        case let .duplicateRequestId(id):
            return "request id \"\(id)\" is already waiting for a reply on this connection"
        }
    }

    /// True for errors after which a new connection may succeed (the server restarted, the network blinked).
    public var isTransient: Bool {
        switch self {
        case .cannotConnect, .handshakeFailed, .timedOut, .closed: return true
        case .invalidURL, .upgradeRefused, .duplicateRequestId: return false
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
