/// How a WebSocket connection ended: the close code the peer sent (or 1006 when
/// the connection dropped without a close frame) and its reason text.
public struct CloseInfo: Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    public let reason: String
    /// True when this side asked for the close.
    public let initiatedLocally: Bool

    public init(code: Int, reason: String, initiatedLocally: Bool) {
        self.code = code
        self.reason = reason
        self.initiatedLocally = initiatedLocally
    }

    /// Close code 1006: no close frame was received (the peer vanished, the network dropped).
    public static let abnormal = 1006

    public var meaning: String {
        switch code {
        case 1000: return "normal close"
        case 1001: return "the server is going away"
        case 1002: return "protocol error"
        case 1003: return "unacceptable data type"
        case 1006: return "the connection dropped"
        case 1007: return "invalid UTF-8 in a message"
        case 1008: return "policy violation"
        case 1009: return "message too big"
        case 1011: return "server error"
        default: return "close code \(code)"
        }
    }

    public var description: String {
        reason.isEmpty ? "\(code) (\(meaning))" : "\(code) (\(meaning): \(reason))"
    }
}
