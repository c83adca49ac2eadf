import GRDB
import RoadshowCore

/// Keeps the query tables in step with the event log, inside the same
/// transaction as the events.
enum Projections {
    static func apply(_ e: RecordedEvent, _ db: Database) throws {
        switch e.event {
        case .accountCreated(let a):
            try db.execute(
                sql: "INSERT INTO accounts (id, name, kind, created_at) VALUES (?, ?, ?, ?)",
                arguments: [a.id, a.name, a.kind.rawValue, Timestamp.format(a.createdAt)])
        case .meetingCreated(let m), .meetingUpdated(let m), .meetingAdvanced(let m):
            try db.execute(
                sql: """
                    INSERT INTO meetings (id, owner, title, phase, starts_at, duration_minutes, company, project, category, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET title = excluded.title, phase = excluded.phase,
                        starts_at = excluded.starts_at, duration_minutes = excluded.duration_minutes,
                        company = excluded.company, project = excluded.project, category = excluded.category,
                        updated_at = excluded.updated_at
                    """,
                arguments: [
                    m.id, m.owner, m.title, m.phase.rawValue, Timestamp.format(m.startsAt), m.durationMinutes,
                    m.company.name, m.project.name, m.project.category.rawValue, Timestamp.format(m.updatedAt),
                ])
        case .rosterAdded(let p), .rosterUpdated(let p), .rosterConfirmed(let p), .avSelfTested(let p), .avMarked(let p), .presenceChanged(let p):
            try db.execute(
                sql: """
                    INSERT INTO participants (id, meeting, name, unit, role, display_name, attending)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET name = excluded.name, unit = excluded.unit, role = excluded.role,
                        display_name = excluded.display_name, attending = excluded.attending
                    """,
                arguments: [p.id, e.stream, p.name, p.unit, p.role.rawValue, p.displayName, p.attending])
        case .rosterRemoved(let id):
            try db.execute(sql: "DELETE FROM participants WHERE id = ?", arguments: [id])
        case .checklistItemAdded, .checklistItemSet, .checklistItemRemoved, .rosterLinkReissued, .accountTokenReissued,
            .agendaAdded, .agendaUpdated, .agendaMoved, .agendaRemoved, .agendaStarted, .agendaFinished,
            .queueRaised, .queueLowered, .queueUpvoted, .queueGranted, .queueReleased, .queueRemoved,
            .minutesAdded, .minutesEdited, .minutesRemoved:
            break
        }
    }
}
