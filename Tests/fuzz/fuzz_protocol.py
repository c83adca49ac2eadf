#!/usr/bin/python3
"""Protocol fuzz through the real server: mutated requests for every op, from
the organizer, the admin and participants of every role, through the phases
preparing → rehearsal → live → ended. It fails when

- a request gets no well-formed answer, or an `internal` error;
- the server dies;
- a participant (other than the host) receives someone else's phone or e-mail;
- the meeting's state after SIGKILL and a restart (replayed from the log)
  differs from the live state before it.

    /usr/bin/python3 Tests/fuzz/fuzz_protocol.py [SEED] [REQUESTS]

ROADSHOW_BIN names the binary (default .build/debug/roadshow). Only the
standard library: the WebSocket client is wsclient.py beside it.
"""
import collections, json, os, random, shutil, socket, subprocess, sys, tempfile, time, urllib.request
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from wsclient import WS

BIN = os.environ.get("ROADSHOW_BIN", os.path.join(ROOT, ".build/debug/roadshow"))
ADMIN = "rs_a_fuzzadmintoken0000000000000000"
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
N = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
rnd = random.Random(seed)
work = tempfile.mkdtemp(prefix="roadshow-fuzz-")
db = work + "/db.sqlite"

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def start():
    port = free_port()
    p = subprocess.Popen([BIN, "serve", "--port", str(port), "--db", db, "--web", os.path.join(ROOT, "web"), "--log-level", "error"],
                         env=dict(os.environ, ROADSHOW_ADMIN_TOKEN=ADMIN), stdout=subprocess.DEVNULL, stderr=open(work + "/server.err", "a"))
    for _ in range(100):
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=1); return p, port
        except Exception: time.sleep(0.05)
    raise SystemExit("server did not start")

server, port = start()
admin = WS(port); assert admin.call("auth", {"token": ADMIN})["ok"]
org_tok = admin.call("account.create", {"name": "局", "kind": "organizer"})["result"]["token"]
org = WS(port); assert org.call("auth", {"token": org_tok})["ok"]
meeting_args = {"title": "路演", "company": {"name": "企业", "contact": "李", "phone": "138 0000 0000"}, "project": {"name": "项目", "category": "industrial", "investment": 1.5},
                "startsAt": "2026-12-01T06:00:00Z", "durationMinutes": 90, "system": {"name": "腾讯会议", "room": "1", "link": "https://x.example/a"}}
M = org.call("meeting.create", meeting_args)["result"]["meeting"]["id"]
parts = []
for i, role in enumerate(["host", "recorder", "unit", "unit", "company"]):
    r = org.call("roster.add", {"meeting": M, "name": "人%d" % i, "unit": "单位%d" % i, "role": role, "phone": "139 0000 000%d" % i, "email": "a%d@x.cn" % i})["result"]
    c = WS(port); assert c.call("auth", {"token": r["token"]})["ok"]
    assert c.call("stream.subscribe", {"stream": M})["ok"]
    parts.append((r["participant"]["id"], c, role))
org.call("agenda.add", {"meeting": M, "title": "议题", "minutes": 10})

