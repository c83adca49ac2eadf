#!/usr/bin/python3
"""Writes the seed corpus of the in-process fuzzer (Sources/RoadshowFuzz,
`make fuzz`) into Tests/fuzz/corpus/, and its dictionary Tests/fuzz/roadshow.dict.

An input is lines; a line is an actor letter and one WebSocket text message
(`o{"id":"1","op":"meeting.get","args":{"meeting":"$M"}}`), `+<hours>` (the
clock moves on) or `~<actor>` (that connection closes). `$M`, `$P`, … are the
world's ids (see Sources/RoadshowFuzz/World.swift). Seeds:

- op-*: every op with good arguments, from an actor that may call it;
- flow-*: a few requests in a row that reach deeper states (a live meeting's
  queue, the follow-up and dispatch of an ended meeting, revoked links, …);
- bad-*: each case of Tests/catalogue/bad_inputs.json (its $-names are the
  same), from its actor;
- frame-*: envelopes the decoder must refuse.

Run it again after editing; what libFuzzer adds in `make fuzz` stays in its
work folder unless copied here on purpose."""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "corpus")

COMMISSIONER = {"name": "陈专员", "unit": "黄山高新区管委会", "title": "招商科科长", "phone": "0559-2345678"}
MEETING = {"title": "线上路演", "company": {"name": "某公司", "contact": "李", "phone": "138 0000 0000"},
           "project": {"name": "项目", "category": "industrial", "industry": "新能源", "investment": 1.5},
           "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 90,
           "system": {"name": "腾讯会议", "room": "1", "link": "https://x.example/a"}}

counter = [0]


def msg(actor, op, args=None, id=None, **extra):
    counter[0] += 1
    frame = {"id": id or "c%d" % counter[0], "op": op}
    if args is not None:
        frame["args"] = args
    frame.update(extra)
    return actor + json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


