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

    static func category(_ raw: String?) -> String {
        guard let raw else { return "" }
        return ProjectCategory(rawValue: raw).map { "\(raw) \($0.zh)" } ?? raw
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

extension Phase: ExpressibleByArgument {}
extension RosterRole: ExpressibleByArgument {}
extension ProjectCategory: ExpressibleByArgument {}
