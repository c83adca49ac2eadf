/// The state of one stream, rebuilt by applying its events in order.
public enum StreamState: Sendable, Equatable {
    case accounts(AccountDirectory)
    case meeting(Meeting)

    public var meeting: Meeting? { if case .meeting(let m) = self { return m }; return nil }
    public var accounts: AccountDirectory? { if case .accounts(let a) = self { return a }; return nil }

    /// Applies one event. Events come from the store or from `decide`, so an event
    /// that does not fit the state is a programming error, reported as nil state
    /// change rather than a crash.
    public static func apply(_ event: DomainEvent, to state: StreamState?) -> StreamState? {
        switch (event, state) {
        case (.accountCreated(let account), let s):
            var directory = s?.accounts ?? AccountDirectory()
            directory.accounts.append(account)
            return .accounts(directory)
        case (.meetingCreated(let info), nil):
            return .meeting(Meeting(info: info))
        case (_, .meeting(var m)?):
            m.apply(event)
            return .meeting(m)
        default:
            return state
        }
    }

    public static func applying(_ events: [DomainEvent], to state: StreamState?) -> StreamState? {
        var s = state
        for e in events { s = apply(e, to: s) }
        return s
    }
}

extension Meeting {
    mutating func apply(_ event: DomainEvent) {
        switch event {
        case .meetingUpdated(let info), .meetingAdvanced(let info):
            self.info = info
        case .checklistItemAdded(let item):
            checklist.append(item)
            if let n = Int(item.id.dropFirst(2)) { nextChecklistNumber = max(nextChecklistNumber, n + 1) }
        case .checklistItemSet(let item):
            if let i = checklist.firstIndex(where: { $0.id == item.id }) { checklist[i] = item }
        case .checklistItemRemoved(let id):
            checklist.removeAll { $0.id == id }
        case .rosterAdded(let p):
            roster.append(p)
        case .rosterUpdated(let p), .rosterConfirmed(let p), .avSelfTested(let p), .avMarked(let p):
            if let i = roster.firstIndex(where: { $0.id == p.id }) { roster[i] = p }
        case .rosterRemoved(let id):
            roster.removeAll { $0.id == id }
        case .rosterLinkReissued, .meetingCreated, .accountCreated:
            break
        }
    }
}