# One good request per op: (name, actor, args).
OPS = [
    ("auth", "x", {"token": "$T1"}),
    ("ping", "a", {}),
    ("stream.subscribe", "o", {"stream": "$M"}),
    ("stream.subscribe", "a", {"stream": "accounts"}),
    ("stream.subscribe", "u", {"stream": "$D"}),
    ("stream.unsubscribe", "o", {"stream": "$M"}),
    ("account.create", "a", {"name": "新单位", "kind": "unit"}),
    ("account.reissue", "a", {"account": "$UNIT2"}),
    ("account.list", "a", {}),
    ("meeting.create", "o", MEETING),
    ("meeting.list", "o", {"phase": "preparing"}),
    ("meeting.get", "c", {"meeting": "$M"}),
    ("meeting.update", "o", {"meeting": "$M", "title": "新标题", "durationMinutes": 60, "project": {"investment": None}}),
    ("meeting.update", "o", {"meeting": "$M", "startsAt": "2026-12-01T14:00:00.1239+08:00", "project": {"investment": 0.1}}),
    ("meeting.advance", "o", {"meeting": "$M", "to": "rehearsal"}),
    ("meeting.advance", "h", {"meeting": "$L", "to": "ended", "force": True, "reason": "提前结束"}),
    ("meeting.advance", "o", {"meeting": "$E", "to": "closed", "reason": "不转办"}),
    ("checklist.add", "o", {"meeting": "$M", "text": "事项", "phase": "preparing", "owner": "某", "due": "2026-11-30"}),
    ("checklist.add", "o", {"meeting": "$M", "text": "确认会议室", "requestKey": "setup-key"}),
    ("checklist.set", "h", {"meeting": "$M", "item": "C-1", "done": True, "note": "n"}),
    ("checklist.remove", "o", {"meeting": "$M", "item": "C-2"}),
    ("roster.add", "o", {"meeting": "$M", "name": "新人", "unit": "新单位", "role": "unit", "title": "主任", "phone": "139 0000 0009", "email": "x@y.cn"}),
    ("roster.update", "o", {"meeting": "$M", "participant": "$P", "title": "主任", "phone": "13900000001", "role": "host"}),
    ("roster.remove", "o", {"meeting": "$M", "participant": "$C"}),
    ("roster.link", "h", {"meeting": "$M", "participant": "$P"}),
    ("roster.confirm", "p", {"meeting": "$M", "attending": True, "clientInstalled": True, "accountRegistered": False}),
    ("roster.invitation", "o", {"meeting": "$M", "participant": "$P"}),
    ("roster.invitation", "p", {"meeting": "$M"}),
    ("av.self", "p", {"meeting": "$M", "mic": {"ok": True, "peakDb": -20}, "speaker": {"ok": True}, "camera": {"ok": False}, "displayName": "王五-黄山高新区"}),
    ("av.mark", "o", {"meeting": "$M", "participant": "$P", "check": "mic", "result": "pass", "note": "ok"}),
    ("agenda.add", "o", {"meeting": "$M", "title": "t", "minutes": 5, "speaker": "$P", "speakingLimitSeconds": 60, "position": 1}),
    ("agenda.update", "o", {"meeting": "$M", "item": "$G", "title": "x", "minutes": 3, "speaker": None}),
    ("agenda.move", "o", {"meeting": "$L", "item": "G-1", "position": 1}),
    ("agenda.remove", "o", {"meeting": "$M", "item": "$G"}),
    ("agenda.start", "L", {"meeting": "$L", "item": "G-1"}),
    ("agenda.next", "L", {"meeting": "$L"}),
    ("agenda.finish", "o", {"meeting": "$L"}),
    ("queue.raise", "k", {"meeting": "$L", "kind": "speak"}),
    ("queue.lower", "l", {"meeting": "$L"}),
    ("queue.upvote", "k", {"meeting": "$L", "entry": "Q-1"}),
    ("queue.grant", "L", {"meeting": "$L", "entry": "Q-1"}),
    ("queue.next", "o", {"meeting": "$L", "by": "votes"}),
    ("queue.release", "o", {"meeting": "$L"}),
    ("queue.remove", "o", {"meeting": "$L", "entry": "Q-1"}),
    ("presence.set", "l", {"meeting": "$L", "status": "away", "reason": "电话"}),
    ("minutes.add", "o", {"meeting": "$L", "kind": "action", "text": "事", "owner": "某", "due": "2026-12-20", "agendaItem": "G-1", "visibility": "everyone"}),
    ("minutes.edit", "o", {"meeting": "$E", "entry": "N-1", "text": "改", "agendaItem": "", "visibility": "everyone"}),
    ("minutes.remove", "o", {"meeting": "$E", "entry": "N-2"}),
    ("export.minutes", "o", {"meeting": "$E", "format": "markdown", "lang": "en"}),
    ("export.minutes", "c", {"meeting": "$M", "format": "docx"}),
    ("export.ics", "p", {"meeting": "$M"}),
    ("export.ics", "o", {"meeting": "$M", "participant": "$P"}),
    ("followup.assess", "e", {"meeting": "$E", "unit": "$EU", "feasible": True, "willingToHost": True, "comment": "可行"}),
    ("followup.intent", "o", {"meeting": "$E", "furtherTalks": True, "district": "黄山区", "unitsNeeded": ["歙县"], "comment": "意向强", "recommendation": "建议转办"}),
    ("followup.report", "o", {"meeting": "$E", "format": "markdown", "lang": "zh"}),
    ("followup.report", "o", {"meeting": "$F", "format": "docx", "lang": "en"}),
    ("dispatch.create", "o", {"meeting": "$E", "handlingUnit": "$UNIT", "commissioner": COMMISSIONER, "stage": "initial_contact", "district": "黄山区", "summary": "摘要"}),
    ("dispatch.get", "u", {"record": "$D"}),
    ("dispatch.list", "a", {"status": "open", "overdue": False, "category": "industrial", "q": "储能"}),
    ("dispatch.feedback", "u", {"record": "$D", "text": "本月与企业两次视频会谈，完成用地选址初步方案，下一步报批。", "stage": "negotiating", "commissioner": COMMISSIONER}),
    ("dispatch.escalate", "u", {"record": "$D", "to": "city", "reason": "用地指标不足", "problem": "需市级统筹"}),
    ("dispatch.answer", "o", {"record": "$D", "escalation": "E-1", "text": "市里统筹解决"}),
    ("dispatch.close", "o", {"record": "$D", "outcome": "shelved", "reason": "企业暂缓"}),
    ("dispatch.reopen", "o", {"record": "$D", "reason": "企业恢复", "stage": "negotiating"}),
    ("dispatch.remind", "o", {"record": "$D"}),
    ("export.dispatch", "a", {"status": "open"}),
    ("report.monthly", "o", {"month": "2026-11", "issue": 3, "issuer": "市投资促进局", "format": "markdown", "lang": "zh"}),
    ("report.monthly", "a", {"month": "2026-11", "format": "docx"}),
]

