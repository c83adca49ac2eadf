/// The longest text each form field takes, per op: what `GET /api/ops` serves
/// as `limits`, so the page's inputs stop where the server does
/// (`maxlength`) instead of keeping a copy that can drift.
///
/// The ops' own code is the rule; this table says it for clients.
/// `FieldLimitsTests` sends every entry's limit, and one character more,
/// through the real server and checks that the first passes and the second is
/// refused as `too_long` with this `max` — so the table cannot disagree with
/// the code.
public enum FieldLimits {
    static let meeting: [String: Int] = [
        "title": 200, "company.name": 200, "company.contact": 100, "company.phone": 30,
        "project.name": 200, "project.industry": 100, "system.name": 60, "system.room": 60, "system.link": 500,
    ]
    static let person: [String: Int] = ["name": 60, "unit": 100, "title": 60, "phone": 30, "email": 120]
    static let commissioner: [String: Int] = [
        "commissioner.name": 60, "commissioner.unit": 100, "commissioner.title": 60, "commissioner.phone": 30,
    ]

    public static let all: [String: [String: Int]] = [
        "account.create": ["name": 100],
        "meeting.create": meeting,
        "meeting.update": meeting,
        "meeting.advance": ["reason": 500],
        "checklist.add": ["text": 300, "owner": 100],
        "checklist.set": ["note": 500],
        "roster.add": person,
        "roster.update": person,
        "av.mark": ["note": 300],
        "av.self": ["displayName": 100],
        "agenda.add": ["title": 200],
        "agenda.update": ["title": 200],
        "minutes.add": ["text": 4000, "owner": 100],
        "minutes.edit": ["text": 4000, "owner": 100],
        "queue.raise": ["text": 500],
        "presence.set": ["reason": 200],
        "contacts.share": ["name": 60, "unit": 100, "title": 60],
        "followup.assess": ["comment": 1000],
        "followup.intent": ["district": 60, "comment": 1000, "recommendation": 1000],
        "dispatch.create": commissioner.merging(["district": 60, "summary": 2000]) { a, _ in a },
        "dispatch.feedback": commissioner.merging(["text": 4000]) { a, _ in a },
        "dispatch.escalate": ["reason": 1000, "problem": 1000],
        "dispatch.answer": ["text": 2000],
        "dispatch.close": ["reason": 1000],
        "dispatch.reopen": ["reason": 1000],
    ]

    public static var json: JSON {
        .object(all.mapValues { fields in .object(fields.mapValues { .int(Int64($0)) }) })
    }
}
