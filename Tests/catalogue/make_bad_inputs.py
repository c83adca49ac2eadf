#!/usr/bin/python3
"""Writes bad_inputs.json: the catalogue of bad requests BadInputCatalogueTests
sends through the real server. Each case: the op, who sends it (admin, org,
org2, participant, company, live, unit), its args ($M a meeting in
preparation, $P its unit participant, $C its company participant, $G its
agenda item, $L a live meeting, $E an ended one, $D an open dispatch record,
$UNIT the unit account), and the documented answer: code, field, reason.
Run it again after editing; the JSON is what the test reads."""
import json
import os

L60, L61 = "名" * 60, "名" * 61
cases = []


def case(op, who, args, code, field=None, reason=None, note=""):
    c = {"op": op, "as": who, "args": args, "code": code}
    if field:
        c["field"] = field
    if reason:
        c["reason"] = reason
    if note:
        c["note"] = note
    cases.append(c)


MEETING = {"title": "线上路演", "company": {"name": "某公司"}, "project": {"name": "项目", "category": "industrial"},
           "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 90, "system": {"name": "腾讯会议"}}


def meeting(**over):
    m = json.loads(json.dumps(MEETING))
    for k, v in over.items():
        if "." in k:
            a, b = k.split(".")
            m[a][b] = v
        elif v is None:
            m.pop(k)
        else:
            m[k] = v
    return m


# account.*
case("account.create", "org", {"name": "局", "kind": "organizer"}, "forbidden")
case("account.create", "admin", {"kind": "organizer"}, "bad_request", "args.name", "required")
case("account.create", "admin", {"name": "局", "kind": "boss"}, "bad_request", "args.kind", "choice")
case("account.create", "admin", {"name": "名" * 101, "kind": "unit"}, "bad_request", "args.name", "too_long")
case("account.create", "admin", {"name": "局\u202e", "kind": "unit"}, "bad_request", "args.name", "invisible_characters")
case("account.create", "admin", {"name": "局", "kind": "unit", "extra": 1}, "bad_request", "args.extra", "unknown_argument")
case("account.reissue", "admin", {"account": "A-NOPE"}, "not_found", "args.account")
case("account.reissue", "admin", {"account": "A-ADMIN"}, "conflict", "args.account")
case("account.reissue", "admin", {"account": "x"}, "bad_request", "args.account", "id_form")
case("account.list", "org", {}, "forbidden")
# meeting.create
case("meeting.create", "participant", MEETING, "forbidden")
case("meeting.create", "unit", MEETING, "forbidden")
case("meeting.create", "org", meeting(title=None), "bad_request", "args.title", "required")
case("meeting.create", "org", meeting(title="   "), "bad_request", "args.title", "empty")
case("meeting.create", "org", meeting(title="名" * 201), "bad_request", "args.title", "too_long")
case("meeting.create", "org", meeting(title="a\u0007b"), "bad_request", "args.title", "control_characters")
case("meeting.create", "org", meeting(title="a\nb"), "bad_request", "args.title", "control_characters")
case("meeting.create", "org", meeting(title="a\u007fb"), "bad_request", "args.title", "control_characters")
case("meeting.create", "org", meeting(title="a\u0085b"), "bad_request", "args.title", "control_characters")
case("meeting.create", "org", meeting(title="a\u200bb"), "bad_request", "args.title", "invisible_characters")
case("meeting.create", "org", meeting(title="a" + "\u0301" * 500), "bad_request", "args.title", "too_long")
case("meeting.create", "org", meeting(title=7), "bad_request", "args.title", "type")
case("meeting.create", "org", meeting(company="x"), "bad_request", "args.company", "type")
case("meeting.create", "org", meeting(**{"company.name": None}) if False else {**meeting(), "company": {}}, "bad_request", "args.company.name", "required")
case("meeting.create", "org", meeting(**{"company.phone": "call me"}), "bad_request", "args.company.phone", "phone_form")
case("meeting.create", "org", meeting(**{"company.fax": "1"}), "bad_request", "args.company.fax", "unknown_argument")
case("meeting.create", "org", meeting(**{"project.category": "tourism"}), "bad_request", "args.project.category", "choice")
case("meeting.create", "org", meeting(**{"project.investment": -1}), "bad_request", "args.project.investment", "range")
case("meeting.create", "org", meeting(**{"project.investment": "12"}), "bad_request", "args.project.investment", "type")
case("meeting.create", "org", meeting(startsAt="2026-12-01 14:00"), "bad_request", "args.startsAt", "time_form")
case("meeting.create", "org", meeting(startsAt="2026-02-30T14:00:00+08:00"), "bad_request", "args.startsAt", "time_form")
case("meeting.create", "org", meeting(startsAt="2026-12-31T23:59:60Z"), "bad_request", "args.startsAt", "time_form")
case("meeting.create", "org", meeting(startsAt="0000-01-01T00:00:00Z"), "bad_request", "args.startsAt", "time_form")
case("meeting.create", "org", meeting(startsAt="1999-01-01T00:00:00Z"), "bad_request", "args.startsAt")
case("meeting.create", "org", meeting(durationMinutes=5), "bad_request", "args.durationMinutes", "range")
case("meeting.create", "org", meeting(durationMinutes=1441), "bad_request", "args.durationMinutes", "range")
case("meeting.create", "org", meeting(durationMinutes=90.5), "bad_request", "args.durationMinutes", "type")
case("meeting.create", "org", meeting(**{"system.link": "ftp://x.example"}), "bad_request", "args.system.link", "link_form")
case("meeting.create", "org", meeting(**{"system.room": "9" * 61}), "bad_request", "args.system.room", "too_long")
case("meeting.create", "org", meeting(venue="市政府"), "bad_request", "args.venue", "unknown_argument")
case("meeting.create", "org", meeting(kind="roadshow"), "bad_request", "args.kind", "choice")
case("meeting.create", "org", meeting(kind="Project_Pitch"), "bad_request", "args.kind", "choice")
case("meeting.create", "org", meeting(kind=1), "bad_request", "args.kind", "type")
# meeting.update / get / advance
case("meeting.update", "org2", {"meeting": "$M", "title": "x"}, "forbidden")
case("meeting.update", "participant", {"meeting": "$M", "title": "x"}, "forbidden")
case("meeting.update", "org", {"meeting": "M-NOPE", "title": "x"}, "not_found", "args.meeting")
case("meeting.update", "org", {"meeting": "$M", "durationMinutes": 0}, "bad_request", "args.durationMinutes", "range")
case("meeting.update", "org", {"meeting": "$E", "title": "x"}, "conflict")
case("meeting.update", "org", {"meeting": "$M", "kind": "seminar"}, "bad_request", "args.kind", "choice")
case("meeting.update", "participant", {"meeting": "$M", "kind": "exchange"}, "forbidden")
case("meeting.get", "unit", {"meeting": "$M"}, "forbidden")
case("meeting.get", "live", {"meeting": "$M"}, "forbidden")
case("meeting.get", "org", {"meeting": "D-1"}, "bad_request", "args.meeting", "id_form")
case("meeting.advance", "org", {"meeting": "$M", "to": "live"}, "conflict", "args.to")
case("meeting.advance", "org", {"meeting": "$M", "to": "upcoming"}, "bad_request", "args.to", "choice")
case("meeting.advance", "org", {"meeting": "$M", "to": "rehearsal", "force": True}, "bad_request", "args.reason")
case("meeting.advance", "org", {"meeting": "$M", "to": "rehearsal", "force": "yes"}, "bad_request", "args.force", "type")
case("meeting.advance", "org", {"meeting": "$M", "to": "dispatched"}, "conflict", "args.to")
case("meeting.advance", "participant", {"meeting": "$M", "to": "rehearsal"}, "forbidden")
# checklist
case("checklist.add", "org", {"meeting": "$M"}, "bad_request", "args.text", "required")
case("checklist.add", "org", {"meeting": "$M", "text": "名" * 301}, "bad_request", "args.text", "too_long")
case("checklist.add", "org", {"meeting": "$M", "text": "x", "due": "2026-13-01"}, "bad_request", "args.due", "date_form")
case("checklist.add", "org", {"meeting": "$M", "text": "x", "phase": "live"}, "bad_request", "args.phase")
case("checklist.set", "org", {"meeting": "$M", "item": "C-99", "done": True}, "not_found", "args.item")
case("checklist.set", "org", {"meeting": "$M", "item": "C-1"}, "bad_request", "args.done", "required")
case("checklist.set", "org", {"meeting": "$M", "item": "C-1", "done": 1}, "bad_request", "args.done", "type")
case("checklist.remove", "participant", {"meeting": "$M", "item": "C-1"}, "forbidden")
# roster
case("roster.add", "org", {"meeting": "$M", "name": L61, "unit": "u", "role": "unit"}, "bad_request", "args.name", "too_long")
case("roster.add", "org", {"meeting": "$M", "name": "王\u202e五", "unit": "u", "role": "unit"}, "bad_request", "args.name", "invisible_characters")
case("roster.add", "org", {"meeting": "$M", "name": "王五", "unit": "u", "role": "guest"}, "bad_request", "args.role", "choice")
case("roster.add", "org", {"meeting": "$M", "name": "王五", "unit": "u", "role": "unit", "email": "x@y"}, "bad_request", "args.email", "email_form")
case("roster.add", "org", {"meeting": "$M", "name": "王五", "unit": "黄山高新区", "role": "unit"}, "conflict", "args.name")
case("roster.add", "participant", {"meeting": "$M", "name": "x", "unit": "u", "role": "unit"}, "forbidden")
case("roster.update", "org", {"meeting": "$M", "participant": "P-NOPE"}, "not_found", "args.participant")
case("roster.update", "org", {"meeting": "$M", "participant": "$P", "phone": "12"}, "bad_request", "args.phone", "phone_form")
case("roster.remove", "org", {"meeting": "$M", "participant": "x"}, "bad_request", "args.participant", "id_form")
case("roster.link", "company", {"meeting": "$M", "participant": "$P"}, "forbidden")
case("roster.invitation", "company", {"meeting": "$M", "participant": "$P"}, "forbidden")
case("roster.invitation", "org", {"meeting": "$M"}, "bad_request", "args.participant")
case("roster.confirm", "org", {"meeting": "$M", "attending": True}, "forbidden")
case("roster.confirm", "participant", {"meeting": "$M"}, "bad_request", "args.attending", "required")
# av
case("av.mark", "org", {"meeting": "$M", "participant": "$P", "check": "smell", "result": "pass"}, "bad_request", "args.check", "choice")
case("av.mark", "org", {"meeting": "$M", "participant": "$P", "check": "mic", "result": "ok"}, "bad_request", "args.result", "choice")
case("av.mark", "participant", {"meeting": "$M", "participant": "$P", "check": "mic", "result": "pass"}, "forbidden")
case("av.self", "org", {"meeting": "$M", "mic": {"ok": True}, "speaker": {"ok": True}}, "forbidden")
case("av.self", "participant", {"meeting": "$M", "speaker": {"ok": True}}, "bad_request", "args.mic")
case("av.self", "participant", {"meeting": "$M", "mic": {"ok": True, "peakDb": "loud"}, "speaker": {"ok": True}}, "bad_request", "args.mic.peakDb", "type")
# agenda
case("agenda.add", "org", {"meeting": "$M", "title": "x"}, "bad_request", "args.minutes", "required")
case("agenda.add", "org", {"meeting": "$M", "title": "x", "minutes": 0}, "bad_request", "args.minutes", "range")
case("agenda.add", "org", {"meeting": "$M", "title": "x", "minutes": 5, "speaker": "P-NOPE"}, "not_found", "args.speaker")
case("agenda.update", "org", {"meeting": "$M", "item": "G-NOPE"}, "not_found", "args.item")
case("agenda.suggest", "org", {"meeting": "$M"}, "conflict", note="the agenda already has an item")
# contacts (issue 12 point 3)
case("contacts.share", "participant", {"meeting": "$M", "audience": "friends"}, "bad_request", "args.audience", "choice")
case("contacts.share", "participant", {"meeting": "$M"}, "bad_request", "args.audience", "required")
case("contacts.share", "participant", {"meeting": "$M", "audience": "everyone", "phone": "call me"}, "bad_request", "args.phone", "phone_form")
case("contacts.share", "participant", {"meeting": "$M", "audience": "everyone", "email": "nobody"}, "bad_request", "args.email", "email_form")
case("contacts.share", "org", {"meeting": "$M", "audience": "everyone"}, "forbidden")
case("contacts.prompt", "participant", {"meeting": "$M"}, "forbidden")
case("contacts.prompt", "org", {"meeting": "$M", "companyCard": "yes"}, "bad_request", "args.companyCard", "type")
case("contacts.sheet", "org", {"meeting": "$M", "format": "docx"}, "bad_request", "args.format", "choice")
case("contacts.sheet", "unit", {"meeting": "$M"}, "forbidden")

# materials (issue 12 points 1 and 2; uploads themselves are HTTP: MaterialsFlowTests)
case("materials.list", "org", {"meeting": "$M", "audience": "everyone"}, "bad_request", "args.audience", "unknown_argument")
case("materials.list", "unit", {"meeting": "$M"}, "forbidden")
case("materials.remove", "org", {"meeting": "$M"}, "bad_request", "args.material", "required")
case("materials.remove", "org", {"meeting": "$M", "material": "X-1"}, "bad_request", "args.material", "id_form")
case("materials.remove", "org", {"meeting": "$M", "material": "F-9"}, "not_found", "args.material")
case("materials.remove", "participant", {"meeting": "$M", "material": "F-1"}, "forbidden")
case("materials.remove", "company", {"meeting": "$M", "material": "F-1"}, "forbidden")
case("materials.receipts", "org", {"meeting": "$M", "lang": "fr"}, "bad_request", "args.lang", "choice")
case("materials.receipts", "participant", {"meeting": "$M"}, "forbidden")
case("agenda.suggest", "participant", {"meeting": "$M"}, "forbidden")
case("agenda.suggest", "org", {"meeting": "$M", "language": "fr"}, "bad_request", "args.language", "choice")
case("agenda.start", "org", {"meeting": "$M", "item": "$G"}, "conflict")
case("agenda.next", "org", {"meeting": "$M"}, "conflict")
case("agenda.add", "participant", {"meeting": "$M", "title": "x", "minutes": 5}, "forbidden")
# queue and presence (live)
case("queue.raise", "live", {"meeting": "$L", "kind": "question"}, "bad_request", "args.text")
case("queue.raise", "live", {"meeting": "$L", "kind": "shout"}, "bad_request", "args.kind", "choice")
case("queue.raise", "org", {"meeting": "$L", "kind": "speak"}, "forbidden")
case("queue.raise", "participant", {"meeting": "$M", "kind": "speak"}, "conflict")
case("queue.lower", "live", {"meeting": "$L"}, "conflict")
case("queue.grant", "org", {"meeting": "$L", "entry": "Q-NOPE"}, "conflict", "args.entry")
case("queue.next", "org", {"meeting": "$L"}, "conflict")
case("queue.release", "org", {"meeting": "$L"}, "conflict")
case("queue.grant", "live", {"meeting": "$L", "entry": "Q-1"}, "forbidden")
case("presence.set", "live", {"meeting": "$L", "status": "asleep"}, "bad_request", "args.status", "choice")
case("presence.set", "live", {"meeting": "$L", "status": "away", "reason": "名" * 201}, "bad_request", "args.reason", "too_long")
# minutes
case("minutes.add", "org", {"meeting": "$M", "kind": "note", "text": "x"}, "conflict")
case("minutes.add", "org", {"meeting": "$L", "kind": "gossip", "text": "x"}, "bad_request", "args.kind", "choice")
case("minutes.add", "org", {"meeting": "$L", "kind": "note"}, "bad_request", "args.text", "required")
case("minutes.add", "org", {"meeting": "$L", "kind": "note", "text": "x", "visibility": "public"}, "bad_request", "args.visibility", "choice")
case("minutes.add", "org", {"meeting": "$L", "kind": "action", "text": "x", "due": "tomorrow"}, "bad_request", "args.due", "date_form")
case("minutes.add", "live", {"meeting": "$L", "kind": "note", "text": "x"}, "forbidden")
case("minutes.edit", "org", {"meeting": "$L", "entry": "N-NOPE", "text": "x"}, "not_found", "args.entry")
case("minutes.remove", "org", {"meeting": "$L", "entry": "x"}, "bad_request", "args.entry", "id_form")
# exports
case("export.minutes", "org", {"meeting": "$M", "format": "pdf"}, "bad_request", "args.format", "choice")
case("export.minutes", "org", {"meeting": "$M", "lang": "fr"}, "bad_request", "args.lang", "choice")
case("export.ics", "participant", {"meeting": "$M", "participant": "$C"}, "forbidden")
case("export.minutes", "unit", {"meeting": "$M"}, "forbidden")
# follow-up
case("followup.assess", "org", {"meeting": "$M", "unit": "黄山高新区", "feasible": True, "willingToHost": True, "comment": "可以"}, "conflict")
case("followup.assess", "org", {"meeting": "$E", "unit": "不存在的单位", "feasible": True, "willingToHost": True, "comment": "可以"}, "not_found", "args.unit")
case("followup.assess", "org", {"meeting": "$E", "unit": "黄山高新区", "willingToHost": True, "comment": "可以"}, "bad_request", "args.feasible", "required")
case("followup.intent", "org", {"meeting": "$E", "furtherTalks": True, "unitsNeeded": ["x"] * 21}, "bad_request", "args.unitsNeeded", "too_many")
case("followup.intent", "org", {"meeting": "$E"}, "bad_request", "args.furtherTalks", "required")
case("followup.report", "company", {"meeting": "$E"}, "forbidden")
# dispatch
DC = {"meeting": "$E", "handlingUnit": "$UNIT", "stage": "negotiating",
      "commissioner": {"name": "陈专员", "unit": "高新区", "title": "科长", "phone": "0559-2345678"}}
case("dispatch.create", "org", {**DC, "handlingUnit": "A-ADMIN"}, "bad_request", "args.handlingUnit")
case("dispatch.create", "org", {**DC, "handlingUnit": "A-NOPE"}, "not_found", "args.handlingUnit")
case("dispatch.create", "org", {**DC, "stage": "matter_connected"}, "bad_request", "args.stage")
case("dispatch.create", "org", {**DC, "commissioner": {**DC["commissioner"], "phone": "12345"}}, "bad_request", "args.commissioner.phone")
case("dispatch.create", "org", {**DC, "meeting": "$M"}, "conflict")
case("dispatch.create", "org2", DC, "forbidden")
case("dispatch.create", "org", {**DC, "summary": "名" * 2001}, "bad_request", "args.summary", "too_long")
FB = {"record": "$D", "stage": "negotiating", "commissioner": DC["commissioner"]}
case("dispatch.feedback", "unit", {**FB, "text": ""}, "rejected_feedback", "args.text")
case("dispatch.feedback", "unit", {**FB, "text": "无"}, "rejected_feedback", "args.text")
case("dispatch.feedback", "unit", {**FB, "text": "名" * 4001}, "bad_request", "args.text", "too_long")
case("dispatch.feedback", "unit", {**FB}, "bad_request", "args.text", "required")
case("dispatch.feedback", "unit", {**FB, "text": "本月完成了用地踏勘和选址方案", "corrects": "F-NOPE"}, "not_found", "args.corrects")
case("dispatch.feedback", "org2", {**FB, "text": "本月完成了用地踏勘和选址方案"}, "forbidden")
case("dispatch.escalate", "unit", {"record": "$D", "to": "province", "reason": "x"}, "conflict", "args.to")
case("dispatch.escalate", "unit", {"record": "$D", "to": "city"}, "bad_request", "args.reason", "required")
case("dispatch.answer", "org", {"record": "$D", "escalation": "E-NOPE", "text": "x"}, "not_found", "args.escalation")
case("dispatch.close", "org", {"record": "$D", "outcome": "shelved"}, "bad_request", "args.reason")
case("dispatch.close", "org", {"record": "$D", "outcome": "matter_connected"}, "bad_request", "args.outcome")
case("dispatch.close", "unit", {"record": "$D", "outcome": "started"}, "forbidden")
case("dispatch.reopen", "org", {"record": "$D", "reason": "x", "stage": "negotiating"}, "conflict")
case("dispatch.get", "org", {"record": "D-NOPE"}, "not_found", "args.record")
case("dispatch.get", "participant", {"record": "$D"}, "forbidden")
case("dispatch.list", "org", {"stage": "dreaming"}, "bad_request", "args.stage", "choice")
case("dispatch.remind", "org", {"record": "$D"}, "conflict")
case("report.monthly", "org", {"month": "2026-13"}, "bad_request", "args.month")
case("report.monthly", "org", {"month": "2099-01"}, "bad_request", "args.month")
case("report.monthly", "unit", {"month": "2026-11"}, "forbidden")
# subscriptions
case("stream.subscribe", "org", {"stream": "X-1"}, "bad_request", "args.stream")
case("stream.subscribe", "org", {"stream": "$M", "since": -1}, "bad_request", "args.since", "range")
case("stream.subscribe", "org", {"stream": "$M", "since": 99999}, "conflict", "args.since")
case("stream.subscribe", "company", {"stream": "accounts"}, "forbidden")
case("stream.subscribe", "unit", {"stream": "$M"}, "forbidden")

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "bad_inputs.json"), "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=False, indent=1)
    f.write("\n")
print("%d cases" % len(cases))
