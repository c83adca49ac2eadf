import Foundation
import GRDB
import Testing

@testable import RoadshowCore
@testable import RoadshowStore

/// Domain values and stores for the store tests. Times are whole seconds (or
/// exact binary fractions) so what is stored at millisecond precision reads back equal.
enum StoreFixture {
    static let t0 = Date(timeIntervalSince1970: 1_795_334_400)  // 2026-11-22T08:00:00Z

    static func info(_ id: String = "M-7Q2K", title: String = "皖南新能源储能电池项目线上路演", owner: String = "A-ORG001",
                     at: Date = t0) -> MeetingInfo {
        MeetingInfo(
            id: id, title: title, owner: owner, ownerName: "黄山市投资促进局", phase: .preparing,
            company: Company(name: "皖南新能源科技有限公司", contact: "李总", phone: "138 0000 0000"),
            project: Project(name: "年产5GWh储能电池生产基地", category: .industrial, industry: "新能源", investment: 12.5),
            startsAt: t0 + 9 * 86400, durationMinutes: 90,
            system: MeetingSystem(name: "腾讯会议", room: "123-456-789", link: nil),
            createdAt: at, updatedAt: at, transitions: nil)
    }

    static func participant(_ id: String, _ name: String, _ unit: String, role: RosterRole = .unit) -> Participant {
        Participant(id: id, name: name, unit: unit, role: role, displayName: Participant.displayName(name: name, unit: unit), addedAt: t0)
    }

    static func item(_ n: Int, _ text: String = "收集参会人员名单") -> ChecklistItem {
        ChecklistItem(id: "C-\(n)", text: text, phase: .preparing, done: false)
    }

    /// Events of `stream` numbered from `from`, one second apart.
    static func recorded(_ stream: String, from: Int64 = 1, by: String = "A-ORG001", _ events: [DomainEvent]) -> [RecordedEvent] {
        events.enumerated().map { i, e in
            RecordedEvent(stream: stream, seq: from + Int64(i), at: t0 + Double(from) + Double(i), by: by, event: e)
        }
    }

    static func credential(_ token: String, actor: String, kind: Actor.Kind = .participant, meeting: String? = "M-7Q2K") -> Credential {
        Credential(tokenHash: SHA256.hex(token), actor: actor, kind: kind, name: actor, meeting: meeting)
    }

    /// A fresh temporary directory; the caller removes it.
    static func tempDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roadshow-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func count(_ store: EventStore, _ table: String) throws -> Int {
        try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
    }
}

/// Runs the same test on an in-memory store and on a file store.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, file

    var testDescription: String { rawValue }

    func withStore<T>(_ body: (EventStore) throws -> T) throws -> T {
        switch self {
        case .memory:
            return try body(try EventStore.inMemory())
        case .file:
            let dir = try StoreFixture.tempDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            return try body(try EventStore.open(path: dir.appendingPathComponent("roadshow.sqlite").path))
        }
    }
}
