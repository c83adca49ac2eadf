/// An error a request can get back: the contract's error codes, a message a
/// person can act on, and the field it is about.
public struct RoadshowError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        case badRequest = "bad_request"
        case unknownOp = "unknown_op"
        case unauthenticated
        case forbidden
        case notFound = "not_found"
        case conflict
        case rejectedFeedback = "rejected_feedback"
        case rateLimited = "rate_limited"
        case tooLarge = "too_large"
        case `internal`
    }

    public let code: Code
    public let message: String
    public let field: String?
    /// Extra machine-readable detail (e.g. the blockers of a phase change).
    public let details: JSON?

    public init(_ code: Code, _ message: String, field: String? = nil, details: JSON? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.details = details
    }

    public var description: String {
        field.map { "\(code.rawValue): \(message) (\($0))" } ?? "\(code.rawValue): \(message)"
    }

    public var json: JSON {
        var o: [String: JSON] = ["code": .string(code.rawValue), "message": .string(message)]
        if let field { o["field"] = .string(field) }
        if let details { o["details"] = details }
        return .object(o)
    }

    public static func badRequest(_ message: String, field: String? = nil) -> RoadshowError {
        RoadshowError(.badRequest, message, field: field)
    }
    public static func forbidden(_ message: String) -> RoadshowError { RoadshowError(.forbidden, message) }
    public static func notFound(_ message: String, field: String? = nil) -> RoadshowError {
        RoadshowError(.notFound, message, field: field)
    }
    public static func conflict(_ message: String, field: String? = nil, details: JSON? = nil) -> RoadshowError {
        RoadshowError(.conflict, message, field: field, details: details)
    }
}
