/// An error a request can get back: the contract's error codes, a message a
/// person can act on, and the field it is about.
///
/// Besides the contract's `code`, `message` (English, naming the field) and
/// `field`, every error a person can cause carries:
/// - `reason`, a stable machine name (`too_long`, `phase_closed`, …) and its
///   `params` (`{"max": 60}`), for clients that word it themselves;
/// - `zh` / `en`, the text to show in each language — beside `field` when
///   there is one, so it does not repeat the field's name;
/// - `errors`, when a request had several faulty fields: each of them (the
///   error itself is the first), so a form shows every message at once.
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
    public var reason: String?
    public var params: [String: JSON] = [:]
    /// Chinese text, to show beside `field` (or alone when there is none).
    public var zh: String?
    /// English text to show beside `field`; nil: `message`.
    public var en: String?
    /// Every faulty field of the request, when there were several.
    public var errors: [RoadshowError] = []

    public init(
        _ code: Code, _ message: String, field: String? = nil, details: JSON? = nil,
        reason: String? = nil, params: [String: JSON] = [:], zh: String? = nil, en: String? = nil
    ) {
        self.code = code
        self.message = message
        self.field = field
        self.details = details
        self.reason = reason
        self.params = params
        self.zh = zh
        self.en = en
    }

    public var description: String {
        field.map { "\(code.rawValue): \(message) (\($0))" } ?? "\(code.rawValue): \(message)"
    }

    /// The text to show a person in `language` ("zh" or "en").
    public func text(_ language: String) -> String {
        if language == "zh" { return zh ?? Self.generic(code).zh }
        return en ?? message
    }

    /// What to say in Chinese when an error has no text of its own (the
    /// transport's and the server's own failures).
    static func generic(_ code: Code) -> (zh: String, en: String) {
        switch code {
        case .badRequest: ("请求的格式不对，请检查填写的内容后重试。", "The request is malformed; check what you entered and try again.")
        case .unknownOp: ("服务器不认识这个操作，请刷新页面后重试。", "The server does not know this operation; reload the page and try again.")
        case .unauthenticated: ("请先登录：使用您的访问令牌或个人邀请链接。", "Sign in first, with your access token or your personal invite link.")
        case .forbidden: ("您没有权限进行此操作。", "You are not allowed to do this.")
        case .notFound: ("找不到要操作的内容，它可能已被删除；请刷新后重试。", "It was not found; it may have been removed. Reload and try again.")
        case .conflict: ("当前状态下不能这样做，请刷新后再试。", "This cannot be done in the current state; reload and try again.")
        case .rejectedFeedback: ("反馈内容不够具体，请写明本期的实际进展。", "The feedback is not specific enough; describe this period's actual progress.")
        case .rateLimited: ("操作太频繁了，请稍等几秒再试。", "Too many requests; wait a few seconds and try again.")
        case .tooLarge: ("内容太多了，请减少后再试。", "Too much at once; reduce it and try again.")
        case .internal: ("服务器出错了，请稍后重试；如果一直出现，请联系管理员。", "The server failed; try again shortly, and tell the administrator if it keeps happening.")
        }
    }

    public var json: JSON {
        var o = ownJSON
        if errors.count > 1 { o["errors"] = .array(errors.map { .object($0.ownJSON) }) }
        return .object(o)
    }

    private var ownJSON: [String: JSON] {
        var o: [String: JSON] = ["code": .string(code.rawValue), "message": .string(message)]
        if let field { o["field"] = .string(field) }
        if let details { o["details"] = details }
        if let reason { o["reason"] = .string(reason) }
        if !params.isEmpty { o["params"] = .object(params) }
        o["text"] = ["zh": .string(text("zh")), "en": .string(text("en"))]
        return o
    }

    // MARK: making errors

    public static func badRequest(_ message: String, zh: String, field: String? = nil, reason: String? = nil, params: [String: JSON] = [:], en: String? = nil) -> RoadshowError {
        RoadshowError(.badRequest, message, field: field, reason: reason, params: params, zh: zh, en: en)
    }
    public static func forbidden(_ message: String, zh: String, reason: String? = nil) -> RoadshowError {
        RoadshowError(.forbidden, message, reason: reason, zh: zh)
    }
    public static func notFound(_ message: String, zh: String, field: String? = nil, reason: String? = nil) -> RoadshowError {
        RoadshowError(.notFound, message, field: field, reason: reason, zh: zh)
    }
    public static func conflict(
        _ message: String, zh: String, field: String? = nil, details: JSON? = nil, reason: String? = nil, params: [String: JSON] = [:]
    ) -> RoadshowError {
        RoadshowError(.conflict, message, field: field, details: details, reason: reason, params: params, zh: zh)
    }
    public static func tooLarge(_ message: String, zh: String, reason: String? = nil, params: [String: JSON] = [:]) -> RoadshowError {
        RoadshowError(.tooLarge, message, reason: reason, params: params, zh: zh)
    }
}
