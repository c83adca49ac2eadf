#!/usr/bin/python3
"""Tests of the page's modules inside real headless Chromium, without the server:
web/ is served by a small static server and each module is imported into a
blank page. connection.js runs against a scripted fake WebSocket, so the
reconnect, resume and retry rules are checked exactly.

    /usr/bin/python3 Tests/browser/test_modules.py
"""
import json
import os
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import WEB, Session, run_module  # noqa: E402

BLANK = b"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>modules</title></head>
<body><main id="main"></main><div id="toasts"></div><div id="toasts-alert"></div><div id="live"></div></body></html>"""

# What GET /api/ops answers here (the real one is checked against the server in
# test_page): enough ops for connection.js to tell reads from writes.
OPS = {
    "ops": [{"op": op, "kind": kind} for op, kind in (
        ("auth", "read"), ("ping", "read"), ("stream.subscribe", "read"), ("stream.unsubscribe", "read"),
        ("meeting.list", "read"), ("checklist.set", "write"))],
    "vocabulary": {
        "phases": [{"code": "preparing", "zh": "会议准备", "en": "Preparation"}],
        "stages": [{"code": c, "zh": z, "en": c} for c, z in (
            ("initial_contact", "初步接洽"), ("negotiating", "方案洽谈"), ("signed", "已签约"), ("started", "已开工"),
            ("shelved", "暂搁置"), ("matter_connected", "事项已对接"))],
        "stagesByCategory": {
            "industrial": [{"code": c, "zh": c, "en": c} for c in ("initial_contact", "negotiating", "signed", "started", "shelved")],
            "non_industrial": [{"code": "matter_connected", "zh": "事项已对接", "en": "Matter connected"}]},
        "outcomesByCategory": {"industrial": ["started", "shelved"], "non_industrial": ["matter_connected"]},
    },
    "rules": {"selfTestPassAboveDb": -50},
}
OPS_FETCHES = []

# A WebSocket stand-in the tests drive by hand.
FAKE_WS = r"""
window.FakeWS = class FakeWS {
  constructor(url, protocol) {
    this.url = url; this.protocol = protocol; this.sent = []; this.readyState = 0;
    FakeWS.instances.push(this);
    setTimeout(() => { this.readyState = 1; this.onopen && this.onopen(); }, 0);
  }
  send(text) { this.sent.push(JSON.parse(text)); }
  close() { this.readyState = 3; setTimeout(() => this.onclose && this.onclose({ code: 1000 }), 0); }
  drop() { this.readyState = 3; this.onclose && this.onclose({ code: 1006 }); }
  reply(id, result) { this.onmessage({ data: JSON.stringify({ re: id, ok: true, result }) }); }
  fail(id, error) { this.onmessage({ data: JSON.stringify({ re: id, ok: false, error }) }); }
  event(ev) { this.onmessage({ data: JSON.stringify(ev) }); }
  last(op) { return [...this.sent].reverse().find((m) => m.op === op); }
};
FakeWS.instances = [];
window.WebSocket = FakeWS;
window.sleep = (ms) => new Promise((r) => setTimeout(r, ms));
window.until = async (cond, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) { if (Date.now() > end) throw new Error("timed out: " + cond); await sleep(5); }
};
"""


class Quiet(SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=WEB, **k)

    def log_message(self, *a):
        pass

    def do_GET(self):
        if self.path.startswith("/api/ops"):
            OPS_FETCHES.append(self.path)
            body = json.dumps(OPS).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path.startswith("/__blank"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(BLANK)))
            self.end_headers()
            self.wfile.write(BLANK)
            return
        super().do_GET()

    def guess_type(self, path):
        return "text/javascript" if str(path).endswith(".js") else super().guess_type(path)


def run_js(d, body):
    """Runs an async function body in the page; returns what it returns, raises what it throws."""
    script = "const done = arguments[arguments.length - 1];\n(async () => {\n%s\n})().then((v) => done({ok: v}), (e) => done({error: String(e && e.stack || e)}));" % body
    out = d.execute_async_script(script)
    if "error" in out:
        raise AssertionError(out["error"])
    return out["ok"]


CONNECTION = r"""
const { Connection } = await import("/connection.js");
const states = [];
const conn = new Connection("rs_o_test", { url: "ws://127.0.0.1:1/ws" });
conn.addEventListener("status", (e) => states.push(e.detail.state));
let readies = 0;
conn.addEventListener("ready", () => readies++);
const socketsBefore = FakeWS.instances.length;
const started = conn.start();
const out = { socketsAtStart: FakeWS.instances.length - socketsBefore };
await until(() => FakeWS.instances.length > socketsBefore && FakeWS.instances.at(-1).sent.length > 0);
let ws = FakeWS.instances.at(-1);
out.opsFetched = performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/api/ops")).length;
Object.assign(out, { protocol: ws.protocol, firstOp: ws.sent[0].op, firstArgs: ws.sent[0].args });
// A call made before auth waits until auth succeeds.
const early = conn.call("meeting.list", {});
await sleep(5);
out.sentBeforeAuth = ws.sent.length;
ws.reply(ws.sent[0].id, { actor: { id: "A-1", name: "Org", kind: "organizer" } });
out.actor = (await started).actor.id;
await sleep(5);
const list = ws.last("meeting.list");
out.readOpHasKey = "requestKey" in list.args;
ws.reply(list.id, { meetings: [] });
await early;