P = [p for p, _, _ in parts]
templates = {
  "meeting.update": {"meeting": M, "title": "新标题", "durationMinutes": 60},
  "meeting.advance": {"meeting": M, "to": "rehearsal", "force": True, "reason": "r"},
  "checklist.add": {"meeting": M, "text": "事项", "phase": "preparing", "owner": "某", "due": "2026-11-30"},
  "checklist.set": {"meeting": M, "item": "C-1", "done": True, "note": "n"},
  "checklist.remove": {"meeting": M, "item": "C-2"},
  "roster.add": {"meeting": M, "name": "新人", "unit": "新单位", "role": "unit"},
  "roster.update": {"meeting": M, "participant": P[2], "title": "主任", "phone": "1"},
  "roster.remove": {"meeting": M, "participant": P[4]},
  "roster.confirm": {"meeting": M, "participant": P[2], "attending": True, "clientInstalled": True, "accountRegistered": False},
  "roster.link": {"meeting": M, "participant": P[3]},
  "roster.invitation": {"meeting": M, "participant": P[2]},
  "av.self": {"meeting": M, "mic": {"ok": True, "peakDb": -20}, "speaker": {"ok": True}, "camera": {"ok": False}, "displayName": "人2-单位2"},
  "av.mark": {"meeting": M, "participant": P[2], "check": "mic", "result": "pass", "note": "ok"},
  "agenda.add": {"meeting": M, "title": "t", "minutes": 5, "speaker": P[2], "speakingLimitSeconds": 60, "position": 1},
  "agenda.suggest": {"meeting": M, "language": "en"},
  "contacts.share": {"meeting": M, "audience": "government", "phone": "138 0000 0001", "email": "a@b.cn", "title": "科长"},
  "contacts.prompt": {"meeting": M, "companyCard": True},
  "contacts.sheet": {"meeting": M, "format": "vcf"},
  "materials.list": {"meeting": M},
  "materials.remove": {"meeting": M, "material": "F-1"},
  "materials.receipts": {"meeting": M, "lang": "en"},
  "agenda.update": {"meeting": M, "item": "G-1", "title": "x", "minutes": 3},
  "agenda.move": {"meeting": M, "item": "G-1", "position": 2},
  "agenda.remove": {"meeting": M, "item": "G-2"},
  "agenda.start": {"meeting": M, "item": "G-1"},
  "agenda.next": {"meeting": M},
  "agenda.finish": {"meeting": M},
  "queue.raise": {"meeting": M, "kind": "question", "text": "问题"},
  "queue.lower": {"meeting": M},
  "queue.upvote": {"meeting": M, "entry": "Q-1"},
  "queue.grant": {"meeting": M, "entry": "Q-1"},
  "queue.next": {"meeting": M, "by": "votes"},
  "queue.release": {"meeting": M},
  "queue.remove": {"meeting": M, "entry": "Q-2"},
  "presence.set": {"meeting": M, "status": "away", "reason": "电话"},
  "minutes.add": {"meeting": M, "kind": "action", "text": "事", "owner": "某", "due": "2026-12-20", "agendaItem": "G-1"},
  "minutes.edit": {"meeting": M, "entry": "N-1", "text": "改", "agendaItem": ""},
  "minutes.remove": {"meeting": M, "entry": "N-2"},
  "export.minutes": {"meeting": M},
  "export.ics": {"meeting": M},
  "meeting.get": {"meeting": M},
  "meeting.list": {},
  "account.list": {},
  "account.create": {"name": "单位X", "kind": "unit"},
  "ping": {},
}
WEIRD = [None, True, False, 0, -1, 1.5, 1e300, -1e300, 2**63, "", " ", "x" * 5000, "\u0000", "\ud7ff", "😀" * 50, [], {}, [1], {"a": 1},
         "2026-02-30", "2026-12-01T06:00:00Z", "C-999", "G-999", "Q-999", "N-999", "P-NOPE0000", "M-NOPE", M, "live", "ended", "rehearsal", "preparing",
         "question", "point_of_order", "speak", "pass", "fail", "pending", "present", "left", "intent", "next_contact", "votes", "\n\t", "<script>", "' OR 1=1 --"]
KEYS = ["meeting", "item", "entry", "participant", "to", "force", "reason", "text", "kind", "title", "minutes", "position", "status", "done", "result", "check",
        "requestKey", "due", "owner", "agendaItem", "by", "zzz", "__proto__"]

def weird():
    return json.loads(json.dumps(rnd.choice(WEIRD)))

def mutate(args):
    a = json.loads(json.dumps(args))
    for _ in range(rnd.randint(0, 3)):
        r = rnd.random()
        if r < 0.25 and a: a.pop(rnd.choice(list(a)))
        elif r < 0.6 and a: a[rnd.choice(list(a))] = weird()
        elif r < 0.8: a[rnd.choice(KEYS)] = weird()
        elif r < 0.9 and a:
            k = rnd.choice(list(a))
            if isinstance(a[k], dict) and a[k]: a[k][rnd.choice(list(a[k]))] = weird()
        else: a["requestKey"] = "k%d" % rnd.randint(0, 20)
    return a

