import Foundation

/// Contact exchange with consent (mechanism 7 §4(2): 主持人引导各参会人员之间互留联系方式;
/// issue 12 point 3). Contact details stay hidden from other participants
/// (the roster's phone and e-mail are the organizer side's); a participant
/// who agrees shares a card — with the meeting's government side or with
/// everyone — and can withdraw it. The company's card (the meeting's company
/// contact) reaches the government side once the organizer allows it.

/// What a participant chooses for its card: `contacts.share`'s `audience`.
public enum ContactAudience: String, Sendable, Codable, CaseIterable, Labelled {
    case none, government, everyone

    public var zh: String {
        switch self {
        case .none: "不共享"
        case .government: "仅政府方"
        case .everyone: "全体参会人员（含企业）"
        }
    }

    public var en: String {
        switch self {
        case .none: "Not shared"
        case .government: "The government side only"
        case .everyone: "Everyone in the meeting (incl. the company)"
        }
    }

    var shared: Audience? {
        switch self {
        case .none: nil
        case .government: .government
        case .everyone: .everyone
        }
    }
}

/// A business card: what a phone's contacts app keeps.
public struct ContactCard: Sendable, Codable, Equatable {
    public var name: String
    public var unit: String
    public var title: String?
    public var phone: String?
    public var email: String?
}

/// One participant's shared card and with whom.
public struct ContactShare: Sendable, Codable, Equatable {
    public let participant: String
    public var role: RosterRole
    public var audience: Audience
    public var card: ContactCard
    public var sharedAt: Date
}

/// The host's prompt to exchange cards, and whether the company's card is
/// shared with the government side.
public struct ContactExchange: Sendable, Codable, Equatable {
    public var promptedAt: Date?
    public var promptedBy: String?
    /// The organizer allowed the company's card (the meeting's company contact) to reach the units.
    public var companyCard = false

    public init(promptedAt: Date? = nil, promptedBy: String? = nil, companyCard: Bool = false) {
        self.promptedAt = promptedAt
        self.promptedBy = promptedBy
        self.companyCard = companyCard
    }
}

/// One row of the contact sheet (通讯录), as `contacts.sheet` and the
/// snapshot's `contacts.cards` give it.
public struct ContactEntry: Sendable, Equatable {
    /// `participant` (a shared card) or `company` (the meeting's company contact).
    public var source: String
    public var participant: String?
    public var role: RosterRole?
    public var audience: Audience
    public var card: ContactCard
    public var sharedAt: Date?

    public var json: JSON {
        var o: [String: JSON] = [
            "source": .string(source), "audience": .string(audience.rawValue),
            "name": .string(card.name), "unit": .string(card.unit),
        ]
        if let participant { o["participant"] = .string(participant) }
        if let role { o["role"] = .string(role.rawValue) }
        if let t = card.title { o["title"] = .string(t) }
        if let p = card.phone { o["phone"] = .string(p) }
        if let e = card.email { o["email"] = .string(e) }
        if let sharedAt { o["sharedAt"] = .string(Timestamp.format(sharedAt)) }
        return .object(o)
    }
}

extension Meeting {
    /// The company's card, when the organizer allowed it and there is a contact to put on it.
    var companyCardEntry: ContactEntry? {
        guard contactExchange.companyCard else { return nil }
        let c = info.company
        guard c.contact != nil || c.phone != nil else { return nil }
        return ContactEntry(
            source: "company", participant: nil, role: .company, audience: .government,
            card: ContactCard(name: c.contact ?? c.name, unit: c.name, title: nil, phone: c.phone, email: nil), sharedAt: nil)
    }