// Subscribe: an event that races ahead of the snapshot reply is kept and applied after it.
const got = [];
let snapshotSeq = null;
conn.subscribe("M-1", { onSnapshot: (s, seq) => { snapshotSeq = seq; }, onEvent: (e) => got.push(e.seq) });
await sleep(5);
const sub = ws.last("stream.subscribe");
out.subArgs = sub.args;
ws.event({ event: "checklist.item_set", stream: "M-1", seq: 6, data: { item: { id: "C-1" } } });
ws.reply(sub.id, { snapshot: { id: "M-1", checklist: [], roster: [] }, seq: 5 });
await sleep(1);
ws.event({ event: "checklist.item_set", stream: "M-1", seq: 6, data: { item: { id: "C-1" } } }); // duplicate
ws.event({ event: "checklist.item_set", stream: "M-1", seq: 7, data: { item: { id: "C-1" } } });
ws.event({ event: "checklist.item_set", stream: "M-9", seq: 1, data: {} }); // not subscribed
out.snapshotSeq = snapshotSeq;
out.afterSnapshot = [...got];

// A mutating call carries a requestKey; the connection drops before the reply.
const pending = conn.call("checklist.set", { meeting: "M-1", item: "C-1", done: true });
await sleep(5);
const set1 = ws.last("checklist.set");
out.key1 = set1.args.requestKey;
ws.drop();
out.stateAfterDrop = conn.state;
await sleep(900); // first backoff is 150..450 ms
ws = FakeWS.instances.at(-1);
out.reconnects = FakeWS.instances.length;
out.reauthFirst = ws.sent[0].op;
out.sentBeforeReauth = ws.sent.length;
ws.reply(ws.sent[0].id, { actor: { id: "A-1", name: "Org", kind: "organizer" } });
await sleep(5);
const resub = ws.last("stream.subscribe");
out.resubArgs = resub.args;
// Each once: a second resume of a stream the server is still reading from its database is refused.
out.resubCount = ws.sent.filter((m) => m.op === "stream.subscribe").length;
out.retryCount = ws.sent.filter((m) => m.op === "checklist.set").length;
const set2 = ws.last("checklist.set");
out.key2 = set2.args.requestKey;
out.sameArgs = JSON.stringify({ ...set1.args }) === JSON.stringify({ ...set2.args });
// Resume: the missed event arrives before the reply, as the server sends it.
ws.event({ event: "roster.confirmed", stream: "M-1", seq: 8, data: { participant: { id: "P-1", name: "x" } } });
ws.reply(resub.id, { seq: 8 });
ws.reply(set2.id, { seq: 8 });
out.result = await pending;
out.allEvents = [...got];
// A gap makes it fetch a fresh snapshot instead of guessing.
ws.event({ event: "checklist.item_set", stream: "M-1", seq: 11, data: {} });
await sleep(5);
const unsub = ws.last("stream.unsubscribe");
out.gapUnsubscribed = !!unsub && unsub.args.stream === "M-1";
ws.reply(unsub.id, {});
await sleep(5);
const fresh = ws.last("stream.subscribe");
out.gapFresh = fresh !== resub && fresh.args.since === undefined;
ws.reply(fresh.id, { snapshot: { id: "M-1", checklist: [], roster: [] }, seq: 12 });
await sleep(5);
out.gapSnapshotSeq = snapshotSeq;
out.afterGapEvents = [...got];
out.states = states;
out.readies = readies;
conn.close();
return out;
"""

# A resume refused because another resume of the stream is still on its way on
# this connection (field args.stream), or ended by an unsubscribe: the events of
# the one under way still count, and no fresh snapshot is fetched for it.
RESUME_REFUSED = r"""
const { Connection } = await import("/connection.js");
const conn = new Connection("rs_o_test", { url: "ws://127.0.0.1:1/ws" });
const started = conn.start();
const before = FakeWS.instances.length;
await until(() => FakeWS.instances.length > 0 && FakeWS.instances.at(-1).sent.length > 0);
let ws = FakeWS.instances.at(-1);
ws.reply(ws.sent[0].id, { actor: { id: "A-1", name: "Org", kind: "organizer" } });
await started;
const got = [];
let snapshots = 0, errors = 0;
conn.subscribe("M-2", { onSnapshot: () => snapshots++, onEvent: (e) => got.push(e.seq), onError: () => errors++ });
await sleep(5);
ws.reply(ws.last("stream.subscribe").id, { snapshot: { id: "M-2", checklist: [], roster: [] }, seq: 3 });
ws.drop();
await until(() => FakeWS.instances.at(-1) !== ws && FakeWS.instances.at(-1).sent.length > 0);
ws = FakeWS.instances.at(-1);
ws.reply(ws.sent[0].id, { actor: { id: "A-1", name: "Org", kind: "organizer" } });
await sleep(5);
const resume = ws.last("stream.subscribe");
ws.event({ event: "checklist.item_set", stream: "M-2", seq: 4, data: {} });
ws.fail(resume.id, { code: "conflict", message: "a resume of M-2 is still on its way to this connection; wait for its reply", field: "args.stream" });
ws.event({ event: "checklist.item_set", stream: "M-2", seq: 5, data: {} });
await sleep(20);
const out = { resumeArgs: resume.args, got, snapshots, errors, subscribes: ws.sent.filter((m) => m.op === "stream.subscribe").length };
conn.close();
return out;
"""

AUTH_FAIL = r"""
const { Connection } = await import("/connection.js");
const before = FakeWS.instances.length;
const conn = new Connection("rs_o_wrong", { url: "ws://127.0.0.1:1/ws" });
let failed = 0;
conn.addEventListener("authfailed", () => failed++);
const started = conn.start();
await until(() => FakeWS.instances.length > before && FakeWS.instances.at(-1).sent.length > 0);
const ws = FakeWS.instances.at(-1);
ws.fail(ws.sent[0].id, { code: "unauthenticated", message: "this token is not valid", field: "args.token" });
let code = null;
try { await started; } catch (e) { code = e.code; }
await sleep(1200);
return { code, failed, opened: FakeWS.instances.length - before, state: conn.state };
"""

STORE = r"""
const { MeetingStore } = await import("/store.js");
const s = new MeetingStore();
const changes = [];
s.subscribe((c) => changes.push(c.kind));
s.applySnapshot({ id: "M-1", title: "T", phase: "preparing", checklist: [{ id: "C-1", text: "a", phase: "preparing", done: false }, { id: "C-2", text: "b", phase: "rehearsal", done: true }], roster: [{ id: "P-1", name: "张三", unit: "U", role: "unit", displayName: "张三-U" }] }, 4);
const out = {};
out.progress = s.progress();
out.old = s.applyEvent({ event: "checklist.item_set", seq: 4, data: { item: { id: "C-1", done: true } } });
s.applyEvent({ event: "checklist.item_set", seq: 5, data: { item: { id: "C-1", text: "a", phase: "preparing", done: true } } });
out.progress2 = s.progress();
s.applyEvent({ event: "checklist.item_added", seq: 6, data: { item: { id: "C-3", text: "c", phase: "preparing", done: false } } });
s.applyEvent({ event: "checklist.item_removed", seq: 7, data: { item: { id: "C-2" } } });
out.ids = [...s.checklist.keys()];
out.groups = [...s.checklistByPhase().keys()];
s.applyEvent({ event: "roster.link_reissued", seq: 8, data: { participant: { id: "P-1" } } });
out.nameAfterRelink = s.roster.get("P-1").name;
s.applyEvent({ event: "roster.confirmed", seq: 9, data: { participant: { id: "P-1", name: "张三", unit: "U", role: "unit", displayName: "张三-U", attending: true } } });
out.attending = s.roster.get("P-1").attending;
s.applyEvent({ event: "roster.added", seq: 10, data: { participant: { id: "P-2", name: "李四", unit: "V", role: "host", displayName: "李四-V" } } });
s.applyEvent({ event: "roster.removed", seq: 11, data: { participant: { id: "P-1" } } });
out.roster = [...s.roster.keys()];
s.applyEvent({ event: "meeting.updated", seq: 12, data: { meeting: { id: "M-1", title: "T2", phase: "rehearsal" } } });
out.meeting = s.meeting;
s.applyEvent({ event: "av.marked", seq: 13, data: { participant: "P-2" } });
out.seq = s.seq;
out.changes = changes;
// The live meeting's parts go through the same reducer.
const l = new MeetingStore();
const kinds = [];
l.subscribe((c) => kinds.push(c.kind));
const totals = { participants: [{ participant: "P-1", displayName: "张三-U", unit: "U", seconds: 30, speeches: 1 }], units: [{ unit: "U", seconds: 30 }] };
l.applySnapshot({ id: "M-1", phase: "live", checklist: [], roster: [], agenda: [{ id: "G-1", title: "a", minutes: 5, status: "running" }, { id: "G-2", title: "b", minutes: 5, status: "planned" }],
  queue: [], speeches: [], speakingTotals: totals, minutes: [], viewer: { ops: ["meeting.get", "minutes.add"] } }, 3);
