import RoadshowClient
import RoadshowCore

/// How meetings, their checklist and roster read in a terminal.
enum MeetingView {
    static func list(_ meetings: [JSON], local: LocalTime) -> String {
        var table = TextTable([
            .init("ID"), .init("Starts"), .init("Min", alignment: .right), .init("Phase"), .init("Title", maxWidth: 40),
            .init("Company", maxWidth: 30), .init("System"),
        ])
        for m in meetings {
            table.add(
                m["id"]?.stringValue ?? "", local.format(wire: m["startsAt"]?.stringValue),
                Labels.number(m["durationMinutes"]), Labels.phase(m["phase"]?.stringValue), m["title"]?.stringValue ?? "",
                m["company"]?["name"]?.stringValue ?? "", m["system"]?["name"]?.stringValue ?? "")
        }
        return table.render()
    }

    /// The meeting's own fields as aligned "key  value" lines.
    static func summary(_ m: JSON, seq: Int64?, local: LocalTime) -> String {
        var lines: [(String, String)] = []
        lines.append(("phase", Labels.phase(m["phase"]?.stringValue)))
        lines.append(("kind", Labels.meetingKind(m["kind"]?.stringValue)))
        let company = m["company"]
        var companyText = company?["name"]?.stringValue ?? ""
        let contact = [company?["contact"]?.stringValue, company?["phone"]?.stringValue].compactMap { $0 }
        if !contact.isEmpty { companyText += " (contact: \(contact.joined(separator: ", ")))" }
        lines.append(("company", companyText))
        let project = m["project"]
        var projectParts = [project?["name"]?.stringValue ?? "", Labels.category(project?["category"]?.stringValue)]
        if let industry = project?["industry"]?.stringValue { projectParts.append(industry) }
        if let investment = project?["investment"], !investment.isNull { projectParts.append("\(Labels.number(investment)) 亿元") }
        lines.append(("project", projectParts.filter { !$0.isEmpty }.joined(separator: " · ")))
        lines.append((
            "starts",
            "\(local.format(wire: m["startsAt"]?.stringValue)) (\(local.timeZone.identifier)), \(Labels.number(m["durationMinutes"])) min"
        ))
        let system = m["system"]
        var systemText = system?["name"]?.stringValue ?? ""
        if let room = system?["room"]?.stringValue { systemText += " room \(room)" }
        if let link = system?["link"]?.stringValue { systemText += " \(link)" }
        lines.append(("system", systemText))
        let owner = [m["owner"]?.stringValue, m["ownerName"]?.stringValue].compactMap { $0 }.joined(separator: " ")
        if !owner.isEmpty { lines.append(("organizer", owner)) }
        lines.append(("updated", local.format(wire: m["updatedAt"]?.stringValue)))
        if let seq { lines.append(("seq", String(seq))) }
        let header = "\(m["id"]?.stringValue ?? "")  \(m["title"]?.stringValue ?? "")"
        return ([header] + keyValues(lines)).joined(separator: "\n")
    }

    static func keyValues(_ pairs: [(String, String)]) -> [String] {
        let width = pairs.map { DisplayWidth.of($0.0) }.max() ?? 0
        return pairs.map { "  " + DisplayWidth.pad($0.0, to: width) + "  " + TextTable.singleLine($0.1) }
    }

    /// Who an actor id is, as far as the meeting knows: a participant's name, the organizer's name, or the id.
    static func actorNames(_ m: JSON) -> [String: String] {
        var names: [String: String] = [:]
        if let owner = m["owner"]?.stringValue, let name = m["ownerName"]?.stringValue { names[owner] = name }
        for p in m["roster"]?.arrayValue ?? [] {
            if let id = p["id"]?.stringValue, let name = p["name"]?.stringValue { names[id] = name }
        }
        return names
    }

    static func checklist(_ items: [JSON], names: [String: String] = [:], local: LocalTime) -> String {
        let done = items.filter { $0["done"]?.boolValue == true }.count
        var table = TextTable([
            .init("ID"), .init("Done"), .init("Phase"), .init("Item", maxWidth: 48), .init("Owner", maxWidth: 16),
            .init("Due"), .init("Done by"), .init("Note", maxWidth: 30),
        ])
        for item in items {
            let isDone = item["done"]?.boolValue == true
            var doneBy = ""
            if isDone {
                let who = item["doneBy"]?.stringValue.map { names[$0] ?? $0 }
                doneBy = [who, item["doneAt"]?.stringValue.map { local.format(wire: $0) }]
                    .compactMap { $0 }.joined(separator: " ")
            }
            table.add(
                item["id"]?.stringValue ?? "", isDone ? "[x]" : "[ ]", item["phase"]?.stringValue ?? "",
                item["text"]?.stringValue ?? "", item["owner"]?.stringValue ?? "", item["due"]?.stringValue ?? "", doneBy,
                item["note"]?.stringValue ?? "")
        }
        return "Checklist (\(done) of \(items.count) done)\n" + table.render()
    }

    static func roster(_ people: [JSON], local: LocalTime) -> String {
        if people.isEmpty { return "Roster: nobody yet. Add people with `roadshow roster add`." }
        var table = TextTable([
            .init("ID"), .init("Name"), .init("Unit", maxWidth: 24), .init("Role"), .init("Title", maxWidth: 16),
            .init("Phone"), .init("Display name", maxWidth: 30), .init("Attending"), .init("Client"), .init("Account"),
        ])
        for p in people {
            table.add(
                p["id"]?.stringValue ?? "", p["name"]?.stringValue ?? "", p["unit"]?.stringValue ?? "",
                Labels.role(p["role"]?.stringValue), p["title"]?.stringValue ?? "", p["phone"]?.stringValue ?? "",
                p["displayName"]?.stringValue ?? "", Labels.yesNo(p["attending"]?.boolValue),
                Labels.yesNo(p["clientInstalled"]?.boolValue), Labels.yesNo(p["accountRegistered"]?.boolValue))
        }
        return "Roster (\(people.count))\n" + table.render()
    }
}
