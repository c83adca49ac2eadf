import RoadshowCore

/// One event as one line of text, for `roadshow watch`:
/// `seq  time  event  by  summary`, e.g.
/// `   12  2026-12-01 14:03:05  checklist.item_set    P-3     [x] C-4 确认企业投资意向`.
/// Events carry the changed entity in full; the summary names it (id, then its
/// title, text or name) and the state that usually changed (done, role, phase...).
public enum EventLine {
    public static func render(_ event: JSON, local: LocalTime) -> String {
        let seq = event["seq"]?.intValue.map(String.init) ?? "?"
        let time = local.format(wire: event["at"]?.stringValue, seconds: true)
        let name = event["event"]?.stringValue ?? "?"
        let by = event["by"]?.stringValue ?? "-"
        let line = DisplayWidth.pad(seq, to: 5, alignRight: true) + "  " + DisplayWidth.pad(time, to: 19) + "  "
            + DisplayWidth.pad(name, to: 22) + "  " + DisplayWidth.pad(by, to: 8) + "  " + summary(event)
        return TextTable.trimTrailing(line)
    }

    /// A short description of what the event's data carries.
    public static func summary(_ event: JSON) -> String {
        guard let data = event["data"]?.objectValue, !data.isEmpty else { return "" }
        let removed = event["event"]?.stringValue.map { $0.hasSuffix("removed") } ?? false
        var parts: [String] = []
        for key in data.keys.sorted() {
            guard let value = data[key] else { continue }
            if let entity = value.objectValue {
                parts.append(describe(entity, removed: removed))
            } else if let scalar = scalarText(value) {
                parts.append("\(key)=\(scalar)")
            }
        }
        return TextTable.singleLine(DisplayWidth.truncate(parts.joined(separator: "; "), to: 100))
    }

    static func describe(_ entity: [String: JSON], removed: Bool) -> String {
        var words: [String] = []
        if let done = entity["done"]?.boolValue { words.append(done ? "[x]" : "[ ]") }
        if let id = entity["id"]?.stringValue { words.append(id) }
        for key in ["title", "text", "name"] {
            if let s = entity[key]?.stringValue {
                words.append(s)
                break
            }
        }
        if removed, entity.count == 1 { words.append("(removed)") }
        if let unit = entity["unit"]?.stringValue { words.append("(\(unit))") }
        if let role = entity["role"]?.stringValue {
            words.append(RosterRole(rawValue: role).map { "\(role) \($0.zh)" } ?? role)
        }
        if let phase = entity["phase"]?.stringValue, entity["done"] == nil {
            words.append(Phase(rawValue: phase).map { "\(phase) \($0.zh)" } ?? phase)
        }
        if let kind = entity["kind"]?.stringValue { words.append(kind) }
        if let attending = entity["attending"]?.boolValue { words.append(attending ? "attending" : "not attending") }
        if let note = entity["note"]?.stringValue { words.append("— \(note)") }
        return words.joined(separator: " ")
    }

    static func scalarText(_ value: JSON) -> String? {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        default: return nil
        }
    }
}