out.liveMeetingKeys = Object.keys(l.meeting).sort();
out.may = [l.may("minutes.add"), l.may("queue.grant")];
out.current = l.current && l.current.id;
l.applyEvent({ event: "agenda.moved", seq: 4, data: { order: ["G-2", "G-1"] } });
l.applyEvent({ event: "agenda.updated", seq: 5, data: { item: { id: "G-2", title: "b2", minutes: 6, status: "planned" } } });
out.agenda = l.agenda.map((i) => i.id + ":" + i.title);
const entry = { id: "Q-1", participant: "P-2", kind: "question", votes: [] };
l.applyEvent({ event: "queue.raised", seq: 6, data: { entry, queue: [entry] } });
out.place = l.entryOf("P-2");
const floor = { participant: "P-2", entry: "Q-1", grantedAt: "2026-12-01T06:00:00Z" };
l.applyEvent({ event: "queue.granted", seq: 7, data: { entry, queue: [], floor } });
out.floor = l.floor && l.floor.participant;
out.totalsKept = l.speakingTotals === totals;
const after = { participants: [{ participant: "P-2", displayName: "李四-V", unit: "V", seconds: 40, speeches: 1 }], units: [{ unit: "V", seconds: 40 }] };
l.applyEvent({ event: "queue.released", seq: 8, data: { queue: [], speech: { participant: "P-2", seconds: 40, unit: "V" }, speakingTotals: after } });
out.afterRelease = [l.floor, l.speeches.length, l.speakingTotals.units[0].unit];
l.applyEvent({ event: "minutes.added", seq: 9, data: { entry: { id: "N-1", kind: "intent", text: "x" } } });
l.applyEvent({ event: "minutes.edited", seq: 10, data: { entry: { id: "N-1", kind: "intent", text: "y" } } });
l.applyEvent({ event: "minutes.added", seq: 11, data: { entry: { id: "N-2", kind: "note", text: "z" } } });
l.applyEvent({ event: "minutes.removed", seq: 12, data: { entry: { id: "N-1" } } });
out.minutes = l.minutes.map((e) => e.id + ":" + e.text);
l.applyEvent({ event: "presence.changed", seq: 13, data: { participant: { id: "P-2", name: "李四", presence: { status: "away" } } } });
l.applyEvent({ event: "meeting.advanced", seq: 14, data: { meeting: { id: "M-1", phase: "ended" } } });
out.phase = l.phase;
l.setViewer({ ops: ["meeting.get", "minutes.add"] }); // the same: nothing to tell
l.setViewer({ ops: ["meeting.get"] });
out.mayAfter = l.may("minutes.add");
out.kinds = kinds;
return out;
"""

I18N = r"""
const i18n = await import("/i18n.js");
const out = {};
const table = i18n.allStrings();
out.missing = Object.entries(table).filter(([k, v]) => !Array.isArray(v) || v.length !== 2 || !v[0] || !v[1]).map(([k]) => k);
// The codes are the server's (GET /api/ops vocabulary); the labels are the page's.
const PHASES = ["preparing", "rehearsal", "live", "ended", "dispatched", "closed"];
const ROLES = ["host", "recorder", "company", "unit", "observer"];
out.phasesZh = []; out.phasesEn = [];
i18n.setLang("zh");
for (const p of PHASES) out.phasesZh.push(i18n.phaseLabel(p));
out.rolesZh = ROLES.map(i18n.roleLabel);
out.timeZh = i18n.formatTime("2026-12-01T06:00:00.000Z");
i18n.setLang("en");
for (const p of PHASES) out.phasesEn.push(i18n.phaseLabel(p));
out.rolesEn = ROLES.map(i18n.roleLabel);
out.timeEn = i18n.formatTime("2026-12-01T06:00:00.000Z");
out.midnight = i18n.formatTime("2026-11-30T16:30:00Z");
out.rfc = i18n.localToZoned("2026-12-01T14:00");
out.bad = i18n.localToZoned("2026-12-01");
out.local = i18n.zonedLocalValue(new Date("2026-12-01T06:00:00Z"));
out.date = i18n.formatDate("2026-12-01");
out.zoneLabel = i18n.zoneLabel(new Date("2026-12-01T06:00:00Z"));
// Another zone (serve --timezone), with summer time: offsets follow the date.
i18n.setTimeZone("Not/AZone");
out.stillShanghai = i18n.timeZone();
i18n.setTimeZone("Europe/Berlin");
out.berlinWinter = i18n.localToZoned("2026-12-01T14:00");
out.berlinSummer = i18n.localToZoned("2026-07-01T14:00");
out.berlinTime = i18n.formatTime("2026-12-01T13:00:00Z");
out.berlinLocal = i18n.zonedLocalValue(new Date("2026-07-01T12:00:00Z"));
out.berlinLabel = i18n.zoneLabel(new Date("2026-07-01T12:00:00Z"));
out.newYork = (i18n.setTimeZone("America/New_York"), i18n.localToZoned("2026-03-08T03:30"));
out.kolkata = (i18n.setTimeZone("Asia/Kolkata"), i18n.localToZoned("2026-12-01T14:00"));
i18n.setTimeZone("Asia/Shanghai");
out.stored = localStorage.getItem("roadshow.lang");
out.vars = i18n.t("cl.progress", { done: 2, total: 9 });
return out;
"""


AFTER = r"""
const { MeetingStore, RecordStore } = await import("/store.js");
const { loadCatalogue, codesFor } = await import("/catalogue.js");
const { renderMarkdown } = await import("/markdown.js");
const { localMessage } = await import("/dispatch-shared.js");
await loadCatalogue("/api/ops");
const out = {};
// The follow-up in the meeting's store: withheld (no followup) for the company, upserted by unit otherwise.
const m = new MeetingStore();
m.applySnapshot({ id: "M-1", phase: "ended", checklist: [], roster: [], minutes: [], viewer: { ops: [] } }, 20);
out.companyFollowup = m.followup;
m.applyEvent({ event: "event.withheld", seq: 21, by: "", data: {} });
out.afterWithheld = [m.seq, m.followup];
const f = new MeetingStore();
f.applySnapshot({ id: "M-1", phase: "ended", followup: { units: ["甲", "乙"], assessments: [{ unit: "乙", feasible: true, willingToHost: false, comment: "b" }] } }, 20);
f.applyEvent({ event: "followup.assessed", seq: 21, data: { assessment: { unit: "甲", feasible: true, willingToHost: true, comment: "a1" } } });
f.applyEvent({ event: "followup.assessed", seq: 22, data: { assessment: { unit: "甲", feasible: false, willingToHost: true, comment: "a2" } } });
f.applyEvent({ event: "followup.intent_recorded", seq: 23, data: { intent: { furtherTalks: true, district: "黄山高新区" } } });
out.assessments = f.followup.assessments.map((a) => a.unit + ":" + a.comment);
out.intent = f.followup.intent.district;
out.summaryKeys = Object.keys(f.meeting).sort();
out.refreshOld = f.refresh({ id: "M-1", phase: "dispatched" }, 5);
out.refreshNew = f.refresh({ id: "M-1", phase: "dispatched", dispatch: "D-1" }, 30);
out.phaseAfter = f.phase;
// A record: the whole record, then the changed fields with the feedback / escalation concerned.
const r = new RecordStore();
r.applySnapshot({ record: { id: "D-1", company: { name: "C" }, stage: "initial_contact", status: "open", level: "county", feedback: [], escalations: [], minutes: { intent: ["x"] } } }, 1);
r.applyEvent({ event: "dispatch.feedback_posted", seq: 2, data: { feedback: { id: "F-1", text: "t1" }, record: { id: "D-1", stage: "negotiating", status: "open", feedbackCount: 1 } } });
r.applyEvent({ event: "dispatch.escalated", seq: 3, data: { escalation: { id: "E-1", to: "city" }, record: { id: "D-1", level: "city", status: "open" } } });
r.applyEvent({ event: "dispatch.answered", seq: 4, data: { escalation: { id: "E-1", to: "city", answer: { text: "ok" } }, record: { id: "D-1", level: "city", status: "open" } } });
r.applyEvent({ event: "dispatch.closed", seq: 5, data: { record: { id: "D-1", status: "closed", stage: "shelved", closure: { outcome: "shelved" } } } });
out.closed = [r.record.status, r.record.closure && r.record.closure.outcome];
r.applyEvent({ event: "dispatch.reopened", seq: 6, data: { record: { id: "D-1", status: "open", stage: "negotiating" } } });
out.dup = r.applyEvent({ event: "dispatch.reopened", seq: 6, data: { record: { id: "D-1", status: "closed" } } });
out.record = { company: r.record.company.name, stage: r.record.stage, status: r.record.status, level: r.record.level,
  closure: r.record.closure || null, feedback: r.record.feedback.map((x) => x.id), escalations: r.record.escalations.map((x) => x.id + ":" + !!x.answer),
  minutes: r.record.minutes.intent };