    /// The contact sheet as this viewer may see it. The government side (and
    /// those who run the meeting) sees every shared card and the company's;
    /// the company (`outsider`) sees the cards shared with everyone, and its
    /// own whatever its audience — never a card shared with the government side only.
    public func contactSheet(outsider: Bool, viewer: String?) -> [ContactEntry] {
        var rows: [ContactEntry] = []
        if !outsider, let company = companyCardEntry { rows.append(company) }
        let order = Dictionary(roster.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for s in contacts.sorted(by: { (order[$0.participant] ?? .max) < (order[$1.participant] ?? .max) }) {
            guard !outsider || s.audience == .everyone || s.participant == viewer else { continue }
            rows.append(ContactEntry(source: "participant", participant: s.participant, role: s.role, audience: s.audience, card: s.card, sharedAt: s.sharedAt))
        }
        return rows
    }

    /// The snapshot's `contacts`: `{exchange, cards}` as this viewer may see them.
    public func contactsJSON(outsider: Bool, viewer: String?) -> JSON {
        [
            "exchange": JSON(encoding: contactExchange),
            "cards": .array(contactSheet(outsider: outsider, viewer: viewer).map(\.json)),
        ]
    }

    // MARK: - Commands

    /// `contacts.share`: the calling participant shares its card with the
    /// government side or everyone, changes it, or withdraws it (`none`).
    func contactsShare(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        guard ctx.actor.kind == .participant, let me = participant(ctx.actor.id) else {
            throw .forbidden(
                "contacts.share is for a participant sharing its own card; open your personal invite link",
                zh: "名片只能由参会人本人共享：请打开您的个人邀请链接。")
        }
        try args.rejectUnknown(["meeting", "audience", "name", "unit", "title", "phone", "email", "requestKey"])
        let audience = try args.enumValue("audience", ContactAudience.self)
        let name = try args.optionalString("name", maxLength: 60, what: "the name on the card")
        let unit = try args.optionalString("unit", maxLength: 100, what: "the unit on the card")
        let title = try args.clearableString("title", maxLength: 60, what: "a job title")
        let phone = try Validation.phone(args, "phone")
        let email = try Validation.email(args, "email")
        let old = contacts.first { $0.participant == me.id }
        var decision = Decision()
        guard let shared = audience.shared else {
            if let old { decision.events.append(.contactWithdrawn(participant: me.id, was: old.audience)) }
            decision.result["share"] = .null
            return decision
        }
        // Not given: the card as it was, else the roster's entry. "": left off the card.
        let base = old?.card ?? ContactCard(name: me.name, unit: me.unit, title: me.title, phone: me.phone, email: me.email)
        func pick(_ v: String?, _ fallback: String?) -> String? { v.map { $0.isEmpty ? nil : $0 } ?? fallback }
        let card = ContactCard(
            name: name ?? base.name, unit: unit ?? base.unit,
            title: pick(title, base.title), phone: pick(phone, base.phone), email: pick(email, base.email))
        guard card.phone != nil || card.email != nil else {
            throw .badRequest(
                "a card needs a phone number or an e-mail address: args.phone or args.email (the roster has neither for you)",
                zh: "名片至少需要电话或电子邮箱，请填写其一。", field: "args.phone")
        }
        let share = ContactShare(participant: me.id, role: me.role, audience: shared, card: card, sharedAt: old?.sharedAt ?? ctx.now)
        if old.map({ $0.audience != share.audience || $0.card != share.card }) ?? true {
            var s = share
            if old != nil { s.sharedAt = ctx.now }
            decision.events.append(.contactShared(s, was: old?.audience))
            decision.result["share"] = JSON(encoding: s)
        } else {
            decision.result["share"] = JSON(encoding: share)
        }
        return decision
    }

    /// `contacts.prompt`: the host asks everyone to choose whether to share
    /// their card; `companyCard` allows (or stops) the company's card reaching the units.
    func contactsPrompt(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "prompt", "companyCard", "requestKey"])
        let prompt = try args.optionalBool("prompt") ?? true
        let companyCard = try args.optionalBool("companyCard")
        var next = contactExchange
        if prompt {
            next.promptedAt = ctx.now
            next.promptedBy = ctx.actor.id
        }
        if let companyCard { next.companyCard = companyCard }
        var decision = Decision()
        if next != contactExchange { decision.events.append(.contactsPrompted(next)) }
        decision.result["exchange"] = JSON(encoding: next)
        return decision
    }
}

