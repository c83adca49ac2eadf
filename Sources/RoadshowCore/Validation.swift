/// Field checks shared by several commands.
enum Validation {
    /// A phone number: digits with optional +, spaces, dashes and parentheses.
    /// Returns "" when the caller cleared it.
    static func phone(_ a: Args, _ key: String) throws(RoadshowError) -> String? {
        guard let v = try a.clearableString(key, maxLength: 30, what: "a phone number") else { return nil }
        if v.isEmpty { return v }
        let allowed = Set("0123456789+-() ")
        guard v.allSatisfy({ allowed.contains($0) }), v.filter(\.isNumber).count >= 5 else {
            try a.reject(a.fault(key, "phone_form", ["example": "138 0000 0000"],
                en: "must be a phone number such as 138 0000 0000 or +86 551 1234567",
                zh: "请填写电话号码，如 138 0000 0000 或 +86 551 1234567"))
            return nil
        }
        return v
    }

    static func email(_ a: Args, _ key: String) throws(RoadshowError) -> String? {
        guard let v = try a.clearableString(key, maxLength: 120, what: "an e-mail address") else { return nil }
        if v.isEmpty { return v }
        let parts = v.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !v.contains(" ") else {
            try a.reject(a.fault(key, "email_form", ["example": "name@example.gov.cn"],
                en: "must be an e-mail address such as name@example.gov.cn", zh: "请填写电子邮箱地址，如 name@example.gov.cn"))
            return nil
        }
        return v
    }

    /// An http(s) link, e.g. the meeting room's join link.
    static func link(_ a: Args, _ key: String) throws(RoadshowError) -> String? {
        guard let v = try a.clearableString(key, maxLength: 500, what: "a link") else { return nil }
        if v.isEmpty { return v }
        let lower = v.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), v.count > 10, !v.contains(" ") else {
            try a.reject(a.fault(key, "link_form", ["example": "https://meeting.tencent.com/dm/abc"],
                en: "must be a web link starting with https://", zh: "请填写以 https:// 开头的网址"))
            return nil
        }
        return v
    }
}
