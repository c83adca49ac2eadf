/// The state of one stream, rebuilt by applying its events in order.
public enum StreamState: Sendable, Equatable {
    case accounts(AccountDirectory)
    case meeting(Meeting)
    case dispatch(DispatchRecord)

    public var meeting: Meeting? { if case .meeting(let m) = self { return m }; return nil }
    public var accounts: AccountDirectory? { if case .accounts(let a) = self { return a }; return nil }
    public var record: DispatchRecord? { if case .dispatch(let r) = self { return r }; return nil }

    /// Applies one event. Events come from the store or from `decide`, so an event
    /// that does not fit the state is a programming error, reported as nil state
    /// change rather than a crash.
    public static func apply(_ event: DomainEvent, to state: StreamState?) -> StreamState? {
        switch (event, state) {
        case (.accountCreated(let account), nil), (.accountCreated(let account), .accounts?):
            var directory = state?.accounts ?? AccountDirectory()
            directory.accounts.append(account)
            return .accounts(directory)
        case (.meetingCreated(let info), nil):
            return .meeting(Meeting(info: info))
        case (_, .meeting(var m)?):
            m.apply(event)
            return .meeting(m)
        case (.dispatchCreated(let r, _), nil):
            return .dispatch(r)
        case (_, .dispatch(var r)?):
            r.apply(event)
            return .dispatch(r)
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
        case .rosterUpdated(let p), .rosterConfirmed(let p), .avSelfTested(let p), .avMarked(let p), .presenceChanged(let p):
            if let i = roster.firstIndex(where: { $0.id == p.id }) { roster[i] = p }
        case .rosterRemoved(let id):
            roster.removeAll { $0.id == id }
            contacts.removeAll { $0.participant == id }
        case .agendaAdded(let item):
            agenda.append(item)
            nextAgendaNumber = max(nextAgendaNumber, (Int(item.id.dropFirst(2)) ?? 0) + 1)
        case .agendaUpdated(let item), .agendaStarted(let item), .agendaFinished(let item):
            if let i = agenda.firstIndex(where: { $0.id == item.id }) { agenda[i] = item }
        case .agendaMoved(let order):
            let byId = Dictionary(agenda.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            agenda = order.compactMap { byId[$0] } + agenda.filter { !order.contains($0.id) }
        case .agendaRemoved(let id):
            agenda.removeAll { $0.id == id }
        case .queueRaised(let c), .queueLowered(let c), .queueUpvoted(let c), .queueGranted(let c), .queueReleased(let c),
            .queueRemoved(let c):
            queue = c.queue
            floor = c.floor
            if let s = c.speech { speeches.append(s) }
            if case .queueRaised = event, let e = c.entry {
                nextQueueNumber = max(nextQueueNumber, (Int(e.id.dropFirst(2)) ?? 0) + 1)
            }
        case .minutesAdded(let e):
            minutes.append(e)
            nextMinutesNumber = max(nextMinutesNumber, (Int(e.id.dropFirst(2)) ?? 0) + 1)
        case .minutesEdited(let e):
            if let i = minutes.firstIndex(where: { $0.id == e.id }) { minutes[i] = e }
        case .minutesRemoved(let id):
            minutes.removeAll { $0.id == id }
        case .followupAssessed(let a):
            followup.assessments.removeAll { $0.unit == a.unit }
            followup.assessments.append(a)
        case .followupIntentRecorded(let i):
            followup.intent = i
        case .contactShared(let s, _):
            if let i = contacts.firstIndex(where: { $0.participant == s.participant }) { contacts[i] = s } else { contacts.append(s) }
        case .contactWithdrawn(let id, _):
            contacts.removeAll { $0.participant == id }
        case .contactsPrompted(let e):
            contactExchange = e
        case .materialAdded, .materialRemoved, .materialOpened:
            apply(material: event)
        case .rosterLinkReissued, .meetingCreated, .accountCreated, .accountTokenReissued,
            .dispatchCreated, .dispatchFeedbackPosted, .dispatchEscalated, .dispatchAnswered, .dispatchClosed, .dispatchReopened:
            break
        }
    }
}

extension DispatchRecord {
    mutating func apply(_ event: DomainEvent) {
        switch event {
        case .dispatchFeedbackPosted(let f, let c):
            feedback.append(f)
            c.apply(to: &self)
        case .dispatchEscalated(let e, let c), .dispatchAnswered(let e, let c):
            if let i = escalations.firstIndex(where: { $0.id == e.id }) { escalations[i] = e } else { escalations.append(e) }
            c.apply(to: &self)
        case .dispatchClosed(let c), .dispatchReopened(let c):
            c.apply(to: &self)
        default:
            break
        }
    }
}
