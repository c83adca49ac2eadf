import Foundation

/// What deciding a command produced: the events to append, the reply's result,
/// and credential changes to store in the same transaction.
public struct Decision: Sendable {
    /// Set when the command starts a new stream (a meeting), to its id.
    public var newStream: String?
    public var events: [DomainEvent] = []
    /// A stream started alongside the target's events, in the same
    /// transaction (`dispatch.create`: the record, while the meeting moves on).
    public var spawned: (stream: String, events: [DomainEvent])?
    public var result: [String: JSON] = [:]
    public var credentials: [CredentialChange] = []
    /// Result keys that are shown once and never stored (tokens, invite links).
    public var secretResultKeys: Set<String> = []

    public init(newStream: String? = nil) { self.newStream = newStream }

    /// The result as it may be stored for a `requestKey` repeat: secrets left out,
    /// with `redacted` naming them so a client knows to reissue.
    public func storableResult(seq: Int64) -> JSON {
        var r = result
        r["seq"] = .int(seq)
        if !secretResultKeys.isEmpty {
            for key in secretResultKeys { r.removeValue(forKey: key) }
            // The server adds the absolute link and the invitation beside a fresh
            // link; they are left out with it.
            let left = secretResultKeys.contains("link") ? secretResultKeys.union(["url", "invitation"]) : secretResultKeys
            r["redacted"] = .array(left.sorted().map { .string($0) })
        }
        return .object(r)
    }
}

/// A token's stored form: only its hash, and whom it authenticates.
public struct Credential: Sendable, Codable, Equatable {
    public let tokenHash: String
    public let actor: String
    public let kind: Actor.Kind
    public let name: String
    public let meeting: String?
    /// For a participant link derived from the server's invite key: the nonce
    /// it was derived with (useless without the key). Nil for random tokens.
    public let linkNonce: String?

    public init(tokenHash: String, actor: String, kind: Actor.Kind, name: String, meeting: String?, linkNonce: String? = nil) {
        self.tokenHash = tokenHash
        self.actor = actor
        self.kind = kind
        self.name = name
        self.meeting = meeting
        self.linkNonce = linkNonce
    }
}

public enum CredentialChange: Sendable, Equatable {
    case issue(Credential)
    /// Every token of this actor stops working.
    case revokeActor(String)
}

/// What a command is decided with: the clock, the actor and randomness, all
/// passed in so the core stays pure.
public struct Context {
    public let now: Date
    public let actor: Actor
    var rng: any RandomNumberGenerator
    /// The deployment's calendar, zone and feedback period.
    public var policy: DispatchPolicy
    /// Other streams' committed state, for the few decisions that look across.
    public var world: (any DecisionWorld)?
    /// The server key participant links are derived from; nil: random tokens.
    public var inviteKey: InviteKey?

    public init(
        now: Date, actor: Actor, rng: any RandomNumberGenerator = SystemRandomNumberGenerator(),
        policy: DispatchPolicy = DispatchPolicy(), world: (any DecisionWorld)? = nil, inviteKey: InviteKey? = nil
    ) {
        self.now = now
        self.actor = actor
        self.rng = rng
        self.policy = policy
        self.world = world
        self.inviteKey = inviteKey
    }

    mutating func makeId(_ prefix: String, length: Int) -> String {
        Identifiers.make(prefix, using: &rng, length: length)
    }

    mutating func makeToken(_ kind: Actor.Kind) -> String {
        Identifiers.token(kind: kind, using: &rng)
    }
}