// The category's codes from the vocabulary's ByCategory lists (entries or plain codes).
out.industrial = codesFor("stages", "industrial");
out.nonIndustrial = codesFor("stages", "non_industrial");
out.outcomes = codesFor("outcomes", "industrial");
out.unknownCategory = codesFor("stages", "nope").length;
// Markdown: structure, and nothing in the text runs as markup.
const frag = renderMarkdown("# 每月信息专报\n\n**第 12 期**\n\n---\n\n## 一、分布\n\n| 阶段 | 数 |\n|---|---|\n| 方案洽谈 | 1 |\n| a \\| b | 2 |\n\n- 甲\n- 乙 <img src=x onerror=alert(1)>\n\n1. one\n2. [link](javascript:alert(1)) and [ok](https://example.org)\n\n**送**：某某。");
const div = document.createElement("div"); div.append(frag);
out.md = {
  h1: div.querySelector("h1").textContent, strong: div.querySelector("p strong").textContent, hr: div.querySelectorAll("hr").length,
  h2: div.querySelector("h2").textContent, cells: [...div.querySelectorAll("tbody td")].map((x) => x.textContent),
  ul: [...div.querySelectorAll("ul li")].map((x) => x.textContent), img: div.querySelectorAll("img").length,
  ol: div.querySelectorAll("ol li").length, links: [...div.querySelectorAll("a")].map((x) => x.getAttribute("href")),
  last: div.lastElementChild.textContent,
};
// The server's "中文 / English" messages in the page's language.
const i18n = await import("/i18n.js");
const bilingual = "只有“正在对接中”之类的套话。请写明… / Only boilerplate such as “in contact”: say what happened.";
i18n.setLang("zh");
out.msgZh = localMessage(bilingual);
i18n.setLang("en");
out.msgEn = localMessage(bilingual);
out.msgPlain = localMessage("args.text must not be empty");
const mixed = "只有“正在对接中”之类的套话，机制3不予认可。The feedback says only \"in contact\"-style phrases, which mechanism 3 does not accept. 请写明本期的具体进展：何时与谁对接、下一步。 / Write what happened: who met whom, what is next (similarity 0.92).";
out.mixedEn = localMessage(mixed);
i18n.setLang("zh");
out.mixedZh = localMessage(mixed);
i18n.setLang("en");
return out;
"""

REMINDER = r"""
const { mountReminder } = await import("/record.js");
const i18n = await import("/i18n.js");
i18n.setLang("zh");
const main = document.getElementById("main");
main.textContent = "";
const notice = { record: "D-7Q2K9M", company: { name: "皖南新能源科技有限公司" }, project: { name: "储能电池生产基地", category: "industrial" },
  handlingUnit: { id: "A-HETVVZ", name: "黄山高新区管委会" }, commissioner: { name: "陈专员", unit: "黄山高新区招商局", title: "副局长", phone: "139 5555 0101" },
  due: { status: "overdue", next: "2026-11-03", kind: "feedback", daysOverdue: 30, workingDaysOverdue: 21, estimated: false },
  what: "平台反馈（本期项目进展）", overdueEscalations: [{ id: "E-1", from: "county", to: "city", reason: "r", problem: "用地指标", due: "2026-11-20" }],
  issuedAt: "2026-12-03T02:00:00.000Z", issuer: "黄山市投资促进局" };