FLOWS = {
    "live-queue": [
        msg("L", "stream.subscribe", {"stream": "$L"}), msg("k", "stream.subscribe", {"stream": "$L"}),
        msg("k", "queue.raise", {"meeting": "$L", "kind": "question", "text": "问题"}),
        msg("l", "queue.upvote", {"meeting": "$L", "entry": "Q-2"}),
        msg("L", "queue.next", {"meeting": "$L", "by": "votes"}),
        msg("l", "queue.release", {"meeting": "$L"}),
        msg("L", "queue.grant", {"meeting": "$L", "entry": "Q-2"}),
        msg("k", "queue.release", {"meeting": "$L"}),
        msg("L", "agenda.next", {"meeting": "$L"}),
        msg("o", "meeting.advance", {"meeting": "$L", "to": "ended"}),
    ],
    "prepare-to-live": [
        msg("o", "stream.subscribe", {"stream": "$M"}), msg("p", "stream.subscribe", {"stream": "$M"}),
        msg("o", "meeting.advance", {"meeting": "$M", "to": "rehearsal"}),
        msg("p", "av.self", {"meeting": "$M", "mic": {"ok": True, "peakDb": -12}, "speaker": {"ok": True}}),
        msg("h", "av.mark", {"meeting": "$M", "participant": "$P", "check": "joined", "result": "pass"}),
        msg("o", "meeting.advance", {"meeting": "$M", "to": "live"}),
        msg("o", "meeting.advance", {"meeting": "$M", "to": "live", "force": True, "reason": "按时开始"}),
        msg("h", "agenda.start", {"meeting": "$M", "item": "$G"}),
        msg("p", "queue.raise", {"meeting": "$M", "kind": "point_of_order"}),
        msg("r", "minutes.add", {"meeting": "$M", "kind": "intent", "text": "意向"}),
        msg("r", "minutes.add", {"meeting": "$M", "kind": "next_contact", "text": "下次"}),
        msg("h", "meeting.advance", {"meeting": "$M", "to": "ended"}),
    ],
    "followup-dispatch": [
        msg("e", "followup.assess", {"meeting": "$E", "unit": "$EU", "feasible": True, "willingToHost": True, "comment": "可行"}),
        msg("o", "followup.assess", {"meeting": "$E", "unit": "歙县", "feasible": False, "willingToHost": False, "comment": "不可行"}),
        msg("o", "followup.intent", {"meeting": "$E", "furtherTalks": True, "district": "黄山区"}),
        msg("o", "dispatch.create", {"meeting": "$E", "handlingUnit": "$UNIT2", "commissioner": COMMISSIONER, "stage": "negotiating"}),
        msg("U", "dispatch.feedback", {"record": "$NEWD", "text": "本月完成项目选址踏勘，企业提交了初步设计方案，正在组织评审。", "stage": "signed", "commissioner": COMMISSIONER}),
        msg("U", "dispatch.escalate", {"record": "$NEWD", "to": "city", "reason": "审批需要市级"}),
        msg("o", "dispatch.answer", {"record": "$NEWD", "escalation": "E-1", "text": "已协调"}),
        msg("o", "dispatch.close", {"record": "$NEWD", "outcome": "signed"}),
        msg("o", "dispatch.reopen", {"record": "$NEWD", "reason": "重开"}),
        msg("a", "report.monthly", {"month": "2026-11"}),
    ],
    "record-deadlines": [
        "+800",
        msg("u", "dispatch.get", {"record": "$D"}),
        msg("o", "dispatch.remind", {"record": "$D"}),
        msg("a", "dispatch.list", {"overdue": True}),
        "+2000",
        msg("u", "dispatch.feedback", {"record": "$D", "text": "本月推进用地报批，企业完成环评委托。", "stage": "negotiating", "commissioner": COMMISSIONER}),
        msg("u", "dispatch.feedback", {"record": "$D", "text": "本月推进用地报批，企业完成环评委托。", "stage": "negotiating", "commissioner": COMMISSIONER}),
        msg("a", "export.dispatch", {}),
    ],
    "revoke-links": [
        msg("p", "stream.subscribe", {"stream": "$M"}),
        msg("o", "roster.link", {"meeting": "$M", "participant": "$P"}),
        msg("p", "ping", {}),
        msg("x", "auth", {"token": "$TOK"}),
        msg("x", "meeting.get", {"meeting": "$M"}),
        msg("o", "roster.remove", {"meeting": "$M", "participant": "$C"}),
        msg("c", "ping", {}),
        msg("a", "account.reissue", {"account": "$UNIT"}),
        msg("u", "dispatch.list", {}),
    ],
    "request-keys": [
        msg("o", "checklist.add", {"meeting": "$M", "text": "确认会议室", "requestKey": "setup-key"}),
        msg("o", "checklist.add", {"meeting": "$M", "text": "另一个", "requestKey": "k1"}),
        msg("o", "checklist.add", {"meeting": "$M", "text": "另一个", "requestKey": "k1"}),
        msg("o", "checklist.remove", {"meeting": "$M", "item": "C-13", "requestKey": "k1"}),
        msg("2", "meeting.create", dict(MEETING, requestKey="k2")),
        msg("o", "meeting.create", dict(MEETING, requestKey="k2")),
        msg("o", "roster.add", {"meeting": "$NEW", "name": "甲", "unit": "乙", "role": "host", "requestKey": "k3"}),
        msg("o", "roster.add", {"meeting": "$NEW", "name": "甲", "unit": "乙", "role": "host", "requestKey": "k3"}),
    ],
    "resume": [
        msg("o", "checklist.set", {"meeting": "$M", "item": "C-3", "done": True}),
        msg("p", "stream.subscribe", {"stream": "$M", "since": 1}),
        msg("p", "stream.subscribe", {"stream": "$M", "since": 0}),
        msg("o", "stream.subscribe", {"stream": "$M", "since": 999}),
        msg("c", "stream.subscribe", {"stream": "$M", "since": 10}),
        msg("o", "checklist.set", {"meeting": "$M", "item": "C-3", "done": False}),
        "~p",
        msg("p", "stream.subscribe", {"stream": "$M", "since": 5}),
    ],
    "new-meeting": [
        msg("o", "meeting.create", MEETING),
        msg("o", "roster.add", {"meeting": "$NEW", "name": "主持", "unit": "局", "role": "host"}),
        msg("x", "auth", {"token": "$TOK"}),
        msg("x", "meeting.update", {"meeting": "$NEW", "company": {"phone": ""}, "system": {"link": ""}}),
        msg("o", "agenda.add", {"meeting": "$NEW", "title": "一", "minutes": 10}),
        msg("o", "agenda.add", {"meeting": "$NEW", "title": "二", "minutes": 10, "position": 1}),
        msg("o", "agenda.move", {"meeting": "$NEW", "item": "G-1", "position": 1}),
        msg("x", "roster.update", {"meeting": "$NEW", "participant": "$NEWP", "role": "unit"}),
        msg("x", "meeting.get", {"meeting": "$NEW"}),
    ],
    "agenda-restart": [
        msg("L", "agenda.finish", {"meeting": "$L"}),
        msg("L", "agenda.add", {"meeting": "$L", "title": "问答", "minutes": 5, "speakingLimitSeconds": 30}),
        msg("L", "agenda.start", {"meeting": "$L", "item": "G-2"}),
        msg("L", "agenda.start", {"meeting": "$L", "item": "G-1"}),
        msg("L", "agenda.remove", {"meeting": "$L", "item": "G-2"}),
    ],
    "accounts": [
        msg("a", "stream.subscribe", {"stream": "accounts"}),
        msg("a", "account.create", {"name": "新局", "kind": "organizer"}),
        msg("x", "auth", {"token": "$TOK"}),
        msg("x", "meeting.create", MEETING),
        msg("a", "account.reissue", {"account": "$NEWA"}),
        msg("x", "meeting.list", {}),
        msg("a", "account.list", {}),
    ],
}

