import Foundation
import GRDB
import Testing

@testable import RoadshowCore
@testable import RoadshowStore

@Suite("Projections: accounts, meetings, participants")
struct ProjectionTests {
    struct MeetingRow: Equatable {
        let id, owner, title, phase, startsAt: String
        let duration: Int
        let company, project, category, updatedAt: String
    }

    struct ParticipantRow: Equatable {
        let id, meeting, name, unit, role, displayName: String
        let attending: Bool?
    }

    static func meetings(_ store: EventStore) throws -> [MeetingRow] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM meetings ORDER BY id").map {
                MeetingRow(id: $0["id"], owner: $0["owner"], title: $0["title"], phase: $0["phase"], startsAt: $0["starts_at"],
                           duration: $0["duration_minutes"], company: $0["company"], project: $0["project"],
                           category: $0["category"], updatedAt: $0["updated_at"])
            }
        }
    }

    static func participants(_ store: EventStore) throws -> [ParticipantRow] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM participants ORDER BY id").map {
                ParticipantRow(id: $0["id"], meeting: $0["meeting"], name: $0["name"], unit: $0["unit"], role: $0["role"],
                               displayName: $0["display_name"], attending: $0["attending"])
            }
        }
    }

    @Test("meetings follow meeting.created, meeting.updated and meeting.advanced", arguments: StoreKind.allCases)
    func meetings(kind: StoreKind) throws {
        try kind.withStore { store throws in
            let created = StoreFixture.info()
            try store.commit([Commit(events: StoreFixture.recorded("M-7Q2K", [.meetingCreated(created)]))])
            #expect(try Self.meetings(store) == [MeetingRow(
                id: "M-7Q2K", owner: "A-ORG001", title: "皖南新能源储能电池项目线上路演", phase: "preparing",
                startsAt: "2026-12-01T08:00:00.000Z", duration: 90, company: "皖南新能源科技有限公司",
                project: "年产5GWh储能电池生产基地", category: "industrial", updatedAt: "2026-11-22T08:00:00.000Z")])

            var updated = created
            updated.title = "改期后的路演"
            updated.company.name = "皖南储能有限公司"
            updated.project.category = .nonIndustrial
            updated.durationMinutes = 120
            updated.startsAt = created.startsAt + 3600
            updated.updatedAt = StoreFixture.t0 + 60
            try store.commit([Commit(events: StoreFixture.recorded("M-7Q2K", from: 2, [.meetingUpdated(updated)]))])
            var advanced = updated
            advanced.phase = .rehearsal
            advanced.updatedAt = StoreFixture.t0 + 120
            try store.commit([Commit(events: StoreFixture.recorded("M-7Q2K", from: 3, [.meetingAdvanced(advanced)]))])

            #expect(try Self.meetings(store) == [MeetingRow(
                id: "M-7Q2K", owner: "A-ORG001", title: "改期后的路演", phase: "rehearsal",
                startsAt: "2026-12-01T09:00:00.000Z", duration: 120, company: "皖南储能有限公司",
                project: "年产5GWh储能电池生产基地", category: "non_industrial", updatedAt: "2026-11-22T08:02:00.000Z")])

            // A second meeting gets its own row; checklist events touch no projection.
            try store.commit([Commit(events: StoreFixture.recorded("M-OTHR", by: "A-ORG002", [
                .meetingCreated(StoreFixture.info("M-OTHR", title: "另一场", owner: "A-ORG002")),
                .checklistItemAdded(StoreFixture.item(1)),
            ]))])
            let rows = try Self.meetings(store)
            #expect(rows.map(\.id) == ["M-7Q2K", "M-OTHR"])
            #expect(rows[1].owner == "A-ORG002")
            #expect(rows[0].title == "改期后的路演")
        }
    }

    @Test("participants follow roster.added / updated / confirmed / removed, per meeting", arguments: StoreKind.allCases)
    func participants(kind: StoreKind) throws {
        try kind.withStore { store throws in
            let a = StoreFixture.participant("P-AAAA0001", "张三", "市商务局")
            let b = StoreFixture.participant("P-BBBB0002", "周主持", "黄山市投资促进局", role: .host)
            let c = StoreFixture.participant("P-CCCC0003", "李四", "歙县")
            try store.commit([
                Commit(events: StoreFixture.recorded("M-7Q2K", [.meetingCreated(StoreFixture.info()), .rosterAdded(a), .rosterAdded(b)])),
                Commit(events: StoreFixture.recorded("M-OTHR", [.meetingCreated(StoreFixture.info("M-OTHR")), .rosterAdded(c)])),
            ])
            #expect(try Self.participants(store) == [
                ParticipantRow(id: a.id, meeting: "M-7Q2K", name: "张三", unit: "市商务局", role: "unit", displayName: "张三-市商务局", attending: nil),
                ParticipantRow(id: b.id, meeting: "M-7Q2K", name: "周主持", unit: "黄山市投资促进局", role: "host",
                               displayName: "周主持-黄山市投资促进局", attending: nil),
                ParticipantRow(id: c.id, meeting: "M-OTHR", name: "李四", unit: "歙县", role: "unit", displayName: "李四-歙县", attending: nil),
            ])

            var moved = a
            moved.unit = "黄山高新区"
            moved.role = .company
            moved.displayName = Participant.displayName(name: moved.name, unit: moved.unit)
            var confirmed = moved
            confirmed.attending = false
            try store.commit([Commit(events: StoreFixture.recorded("M-7Q2K", from: 4, [
                .rosterUpdated(moved), .rosterConfirmed(confirmed), .rosterRemoved(id: b.id), .rosterLinkReissued(id: a.id),
            ]))])
            #expect(try Self.participants(store) == [
                ParticipantRow(id: a.id, meeting: "M-7Q2K", name: "张三", unit: "黄山高新区", role: "company",
                               displayName: "张三-黄山高新区", attending: false),
                ParticipantRow(id: c.id, meeting: "M-OTHR", name: "李四", unit: "歙县", role: "unit", displayName: "李四-歙县", attending: nil),
            ])
            var attending = confirmed
            attending.attending = true
            try store.commit([Commit(events: StoreFixture.recorded("M-7Q2K", from: 8, [.rosterConfirmed(attending)]))])
            #expect(try Self.participants(store).first?.attending == true)
        }
    }

    @Test("accounts follow account.created", arguments: StoreKind.allCases)
    func accounts(kind: StoreKind) throws {
        try kind.withStore { store throws in
            try store.commit([Commit(events: StoreFixture.recorded("accounts", by: "A-ADMIN", [
                .accountCreated(Account(id: "A-ADMIN", name: "Administrator", kind: .admin, createdAt: StoreFixture.t0)),
                .accountCreated(Account(id: "A-UNIT01", name: "黄山高新区", kind: .unit, createdAt: StoreFixture.t0 + 1)),
            ]))])
            let rows = try store.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT id, name, kind, created_at FROM accounts ORDER BY id").map {
                    [$0["id"], $0["name"], $0["kind"], $0["created_at"]] as [String]
                }
            }
            #expect(rows == [
                ["A-ADMIN", "Administrator", "admin", "2026-11-22T08:00:00.000Z"],
                ["A-UNIT01", "黄山高新区", "unit", "2026-11-22T08:00:01.000Z"],
            ])
        }
    }

    @Test("a failed commit leaves the projections as they were", arguments: StoreKind.allCases)
    func projectionsRollBack(kind: StoreKind) throws {
        try kind.withStore { store throws in
            try store.commit([Commit(events: StoreFixture.recorded("M-7Q2K", [.meetingCreated(StoreFixture.info())]))])
            var renamed = StoreFixture.info()
            renamed.title = "不该出现的标题"
            let bad = Commit(events: StoreFixture.recorded("M-7Q2K", from: 2, [
                .meetingUpdated(renamed), .rosterAdded(StoreFixture.participant("P-AAAA0001", "张三", "市商务局")),
            ]) + StoreFixture.recorded("M-7Q2K", from: 5, [.checklistItemAdded(StoreFixture.item(1))]))
            #expect(throws: (any Error).self) { try store.commit([bad]) }
            #expect(try Self.meetings(store).map(\.title) == ["皖南新能源储能电池项目线上路演"])
            #expect(try Self.participants(store).isEmpty)
        }
    }
}