// MARK: - Reading: contacts.sheet

extension Queries {
    @Sendable static func contactsSheet(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["meeting", "format"])
        let format = try args.optionalEnum("format", ContactSheetFormat.self) ?? .json
        let m = try meetingArg(args, actor, world)
        let rows = m.contactSheet(outsider: m.isOutsider(actor), viewer: actor.id)
        let basename = FileName.safe("\(m.info.title)-通讯录")
        var result: [String: JSON] = ["count": .int(Int64(rows.count)), "format": .string(format.rawValue)]
        switch format {
        case .json:
            result["contacts"] = .array(rows.map(\.json))
            result["exchange"] = JSON(encoding: m.contactExchange)
            if actor.kind == .participant {
                result["mine"] = m.contacts.first { $0.participant == actor.id }.map { JSON(encoding: $0) } ?? .null
            }
        case .vcf:
            result["text"] = .string(VCard.text(rows))
            result["filename"] = .string(basename + ".vcf")
            result["contentType"] = "text/vcard; charset=utf-8"
        case .csv:
            result["text"] = .string(ContactCSV.text(rows))
            result["filename"] = .string(basename + ".csv")
            result["contentType"] = "text/csv; charset=utf-8"
        }
        return .object(result)
    }
}

public enum ContactSheetFormat: String, Sendable, CaseIterable {
    case json, vcf, csv
}

// MARK: - vCard (RFC 6350)

/// vCard 4.0 (RFC 6350): UTF-8, CRLF line ends, lines folded at 75 octets
/// without splitting a UTF-8 sequence, text values escaped (§3.4).
public enum VCard {
    public static func text(_ rows: [ContactEntry]) -> String {
        rows.map(card).joined()
    }

    static func card(_ e: ContactEntry) -> String {
        var lines = ["BEGIN:VCARD", "VERSION:4.0"]
        lines.append("FN:" + escape(e.card.name))
        // Chinese names are not split into family and given names (compound
        // surnames): the whole name is the family name, as phones show it.
        lines.append("N:" + escape(e.card.name) + ";;;;")
        lines.append("ORG:" + escape(e.card.unit))
        if let t = e.card.title { lines.append("TITLE:" + escape(t)) }
        if let p = e.card.phone { lines.append("TEL;VALUE=text;TYPE=voice:" + escape(p)) }
        if let m = e.card.email { lines.append("EMAIL:" + escape(m)) }
        lines.append("END:VCARD")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// §3.4: backslash, comma, semicolon and newline escaped in a text value.
    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case ",": out += "\\,"
            case ";": out += "\\;"
            case "\n", "\r\n", "\r": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }

    /// §3.2: a line longer than 75 octets continues on the next line after a
    /// space; a break falls between characters, never inside one's UTF-8 bytes.
    public static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        var first = true
        for scalar in line.unicodeScalars {
            let n = String(scalar).utf8.count
            let limit = first ? 75 : 74  // a continuation line's space counts
            if octets + n > limit {
                out += "\r\n "
                octets = 0
                first = false
            }
            out.unicodeScalars.append(scalar)
            octets += n
        }
        return out
    }
}

// MARK: - CSV

/// The contact sheet as CSV for Excel and WPS: UTF-8 with a BOM, CRLF, RFC
/// 4180 quoting and the formula escape of `DispatchCSV`.
public enum ContactCSV {
    public static let header = ["姓名", "单位", "职务", "电话", "电子邮箱", "共享范围"]

    public static func text(_ rows: [ContactEntry]) -> String {
        var lines = [header.map(DispatchCSV.field).joined(separator: ",")]
        for e in rows {
            let label = ContactAudience(rawValue: e.audience.rawValue)?.zh ?? e.audience.zh
            let cells = [e.card.name, e.card.unit, e.card.title ?? "", e.card.phone ?? "", e.card.email ?? "", label]
            lines.append(cells.map(DispatchCSV.field).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }
}