FRAMES = [
    "", "{", "[]", "null", '"x"', "{}", '{"op":"ping"}', '{"id":"","op":"ping"}', '{"id":' + '"' + "i" * 65 + '","op":"ping"}',
    '{"id":1,"op":"ping"}', '{"id":1.5,"op":"ping"}', '{"id":true,"op":"ping"}', '{"id":"x"}', '{"id":"x","op":""}',
    '{"id":"x","op":7}', '{"id":"x","op":"ping","args":[]}', '{"id":"x","op":"ping","args":null}',
    '{"id":"x","op":"ping","op":"auth"}', '{"id":"x","op":"meeting.get","args":{"meeting":"$M","meeting":"$L"}}',
    '{"id":"x","op":"meeting.get","args":{"meeting":' + "[" * 60 + "]" * 60 + "}}",
    '{"id":"x","op":"ping","args":{"a":1e999}}', '{"id":"x","op":"ping","args":{"a":-0.0e-400}}',
    '{"id":"x","op":"ping","args":{"a":"\\ud800"}}', '{"id":"x","op":"ping","args":{"a":"\\u0000\\uffff"}}',
    '{"id":"x","op":"ping"} trailing', ' \t{"id":"x","op":"ping"}\r', '{"id":"x","op":"nope.op"}',
    '{"id":"x","op":"meeting.get","args":{"meeting":"M-' + "Z" * 300 + '"}}',
    '{"id":"x","op":"agenda.add","args":{"meeting":"$M","title":"t","minutes":9223372036854775807}}',
    '{"id":"x","op":"agenda.add","args":{"meeting":"$M","title":"t","minutes":-9223372036854775809}}',
    '{"id":"x","op":"agenda.add","args":{"meeting":"$M","title":"t","minutes":1e19}}',
]