actors = [("org", org)] + [(role + ":" + p, c) for p, c, role in parts] + [("admin", admin)]
codes = collections.Counter()
internal, bad_reply, leaks = [], [], []
ops = [o for o in templates if o != "meeting.advance"]
stages = ["preparing", "rehearsal", "live", "ended"]
for stage_no, stage in enumerate(stages):
    if stage_no:
        r = org.call("meeting.advance", {"meeting": M, "to": stage, "force": True, "reason": "fuzz"})
        assert r.get("ok") or r["error"]["code"] == "conflict", ("advance", stage, r)
    if stage == "live":
        # Some queue to work on.
        for p, c, role in parts[2:4]:
            if any(x[1] is c for x in actors): c.call("queue.raise", {"meeting": M, "kind": "question", "text": "问题" + p})
    for i in range(N // len(stages)):
        op = rnd.choice(ops + ["nope.op"])
        args = mutate(templates.get(op, {}))
        if rnd.random() < 0.01:
            op, args = "meeting.advance", {"meeting": M, "to": rnd.choice(stages + ["followup", "x"]), "force": rnd.choice([True, False]), "reason": "fuzz"}
        name, c = rnd.choice(actors)
        time.sleep(1 / 300)
        try:
            if rnd.random() < 0.02:
                raw = rnd.choice(['{"id":"x","op":"ping","args":[]}', '{"op":"ping"}', '[]', '{"id":1,"op":"ping"}',
                                  '{"id":"x","op":"' + op + '","args":{"meeting":' + '[' * 40 + ']' * 40 + '}}'])
                m = c.call(None, raw=raw)
            else:
                m = c.call(op, args)
        except IOError as e:
            codes["closed: " + str(e)[18:60]] += 1
            actors = [x for x in actors if x[1] is not c]
            continue
        if m.get("ok") is True: codes["ok"] += 1
        elif m.get("ok") is False and isinstance(m.get("error"), dict) and m["error"].get("message"):
            codes[m["error"]["code"]] += 1
            if m["error"]["code"] == "internal": internal.append((op, args, m))
        else: bad_reply.append((op, args, m))
        if server.poll() is not None:
            raise SystemExit("SERVER DIED at %s %s %r" % (stage, op, args))
    codes["stage " + stage] = 1

# Participants (not the host) never received other people's phone or e-mail.
seen = 0
for p, c, role in parts:
    if role == "host": continue
    seen += len(c.pending_events)
    for ev in c.pending_events:
        who = (ev.get("data") or {}).get("participant") or {}
        if who.get("id") not in (None, p) and ("phone" in who or "email" in who):
            leaks.append((p, ev["event"], who.get("id")))
        # The company never receives someone else's card shared with the government side only.
        share = (ev.get("data") or {}).get("share") or {}
        if role == "company" and share.get("participant") not in (None, p) and share.get("audience") != "everyone":
            leaks.append((p, ev["event"], share.get("participant")))

problems = []
print("seed %d, %d requests: %s" % (seed, N, ", ".join("%s %d" % kv for kv in sorted(codes.items()))))
print("participants' events checked for others' contact details: %d" % seen)
for x in internal[:5]: problems.append("internal error: %r" % (x,))
for x in bad_reply[:5]: problems.append("not a well-formed answer: %r" % (x,))
for x in leaks[:5]: problems.append("contact details leaked to a participant: %r" % (x,))
if seen < 50: problems.append("participants received only %d events: the contact check saw too little" % seen)
if codes["ok"] < N // 20: problems.append("too few requests succeeded (%d): the fuzz is not reaching the ops" % codes["ok"])

# Live state vs replayed state: the snapshot before SIGKILL and after a restart must match.
time.sleep(1.5)  # out of the rate limiter's way
before = org.call("meeting.get", {"meeting": M})
accounts_before = admin.call("account.list", {})
server.kill(); server.wait()
server, port = start()
try:
    org2 = WS(port); assert org2.call("auth", {"token": org_tok})["ok"]
    after = org2.call("meeting.get", {"meeting": M})
    a2 = WS(port); assert a2.call("auth", {"token": ADMIN})["ok"]
    accounts_after = a2.call("account.list", {})
finally:
    server.terminate(); server.wait()
def strip(m):
    r = dict(m.get("result", {})); r.pop("serverTime", None); return r
if strip(before) != strip(after):
    b, a = strip(before).get("snapshot", {}), strip(after).get("snapshot", {})
    diff = [k for k in sorted(set(b) | set(a)) if b.get(k) != a.get(k)]
    problems.append("state replayed after SIGKILL differs from the live state in %s" % diff)
else:
    print("replay: the meeting's state is identical after SIGKILL and a restart (seq %s)" % before["result"]["seq"])
if strip(accounts_before) != strip(accounts_after): problems.append("accounts differ after the restart")

for p in problems: print("FAIL", p)
if not problems: shutil.rmtree(work, ignore_errors=True)
else: print("database kept in", work)
sys.exit(1 if problems else 0)
