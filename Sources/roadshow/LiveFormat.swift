import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// Small shared pieces of the rehearsal and live-meeting commands (av, agenda,
/// queue, minutes, presence): durations, short local times, who an id is.
enum LiveFormat {
    /// 75 → "1:15", 3725 → "1:02:05", -5 → "-0:05".
    static func clock(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : ""
        let s = abs(seconds)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        if s >= 3600 { return "\(sign)\(s / 3600):\(two(s / 60 % 60)):\(two(s % 60))" }
        return "\(sign)\(s / 60):\(two(s % 60))"
    }

    /// The server's clock from a `meeting.get` result (elapsed times are measured
    /// against it, not against this machine's clock), else this machine's.
    static func serverNow(_ result: JSON) -> Date {
        result["serverTime"]?.stringValue.flatMap(Timestamp.parse) ?? Date()
    }

    /// Seconds from a protocol timestamp to `now`.
    static func elapsed(since wire: String?, now: Date) -> Int? {
        guard let wire, let start = Timestamp.parse(wire) else { return nil }
        return max(0, Int(now.timeIntervalSince(start).rounded()))
    }

    /// A protocol time in the local zone: "14:03" when it falls on `today`'s
    /// local date, else "2026-12-01 14:03" (with seconds when asked).
    static func time(_ wire: String?, local: LocalTime, today: Date, seconds: Bool = false) -> String {
        guard let wire else { return "" }
        let full = local.format(wire: wire, seconds: seconds)
        let day = local.format(today).prefix(10)
        if full.hasPrefix(day + " ") { return String(full.dropFirst(11)) }
        return full
    }

    /// Participant id → display name ("王芳-高新区管委会"), and the organizer's name.
    static func names(_ snapshot: JSON) -> [String: String] {
        var names: [String: String] = [:]
        if let owner = snapshot["owner"]?.stringValue, let name = snapshot["ownerName"]?.stringValue { names[owner] = name }
        for p in snapshot["roster"]?.arrayValue ?? [] {
            if let id = p["id"]?.stringValue {
                names[id] = p["displayName"]?.stringValue ?? p["name"]?.stringValue ?? id
            }
        }
        return names
    }

    /// "code 中文" for a labelled vocabulary value.
    static func label<L: RawRepresentable & Labelled>(_ type: L.Type, _ raw: String?) -> String where L.RawValue == String {
        guard let raw else { return "" }
        return L(rawValue: raw).map { "\(raw) \($0.zh)" } ?? raw
    }

    /// Fetches a meeting's snapshot; returns (result, snapshot).
    static func snapshot(_ session: RoadshowSession, _ meeting: String) async throws -> (JSON, JSON) {
        let result = try await session.call("meeting.get", ["meeting": .string(meeting)])
        return (result, result["snapshot"] ?? .null)
    }

    /// Writes text to a file, as UTF-8, replacing it.
    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    struct CannotWrite: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot write \(path): \(reason)" }
    }
}

extension AVCheckKind: ExpressibleByArgument {}
extension AVResult: ExpressibleByArgument {}
extension QueueEntry.Kind: ExpressibleByArgument {}
extension Presence.Status: ExpressibleByArgument {}
extension MinutesEntry.Kind: ExpressibleByArgument {}