def write(name, lines):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    for i, (op, actor, args) in enumerate(OPS):
        write("op-%02d-%s" % (i, op), [msg(actor, op, args, id="c1")])
    for name, lines in FLOWS.items():
        write("flow-" + name, lines)
    actors = {"admin": "a", "org": "o", "org2": "O", "participant": "p", "company": "c", "live": "l", "unit": "u"}
    with open(os.path.join(ROOT, "Tests/catalogue/bad_inputs.json"), encoding="utf-8") as f:
        cases = json.load(f)
    for i, c in enumerate(cases):
        write("bad-%03d-%s" % (i, c["op"]), [msg(actors[c["as"]], c["op"], c["args"], id="c1")])
    for i, frame in enumerate(FRAMES):
        write("frame-%02d" % i, ["a" + frame])

    # The dictionary: ops, argument names, codes and values, the world's $-names, JSON pieces.
    words = set()
    for op, _, args in OPS:
        words.add(op)

        def walk(x):
            if isinstance(x, dict):
                for k, v in x.items():
                    words.add(k)
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
            elif isinstance(x, str) and len(x) < 40:
                words.add(x)
        walk(args)
    words |= {"id", "op", "args", "requestKey", "since", "stream", "accounts", "preparing", "rehearsal", "live", "ended",
              "dispatched", "closed", "host", "recorder", "company", "unit", "observer", "organizer", "joined", "renamed",
              "mic", "speaker", "camera", "pass", "fail", "pending", "present", "away", "left", "speak", "question",
              "point_of_order", "order", "votes", "note", "intent", "needs", "prospects", "decision", "action", "contact",
              "next_contact", "government", "everyone", "markdown", "docx", "zh", "en", "industrial", "non_industrial",
              "initial_contact", "negotiating", "signed", "started", "shelved", "matter_connected", "county", "city",
              "province", "open", "true", "false", "null", "$NEW", "$NEWP", "$NEWD", "$NEWA", "$TOK", "M-", "P-", "C-",
              "G-", "Q-", "N-", "D-", "A-", "E-", "F-", "T00:00:00Z", "+08:00", "2026-12-01", ".1239", "T14:00:00.123456+08:00", "\\u0000", "\\ud800",
              "\\n", "1e308", "-0"}
    words |= {"$M", "$H", "$R", "$P", "$C", "$G", "$L", "$LH", "$LP", "$LC", "$E", "$EH", "$EU", "$EU2", "$EC", "$F", "$D",
              "$ADMIN", "$ORG", "$ORG2", "$UNIT", "$UNIT2"} | {"$T%d" % i for i in range(16)}
    words |= {'{"id":"', '","op":"', '","args":{', '":"', '":', ',"', "}}", "\n"}

    def entry(w):
        out = ""
        for b in w.encode("utf-8"):
            if chr(b) in '\\"':
                out += "\\" + chr(b)
            elif b < 0x20 or b >= 0x7F:
                out += "\\x%02X" % b
            else:
                out += chr(b)
        return '"%s"\n' % out
    with open(os.path.join(HERE, "roadshow.dict"), "w", encoding="ascii") as f:
        f.write("# libFuzzer dictionary for Sources/RoadshowFuzz (written by make_corpus.py)\n")
        for w in sorted(words - {""}):
            f.write(entry(w))
    print("wrote %d seeds to %s and the dictionary" % (len(os.listdir(OUT)), OUT))


main()
