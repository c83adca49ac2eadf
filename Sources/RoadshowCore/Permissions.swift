/// Who may see and do what (PROTOCOL.md, "Authentication and roles").
public enum Permissions {
    /// May this actor see the meeting at all?
    public static func canView(_ actor: Actor, _ meeting: Meeting) -> Bool {
        switch actor.kind {
        case .admin: return true
        case .organizer: return meeting.info.owner == actor.id
        case .participant: return actor.meeting == meeting.id && meeting.participant(actor.id) != nil
        case .unit: return false
        }
    }

    public static func canView(_ actor: Actor, _ info: MeetingInfo) -> Bool {
        switch actor.kind {
        case .admin: return true
        case .organizer: return info.owner == actor.id
        case .participant: return actor.meeting == info.id
        case .unit: return false
        }
    }

    /// May this actor change the meeting's details, checklist and roster?
    /// The owning organizer, the admin, and a participant with the host role.
    public static func canManage(_ actor: Actor, _ meeting: Meeting) -> Bool {
        switch actor.kind {
        case .admin: return true
        case .organizer: return meeting.info.owner == actor.id
        case .participant: return actor.meeting == meeting.id && meeting.participant(actor.id)?.role == .host
        case .unit: return false
        }
    }

    static func requireView(_ actor: Actor, _ meeting: Meeting) throws(RoadshowError) {
        guard canView(actor, meeting) else { throw notVisible(actor, meeting.id) }
    }

    static func requireManage(_ actor: Actor, _ meeting: Meeting) throws(RoadshowError) {
        try requireView(actor, meeting)
        guard canManage(actor, meeting) else {
            throw .forbidden("only the meeting's organizer or its host can do this; you are a participant of \(meeting.id)", zh: "只有会议的组织方或主持人可以这样做。")
        }
    }

    /// Does this actor see everyone's phone and e-mail? Those who run the meeting do.
    public static func seesContacts(_ actor: Actor, _ meeting: Meeting) -> Bool {
        actor.kind != .participant || canManage(actor, meeting)
    }

    /// May this actor control the floor (grant, next, remove)? The manager roles; not the recorder.
    static func requireFloor(_ actor: Actor, _ meeting: Meeting) throws(RoadshowError) {
        try requireView(actor, meeting)
        guard canManage(actor, meeting) else {
            throw .forbidden("only the host or the organizer controls the floor", zh: "只有主持人或组织方可以安排发言。")
        }
    }

    /// May this actor write the minutes? The manager roles and the recorder.
    public static func canWriteMinutes(_ actor: Actor, _ meeting: Meeting) -> Bool {
        canManage(actor, meeting)
            || (actor.kind == .participant && actor.meeting == meeting.id && meeting.participant(actor.id)?.role == .recorder)
    }

    static func requireMinutes(_ actor: Actor, _ meeting: Meeting) throws(RoadshowError) {
        try requireView(actor, meeting)
        guard canWriteMinutes(actor, meeting) else {
            throw .forbidden("only the host, the recorder or the organizer writes the minutes", zh: "只有主持人、记录人或组织方可以记录纪要。")
        }
    }

    /// The answer to a meeting the actor may not see. A participant or organizer
    /// learns nothing about other meetings beyond "not yours".
    public static func notVisible(_ actor: Actor, _ meetingId: String) -> RoadshowError {
        switch actor.kind {
        case .participant: .forbidden("your invite link is for meeting \(actor.meeting ?? "?"), not \(meetingId)", zh: "您的邀请链接只能打开您受邀的那场会议。")
        case .unit: .forbidden("a unit account works with dispatch records, not meetings", zh: "承办单位账号用于办理转办件，不能打开会议。")
        default: .forbidden("meeting \(meetingId) belongs to another organizer", zh: "这场会议属于其他组织方。")
        }
    }
}
