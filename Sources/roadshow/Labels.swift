import ArgumentParser
import RoadshowCore

/// The protocol's codes as the CLI shows them: the code, then its Chinese label.
enum Labels {
    static func phase(_ raw: String?) -> String {
        guard let raw else { return "" }
        return Phase(rawValue: raw).map { "\(raw) \($0.zh)" } ?? raw
    }

    static func role(_ raw: String?) -> String {
        guard let raw else { return "" }
        return RosterRole(rawValue: raw).map { "\(raw) \($0.zh)" } ?? raw
    }

    /// A meeting kind: "symposium 线上座谈" (none: a project pitch, as stored before kinds).
    static func meetingKind(_ raw: String?) -> String {
        let raw = raw ?? MeetingKind.projectPitch.rawValue
        return MeetingKind(rawValue: raw).map { "\(raw) \($0.zh)" } ?? raw
    }

    static func category(_ raw: String?) -> String {
        guard let raw else { return "" }
        return ProjectCategory(rawValue: raw).map { "\(raw) \($0.zh)" } ?? raw
    }

    /// A dispatch stage (or closing outcome): "negotiating 方案洽谈".
    static func stage(_ raw: String?) -> String {
        guard let raw else { return "" }
        return DispatchStage(rawValue: raw).map { "\(raw) \($0.zh)" } ?? raw
    }

    /// An escalation level: "city 市".
    static func level(_ raw: String?) -> String {
        guard let raw else { return "" }
        return EscalationLevel(rawValue: raw).map { "\(raw) \($0.zh)" } ?? raw
    }

    /// A dispatch record's status: "open 办理中", "closed 已办结".
    static func recordStatus(_ raw: String?) -> String {
        switch raw {
        case "open"?: "open 办理中"
        case "closed"?: "closed 已办结"
        default: raw ?? ""
        }
    }

    /// A Due's status: ok, due_soon, overdue, closed, with the Chinese.
    static func dueStatus(_ raw: String?) -> String {
        switch raw {
        case "ok"?: "ok 正常"
        case "due_soon"?: "due_soon 即将到期"
        case "overdue"?: "overdue 已逾期"
        case "closed"?: "closed 已办结"
        default: raw ?? ""
        }
    }

    /// What a Due is about: feedback 平台反馈, escalation 提级答复.
    static func dueKind(_ raw: String?) -> String {
        switch raw {
        case "feedback"?: "feedback 平台反馈"
        case "escalation"?: "escalation 提级答复"
        default: raw ?? ""
        }
    }

    /// Why the server rejected a feedback (`details.reason` of `rejected_feedback`).
    static func feedbackRejection(_ raw: String?) -> String {
        switch raw {
        case "empty"?: "empty 内容为空 (nothing written)"
        case "too_short"?: "too_short 内容过短 (too short)"
        case "boilerplate"?: "boilerplate 只有套话 (only boilerplate such as 正在对接中)"
        case "copy"?: "copy 与上次反馈雷同 (a copy of the previous feedback)"
        default: raw ?? "?"
        }
    }

    /// yes / no / - for an optional flag.
    static func yesNo(_ value: Bool?) -> String {
        switch value {
        case true?: "yes"
        case false?: "no"
        case nil: "-"
        }
    }

    /// 5 → "5", 2.5 → "2.5".
    static func number(_ value: JSON?) -> String {
        guard let value else { return "" }
        if let i = value.intValue { return String(i) }
        if let d = value.doubleValue { return String(d) }
        return ""
    }
}

/// A yes/no answer on the command line: yes, no (also true/false, y/n, 是/否).
enum YesNo: String, ExpressibleByArgument, CaseIterable {
    case yes, no

    init?(argument: String) {
        switch argument.lowercased() {
        case "yes", "y", "true", "是": self = .yes
        case "no", "n", "false", "否": self = .no
        default: return nil
        }
    }

    var bool: Bool { self == .yes }
}

extension Phase: ExpressibleByArgument {}
extension DispatchStage: ExpressibleByArgument {}
extension EscalationLevel: ExpressibleByArgument {}
extension RosterRole: ExpressibleByArgument {}
extension ProjectCategory: ExpressibleByArgument {}
extension MeetingKind: ExpressibleByArgument {}

/// The labels of project materials (`roadshow materials`).
extension Labels {
    /// A material's audience: "everyone 全体", "government 仅政府方", "organizer 仅组织方".
    static func materialAudience(_ raw: String?) -> String {
        switch raw {
        case "everyone"?: "everyone 全体"
        case "government"?: "government 仅政府方"
        case "organizer"?: "organizer 仅组织方"
        default: raw ?? ""
        }
    }

    /// A size in bytes as people read it: "512 B", "12.5 KiB", "3.2 MiB".
    static func bytes(_ value: Int64?) -> String {
        guard let value else { return "" }
        if value < 1024 { return "\(value) B" }
        let units = ["KiB", "MiB", "GiB"]
        var size = Double(value) / 1024
        var unit = 0
        while size >= 1024, unit < units.count - 1 {
            size /= 1024
            unit += 1
        }
        let text = size >= 100 ? String(Int(size.rounded())) : String(format: "%.1f", size)
        return "\(text) \(units[unit])"
    }

    /// "3 of 5 units have opened them" / "5 个单位中已有 3 个查看了资料".
    static func unitsOpened(_ opened: Int64, of total: Int64, zh: Bool) -> String {
        zh ? "\(total) 个单位中已有 \(opened) 个查看了资料" : "\(opened) of \(total) units have opened them"
    }

    /// A unit's openedAll: "yes 已全部查看" / "no 未全部查看".
    static func openedAll(_ value: Bool?, zh: Bool) -> String {
        switch value {
        case true?: zh ? "是" : "yes"
        case false?: zh ? "否" : "no"
        case nil: "-"
        }
    }
}
