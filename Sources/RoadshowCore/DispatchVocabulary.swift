/// The project-dispatch record's vocabulary (mechanisms 2, 3, 5): stages per
/// category, closing outcomes, escalation levels, and the commissioner every
/// feedback names. The record's stream, commands and events build on these.

/// A dispatch record's stage. Industrial projects move through five; a
/// non-industrial matter has one (mechanism 3 §4).
public enum DispatchStage: String, Sendable, Codable, CaseIterable, Labelled {
    case initialContact = "initial_contact"
    case negotiating, signed, started, shelved
    case matterConnected = "matter_connected"

    public var zh: String {
        switch self {
        case .initialContact: "初步接洽"
        case .negotiating: "方案洽谈"
        case .signed: "已签约"
        case .started: "已开工"
        case .shelved: "暂搁置"
        case .matterConnected: "事项已对接"
        }
    }

    public var en: String {
        switch self {
        case .initialContact: "Initial contact"
        case .negotiating: "Negotiating a plan"
        case .signed: "Signed"
        case .started: "Construction started"
        case .shelved: "Shelved"
        case .matterConnected: "Matter connected"
        }
    }

    /// The stages a record of this category may be in.
    public static func stages(of category: ProjectCategory) -> [DispatchStage] {
        category == .industrial ? [.initialContact, .negotiating, .signed, .started, .shelved] : [.matterConnected]
    }

    /// The stages a record of this category closes with (办结).
    public static func closingOutcomes(of category: ProjectCategory) -> [DispatchStage] {
        category == .industrial ? [.started, .shelved] : [.matterConnected]
    }
}

/// Where a problem goes when the level below cannot solve it (提级调度).
public enum EscalationLevel: String, Sendable, Codable, CaseIterable, Labelled {
    case county, city, province

    public var zh: String { self == .county ? "区县" : self == .city ? "市" : "省" }
    public var en: String { self == .county ? "County" : self == .city ? "City" : "Province" }

    /// The level above, if any.
    public var next: EscalationLevel? { self == .county ? .city : self == .city ? .province : nil }
}

/// The one-to-one commissioner (投资专员 / 客商专员) of a record: name, unit,
/// title and a phone that reaches them — an 11-digit mainland mobile or a
/// landline with its area code (mechanism 5 §5).
public struct Commissioner: Sendable, Codable, Equatable {
    public var name: String
    public var unit: String
    public var title: String
    /// As given, spaces and dashes kept; `PhoneNumber.check` accepted it.
    public var phone: String

    public init(name: String, unit: String, title: String, phone: String) {
        self.name = name
        self.unit = unit
        self.title = title
        self.phone = phone
    }

    static let fields: Set<String> = ["name", "unit", "title", "phone"]

    /// `args.<key>`: `{name, unit, title, phone}`, every field required.
    static func parse(_ args: Args, _ key: String) throws(RoadshowError) -> Commissioner {
        let c = try args.object(key)
        try c.rejectUnknown(fields)
        let phone = try c.string("phone", maxLength: 30, what: "the commissioner's phone")
        guard PhoneNumber.isMainland(phone) else {
            throw .badRequest(
                "\(c.fieldPath("phone")) must be an 11-digit mobile number such as 138 0000 0000, or a landline with its area code such as 0559-2345678", zh: "请填写 11 位手机号（如 138 0000 0000）或带区号的固定电话（如 0559-2345678）。",
                field: c.fieldPath("phone"))
        }
        return Commissioner(
            name: try c.string("name", maxLength: 60, what: "the commissioner's name"),
            unit: try c.string("unit", maxLength: 100, what: "the commissioner's unit"),
            title: try c.string("title", maxLength: 60, what: "the commissioner's title"),
            phone: phone)
    }
}

/// Mainland China phone numbers as a commissioner gives them.
public enum PhoneNumber {
    /// An 11-digit mobile (1[3-9]…, optionally +86 / 86 in front), or a
    /// landline: area code 0 + 2–3 digits, then 7–8 digits, optionally an
    /// extension after "转", "ext" or "-". Spaces, dashes and parentheses
    /// between digit groups are allowed.
    public static func isMainland(_ text: String) -> Bool {
        var s = text.trimmingCharacters(in: .whitespaces)
        var ext = ""
        for marker in ["转", "ext.", "ext", "x"] {
            if let r = s.range(of: marker, options: .caseInsensitive) {
                ext = String(s[r.upperBound...])
                s = String(s[..<r.lowerBound])
                break
            }
        }
        guard ext.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == " ") }), ext.filter(\.isNumber).count <= 6 else { return false }
        guard s.allSatisfy({ $0.isASCII && ($0.isNumber || " -()+".contains($0)) }) else { return false }
        if s.filter({ $0 == "+" }).count > (s.hasPrefix("+") ? 1 : 0) { return false }
        var digits = s.filter(\.isNumber)
        if s.hasPrefix("+") {
            guard digits.hasPrefix("86") else { return false }
            digits.removeFirst(2)
        } else if digits.count == 13, digits.hasPrefix("86") {
            digits.removeFirst(2)
        }
        if digits.count == 11, digits.first == "1", let second = digits.dropFirst().first, "3456789".contains(second) {
            return ext.isEmpty
        }
        // A landline keeps its leading 0 (with +86 it is dropped: add it back).
        if s.hasPrefix("+") { digits = "0" + digits }
        guard digits.first == "0", (10...12).contains(digits.count) else { return false }
        // The area code is 3 or 4 digits (010, 0559); the number after it 7 or 8.
        return digits.dropFirst().first != "0"
    }
}
