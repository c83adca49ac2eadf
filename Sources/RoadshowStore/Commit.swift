import RoadshowCore

/// Everything one command stores, committed together with other commands in
/// one transaction.
public struct Commit: Sendable {
    public var events: [RecordedEvent]
    public var credentials: [CredentialChange]
    public var reply: StoredReply?

    public init(events: [RecordedEvent], credentials: [CredentialChange] = [], reply: StoredReply? = nil) {
        self.events = events
        self.credentials = credentials
        self.reply = reply
    }
}

/// The reply to a request with a `requestKey`, kept for safe retries.
public struct StoredReply: Sendable, Equatable {
    public let actor: String
    public let scope: String
    public let key: String
    public let op: String
    public let result: JSON

    public init(actor: String, scope: String, key: String, op: String, result: JSON) {
        self.actor = actor
        self.scope = scope
        self.key = key
        self.op = op
        self.result = result
    }
}
