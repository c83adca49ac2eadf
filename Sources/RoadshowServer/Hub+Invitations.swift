import Foundation
import RoadshowCore

/// Invitations and calendar files: `roster.invitation`, `export.ics`, and the
/// invitation that `roster.add` / `roster.link` return with a fresh link.
extension Hub {
    /// Where people open the page: `--public-url`, or this server's own address.
    var publicBaseURL: String {
        if let url = config.publicURL { return url }
        let host = config.host == "0.0.0.0" || config.host == "::" ? "127.0.0.1" : config.host
        return "http://\(host):\(listenPort)"
    }

    /// The participant an export or invitation is for: given, or the caller itself.
    func invitee(_ args: Args, _ meeting: Meeting, _ actor: Actor, required: Bool) throws(RoadshowError) -> Participant? {
        let id = try args.optionalId("participant", prefix: "P-", what: "a participant id")
            ?? (actor.kind == .participant ? actor.id : nil)
        guard let id else {
            if required { throw .badRequest("args.participant is required (a participant id)", field: "args.participant") }
            return nil
        }
        guard let p = meeting.participant(id) else {
            throw .notFound("there is no participant \(id) on the roster of \(meeting.id)", field: "args.participant")
        }
        if actor.kind == .participant, actor.id != id, !Permissions.canManage(actor, meeting) {
            throw .forbidden("you can get only your own invitation")
        }
        return p
    }

    func rosterInvitation(_ args: Args, _ actor: Actor) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["meeting", "participant"])
        let slot = try meetingSlot(try args.id("meeting", prefix: "M-", what: "a meeting id such as M-7Q2K"), actor)
        let meeting = slot.meeting!
        let p = try invitee(args, meeting, actor, required: true)
        return [
            "participant": p.map { ["id": .string($0.id), "displayName": .string($0.displayName)] } ?? .null,
            "invitation": Invitation.both(meeting: meeting.info, participant: p, personalLink: nil, timeZone: timeZone),
            "timeZone": .string(timeZone.identifier),
        ]
    }

    func exportICS(_ args: Args, _ actor: Actor) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["meeting", "participant"])
        let slot = try meetingSlot(try args.id("meeting", prefix: "M-", what: "a meeting id such as M-7Q2K"), actor)
        let meeting = slot.meeting!
        let p = try invitee(args, meeting, actor, required: false)
        let text = ICalendar.event(meeting: meeting.info, participant: p, personalLink: nil, now: Date(), timeZone: timeZone)
        return [
            "text": .string(text), "format": "text/calendar",
            "filename": .string("\(meeting.id)\(p.map { "-\($0.id)" } ?? "").ics"),
        ]
    }

    /// Adds the absolute link and the ready-to-send invitation to a result that
    /// carries a fresh personal link.
    func withInvitation(_ result: inout [String: JSON], meeting: Meeting?) {
        guard let link = result["link"]?.stringValue, let meeting,
            let id = result["participant"]?["id"]?.stringValue, let p = meeting.participant(id)
        else { return }
        let url = publicBaseURL + link
        result["url"] = .string(url)
        result["invitation"] = Invitation.both(meeting: meeting.info, participant: p, personalLink: url, timeZone: timeZone)
    }
}