const calls = [];
const conn = { call: async (op, args) => { calls.push([op, args]); return { markdown: "# 催办单", filename: "D-7Q2K9M-reminder.md", notice }; } };
const off = mountReminder(main, { conn }, "D-7Q2K9M");
await until(() => document.getElementById("reminder-title"));
const doc = document.getElementById("reminder-notice");
const out = { calls, title: document.getElementById("reminder-title").textContent, text: doc.textContent,
  rows: [...doc.querySelectorAll("tbody tr")].map((r) => r.querySelector("th").textContent + "=" + r.querySelector("td").textContent) };
off();
i18n.setLang("en");
return out;
"""

def main():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % httpd.server_address[1]
    with Session("roadshow-modules-", server=False) as s:
        s.on_close(httpd.shutdown)
        check = s.run.check
        d = s.driver("en-US")
        d.set_script_timeout(20)
        d.get(base + "/__blank")
        d.execute_script(FAKE_WS)

        def connection():
            o = run_js(d, CONNECTION)
            assert o["socketsAtStart"] == 0 and o["opsFetched"] == 1, "GET /api/ops first, then the socket: %s" % o
            assert o["protocol"] == "roadshow.v1", o["protocol"]
            assert o["firstOp"] == "auth" and o["firstArgs"] == {"token": "rs_o_test"}, "auth is the first request"
            assert o["sentBeforeAuth"] == 1, "nothing but auth goes out before auth is answered"
            assert o["readOpHasKey"] is False, "reads carry no requestKey (the server rejects unknown args)"
            assert o["subArgs"] == {"stream": "M-1"}, o["subArgs"]
            assert o["snapshotSeq"] == 5
            assert o["afterSnapshot"] == [6, 7], "buffered event applied, duplicate ignored: %s" % o["afterSnapshot"]
            assert o["key1"] and len(o["key1"]) <= 64, "mutating call has a requestKey"
            assert o["stateAfterDrop"] == "down"
            assert o["reconnects"] == 2, "reconnected once: %s" % o["reconnects"]
            assert o["reauthFirst"] == "auth" and o["sentBeforeReauth"] == 1
            assert o["resubArgs"] == {"stream": "M-1", "since": 7}, "resume from the last seen seq: %s" % o["resubArgs"]
            assert o["key2"] == o["key1"] and o["sameArgs"], "the unacknowledged call is retried with the same requestKey"
            assert o["resubCount"] == 1 and o["retryCount"] == 1, "after reconnecting, one resume and one retry: %s" % ((o["resubCount"], o["retryCount"]),)
            assert o["result"] == {"seq": 8}
            assert o["allEvents"] == [6, 7, 8], o["allEvents"]
            assert o["gapUnsubscribed"] and o["gapFresh"], "a gap leads to a fresh snapshot"
            assert o["gapSnapshotSeq"] == 12 and o["afterGapEvents"] == [6, 7, 8], (o["gapSnapshotSeq"], o["afterGapEvents"])
            assert o["states"][:3] == ["connecting", "open", "down"] and o["states"][-1] == "closed", o["states"]
            assert o["readies"] == 2
        check("connection: auth first, ids, requestKey, resume with since, retry with the same key", connection)

        def resume_refused():
            o = run_js(d, RESUME_REFUSED)
            assert o["resumeArgs"] == {"stream": "M-2", "since": 3}, o
            assert o["got"] == [4, 5], "the events of the resume under way are applied: %s" % o
            assert o["snapshots"] == 1 and o["subscribes"] == 1 and o["errors"] == 0, "no fresh snapshot, no error shown: %s" % o
        check("connection: a resume refused as already on its way keeps the seq (no snapshot refetch)", resume_refused)

        def auth_fail():
            o = run_js(d, AUTH_FAIL)
            assert o["code"] == "unauthenticated" and o["failed"] == 1, o
            assert o["opened"] == 1, "no reconnect after a refused token: %s" % o
            assert o["state"] == "closed"
            assert len(OPS_FETCHES) == 1, "the ops are fetched once per page: %s" % OPS_FETCHES
        check("connection: a refused token stops, no reconnect loop", auth_fail)

        def store():
            o = run_js(d, STORE)
            assert o["progress"] == {"done": 1, "total": 2}
            assert o["old"] is False, "seq <= last seen is ignored"
            assert o["progress2"] == {"done": 2, "total": 2}
            assert o["ids"] == ["C-1", "C-3"], o["ids"]
            assert o["groups"] == ["preparing"], o["groups"]
            assert o["nameAfterRelink"] == "张三", "roster.link_reissued {participant:{id}} does not wipe the entry"
            assert o["attending"] is True
            assert o["roster"] == ["P-2"], o["roster"]
            assert o["meeting"] == {"id": "M-1", "title": "T2", "phase": "rehearsal"}, o["meeting"]
            assert o["seq"] == 13, "unknown events still advance seq"
            assert o["changes"][0] == "snapshot" and o["changes"][-1] == "other"
            # the live meeting's parts, in the same store
            assert o["liveMeetingKeys"] == ["id", "phase"], "state fields stay out of the summary: %s" % o["liveMeetingKeys"]
            assert o["may"] == [True, False] and o["current"] == "G-1"
            assert o["agenda"] == ["G-2:b2", "G-1:a"], o["agenda"]
            assert o["place"] == {"entry": {"id": "Q-1", "participant": "P-2", "kind": "question", "votes": []}, "position": 1}, o["place"]
            assert o["floor"] == "P-2" and o["totalsKept"], "a grant without a finished speech keeps the totals"
            assert o["afterRelease"] == [None, 1, "V"], "the server's totals replace the old ones: %s" % o["afterRelease"]
            assert o["minutes"] == ["N-2:z"], o["minutes"]
            assert o["phase"] == "ended" and o["mayAfter"] is False
            assert o["kinds"] == ["snapshot", "agenda", "agenda", "queue", "queue", "queue", "minutes", "minutes", "minutes", "minutes", "roster", "meeting", "viewer"], o["kinds"]
        check("store: snapshot, upsert/remove by id, duplicates ignored; agenda, queue (server totals), minutes, viewer ops", store)

        def after_meeting():
            o = run_js(d, AFTER)
            assert o["companyFollowup"] is None, "no followup in the snapshot: none in the store"
            assert o["afterWithheld"] == [21, None], "event.withheld only advances the seq: %s" % o["afterWithheld"]
            assert o["assessments"] == ["甲:a2", "乙:b"], "a unit's new assessment replaces its earlier one, in the units' order: %s" % o["assessments"]
            assert o["intent"] == "黄山高新区"
            assert "followup" not in o["summaryKeys"], o["summaryKeys"]
            assert o["refreshOld"] is False and o["refreshNew"] is True and o["phaseAfter"] == "dispatched"
            assert o["closed"] == ["closed", "shelved"], o["closed"]
            assert o["dup"] is False, "a seen seq is ignored"
            assert o["record"] == {"company": "C", "stage": "negotiating", "status": "open", "level": "city", "closure": None,
                                   "feedback": ["F-1"], "escalations": ["E-1:true"], "minutes": ["x"]}, o["record"]
            assert o["industrial"] == ["initial_contact", "negotiating", "signed", "started", "shelved"], o["industrial"]
            assert o["nonIndustrial"] == ["matter_connected"] and o["outcomes"] == ["started", "shelved"]
            assert o["unknownCategory"] == 6, "an unknown category falls back to the whole list"
            md = o["md"]
            assert md["h1"] == "每月信息专报" and md["strong"] == "第 12 期" and md["hr"] == 1 and md["h2"] == "一、分布", md
            assert md["cells"] == ["方案洽谈", "1", "a | b", "2"], md["cells"]
            assert md["ul"] == ["甲", "乙 <img src=x onerror=alert(1)>"] and md["img"] == 0, "text stays text: %s" % md
            assert md["ol"] == 2 and md["links"] == ["https://example.org/"], "only http(s) links: %s" % md["links"]
            assert md["last"] == "送：某某。", md["last"]
            assert o["msgZh"] == "只有“正在对接中”之类的套话。请写明…", o["msgZh"]
            assert o["msgEn"] == "Only boilerplate such as “in contact”: say what happened.", o["msgEn"]
            assert o["msgPlain"] == "args.text must not be empty", "a message in one language stays whole"
            assert o["mixedZh"] == "只有“正在对接中”之类的套话，机制3不予认可。请写明本期的具体进展：何时与谁对接、下一步。", o["mixedZh"]
            assert o["mixedEn"] == 'The feedback says only "in contact"-style phrases, which mechanism 3 does not accept. Write what happened: who met whom, what is next (similarity 0.92).', o["mixedEn"]
        check("after the meeting: follow-up in the store (withheld for the company), the record reducer, category codes, Markdown", after_meeting)

        def reminder():
            o = run_js(d, REMINDER)
            assert o["calls"] == [["dispatch.remind", {"record": "D-7Q2K9M"}]], o["calls"]
            assert o["title"] == "催办单", o["title"]
            rows = dict(r.split("=", 1) for r in o["rows"])
            assert rows["办理单位"] == "黄山高新区管委会" and rows["应办事项"] == "平台反馈（本期项目进展）", rows
            assert rows["逾期"] == "21 个工作日（30 个自然日）", rows["逾期"]
            assert "139 5555 0101" in rows["一对一专员"] and "用地指标" in o["text"], o["text"]
        check("the reminder notice (催办单): the record, unit, commissioner, what is due, working days overdue", reminder)

        def i18n():
            o = run_js(d, I18N)
            assert not o["missing"], "strings without both zh and en: %s" % o["missing"]
            assert o["phasesZh"] == ["会议准备", "会前联调", "会中", "会后跟进", "已转办", "已结束"], o["phasesZh"]
            assert o["phasesEn"] == ["Preparing", "Rehearsal", "Live", "Follow-up", "Dispatched", "Closed"], o["phasesEn"]
            assert o["rolesZh"] == ["主持人", "记录员", "企业", "参会单位", "列席"], o["rolesZh"]
            assert "14:00" in o["timeZh"] and "12月1日" in o["timeZh"], o["timeZh"]
            assert "14:00" in o["timeEn"] and "Dec" in o["timeEn"], o["timeEn"]
            assert "00:30" in o["midnight"] and ("1 Dec" in o["midnight"]), "UTC evening is the next day in China: %s" % o["midnight"]
            assert o["rfc"] == "2026-12-01T14:00:00+08:00", o["rfc"]
            assert o["bad"] is None
            assert o["local"] == "2026-12-01T14:00", o["local"]
            assert o["zoneLabel"] == "China time (UTC+8)", o["zoneLabel"]
            assert o["stillShanghai"] == "Asia/Shanghai", "an unknown zone is ignored"
            assert o["berlinWinter"] == "2026-12-01T14:00:00+01:00", o["berlinWinter"]
            assert o["berlinSummer"] == "2026-07-01T14:00:00+02:00", o["berlinSummer"]
            assert "14:00" in o["berlinTime"], o["berlinTime"]
            assert o["berlinLocal"] == "2026-07-01T14:00", o["berlinLocal"]
            assert o["berlinLabel"] == "Europe/Berlin (UTC+2)", o["berlinLabel"]
            assert o["newYork"] == "2026-03-08T03:30:00-04:00", o["newYork"]
            assert o["kolkata"] == "2026-12-01T14:00:00+05:30", o["kolkata"]
            assert "Dec" in o["date"], o["date"]
            assert o["stored"] == "en"
            assert o["vars"] == "2/9 done", o["vars"]
        check("i18n: both languages everywhere, China time, datetime-local as +08:00; another server zone with its offsets", i18n)
    return s.result()


if __name__ == "__main__":
    run_module(main)
