import Foundation

/// An organizer or unit account, created by the admin.
public struct Account: Sendable, Codable, Equatable {
    public let id: String
    public var name: String
    public let kind: Actor.Kind
    public let createdAt: Date
}

/// The state of the `accounts` stream: every account there is.
public struct AccountDirectory: Sendable, Equatable, Codable {
    public static let stream = "accounts"
    public static let adminId = "A-ADMIN"
    public var accounts: [Account] = []

    public init() {}

    public func account(_ id: String) -> Account? { accounts.first { $0.id == id } }

    /// The first start: the admin account and its token.
    public static func bootstrap(token: String, now: Date) -> Decision {
        var decision = Decision(newStream: stream)
        let admin = Account(id: adminId, name: "Administrator", kind: .admin, createdAt: now)
        decision.events.append(.accountCreated(admin))
        decision.credentials.append(.issue(Credential(
            tokenHash: Identifiers.tokenHash(token), actor: adminId, kind: .admin, name: admin.name, meeting: nil)))
        return decision
    }

    /// `account.create` (admin).
    func create(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        guard ctx.actor.kind == .admin else { throw .forbidden("only the admin can create accounts", zh: "只有管理员可以新建账号。") }
        try args.rejectUnknown(["name", "kind", "requestKey"])
        let name = try args.string("name", maxLength: 100, what: "the account's name, e.g. the bureau's name")
        let kind = try args.enumValue("kind", CreatableKind.self)
        if accounts.contains(where: { $0.name == name && $0.kind.rawValue == kind.rawValue }) {
            throw .conflict("there is already an account named \(name) of kind \(kind.rawValue); choose another name", zh: "已有同名账号“\(name)”，请换一个名称。", field: "args.name")
        }
        let account = Account(id: ctx.makeId("A", length: 6), name: name, kind: kind.actorKind, createdAt: ctx.now)
        let token = ctx.makeToken(account.kind)
        var decision = Decision()
        decision.events.append(.accountCreated(account))
        decision.credentials.append(.issue(Credential(
            tokenHash: Identifiers.tokenHash(token), actor: account.id, kind: account.kind, name: name, meeting: nil)))
        decision.result["account"] = JSON(encoding: account)
        decision.result["token"] = .string(token)
        decision.secretResultKeys.insert("token")
        return decision
    }

    /// `account.reissue` (admin): a new token for an account; the old one stops working.
    func reissue(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        guard ctx.actor.kind == .admin else { throw .forbidden("only the admin can issue account tokens", zh: "只有管理员可以重新签发账号令牌。") }
        try args.rejectUnknown(["account", "requestKey"])
        let id = try args.id("account", prefix: "A-", what: "an account id")
        guard let account = account(id) else {
            throw .notFound("there is no account \(id); see account.list", zh: "找不到账号 \(id)，请在账号列表中核对。", field: "args.account")
        }
        guard account.kind != .admin else {
            throw .conflict("the admin token is set at the first start; it cannot be reissued here", zh: "管理员令牌在首次启动时设定，不能在这里重新签发。", field: "args.account")
        }
        let token = ctx.makeToken(account.kind)
        var decision = Decision()
        decision.events.append(.accountTokenReissued(id: account.id))
        decision.credentials.append(.revokeActor(account.id))
        decision.credentials.append(.issue(Credential(
            tokenHash: Identifiers.tokenHash(token), actor: account.id, kind: account.kind, name: account.name, meeting: nil)))
        decision.result["account"] = JSON(encoding: account)
        decision.result["token"] = .string(token)
        decision.secretResultKeys.insert("token")
        return decision
    }

    enum CreatableKind: String, CaseIterable {
        case organizer, unit
        var actorKind: Actor.Kind { self == .organizer ? .organizer : .unit }
    }
}
