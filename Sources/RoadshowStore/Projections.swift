import GRDB
import RoadshowCore

/// Keeps the query tables in step with the event log, inside the same
/// transaction as the events.
enum Projections {
    static func apply(_ e: RecordedEvent, _ db: Database) throws {
        switch e.event {
        case .accountCreated(let a):
            try db.cachedStatement(sql: "INSERT INTO accounts (id, name, kind, created_at) VALUES (?, ?, ?, ?)")
                .execute(arguments: [a.id, a.name, a.kind.rawValue, Timestamp.format(a.createdAt)])
        case .meetingCreated(let m), .meetingUpdated(let m), .meetingAdvanced(let m):
            try db.cachedStatement(sql: """
                    INSERT INTO meetings (id, owner, title, phase, starts_at, duration_minutes, company, project, category, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET title = excluded.title, phase = excluded.phase,
                        starts_at = excluded.starts_at, duration_minutes = excluded.duration_minutes,
                        company = excluded.company, project = excluded.project, category = excluded.category,
                        updated_at = excluded.updated_at
                    """)
                .execute(arguments: [
                    m.id, m.owner, m.title, m.phase.rawValue, Timestamp.format(m.startsAt), m.durationMinutes,
                    m.company.name, m.project.name, m.project.category.rawValue, Timestamp.format(m.updatedAt),
                ])
        case .rosterAdded(let p), .rosterUpdated(let p), .rosterConfirmed(let p), .avSelfTested(let p), .avMarked(let p), .presenceChanged(let p):
            try db.cachedStatement(sql: """
                    INSERT INTO participants (id, meeting, name, unit, role, display_name, attending)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET name = excluded.name, unit = excluded.unit, role = excluded.role,
                        display_name = excluded.display_name, attending = excluded.attending
                    """)
                .execute(arguments: [p.id, e.stream, p.name, p.unit, p.role.rawValue, p.displayName, p.attending])
        case .rosterRemoved(let id):
            try db.cachedStatement(sql: "DELETE FROM participants WHERE id = ?").execute(arguments: [id])
        case .dispatchCreated(let r, _):
            try db.cachedStatement(sql: """
                    INSERT INTO dispatch_records (id, meeting, owner, handling_unit, category, stage, status, level, district,
                        company, project, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                .execute(arguments: [
                    r.id, r.meeting, r.owner, r.handlingUnit.id, r.category.rawValue, r.stage.rawValue, r.status.rawValue,
                    r.level.rawValue, r.district, r.company.name, r.project.name, Timestamp.format(r.createdAt), Timestamp.format(r.updatedAt),
                ])
        case .dispatchFeedbackPosted(let f, let c):
            try db.cachedStatement(sql: "INSERT INTO dispatch_feedback (record, id, at, by, stage, text) VALUES (?, ?, ?, ?, ?, ?)")
                .execute(arguments: [e.stream, f.id, Timestamp.format(f.at), f.by, f.stage.rawValue, f.text])
            try updateRecord(c, db)
        case .dispatchEscalated(_, let c), .dispatchAnswered(_, let c), .dispatchClosed(let c), .dispatchReopened(let c):
            try updateRecord(c, db)
        case .followupAssessed, .followupIntentRecorded, .contactShared, .contactWithdrawn, .contactsPrompted,
            .materialAdded, .materialRemoved, .materialOpened:
            break
        case .checklistItemAdded, .checklistItemSet, .checklistItemRemoved, .rosterLinkReissued, .accountTokenReissued,
            .agendaAdded, .agendaUpdated, .agendaMoved, .agendaRemoved, .agendaStarted, .agendaFinished,
            .queueRaised, .queueLowered, .queueUpvoted, .queueGranted, .queueReleased, .queueRemoved,
            .minutesAdded, .minutesEdited, .minutesRemoved:
            break
        }
    }

    static func updateRecord(_ c: DispatchChange, _ db: Database) throws {
        try db.cachedStatement(sql: """
                UPDATE dispatch_records SET handling_unit = ?, stage = ?, status = ?, level = ?, district = ?, updated_at = ?
                WHERE id = ?
                """)
            .execute(arguments: [c.handlingUnit.id, c.stage.rawValue, c.status.rawValue, c.level.rawValue, c.district, Timestamp.format(c.updatedAt), c.id])
    }
}
