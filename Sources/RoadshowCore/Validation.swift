/// Field checks shared by several commands.
enum Validation {
    /// A phone number: digits with optional +, spaces, dashes and parentheses.
    /// Returns "" when the caller cleared it.
    static func phone(_ a: Args, _ key: String) throws(RoadshowError) -> String? {
        guard let v = try a.clearableString(key, maxLength: 30, what: "a phone number") else { return nil }
        if v.isEmpty { return v }
        let allowed = Set("0123456789+-() ")
        guard v.allSatisfy({ allowed.contains($0) }), v.filter(\.isNumber).count >= 5 else {
            throw .badRequest("\(a.fieldPath(key)) must be a phone number such as 138 0000 0000 or +86 551 1234567", field: a.fieldPath(key))
        }
        return v
    }

    static func email(_ a: Args, _ key: String) throws(RoadshowError) -> String? {
        guard let v = try a.clearableString(key, maxLength: 120, what: "an e-mail address") else { return nil }
        if v.isEmpty { return v }
        let parts = v.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !v.contains(" ") else {
            throw .badRequest("\(a.fieldPath(key)) must be an e-mail address such as name@example.gov.cn", field: a.fieldPath(key))
        }
        return v
    }

    /// An http(s) link, e.g. the meeting room's join link.
    static func link(_ a: Args, _ key: String) throws(RoadshowError) -> String? {
        guard let v = try a.clearableString(key, maxLength: 500, what: "a link") else { return nil }
        if v.isEmpty { return v }
        let lower = v.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), v.count > 10, !v.contains(" ") else {
            throw .badRequest("\(a.fieldPath(key)) must be a web link starting with https://", field: a.fieldPath(key))
        }
        return v
    }
}
